/**
 * The one gateway to this extension's Jupyter server REST API (`/sentinel/api/`), used by every
 * feature that talks to it: the local backend (workspaces, queries, bookmarks), the Azure backend
 * (Log Analytics responses converted to Arrow and Parquet), result pages and templates. Each
 * feature makes its own calls through it; the gateway only knows URLs, the server's settings and
 * how a failure is reported.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { Table } from 'apache-arrow';

/** The JSON body of an error answered by this extension's server. */
export interface IServerErrorBody {
  /** Readable message. */
  message: string;
  /**
   * Short machine-readable reason, e.g. `sql-error`; `timeout` (past the time limit, answered
   * 422: a status no browser or proxy resends), `too-large` (the result or the SQL is over the
   * server's limit), `busy` (no query worker free, answered 503 with `Retry-After`).
   */
  reason?: string;
  /** The engine's own message, for SQL errors. */
  detail?: string;
}

/** A failed call to this extension's server, carrying the parsed error body. */
export class SentinelServerError extends Error {
  constructor(
    readonly status: number,
    readonly body: IServerErrorBody,
    /** Seconds after which the same request may succeed (`Retry-After`), if the server said. */
    readonly retryAfterSeconds: number | null = null
  ) {
    super(body.message);
    this.name = 'SentinelServerError';
  }

  /** Short reason code, `network` when the server could not be reached. */
  get reason(): string {
    return this.body.reason ?? 'unknown';
  }
}

/** A server answer that is an Arrow stream of rows, before decoding. */
export interface IArrowResponse {
  /** The rows as an Arrow IPC stream. */
  ipc: Uint8Array;
  /** `X-Sentinel-Row-Count`: rows in the stream; null when a proxy dropped the header. */
  rowCount: number | null;
  /** `X-Sentinel-Truncated`: the row limit cut the result. */
  truncated: boolean;
  /** `X-Sentinel-Elapsed-Ms`: time the server spent on the query. */
  elapsedMs: number;
}

/** The rows of an Arrow answer, decoded, and how many there are. */
export async function decodeRows(
  response: IArrowResponse
): Promise<{ table: Table; rowCount: number }> {
  // Arrow's decoder is only needed once a query runs: keep it out of the extension's first chunk.
  const { tableFromIPC } = await import('apache-arrow');
  const table = tableFromIPC(response.ipc);
  return { table, rowCount: response.rowCount ?? table.numRows };
}

function isErrorBody(value: unknown): value is IServerErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * The typed gateway to the `/sentinel/api/` REST API of the server extension. Every request goes
 * through Jupyter's `ServerConnection`, so it carries the server's token and XSRF cookie.
 */
export class SentinelServer {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** Full URL of an API path. */
  url(...path: string[]): string {
    return URLExt.join(
      this._settings.baseUrl,
      'sentinel',
      'api',
      ...path.map(encodeURIComponent)
    );
  }

  /** Full URL of an API path with query arguments. */
  urlWith(path: string[], query: Record<string, string>): string {
    return `${this.url(...path)}${URLExt.objectToQueryString(query)}`;
  }

  /** Sends a request and returns the parsed JSON body; failures become `SentinelServerError`. */
  async json<T>(
    path: string[],
    init: RequestInit = {},
    query: Record<string, string> = {}
  ): Promise<T> {
    const response = await this.fetch(path, init, query);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /**
   * Sends a request answered with an Arrow stream and returns it with the figures from its
   * headers; failures become `SentinelServerError`.
   */
  async arrow(
    path: string[],
    init: RequestInit = {},
    query: Record<string, string> = {}
  ): Promise<IArrowResponse> {
    const response = await this.fetch(path, init, query);
    const ipc = new Uint8Array(await response.arrayBuffer());
    const header = (name: string): string | null =>
      response.headers.get(`X-Sentinel-${name}`);
    const number = (name: string): number | null => {
      const value = header(name);
      return value !== null && Number.isFinite(Number(value))
        ? Number(value)
        : null;
    };
    return {
      ipc,
      rowCount: number('Row-Count'),
      truncated: header('Truncated') === 'true',
      elapsedMs: number('Elapsed-Ms') ?? 0
    };
  }

  /** Sends a request and returns the successful response; failures become `SentinelServerError`. */
  async fetch(
    path: string[],
    init: RequestInit = {},
    query: Record<string, string> = {}
  ): Promise<Response> {
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        this.urlWith(path, query),
        init,
        this._settings
      );
    } catch (error) {
      throw new SentinelServerError(0, {
        message: `The Jupyter server could not be reached: ${String(error)}`,
        reason: 'network'
      });
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('Retry-After') ?? NaN);
      throw new SentinelServerError(
        response.status,
        await SentinelServer._errorBody(response),
        Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null
      );
    }
    return response;
  }

  private static async _errorBody(
    response: Response
  ): Promise<IServerErrorBody> {
    const text = await response.text();
    try {
      const parsed: unknown = JSON.parse(text);
      if (isErrorBody(parsed)) {
        return parsed;
      }
    } catch {
      // Not JSON (a proxy's error page, for instance): fall through to the status line.
    }
    return {
      message:
        `The server answered ${response.status} ${response.statusText}`.trim(),
      reason: 'http-error'
    };
  }
}
