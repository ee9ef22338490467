import { UUID } from '@lumino/coreutils';
import {
  compilerSchema,
  type ICompileOptions,
  type ICompileResult,
  type ICompilerSchema,
  type IDiscovery,
  loadCompiler,
  type SqlDialectName
} from '../../kql/index';
import {
  batchDiagnostics,
  compileStatements,
  type IStatementResult
} from '../../kql/batch';
import { scalarType } from '../../kql/types';
import { serviceRender } from '../../results/chart';
import type {
  IBookmark,
  IBookmarkFields,
  IColumnInfo,
  IExportOptions,
  IExportResult,
  IJobQuery,
  ILocalWorkspaceSetting,
  IQueryOptions,
  IQueryResult,
  ITableInfo,
  ITimeWindow,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema,
  KqlTypeName,
  WorkspaceStatus
} from '../../tokens';
import { tablePath } from '../../tokens';
import { cancellable, QueryCancelledError, QueryCompileError } from '../errors';
import { decodeRows, SentinelServer } from '../../server';
import { measureSince } from '../../timing';
import { BLOCK_ROWS, keepFirstPage } from '../../results/server';
import { unionCompilerSchema, unionTables } from '../../workspaces/union';
import { LocalQueries } from './server';

/** A workspace as the server lists it. */
interface IServerWorkspace {
  id: string;
  name: string;
  kind: string;
  path?: string;
  demo?: boolean;
  /** `spark` for a Spark workspace (`jupyterlab_sentinel/spark.py`); DuckDB's otherwise. */
  engine?: SqlDialectName;
  status: WorkspaceStatus;
  message?: string;
}

/** A table as the server's schema endpoint lists it. */
interface IServerTable {
  name: string;
  category?: string;
  timespanColumn?: string | null;
  rowCount?: number | null;
  columns: IColumnInfo[];
}

function kqlType(type: string): KqlTypeName {
  // A type the server should never send is shown as dynamic rather than dropped.
  const kql = scalarType(type);
  return kql === 'unknown' ? 'dynamic' : kql;
}

/** A workspace schema with the compiler's view of it, built once per schema read. */
interface ISchemaEntry {
  tables: ITableInfo[];
  compiler: ICompilerSchema;
}

/** Pauses before asking the server again to cancel a query it has not registered yet. */
const CANCEL_RETRY_MS = [100, 250, 500, 1000, 2000];

/** True when compilation failed on a name, which a schema read since may now have. */
function failedOnNames(compiled: ICompileResult): boolean {
  return (
    compiled.sql === null &&
    compiled.diagnostics.some(
      d => d.severity === 'error' && d.stage === 'semantic'
    )
  );
}

/**
 * The SQL a Spark workspace runs: the prelude functions the query calls, then the query. The
 * session's settings are the server's to apply (`spark-session.json`); DuckDB's SQL goes as it is.
 * The Spark dialect's module is the compiler's, loaded with it by then.
 */
async function withPrelude(
  engine: SqlDialectName,
  sql: string
): Promise<string> {
  if (engine !== 'spark') {
    return sql;
  }
  const { functionsCalledBy } = await import('../../kql/sql/dialects/spark');
  return [...functionsCalledBy(sql), sql].join(';\n');
}

function throwIfAborted(
  signal: AbortSignal | undefined,
  queryId: string
): void {
  if (signal?.aborted) {
    throw new QueryCancelledError(queryId);
  }
}

/** Compiles each tabular statement of a query (`compileStatements`). */
export type StatementCompiler = (
  query: string,
  schema: ICompilerSchema,
  options: ICompileOptions,
  discover: (discovery: IDiscovery) => Promise<string[][]>
) => Promise<IStatementResult[]>;

/** Compilation on the page, where the compiler (and Kusto.Language) loads on the first query. */
const compileOnPage: StatementCompiler = async (
  query,
  schema,
  options,
  discover
) => compileStatements(await loadCompiler(), query, schema, options, discover);

