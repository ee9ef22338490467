/**
 * The Log Analytics query API: `/v1/workspaces/{customerId}/query` and `/metadata`, the
 * resource-centric `/v1/{resourceId}/query`, and `/v1/$batch`. KQL is compiled by our compiler
 * against the workspace folder's schema (the union of several workspaces' when the body names
 * `workspaces`), restricted to the request's `timespan` as the local backend does, run on DuckDB,
 * and answered in the service's JSON shapes, partial results and errors included.
 */
import {
  type IKqlDiagnostic,
  type IRenderSpec,
  loadCompiler
} from '../../src/kql';
import { batchDiagnostics, compileStatements } from '../../src/kql/batch';
import { SERVICE_RENDER_PROPERTIES } from '../../src/results/chart';
import type { ITimeWindow } from '../../src/tokens';
import { authorize, isResponse } from './bearer';
import {
  type IFixtureWorkspace,
  SUBSCRIPTIONS,
  WORKSPACES,
  workspaceResourceId
} from './fixture';
import type { Identity } from './identity';
import {
  header,
  type IRequest,
  type IResponse,
  json,
  jsonBody,
  matches,
  segments
} from './http';
import { parseTimespan, TimespanError } from './timespan';
import { wireValue } from './wire';
import { QueryTimeoutError, type WorkspaceData } from './workspace';

/** What the query API needs from the rest of the emulator. */
export interface ILogAnalyticsContext {
  identity: Identity;
  /** The data of one workspace, or the union of several, opened on first use. */
  data(workspaces: IFixtureWorkspace[]): Promise<WorkspaceData>;
  /** Most rows a query returns before the answer becomes a partial result. */
  maxRows: number;
  /** Seconds to ask a client to wait when the query is throttled, or null to run it. */
  takeThrottle(): number | null;
}

/** Log Analytics' default and largest server timeouts, in seconds. */
const DEFAULT_WAIT = 180;
const MAX_WAIT = 600;

/** The parsed `Prefer` header. */
interface IPreferences {
  wait: number;
  statistics: boolean;
  render: boolean;
}

function preferences(prefer: string | undefined): IPreferences {
  const result: IPreferences = {
    wait: DEFAULT_WAIT,
    statistics: false,
    render: false
  };
  for (const part of (prefer ?? '').split(/[,;]/)) {
    const [name, value = ''] = part.split('=').map(s => s.trim().toLowerCase());
    if (name === 'wait' && /^\d+$/.test(value)) {
      result.wait = Math.min(Number(value), MAX_WAIT);
    } else if (name === 'include-statistics') {
      result.statistics = value === 'true';
    } else if (name === 'include-render') {
      result.render = value === 'true';
    }
  }
  return result;
}

/** A OneAPI error response. */
function oneApiError(
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {}
): IResponse {
  return json(status, { error }, headers);
}

/** The service's 404 for a path that names no workspace or resource it has. */
function pathNotFound(): IResponse {
  return oneApiError(404, {
    message: 'The requested path does not exist',
    code: 'PathNotFoundError'
  });
}

/** A 400 `BadArgumentError` with the specific error nested, as the service wraps them. */
function badArgument(innererror: Record<string, unknown>): IResponse {
  return oneApiError(400, {
    message: 'The request had some invalid properties',
    code: 'BadArgumentError',
    innererror
  });
}

/** The text a syntax error stands at, as the service quotes it (`<EOF>` past the end). */
function tokenAt(query: string, diagnostic: IKqlDiagnostic): string {
  if (diagnostic.start >= query.length) {
    return '<EOF>';
  }
  const spanned = query.slice(diagnostic.start, diagnostic.end).trim();
  return spanned || /^\S+/.exec(query.slice(diagnostic.start))?.[0] || '<EOF>';
}

/**
 * The 400 for a query the compiler refused, as the service words it: a syntax error is
 * `SYN0002` with the token, its line (from 1) and `pos` (from 0); an unknown name is `SEM0100`
 * without a place (the service gives none for semantic errors).
 */
