/**
 * The data behind one emulated Log Analytics workspace: the local workspace folder attached to its
 * own in-memory DuckDB (as `bin/kql run` does), plus, for a Sentinel workspace, the `HuntingBookmark`
 * audit table that bookmark writes append to.
 */
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue
} from '@duckdb/node-api';

import {
  compilerSchema,
  type ICompileResult,
  type ICompilerSchema
} from '../../kql';
import {
  attachWorkspace,
  bindExternalData,
  bindGeoIp
} from '../../kql/node/duckdb';
import { duckdb } from '../../kql/sql/dialect';
import type { IColumnInfo, ITableInfo, KqlTypeName } from '../../tokens';
import type { Cell } from '../../kql/node/duckdb';

/** `HuntingBookmark`'s columns, as the Log Analytics table reference lists them. */
export const HUNTING_BOOKMARK_COLUMNS: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'TenantId', type: 'string' },
  { name: 'BookmarkId', type: 'string' },
  { name: 'BookmarkName', type: 'string' },
  { name: 'BookmarkType', type: 'string' },
  { name: 'CreatedBy', type: 'string' },
  { name: 'CreatedTime', type: 'datetime' },
  { name: 'UpdatedBy', type: 'string' },
  { name: 'LastUpdatedTime', type: 'datetime' },
  { name: 'EventTime', type: 'datetime' },
  { name: 'Notes', type: 'string' },
  { name: 'Tags', type: 'string' },
  { name: 'QueryText', type: 'string' },
  { name: 'QueryResultRow', type: 'string' },
  { name: 'QueryStartTime', type: 'datetime' },
  { name: 'QueryEndTime', type: 'datetime' },
  { name: 'Entities', type: 'string' },
  { name: 'SoftDeleted', type: 'bool' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: '_SubscriptionId', type: 'string' }
];

/** One `HuntingBookmark` row: column name → value (ISO text for datetimes). */
export type HuntingBookmarkRow = Record<string, string | boolean | null>;

/** Rows a query read, before wire encoding. */
export interface IRows {
  rows: Cell[][];
  /** True when the query had more rows than the limit. */
  truncated: boolean;
}

/** Thrown when a query ran past its time limit. */
export class QueryTimeoutError extends Error {}

function quote(name: string): string {
  return duckdb.identifier(name);
}

/** A DuckDB timestamp literal's text for an ISO instant, or null. */
function timestampText(iso: string | null): string | null {
  if (iso === null) {
    return null;
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? null
    : date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A local workspace folder opened for one emulated workspace. */
export class WorkspaceData {
  private constructor(
    readonly folder: string,
    readonly tables: ITableInfo[],
    private readonly _instance: DuckDBInstance,
    private readonly _connection: DuckDBConnection
  ) {
    this.schema = compilerSchema(tables);
  }

  /** Opens the folder; a Sentinel workspace gets an empty `HuntingBookmark` unless the folder has one. */
  static async open(folder: string, sentinel: boolean): Promise<WorkspaceData> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const attached = await attachWorkspace(connection, folder);
    if (sentinel && !attached.some(t => t.name === 'HuntingBookmark')) {
      const columns = HUNTING_BOOKMARK_COLUMNS.map(
        c => `${quote(c.name)} ${duckdb.type(c.type)}`
      );
      await connection.run(
        `CREATE TABLE "HuntingBookmark" (${columns.join(', ')})`
      );
      attached.push({
        name: 'HuntingBookmark',
        columns: HUNTING_BOOKMARK_COLUMNS
      });
    }
    const tables: ITableInfo[] = attached.map(t => ({
      name: t.name,
      category: t.name === 'HuntingBookmark' ? 'Security' : 'Custom',
      // As the Jupyter server's lake does: a table's time column is TimeGenerated when it has one.
      timespanColumn: t.columns.some(c => c.name === 'TimeGenerated')
        ? 'TimeGenerated'
        : null,
      rowCount: null,
      columns: t.columns
    }));
    return new WorkspaceData(folder, tables, instance, connection);
  }

  /** The compiler's view of the tables, built once (Kusto caches symbols per schema object). */
  readonly schema: ICompilerSchema;

  /** Appends an audit row to `HuntingBookmark`. */
  appendBookmarkRow(row: HuntingBookmarkRow): Promise<void> {
    return this._serial(async () => {
      const values: DuckDBValue[] = [];
      const expressions = HUNTING_BOOKMARK_COLUMNS.map(c => {
        const value = row[c.name] ?? null;
        values.push(
          c.type === 'datetime' ? timestampText(value as string | null) : value
        );
        const parameter = `$${values.length}`;
        return c.type === 'datetime'
          ? `CAST(${parameter} AS TIMESTAMP)`
          : `CAST(${parameter} AS ${duckdb.type(c.type)})`;
      });
      await this._connection.run(
        `INSERT INTO "HuntingBookmark" VALUES (${expressions.join(', ')})`,
        values
      );
    });
  }

  /**
   * Runs compiled SQL (one query at a time per workspace, so the relations `externaldata` binds
   * are the query's own) and reads at most `maxRows` rows, interrupting DuckDB after `timeoutMs`.
   */
  run(
    compiled: ICompileResult,
    sql: string,
    maxRows: number,
    timeoutMs: number
  ): Promise<IRows> {
    return this._serial(async () => {
      await bindExternalData(
        this._connection,
        compiled.externalData ?? [],
        { empty: false, workspace: this.folder },
        (t: KqlTypeName) => duckdb.type(t)
      );
      if (compiled.geoIp) {
        await bindGeoIp(this._connection, this.folder, false);
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        this._connection.interrupt();
      }, timeoutMs);
      try {
        const reader = await this._connection.runAndReadUntil(sql, maxRows + 1);
        const rows = reader.getRowsJson() as Cell[][];
        return {
          rows: rows.slice(0, maxRows),
          truncated: rows.length > maxRows
        };
      } catch (error) {
        if (timedOut) {
          throw new QueryTimeoutError(
            `the query ran longer than ${timeoutMs / 1000} s`
          );
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** Closes DuckDB. */
  close(): void {
    this._connection.closeSync();
    this._instance.closeSync();
  }

  /** Runs one task after the ones before it, on the workspace's single connection. */
  private _serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this._queue.then(task);
    this._queue = result.then(
      () => undefined,
      () => undefined
    );
    return result;
  }

  private _queue: Promise<void> = Promise.resolve();
}