/**
 * Local workspaces: folders of Parquet, CSV and JSON-lines files queried by DuckDB inside the
 * Jupyter server. The demo workspace is always among them.
 */
export class LocalBackend implements IWorkspaceBackend {
  readonly id = 'local';

  /**
   * `compile` compiles the queries the backend runs (the KQL language service's worker); by
   * default the compiler loads on the page.
   */
  constructor(
    readonly label: string,
    private readonly _server: SentinelServer = new SentinelServer(),
    compile: StatementCompiler = compileOnPage
  ) {
    this._queries = new LocalQueries(_server);
    this._compileStatements = compile;
  }

  async listWorkspaces(): Promise<IWorkspaceInfo[]> {
    const body = await this._server.json<{ workspaces: IServerWorkspace[] }>([
      'workspaces'
    ]);
    return body.workspaces.map(ws => this._workspace(ws));
  }

  /** Tells the server which folders the user configured as local workspaces. */
  async configure(
    folders: ILocalWorkspaceSetting[]
  ): Promise<IWorkspaceInfo[]> {
    const body = await this._server.json<{ workspaces: IServerWorkspace[] }>(
      ['workspaces'],
      { method: 'PUT', body: JSON.stringify({ workspaces: folders }) }
    );
    return body.workspaces.map(ws => this._workspace(ws));
  }

  async getSchema(workspaceId: string): Promise<IWorkspaceSchema> {
    const body = await this._server.json<{ tables: IServerTable[] }>([
      'workspaces',
      workspaceId,
      'schema'
    ]);
    const tables: ITableInfo[] = body.tables.map(table => ({
      name: table.name,
      category: table.category ?? 'Custom',
      timespanColumn: table.timespanColumn ?? null,
      rowCount: table.rowCount ?? null,
      columns: table.columns.map(c => ({ name: c.name, type: kqlType(c.type) }))
    }));
    // Kusto's symbol tables are cached per compiler schema object: build it once per schema read.
    this._schemas.set(workspaceId, {
      tables,
      compiler: compilerSchema(tables)
    });
    return { workspace: workspaceId, tables };
  }

  /**
   * Compiles the KQL in the browser against the workspace schema (the one last read by
   * `getSchema`, read now if there is none) and runs the SQL in the Jupyter server. When the
   * query names something the cached schema lacks, the schema is read again once, since new table
   * files appear without notice.
   */
  async query(
    workspaceId: string,
    query: string,
    options: IQueryOptions = {}
  ): Promise<IQueryResult> {
    const { signal } = options;
    const queryId = UUID.uuid4();
    const now = options.now ?? new Date();
    const others = options.workspaces ?? [];
    const { compiled, sql } = await this._compile(
      workspaceId,
      others,
      query,
      now,
      options.timespan,
      signal,
      queryId
    );

    const response = await this._cancellable(
      this._queries.query(workspaceId, {
        sql,
        queryId,
        maxRows: options.maxRows,
        timeoutSeconds: options.timeoutSeconds,
        externalData: compiled.externalData,
        geoIp: compiled.geoIp,
        workspaces: others
      }),
      queryId,
      signal
    );
    const { table, rowCount } = await decodeRows(response);
    return {
      queryId,
      query,
      columns: compiled.columns,
      table,
      rowCount,
      truncated: response.truncated,
      elapsedMs: response.elapsedMs,
      render: compiled.render && serviceRender(compiled.render),
      timespan: options.timespan ?? null,
      now,
      diagnostics: compiled.diagnostics
    };
  }