function compileError(query: string, diagnostics: IKqlDiagnostic[]): IResponse {
  // The service parses before it binds: a syntax error is the one it reports.
  const errors = diagnostics.filter(d => d.severity === 'error');
  const first =
    errors.find(d => d.stage === 'syntax') ?? errors[0] ?? diagnostics[0];
  if (first?.stage === 'syntax') {
    const token = tokenAt(query, first);
    const pos = first.column - 1;
    return badArgument({
      code: 'SyntaxError',
      message: 'A recognition error occurred in the query.',
      innererror: {
        code: 'SYN0002',
        message: `Query could not be parsed at '${token}' on line [${first.line},${pos}]`,
        line: first.line,
        pos,
        token
      }
    });
  }
  const unknown = first
    ? /^The name '([^']+)' does not refer to any known/.exec(first.message)
    : null;
  return badArgument({
    code: 'SemanticError',
    message: 'A semantic error occurred.',
    innererror: unknown
      ? {
          code: 'SEM0100',
          message: `Failed to resolve table or column or scalar expression named '${unknown[1]}'`
        }
      : {
          code: 'SemanticError',
          message: first?.message ?? 'The query could not be compiled'
        }
  });
}

/**
 * Kusto's render metadata as the query API reports it (the Azure SDKs' READMEs): every property
 * in camelCase, null when the query did not set it. Lists (`yColumns`, `series`) are comma-joined,
 * as Kusto writes them.
 */
export function renderMetadata(render: IRenderSpec): Record<string, unknown> {
  const result: Record<string, unknown> = {
    visualization: render.visualization,
    title: null,
    accumulate: false,
    isQuerySorted: false,
    kind: null,
    legend: null,
    series: null,
    yMin: 'NaN',
    yMax: 'NaN',
    xAxis: null,
    xColumn: null,
    xTitle: null,
    yAxis: null,
    yColumns: null,
    ySplit: null,
    yTitle: null,
    anomalyColumns: null
  };
  for (const [name, value] of Object.entries(render.properties)) {
    const key = SERVICE_RENDER_PROPERTIES[name.toLowerCase()] ?? name;
    const text = Array.isArray(value) ? value.join(',') : value;
    result[key] = key === 'accumulate' ? text.toLowerCase() === 'true' : text;
  }
  return result;
}

/** A query as the API receives it, from a URL, a body or a batch entry. */
interface IQueryInput {
  query: unknown;
  timespan?: unknown;
  workspaces?: unknown;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The workspace a reference names, in any of the forms the API takes: its id (GUID), its ARM
 * resource id, its name, or its qualified name `subscription/resourceGroup/name`.
 */
export function resolveWorkspace(reference: string): IFixtureWorkspace | null {
  const text = reference.trim().replace(/\/+$/, '');
  return (
    WORKSPACES.find(
      w =>
        same(w.customerId, text) ||
        same(workspaceResourceId(w), text) ||
        same(w.name, text) ||
        same(
          `${SUBSCRIPTIONS.find(s => s.subscriptionId === w.subscriptionId)?.displayName}/${w.resourceGroup}/${w.name}`,
          text
        )
    ) ?? null
  );
}

/** Log Analytics' query and metadata endpoints. */
export class LogAnalytics {
  constructor(private readonly _context: ILogAnalyticsContext) {}

