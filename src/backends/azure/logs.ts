/**
 * Queries through `@azure/monitor-query-logs`: its `LogsQueryClient` sends the request (the
 * `Prefer` options, the bearer token, retries of throttled calls as the SDK does them) and tells
 * success from partial failure and failure. Its rows are not used: the SDK parses them with
 * JavaScript's JSON and `Date`, losing longs beyond 2^53 and the 7th fractional digit of
 * datetimes. A pipeline policy keeps the response's text instead, which the Jupyter server
 * converts to Arrow and Parquet in Python (see `jupyterlab_sentinel/loganalytics.py`).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type {
  LogsColumn,
  LogsQueryOptions,
  QueryTimeInterval
} from '@azure/monitor-query-logs';
import type { IRenderSpec } from '../../kql/index';
import type { IColumnInfo, ITimeWindow } from '../../tokens';
import { kqlTypeOfArm } from './arm';

/** What one query needs to reach its workspace. */
export interface ILogsRequest {
  /** The Log Analytics endpoint without `/v1`, e.g. `https://api.loganalytics.azure.com`. */
  endpoint: string;
  /** The MSAL scope of the Log Analytics resource. */
  scope: string;
  /** The token source; asked again (forced) when the service refuses a token mid-session. */
  credential: (forceRefresh: boolean) => TokenCredential;
  /** The workspace's id (the GUID ARM calls `customerId`). */
  workspaceId: string;
  /**
   * The other workspaces of a cross-workspace query (their GUIDs): the API's `workspaces`, which
   * the service unions with `workspaceId`, each row's `TenantId` naming its workspace.
   */
  additionalWorkspaces?: string[];
  /** The KQL text. */
  query: string;
  /** The API's `timespan`; every table's time column is restricted to it. */
  timespan?: ITimeWindow;
  /** The service's time limit (`Prefer: wait=`), at most 600 s. */
  timeoutSeconds?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** A successful or partial answer, with the response's text for the server to convert. */
export interface ILogsAnswer {
  /** The response body exactly as the service sent it. */
  text: string;
  /** The primary table's columns. */
  columns: IColumnInfo[];
  /**
   * Every table of the response, in order: a batch (`A; B`) has one per tabular statement, the
   * first being the primary result.
   */
  tables: { name: string; columns: IColumnInfo[] }[];
  /** `render` of the query, as the service described it. */
  render: IRenderSpec | null;
  /** The service's execution time in milliseconds, or the round trip's when not reported. */
  elapsedMs: number;
}

/** A query the service refused or failed, with the service's code and the most specific message. */
export class LogAnalyticsError extends Error {
  constructor(
    /** HTTP status; 0 when the service could not be reached. */
    readonly status: number,
    /** The innermost error code, e.g. `SyntaxError`, `ThrottledError`, `InvalidAuthenticationToken`. */
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'LogAnalyticsError';
  }
}

/** A OneAPI error object of the Log Analytics API, as far as it is read here. */
interface IErrorInfo {
  code?: string;
  message?: string;
  innererror?: IErrorInfo;
  details?: { code?: string; message?: string }[];
  line?: number;
  pos?: number;
}

/** A OneAPI error object and its nested `innererror`s, outermost first: Kusto nests the precise one. */
function errorChain(error: IErrorInfo): IErrorInfo[] {
  const chain: IErrorInfo[] = [];
  for (
    let e: IErrorInfo | undefined = error;
    e && chain.length < 10;
    e = e.innererror
  ) {
    chain.push(e);
  }
  return chain;
}

/** The readable message of a failed query. */
export function describeFailure(
  status: number,
  body: unknown
): LogAnalyticsError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? ((body as { error: IErrorInfo }).error ?? {})
      : {};
  const chain = errorChain(error);
  const inner = chain[chain.length - 1] ?? {};
  const code = inner.code ?? error.code ?? `Http${status}`;
  // The service counts `line` from 1 and `pos` from 0 ("on line [5,2]" is line 5, column 3);
  // it places syntax errors only (SYN…), never semantic ones (SEM…).
  const located = chain.find(e => typeof e.line === 'number');
  const where = located
    ? ` (line ${located.line}, column ${(located.pos ?? 0) + 1})`
    : '';
  let text =
    [...chain]
      .reverse()
      .map(e => e.message)
      .find(
        m =>
          m &&
          !/invalid properties|^Syntax Error$|^A (recognition|semantic) error occurred/i.test(
            m
          )
      ) ??
    error.message ??
    `Log Analytics answered ${status}`;
  if (located) {
    // Said once, in the cell's terms: the service's own "on line [l,p]" counts columns from 0.
    text = text.replace(/ on line \[\d+,\d+\]$/, '');
  }
  let message: string;
  if (status === 429) {
    message = `Log Analytics is throttling queries from this account (${code}): ${text} Wait a minute and run the query again.`;
  } else if (status === 401 || status === 403) {
    message = `Log Analytics refused the sign-in (${code}): ${text}`;
  } else if (status === 504) {
    message = `The query ran out of time on Log Analytics: ${text}`;
  } else if (status === 404) {
    message = `Log Analytics does not know this workspace (${code}): ${text}`;
  } else {
    message = `Log Analytics: ${text}${where}`;
  }
  return new LogAnalyticsError(status, code, message);
}