  /**
   * Compiles the KQL as `query()` does and has the server write the full result as Parquet at
   * `path` (relative to the Jupyter root).
   */
  async export(
    workspaceId: string,
    query: string,
    path: string,
    options: IExportOptions = {}
  ): Promise<IExportResult> {
    const { signal } = options;
    const queryId = UUID.uuid4();
    const others = options.workspaces ?? [];
    const compileStarted = performance.now();
    const { compiled, sql, statements } = await this._compile(
      workspaceId,
      others,
      query,
      options.now ?? new Date(),
      options.timespan,
      signal,
      queryId
    );
    measureSince('sentinel-compile', compileStarted);
    if (statements.length > 1) {
      if (others.length) {
        throw new Error(
          'A query of several tabular statements runs on one workspace at a time: choose one workspace, or write one statement per cell.'
        );
      }
      return this._exportBatch(workspaceId, query, path, statements, {
        ...options,
        queryId
      });
    }
    const queryStarted = performance.now();
    const response = await this._cancellable(
      this._queries.exportResult(workspaceId, {
        sql,
        path,
        queryId,
        timeoutSeconds: options.timeoutSeconds,
        externalData: compiled.externalData,
        geoIp: compiled.geoIp,
        workspaces: others,
        firstPageRows: BLOCK_ROWS
      }),
      queryId,
      signal
    );
    if (response.firstPage) {
      keepFirstPage(response.path, response.firstPage);
    }
    measureSince('sentinel-query', queryStarted, {
      serverMs: response.elapsedMs,
      rows: response.rowCount
    });
    return {
      queryId,
      path: response.path,
      rowCount: response.rowCount,
      // The compiler's column names and types are the KQL ones; the file holds the same columns.
      columns: compiled.columns,
      elapsedMs: response.elapsedMs,
      diagnostics: compiled.diagnostics,
      render: compiled.render && serviceRender(compiled.render),
      sql,
      ...(response.truncated ? { partial: true } : {}),
      ...(response.firstPage?.textLengths
        ? { textLengths: response.firstPage.textLengths }
        : {}),
      rerun: await this._rerun(workspaceId, statements, others)
    };
  }

  /**
   * Writes each table of a batch (`A; B`) as Parquet in one request: table `i` at
   * `tablePath(path, i)`, the first described by the result and all in its `tables`.
   */
  private async _exportBatch(
    workspaceId: string,
    query: string,
    path: string,
    statements: IStatementResult[],
    options: IExportOptions & { queryId: string }
  ): Promise<IExportResult> {
    const { queryId, signal } = options;
    const engine = this._engineOf(workspaceId, []);
    const sqls = await Promise.all(
      statements.map(s => withPrelude(engine, s.sql!))
    );
    const response = await this._cancellable(
      this._queries.exportBatch(workspaceId, {
        statements: statements.map((s, i) => ({
          sql: sqls[i],
          path: tablePath(path, i),
          externalData: s.externalData,
          geoIp: s.geoIp
        })),
        queryId,
        timeoutSeconds: options.timeoutSeconds
      }),
      queryId,
      signal
    );
    // One `render` for a batch, as Log Analytics answers it: the last statement's, where
    // `render` belongs (it ends a query); a `render` inside an earlier statement draws nothing.
    const last = statements.length - 1;
    const tables = response.tables.map((written, i) => ({
      name: statements[i].name,
      path: written.path,
      rowCount: written.rowCount,
      columns: statements[i].columns,
      sql: sqls[i],
      render:
        i === last && statements[i].render
          ? serviceRender(statements[i].render)
          : null
    }));
    const [first] = tables;
    return {
      queryId,
      path: first.path,
      rowCount: first.rowCount,
      columns: first.columns,
      elapsedMs: response.tables.reduce((sum, t) => sum + t.elapsedMs, 0),
      diagnostics: batchDiagnostics(statements),
      render: first.render,
      sql: first.sql,
      tables,
      ...(response.tables.some(t => t.truncated) ? { partial: true } : {}),
      rerun: await this._rerun(workspaceId, statements, [])
    };
  }

