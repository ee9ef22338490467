/**
 * Running a KQL query on the active workspace for a command: the result summarised as JSON, which
 * is what a command can hand back to its caller (another extension, a test, the kernel bridge).
 */
import type {
  JSONValue,
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';
import type {
  IColumnInfo,
  IQueryResult,
  ISentinelWorkspaces,
  ITimeWindow
} from '../tokens';

/** The arguments of the run-query command. */
export interface IRunQueryArgs {
  /** The KQL text. */
  query: string;
  /** Most rows to return in `rows`. */
  maxRows?: number;
  /** Start of the time window, ISO 8601 (with `end`). */
  start?: string;
  /** End of the time window, ISO 8601 (with `start`). */
  end?: string;
}

/** JSON schema of `IRunQueryArgs`, for the command's `describedBy`. */
export const runQueryArgsSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'The KQL query' },
    maxRows: {
      type: 'integer',
      minimum: 1,
      description: 'Most rows to return (the server caps it)'
    },
    start: {
      type: 'string',
      format: 'date-time',
      description: 'Start of the time window applied to every table'
    },
    end: {
      type: 'string',
      format: 'date-time',
      description: 'End of the time window (exclusive)'
    }
  },
  required: ['query']
};

/** Reads the command's arguments; throws a readable error for missing or malformed ones. */
export function runQueryArgs(args: ReadonlyPartialJSONObject): IRunQueryArgs {
  const { query, maxRows, start, end } = args;
  if (typeof query !== 'string' || !query.trim()) {
    throw new TypeError('A KQL query is required');
  }
  if (
    maxRows !== undefined &&
    (typeof maxRows !== 'number' || !Number.isInteger(maxRows) || maxRows < 1)
  ) {
    throw new TypeError('maxRows must be a positive integer');
  }
  if ((start === undefined) !== (end === undefined)) {
    throw new TypeError('A time window needs both start and end');
  }
  if (
    (start !== undefined && typeof start !== 'string') ||
    (end !== undefined && typeof end !== 'string')
  ) {
    throw new TypeError('start and end must be ISO 8601 times');
  }
  return { query, maxRows, start, end };
}

function timeWindow(args: IRunQueryArgs): ITimeWindow | undefined {
  if (args.start === undefined || args.end === undefined) {
    return undefined;
  }
  const window = { start: new Date(args.start), end: new Date(args.end) };
  if (isNaN(window.start.getTime()) || isNaN(window.end.getTime())) {
    throw new TypeError('start and end must be ISO 8601 times');
  }
  return window;
}

/** One Arrow value as JSON: exact integers stay numbers, larger ones become text. */
function jsonValue(value: unknown, type: IColumnInfo['type']): JSONValue {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  }
  if (
    type === 'datetime' &&
    (typeof value === 'number' || value instanceof Date)
  ) {
    return new Date(value).toISOString();
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    // JSON has no NaN or infinities; Kusto prints them as text too.
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'object' && 'toJSON' in value) {
    return jsonValue((value as { toJSON(): unknown }).toJSON(), 'dynamic');
  }
  if (Array.isArray(value)) {
    return value.map(item => jsonValue(item, 'dynamic'));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // Arrow hands out some values (intervals, fixed-size lists) as typed arrays.
    return Array.from(value as unknown as ArrayLike<number | bigint>, item =>
      jsonValue(item, 'dynamic')
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, jsonValue(v, 'dynamic')])
    );
  }
  return String(value);
}

/** The result's rows as arrays of JSON values, in column order. */
export function rowsAsJSON(result: IQueryResult, limit: number): JSONValue[][] {
  const columns = result.columns.map((column, i) => ({
    type: column.type,
    vector: result.table.getChildAt(i)
  }));
  const rows: JSONValue[][] = [];
  for (let row = 0; row < Math.min(limit, result.table.numRows); row++) {
    rows.push(columns.map(c => jsonValue(c.vector?.get(row), c.type)));
  }
  return rows;
}

/** Runs a query on the active workspace and summarises the result as JSON. */
export async function runOnActiveWorkspace(
  model: ISentinelWorkspaces,
  args: IRunQueryArgs
): Promise<ReadonlyJSONObject> {
  const workspace = model.active;
  const backend = workspace ? model.backendOf(workspace) : undefined;
  if (!workspace || !backend) {
    throw new Error('No workspace is active');
  }
  const result = await backend.query(workspace.id, args.query, {
    maxRows: args.maxRows,
    timespan: timeWindow(args)
  });
  return {
    workspace: workspace.id,
    queryId: result.queryId,
    columns: result.columns.map(c => ({ name: c.name, type: c.type })),
    rows: rowsAsJSON(result, args.maxRows ?? result.rowCount),
    rowCount: result.rowCount,
    truncated: result.truncated,
    elapsedMs: result.elapsedMs,
    render: result.render
      ? {
          visualization: result.render.visualization,
          properties: result.render.properties
        }
      : null
  };
}
