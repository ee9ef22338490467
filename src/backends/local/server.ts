import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { Table } from 'apache-arrow';
import type { IExternalData } from '../../kql';

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

/** The body of `POST workspaces/{id}/query`. */
export interface IQueryRequest {
  /** One read-only SELECT. */
  sql: string;
  /** Client-chosen id the query can be cancelled by. */
  queryId: string;
  /** Row limit; the server's default and cap apply. */
  maxRows?: number;
  /** Time limit in seconds; the server's default and cap apply. */
  timeoutSeconds?: number;
  /** Relations of `externaldata` the SQL reads; the server serves local copies only. */
  externalData?: IExternalData[];
  /** True when the SQL reads the workspace's IP geolocation table (`geo_info_from_ip_address`). */
  geoIp?: boolean;
}

/** The body of `POST workspaces/{id}/export`. */
export interface IExportRequest {
  /** One read-only SELECT. */
  sql: string;
  /** Where to write the Parquet file, relative to the Jupyter root; must end in `.parquet`. */
  path: string;
  /** Client-chosen id the export can be cancelled by. */
  queryId: string;
  /** Time limit in seconds; the server's default and cap apply. */
  timeoutSeconds?: number;
  /** Relations of `externaldata` the SQL reads, as for a query. */
  externalData?: IExternalData[];
  /** True when the SQL reads the workspace's IP geolocation table. */
  geoIp?: boolean;
}

/** The answer of `POST workspaces/{id}/export`. */
export interface IExportResponse {
  /** Path of the written file, relative to the Jupyter root. */
  path: string;
  /** Rows written. */
  rowCount: number;
  /** Time the server spent, in milliseconds. */
  elapsedMs: number;
  /** Columns as the server wrote them (KQL types). */
  columns: { name: string; type: string }[];
}

/** The answer of `POST workspaces/{id}/query`, before Arrow decoding. */
export interface IQueryResponse {
  /** The rows as an Arrow IPC stream. */
  ipc: Uint8Array;
  /** `X-Sentinel-Row-Count`: rows in the stream; null when a proxy dropped the header. */
  rowCount: number | null;
  /** `X-Sentinel-Truncated`: the row limit cut the result. */
  truncated: boolean;
  /** `X-Sentinel-Elapsed-Ms`: time the server spent on the query. */
  elapsedMs: number;
}

/** The rows of a query answer, decoded, and how many there are. */
export async function decodeRows(
  response: IQueryResponse
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

  /** Runs SQL on a workspace and returns the Arrow stream with the figures from its headers. */
  async query(
    workspaceId: string,
    request: IQueryRequest
  ): Promise<IQueryResponse> {
    const response = await this.fetch(['workspaces', workspaceId, 'query'], {
      method: 'POST',
      body: JSON.stringify(request)
    });
    return SentinelServer._arrow(response);
  }

  /**
   * The first rows of a Log Analytics query response (its text as the service sent it) as an
   * Arrow stream, typed by the server without losing digits.
   */
  async logAnalyticsArrow(
    text: string,
    maxRows: number
  ): Promise<IQueryResponse> {
    const response = await this.fetch(
      ['loganalytics', 'arrow'],
      { method: 'POST', body: text },
      { maxRows: String(maxRows) }
    );
    return SentinelServer._arrow(response);
  }

  /** Writes a Log Analytics query response as Parquet at `path` inside the Jupyter root. */
  logAnalyticsExport(
    text: string,
    path: string
  ): Promise<
    Omit<IExportResponse, 'elapsedMs'> & {
      /** The response carried a `PartialError`: the file holds the rows it returned. */
      partial: boolean;
      /** The service's message about the partial result. */
      partialMessage?: string;
    }
  > {
    return this.json(
      ['loganalytics', 'export'],
      { method: 'POST', body: text },
      { path }
    );
  }

  /** Writes the full result of SQL on a workspace as Parquet inside the Jupyter root. */
  exportResult(
    workspaceId: string,
    request: IExportRequest
  ): Promise<IExportResponse> {
    return this.json<IExportResponse>(['workspaces', workspaceId, 'export'], {
      method: 'POST',
      body: JSON.stringify(request)
    });
  }

  /**
   * Interrupts a running query. Resolves false when the server does not know the id: the query
   * finished already, or has not started yet.
   */
  async cancelQuery(queryId: string): Promise<boolean> {
    try {
      await this.fetch(['queries', queryId], { method: 'DELETE' });
      return true;
    } catch (error) {
      if (error instanceof SentinelServerError && error.status === 404) {
        return false;
      }
      throw error;
    }
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

  /** An Arrow stream answer with the figures from its headers. */
  private static async _arrow(response: Response): Promise<IQueryResponse> {
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