  /** The SQL a notebook job runs again, per statement, with what the server provides to it. */
  private async _rerun(
    workspaceId: string,
    statements: IStatementResult[],
    others: string[]
  ): Promise<IJobQuery> {
    const engine = this._engineOf(workspaceId, others);
    return {
      backend: this.id,
      workspace: workspaceId,
      engine,
      statements: await Promise.all(
        statements.map(async s => ({
          sql: await withPrelude(engine, s.sql!),
          ...(s.externalData?.length ? { externalData: s.externalData } : {}),
          ...(s.geoIp ? { geoIp: true } : {})
        }))
      ),
      ...(others.length ? { workspaces: others } : {})
    };
  }

  async listBookmarks(workspaceId: string): Promise<IBookmark[]> {
    const body = await this._server.json<{ bookmarks: IBookmark[] }>([
      'workspaces',
      workspaceId,
      'bookmarks'
    ]);
    return body.bookmarks;
  }

  createBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    return this._server.json<IBookmark>(
      ['workspaces', workspaceId, 'bookmarks'],
      {
        method: 'POST',
        body: JSON.stringify({ ...fields, id })
      }
    );
  }

  updateBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    return this._server.json<IBookmark>(
      ['workspaces', workspaceId, 'bookmarks', id],
      { method: 'PUT', body: JSON.stringify(fields) }
    );
  }

  async deleteBookmark(workspaceId: string, id: string): Promise<void> {
    await this._server.fetch(['workspaces', workspaceId, 'bookmarks', id], {
      method: 'DELETE'
    });
  }

  /**
   * Compiles KQL against the workspace schema (the one last read by `getSchema`, read now if there
   * is none) into the SQL to run, restricted to the time window when one is given. When the query
   * names something the cached schema lacks, the schema is read again once, since new table files
   * appear without notice. With `others`, a cross-workspace query: against the union of their
   * schemas (`workspaces/union.ts`).
   */
  private async _compile(
    workspaceId: string,
    others: string[],
    query: string,
    now: Date,
    timespan: ITimeWindow | undefined,
    signal: AbortSignal | undefined,
    queryId: string
  ): Promise<{
    compiled: ICompileResult;
    sql: string;
    statements: IStatementResult[];
  }> {
    throwIfAborted(signal, queryId);
    const dialect = this._engineOf(workspaceId, others);
    const cached = [workspaceId, ...others].every(id => this._schemas.has(id));
    let schema = await this._schemaOf(workspaceId, others, false);
    // `evaluate bag_unpack`/`pivot` have columns that depend on the data: as Kusto does, their
    // discovery query runs first (in the same time window), then the query compiles with them.
    const options = { now, timeWindow: timespan, dialect };
    // A batch (`A; B`) is one compilation per tabular statement, one result table each.
    const compile = (entry: ISchemaEntry) =>
      this._compileStatements(query, entry.compiler, options, discovery =>
        this._discover(workspaceId, others, discovery, signal, queryId)
      );
    let statements = await compile(schema);
    if (cached && statements.some(failedOnNames)) {
      schema = await this._schemaOf(workspaceId, others, true);
      statements = await compile(schema);
    }
    if (statements.some(s => s.sql === null)) {
      throw new QueryCompileError(batchDiagnostics(statements));
    }
    throwIfAborted(signal, queryId);
    // One table is answered by `query()`: the first, Kusto's primary result.
    const [compiled] = statements;
    return {
      compiled,
      sql: await withPrelude(dialect, compiled.sql!),
      statements
    };
  }

  /** Runs a discovery query on the server; its rows as text. */
  private async _discover(
    workspaceId: string,
    others: string[],
    discovery: IDiscovery,
    signal: AbortSignal | undefined,
    queryId: string
  ): Promise<string[][]> {
    throwIfAborted(signal, queryId);
    const response = await this._cancellable(
      this._queries.query(workspaceId, {
        sql: await withPrelude(
          this._engineOf(workspaceId, others),
          discovery.sql
        ),
        queryId,
        externalData: discovery.externalData,
        geoIp: discovery.geoIp,
        workspaces: others
      }),
      queryId,
      signal
    );
    const { table } = await decodeRows(response);
    return table
      .toArray()
      .map((row: Record<string, unknown>) =>
        table.schema.fields.map(f => String(row[f.name]))
      );
  }

  private async _readSchema(workspaceId: string): Promise<ISchemaEntry> {
    await this.getSchema(workspaceId);
    return this._schemas.get(workspaceId)!;
  }

  /**
   * The schema a query on the workspace and `others` compiles against: the workspace's own, or
   * the union of theirs (built once per set of schema reads). `fresh` reads every schema again.
   */
  private async _schemaOf(
    workspaceId: string,
    others: string[],
    fresh: boolean
  ): Promise<ISchemaEntry> {
    const read = async (id: string) =>
      (!fresh && this._schemas.get(id)) || (await this._readSchema(id));
    if (!others.length) {
      return read(workspaceId);
    }
    const ids = [workspaceId, ...others];
    const entries = await Promise.all(ids.map(read));
    const key = ids.join('\n');
    const known = this._unions.get(key);
    if (known && known.members.every((entry, i) => entry === entries[i])) {
      return known.entry;
    }
    const members = ids.map((id, i) => ({
      id,
      name: this._names.get(id) ?? id,
      tables: entries[i].tables
    }));
    const entry = {
      tables: unionTables(members),
      compiler: unionCompilerSchema(members)
    };
    this._unions.set(key, { members: entries, entry });
    return entry;
  }

  /**
   * Settles with the running request, or with `QueryCancelledError` as soon as the signal aborts,
   * and then interrupts the query in the server. The request itself is left to finish: the server
   * answers it once the query is interrupted.
   */
  private _cancellable<T>(
    running: Promise<T>,
    queryId: string,
    signal: AbortSignal | undefined
  ): Promise<T> {
    return cancellable(
      running,
      queryId,
      signal,
      settled => void this._cancelOnServer(queryId, settled)
    );
  }

  private async _cancelOnServer(
    queryId: string,
    answered: () => boolean
  ): Promise<void> {
    for (const pause of [0, ...CANCEL_RETRY_MS]) {
      if (pause) {
        await new Promise(resolve => setTimeout(resolve, pause));
      }
      if (answered()) {
        return;
      }
      try {
        if (await this._queries.cancelQuery(queryId)) {
          return;
        }
      } catch {
        return;
      }
    }
  }

  /**
   * The engine a query on the workspace (and `others`) runs on, which its SQL is compiled for. A
   * query runs on one engine: Spark and DuckDB workspaces are not queried together.
   */
  private _engineOf(workspaceId: string, others: string[]): SqlDialectName {
    const engine = this._engines.get(workspaceId) ?? 'duckdb';
    const mixed = others.find(
      id => (this._engines.get(id) ?? 'duckdb') !== engine
    );
    if (mixed !== undefined) {
      throw new Error(
        `${this._names.get(workspaceId) ?? workspaceId} runs on ${engine} and ${this._names.get(mixed) ?? mixed} on ${this._engines.get(mixed) ?? 'duckdb'}: a cross-workspace query runs on one engine.`
      );
    }
    return engine;
  }

  private _workspace(ws: IServerWorkspace): IWorkspaceInfo {
    this._names.set(ws.id, ws.name);
    this._engines.set(ws.id, ws.engine ?? 'duckdb');
    return {
      engine: ws.engine ?? 'duckdb',
      id: ws.id,
      name: ws.name,
      backend: this.id,
      status: ws.status,
      message: ws.message,
      path: ws.path,
      demo: ws.demo
    };
  }

  private readonly _queries: LocalQueries;
  private readonly _compileStatements: StatementCompiler;
  private readonly _schemas = new Map<string, ISchemaEntry>();
  private readonly _names = new Map<string, string>();
  private readonly _engines = new Map<string, SqlDialectName>();
  private readonly _unions = new Map<
    string,
    { members: ISchemaEntry[]; entry: ISchemaEntry }
  >();
}