/** The `render` the service reports, as the compiler's render specification. */
export function renderOf(
  visualization: Record<string, unknown> | undefined
): IRenderSpec | null {
  const kind = visualization?.visualization;
  if (typeof kind !== 'string' || !kind || kind === 'table') {
    return null;
  }
  const properties: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(visualization ?? {})) {
    if (key === 'visualization' || value === null || value === '') {
      continue;
    }
    if (Array.isArray(value)) {
      properties[key] = value.map(String);
    } else if (typeof value === 'string') {
      properties[key] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      properties[key] = String(value);
    }
  }
  return { visualization: kind, properties };
}

/**
 * Runs one query. A 401 is answered by asking for a new token and sending the query again once,
 * so a token that expires mid-session does not lose the query; 429 and 503 are retried by the
 * SDK's own policy (honouring `Retry-After`) before they are reported.
 */
export async function queryLogs(request: ILogsRequest): Promise<ILogsAnswer> {
  try {
    return await send(request, false);
  } catch (error) {
    // A 401 is what a fresh token may cure: the one sent had expired or was revoked.
    if (error instanceof LogAnalyticsError && error.status === 401) {
      return send(request, true);
    }
    throw error;
  }
}

async function send(
  request: ILogsRequest,
  forceRefresh: boolean
): Promise<ILogsAnswer> {
  const { LogsQueryClient } = await import('@azure/monitor-query-logs');
  const endpoint = new URL(`${request.endpoint.replace(/\/+$/, '')}/v1`);
  const client = new LogsQueryClient(request.credential(forceRefresh), {
    endpoint: endpoint.toString(),
    credentials: { scopes: [request.scope] }
  });
  let text: string | null = null;
  let status = 0;
  const keepText: PipelinePolicy = {
    name: 'sentinelKeepResponseText',
    sendRequest: async (pipelineRequest, next) => {
      if (request.signal) {
        pipelineRequest.abortSignal = request.signal;
      }
      if (!request.timespan && typeof pipelineRequest.body === 'string') {
        // The SDK insists on a timespan; without one the API reads all the data the query names.
        const body = JSON.parse(pipelineRequest.body) as { timespan?: string };
        delete body.timespan;
        pipelineRequest.body = JSON.stringify(body);
      }
      const response = await next(pipelineRequest);
      text = response.bodyAsText ?? null;
      status = response.status;
      return response;
    }
  };
  client.pipeline.addPolicy(keepText);
  const timespan: QueryTimeInterval = request.timespan
    ? { startTime: request.timespan.start, endTime: request.timespan.end }
    : { duration: 'P1D' };
  const options: LogsQueryOptions = {
    serverTimeoutInSeconds: Math.min(request.timeoutSeconds ?? 180, 600),
    includeQueryStatistics: true,
    includeVisualization: true,
    ...(request.additionalWorkspaces?.length
      ? { additionalWorkspaces: request.additionalWorkspaces }
      : {})
  };
  const started = performance.now();
  let result;
  try {
    result = await client.queryWorkspace(
      request.workspaceId,
      request.query,
      timespan,
      options
    );
  } catch (error) {
    throw failureOf(error, status, text);
  }
  if (text === null) {
    throw new LogAnalyticsError(
      status,
      'NoBody',
      'Log Analytics answered without a body'
    );
  }
  // A partial result (`PartialError`) is flagged by the server, which reads the same text.
  const tables =
    'partialTables' in result
      ? result.partialTables
      : 'tables' in result
        ? result.tables
        : [];
  const described = tables.map(table => ({
    name: table.name,
    columns: table.columnDescriptors.map((c: LogsColumn, i: number) => ({
      name: c.name ?? `Column${i + 1}`,
      type: kqlTypeOfArm(c.type)
    }))
  }));
  const executionTime = result.statistics?.query as
    { executionTime?: unknown } | undefined;
  const seconds = executionTime?.executionTime;
  return {
    text,
    columns: described[0]?.columns ?? [],
    tables: described,
    render: renderOf(
      result.visualization as Record<string, unknown> | undefined
    ),
    elapsedMs:
      typeof seconds === 'number' ? seconds * 1000 : performance.now() - started
  };
}

/** The error a failed call of the SDK stands for. */
function failureOf(error: unknown, status: number, text: string | null): Error {
  const e = error as {
    name?: string;
    statusCode?: number;
    code?: string;
    message?: string;
  };
  if (e?.name === 'AbortError') {
    return error as Error;
  }
  if (typeof e?.statusCode === 'number' || status) {
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // A gateway's error page: described by its status.
    }
    return describeFailure(e?.statusCode ?? status, body);
  }
  if (error instanceof Error && error.name === 'AzureAuthError') {
    return error;
  }
  return new LogAnalyticsError(
    0,
    e?.code ?? 'NetworkError',
    `Log Analytics could not be reached: ${e?.message ?? String(error)}`
  );
}
