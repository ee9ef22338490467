/**
 * The Log Analytics query API (`/v1/workspaces/{customerId}/query` and `/metadata`): KQL is
 * compiled by our compiler against the workspace folder's schema, restricted to the request's
 * `timespan` as the local backend does, run on DuckDB, and answered in the service's JSON shapes,
 * partial results and errors included.
 */
import { type IKqlDiagnostic, type IRenderSpec, loadCompiler } from '../../kql';
import { restrictToWindow } from '../../backends/local/timespan';
import type { ITimeWindow } from '../../tokens';
import { authorize, isResponse } from './bearer';
import { type IFixtureWorkspace, workspaceResourceId } from './fixture';
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
  /** The workspace with this customer id (any case), or null. */
  workspace(customerId: string): IFixtureWorkspace | null;
  /** The workspace's data, opened on first use. */
  data(workspace: IFixtureWorkspace): Promise<WorkspaceData>;
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

function preferences(request: IRequest): IPreferences {
  const result: IPreferences = {
    wait: DEFAULT_WAIT,
    statistics: false,
    render: false
  };
  for (const part of (header(request, 'prefer') ?? '').split(/[,;]/)) {
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

/** The 400 for a query the compiler refused, with the first error's place. */
function compileError(diagnostics: IKqlDiagnostic[]): IResponse {
  const first = diagnostics.find(d => d.severity === 'error') ?? diagnostics[0];
  const code = first?.stage === 'syntax' ? 'SyntaxError' : 'SemanticError';
  const message = first
    ? `${first.message} at line ${first.line}, column ${first.column}`
    : 'The query could not be compiled';
  return oneApiError(400, {
    code: 'BadArgumentError',
    message: 'The request had some invalid properties',
    innererror: {
      code,
      message,
      line: first?.line,
      pos: first?.column,
      innererror: first
        ? {
            code: first.code,
            message: first.message,
            line: first.line,
            pos: first.column
          }
        : undefined
    }
  });
}

/**
 * Kusto's render metadata in the API's camelCase shape: the properties the query gave, over the
 * defaults the service fills in. Lists (`ycolumns`, `series`) are comma-joined, as Kusto writes them.
 */
export function renderMetadata(render: IRenderSpec): Record<string, unknown> {
  const result: Record<string, unknown> = {
    visualization: render.visualization,
    title: null,
    accumulate: false,
    isQuerySorted: false,
    kind: 'default',
    annotation: '',
    by: null
  };
  for (const [name, value] of Object.entries(render.properties)) {
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(',') : value;
    result[key === 'isquerysorted' ? 'isQuerySorted' : key] =
      key === 'accumulate' ? text.toLowerCase() === 'true' : text;
  }
  return result;
}

/** Log Analytics' query and metadata endpoints. */
export class LogAnalytics {
  constructor(private readonly _context: ILogAnalyticsContext) {}

  /** Answers a Log Analytics request, or null when the path is not one. */
  async handle(request: IRequest): Promise<IResponse | null> {
    const parts = segments(request.url);
    const isQuery = matches(parts, 'v1/workspaces/*/query');
    const isMetadata = matches(parts, 'v1/workspaces/*/metadata');
    if (!isQuery && !isMetadata) {
      return null;
    }
    if (!['GET', 'POST'].includes(request.method)) {
      return oneApiError(405, {
        code: 'MethodNotAllowed',
        message: `The method ${request.method} is not allowed.`
      });
    }
    const token = authorize(this._context.identity, request, 'loganalytics');
    if (isResponse(token)) {
      return token;
    }
    const workspace = this._context.workspace(parts[2]);
    if (!workspace) {
      return oneApiError(404, {
        code: 'WorkspaceNotFoundError',
        message: `The workspace could not be found`,
        innererror: {
          code: 'WorkspaceNotFoundError',
          message: `Workspace '${parts[2]}' was not found.`
        }
      });
    }
    const data = await this._context.data(workspace);
    return isQuery
      ? this._query(request, workspace, data)
      : this._metadata(workspace, data);
  }

  private async _query(
    request: IRequest,
    workspace: IFixtureWorkspace,
    data: WorkspaceData
  ): Promise<IResponse> {
    const body =
      request.method === 'GET'
        ? {
            query: request.url.searchParams.get('query'),
            timespan: request.url.searchParams.get('timespan') ?? undefined
          }
        : jsonBody(request);
    if (
      body === null ||
      typeof body !== 'object' ||
      typeof (body as { query?: unknown }).query !== 'string'
    ) {
      return oneApiError(400, {
        code: 'BadArgumentError',
        message: 'The request had some invalid properties',
        innererror: {
          code: 'QueryValidationError',
          message: "The 'query' property is required and must be a string."
        }
      });
    }
    const { query, timespan } = body as { query: string; timespan?: unknown };
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

    const prefer = preferences(request);
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
        return oneApiError(400, {
          code: 'BadArgumentError',
          message: 'The request had some invalid properties',
          innererror: {
            code: 'InvalidTimespanError',
            message: `Failed parsing the query timespan: ${error.message}`
          }
        });
      }
    }

    const started = Date.now();
    const compiler = await loadCompiler();
    const compiled = compiler.compile(query, data.schema, { now });
    if (compiled.sql === null) {
      return compileError(compiled.diagnostics);
    }
    const sql = window
      ? restrictToWindow(compiled.sql, data.tables, window)
      : compiled.sql;
    let result;
    try {
      result = await data.run(
        compiled,
        sql,
        this._context.maxRows,
        prefer.wait * 1000
      );
    } catch (error) {
      if (error instanceof QueryTimeoutError) {
        return oneApiError(504, {
          code: 'GatewayTimeout',
          message: `The query did not complete within the requested wait of ${prefer.wait} seconds.`
        });
      }
      return oneApiError(400, {
        code: 'BadArgumentError',
        message: 'The request had some invalid properties',
        innererror: {
          code: 'QueryExecutionError',
          message: error instanceof Error ? error.message : String(error)
        }
      });
    }
    const types = compiled.columns.map(c => c.type);
    const rows = result.rows.map(row =>
      row.map((cell, i) => wireValue(cell, types[i] ?? 'string'))
    );
    const answer: Record<string, unknown> = {
      tables: [
        {
          name: 'PrimaryResult',
          columns: compiled.columns.map(c => ({ name: c.name, type: c.type })),
          rows
        }
      ]
    };
    if (prefer.statistics) {
      answer.statistics = {
        query: {
          executionTime: (Date.now() - started) / 1000,
          datasetStatistics: [{ tableRowCount: rows.length }]
        }
      };
    }
    if (prefer.render && compiled.render) {
      answer.render = renderMetadata(compiled.render);
    }
    if (result.truncated) {
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
      prefer.statistics ? 'include-statistics=true' : '',
      prefer.render ? 'include-render=true' : ''
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