  /** Answers a Log Analytics request, or null when the path is not one. */
  async handle(request: IRequest): Promise<IResponse | null> {
    const parts = segments(request.url);
    if (parts.length < 2 || !same(parts[0], 'v1')) {
      return null;
    }
    const isBatch = matches(parts, 'v1/$batch');
    const isQuery = matches(parts, 'v1/workspaces/*/query');
    const isMetadata = matches(parts, 'v1/workspaces/*/metadata');
    const isResource =
      same(parts[1], 'subscriptions') &&
      parts.length > 3 &&
      same(parts[parts.length - 1], 'query');
    if (!isBatch && !isQuery && !isMetadata && !isResource) {
      return null;
    }
    const allowed = isBatch ? ['POST'] : ['GET', 'POST'];
    if (!allowed.includes(request.method)) {
      return oneApiError(405, {
        code: 'MethodNotAllowed',
        message: `The method ${request.method} is not allowed.`
      });
    }
    const token = authorize(this._context.identity, request, 'loganalytics');
    if (isResponse(token)) {
      return token;
    }
    if (isBatch) {
      return this._batch(request);
    }
    const workspace = isResource
      ? resolveWorkspace(`/${parts.slice(1, -1).join('/')}`)
      : WORKSPACES.find(w => same(w.customerId, parts[2]));
    if (!workspace) {
      return pathNotFound();
    }
    if (isMetadata) {
      return this._metadata(workspace, await this._context.data([workspace]));
    }
    const input: IQueryInput | null =
      request.method === 'GET'
        ? {
            query: request.url.searchParams.get('query'),
            timespan: request.url.searchParams.get('timespan') ?? undefined,
            workspaces:
              request.url.searchParams.get('workspaces')?.split(',') ??
              undefined
          }
        : (jsonBody(request) as IQueryInput | null);
    return this._query(input, header(request, 'prefer'), workspace);
  }

  /** `POST /v1/$batch`: each request answered as its own query would be, in one body. */
  private async _batch(request: IRequest): Promise<IResponse> {
    const body = jsonBody(request) as { requests?: unknown } | null;
    if (
      body === null ||
      typeof body !== 'object' ||
      !Array.isArray(body.requests)
    ) {
      return badArgument({
        code: 'QueryValidationError',
        message: "The 'requests' property is required and must be an array."
      });
    }
    const responses = [];
    for (const entry of body.requests as Record<string, unknown>[]) {
      const id = String(entry?.id ?? '');
      const headers = (entry?.headers ?? {}) as Record<string, unknown>;
      const prefer = Object.entries(headers).find(([k]) => same(k, 'prefer'));
      const workspace =
        typeof entry?.workspace === 'string'
          ? resolveWorkspace(entry.workspace)
          : null;
      const path = String(entry?.path ?? '/query');
      let answer: IResponse;
      if (!workspace || !same(path, '/query')) {
        answer = pathNotFound();
      } else {
        answer = await this._query(
          (entry.body ?? null) as IQueryInput | null,
          prefer ? String(prefer[1]) : undefined,
          workspace
        );
      }
      responses.push({
        id,
        status: answer.status,
        body: answer.body,
        ...(answer.headers && Object.keys(answer.headers).length
          ? { headers: answer.headers }
          : {})
      });
    }
    return json(200, { responses });
  }

