import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** The JSON body of an error answered by this extension's server. */
export interface IServerErrorBody {
  /** Readable message. */
  message: string;
  /** Short machine-readable reason, e.g. `sql-error`, `timeout`. */
  reason?: string;
  /** The engine's own message, for SQL errors. */
  detail?: string;
}

/** A failed call to this extension's server, carrying the parsed error body. */
export class SentinelServerError extends Error {
  constructor(
    readonly status: number,
    readonly body: IServerErrorBody
  ) {
    super(body.message);
    this.name = 'SentinelServerError';
  }

  /** Short reason code, `network` when the server could not be reached. */
  get reason(): string {
    return this.body.reason ?? 'unknown';
  }
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

  /** Sends a request and returns the parsed JSON body; failures become `SentinelServerError`. */
  async json<T>(path: string[], init: RequestInit = {}): Promise<T> {
    const response = await this.fetch(path, init);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Sends a request and returns the successful response; failures become `SentinelServerError`. */
  async fetch(path: string[], init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        this.url(...path),
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
      throw new SentinelServerError(
        response.status,
        await SentinelServer._errorBody(response)
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
