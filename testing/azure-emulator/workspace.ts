/**
 * The data behind one emulated Log Analytics workspace: the local workspace folder attached to its
 * own in-memory DuckDB catalog (as `bin/kql run` does), plus, for a Sentinel workspace, the
 * `HuntingBookmark` audit table that bookmark writes append to. Every workspace is a catalog of one
 * DuckDB instance, so a query over several workspaces (the API's `workspaces`) reads views that
 * union their tables.
 */
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBValue
} from '@duckdb/node-api';

import huntingBookmark from '../../jupyterlab_sentinel/hunting_bookmark.json';
import {
  compilerSchema,
  type ICompileResult,
  type ICompilerSchema
} from '../../src/kql';
import {
  attachWorkspace,
  bindExternalData,
  bindGeoIp
} from '../../src/kql/node/duckdb';
import { duckdb } from '../../src/kql/sql/dialects/duckdb';
import { scalarType } from '../../src/kql/types';
import type { IColumnInfo, ITableInfo, KqlTypeName } from '../../src/tokens';
import { workspaceRelation } from '../../src/kql/frontend/workspaces';
import {
  unionCompilerSchema,
  unionTables,
  WORKSPACE_COLUMN
} from '../../src/workspaces/union';
import type { Cell } from '../../src/kql/node/duckdb';

/**
 * `HuntingBookmark`'s columns: the table's own, defined once for this emulator and the Jupyter
 * server's bookmark log (`jupyterlab_sentinel/hunting_bookmark.json`), then the columns every
 * Azure table has for its resource.
 */
export const HUNTING_BOOKMARK_COLUMNS: IColumnInfo[] = [
  ...huntingBookmark.columns.map(kqlColumn),
  { name: '_ResourceId', type: 'string' },
  { name: '_SubscriptionId', type: 'string' }
];

/** A column of the shared definition, its type checked to be a KQL type. */
function kqlColumn(column: { name: string; type: string }): IColumnInfo {
  const type = scalarType(column.type);
  if (type === 'unknown') {
    throw new Error(`${column.name} has no KQL type: ${column.type}`);
  }
  return { name: column.name, type };
}

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

/** A connection whose unqualified names resolve in a new in-memory catalog of the instance. */
async function catalogConnection(
  instance: DuckDBInstance,
  catalog: string
): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run(`ATTACH ':memory:' AS ${quote(catalog)}`);
  await connection.run(`USE ${quote(catalog)}`);
  return connection;
}

/** A local workspace folder opened for one emulated workspace, or a union of such workspaces. */
export class WorkspaceData {
  private constructor(
    readonly folder: string,
    readonly tables: ITableInfo[],
    /** The DuckDB catalog that holds the workspace's tables. */
    readonly catalog: string,
    private readonly _connection: DuckDBConnection,
    schema?: ICompilerSchema
  ) {
    this.schema = schema ?? compilerSchema(tables);
  }

  /** Creates the DuckDB instance the workspaces of one emulator share. */
  static instance(): Promise<DuckDBInstance> {
    return DuckDBInstance.create(':memory:');
  }

  /**
   * Opens the folder as the catalog `catalog` of the instance; a Sentinel workspace gets an empty
   * `HuntingBookmark` unless the folder has one.
   */
  static async open(
    instance: DuckDBInstance,
    catalog: string,
    folder: string,
    sentinel: boolean
  ): Promise<WorkspaceData> {
    const connection = await catalogConnection(instance, catalog);
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
    return new WorkspaceData(folder, tables, catalog, connection);
  }

  /**
   * Several workspaces as one, as the query API's `workspaces` makes them: each table is the
   * union of that table in every workspace that has it (columns matched by name), `TenantId`
   * holding each row's workspace id as the service fills it; `workspace("name").Table` reads one
   * workspace (by its name, id or resource id), as the compiler names it (`workspaceRelation`).
   */
  static async union(
    instance: DuckDBInstance,
    catalog: string,
    parts: { data: WorkspaceData; id: string; names: string[] }[]
  ): Promise<WorkspaceData> {
    const connection = await catalogConnection(instance, catalog);
    const members = new Map<string, string[]>();
    for (const { data, id } of parts) {
      for (const table of data.tables) {
        const view = quote(workspaceRelation(id, table.name));
        await connection.run(
          `CREATE VIEW ${view} AS SELECT ${duckdb.string(id)} AS ${quote(WORKSPACE_COLUMN)}, COLUMNS(c -> c <> ${duckdb.string(WORKSPACE_COLUMN)}) FROM ${quote(data.catalog)}.main.${quote(table.name)}`
        );
        members.set(table.name, [...(members.get(table.name) ?? []), view]);
      }
    }
    for (const [name, views] of members) {
      const selects = views.map(view => `SELECT * FROM ${view}`);
      await connection.run(
        `CREATE VIEW ${quote(name)} AS ${selects.join(' UNION ALL BY NAME ')}`
      );
    }
    const schemas = parts.map(({ data, id, names }) => ({
      id,
      name: names[0] ?? id,
      aliases: names.slice(1),
      tables: data.tables
    }));
    return new WorkspaceData(
      parts[0].data.folder,
      unionTables(schemas),
      catalog,
      connection,
      unionCompilerSchema(schemas)
    );
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

  /** Closes the workspace's connection (the emulator closes the instance). */
  close(): void {
    this._connection.closeSync();
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