  private async _query(
    input: IQueryInput | null,
    prefer: string | undefined,
    workspace: IFixtureWorkspace
  ): Promise<IResponse> {
    if (
      input === null ||
      typeof input !== 'object' ||
      typeof input.query !== 'string'
    ) {
      return badArgument({
        code: 'QueryValidationError',
        message: "The 'query' property is required and must be a string."
      });
    }
    const { query, timespan } = input;
    const workspaces = [workspace];
    if (input.workspaces !== undefined && input.workspaces !== null) {
      if (
        !Array.isArray(input.workspaces) ||
        input.workspaces.some(w => typeof w !== 'string')
      ) {
        return badArgument({
          code: 'QueryValidationError',
          message: "The 'workspaces' property must be an array of strings."
        });
      }
      for (const reference of input.workspaces as string[]) {
        const other = resolveWorkspace(reference);
        if (!other) {
          return badArgument({
            code: 'WorkspaceNotFoundError',
            message: `Workspace '${reference}' could not be resolved.`
          });
        }
        workspaces.push(other);
      }
    }
    const retryAfter = this._context.takeThrottle();
    if (retryAfter !== null) {
      return oneApiError(
        429,
        {
          code: 'ThrottledError',
          message: `Your request was throttled. Please retry after ${retryAfter} second(s).`,
          innererror: {
            code: 'ThrottledError',
            message:
              'The rate of queries for this workspace exceeded the limit.'
          }
        },
        { 'Retry-After': String(retryAfter) }
      );
    }

    const options = preferences(prefer);
    const now = new Date();
    let window: ITimeWindow | undefined;
    if (timespan !== undefined && timespan !== null) {
      try {
        if (typeof timespan !== 'string') {
          throw new TimespanError('the timespan must be a string');
        }
        window = parseTimespan(timespan, now);
      } catch (error) {
        if (!(error instanceof TimespanError)) {
          throw error;
        }
        return badArgument({
          code: 'InvalidTimespanError',
          message: `Failed parsing the query timespan: ${error.message}`
        });
      }
    }

    const data = await this._context.data(workspaces);
    const started = Date.now();
    const compiler = await loadCompiler();
    // One result table per tabular statement, as the service answers a batch.
    const statements = await compileStatements(compiler, query, data.schema, {
      now,
      timeWindow: window
    });
    if (statements.some(s => s.sql === null)) {
      return compileError(query, batchDiagnostics(statements));
    }
    const tables: Record<string, unknown>[] = [];
    let truncated = false;
    for (const compiled of statements) {
      let result;
      try {
        result = await data.run(
          compiled,
          compiled.sql!,
          this._context.maxRows,
          options.wait * 1000
        );
      } catch (error) {
        if (error instanceof QueryTimeoutError) {
          return oneApiError(504, {
            code: 'GatewayTimeout',
            message: `The query did not complete within the requested wait of ${options.wait} seconds.`
          });
        }
        return badArgument({
          code: 'QueryExecutionError',
          message: error instanceof Error ? error.message : String(error)
        });
      }
      const types = compiled.columns.map(c => c.type);
      tables.push({
        name: compiled.name,
        columns: compiled.columns.map(c => ({ name: c.name, type: c.type })),
        rows: result.rows.map(row =>
          row.map((cell, i) => wireValue(cell, types[i] ?? 'string'))
        )
      });
      truncated ||= result.truncated;
    }
    const answer: Record<string, unknown> = { tables };
    if (options.statistics) {
      answer.statistics = {
        query: {
          executionTime: (Date.now() - started) / 1000,
          datasetStatistics: tables.map(t => ({
            tableRowCount: (t.rows as unknown[]).length
          }))
        }
      };
    }
    // The response has one `render`: the last statement's, where `render` belongs (it ends a query).
    const render = statements[statements.length - 1].render;
    if (options.render && render) {
      answer.render = renderMetadata(render);
    }
    if (truncated) {
      const limit = this._context.maxRows;
      answer.error = {
        code: 'PartialError',
        message: 'There were some errors when processing your query.',
        details: [
          {
            code: 'E_QUERY_RESULT_SET_TOO_LARGE',
            message: `Query result set has exceeded the internal record count limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)`,
            target: workspace.customerId
          }
        ]
      };
    }
    const applied = [
      options.statistics ? 'include-statistics=true' : '',
      options.render ? 'include-render=true' : ''
    ].filter(p => p !== '');
    return json(
      200,
      answer,
      applied.length ? { 'Preference-Applied': applied.join(',') } : {}
    );
  }

  private _metadata(
    workspace: IFixtureWorkspace,
    data: WorkspaceData
  ): IResponse {
    const tables = data.tables.map(t => ({
      id: t.name,
      name: t.name,
      timespanColumn: t.timespanColumn ?? undefined,
      columns: t.columns.map(c => ({ name: c.name, type: c.type })),
      related: {
        categories: [t.category.toLowerCase()],
        solutions: workspace.sentinel ? ['SecurityInsights'] : [],
        workspaces: [workspace.customerId]
      }
    }));
    const names = tables.map(t => t.name);
    return json(200, {
      tables,
      categories: [...new Set(data.tables.map(t => t.category))].map(c => ({
        id: c.toLowerCase(),
        displayName: c,
        related: {
          tables: data.tables.filter(t => t.category === c).map(t => t.name)
        }
      })),
      solutions: workspace.sentinel
        ? [
            {
              id: 'SecurityInsights',
              name: 'SecurityInsights',
              displayName: 'Microsoft Sentinel',
              related: { tables: names, workspaces: [workspace.customerId] }
            }
          ]
        : [],
      functions: [],
      workspaces: [
        {
          id: workspace.customerId,
          resourceId: workspaceResourceId(workspace),
          name: workspace.name,
          region: workspace.location,
          related: { tables: names }
        }
      ]
    });
  }
}
