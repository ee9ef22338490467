import type { INotebookModel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { Table } from 'apache-arrow';
import type {
  IColumnInfo,
  IExternalData,
  IKqlDiagnostic,
  IRenderSpec
} from './kql/index';

// The compiler owns the KQL types; the extension's services speak them too.
export type { IColumnInfo, KqlTypeName } from './kql/index';

/** A table of a workspace, shaped after the Log Analytics metadata API. */
export interface ITableInfo {
  /** Table name, e.g. `SigninLogs`. */
  name: string;
  /** Category the table is listed under, e.g. `Azure Active Directory`. */
  category: string;
  /** Column the query time range applies to, if any. */
  timespanColumn: string | null;
  /** Number of rows, when the backend knows it. */
  rowCount: number | null;
  /** Columns in table order. */
  columns: IColumnInfo[];
}

/** The tables of one workspace. */
export interface IWorkspaceSchema {
  /** Id of the workspace the schema belongs to. */
  workspace: string;
  /** Tables, in the order the backend lists them. */
  tables: ITableInfo[];
}

/** Whether a workspace can be queried now. */
export type WorkspaceStatus = 'ready' | 'generating' | 'missing';

/** A workspace as a backend lists it. */
export interface IWorkspaceInfo {
  /** Id, unique within its backend. */
  id: string;
  /** Display name. */
  name: string;
  /** Which backend serves the workspace. */
  backend: string;
  /** Availability of the workspace. */
  status: WorkspaceStatus;
  /** Why the workspace is not ready, when it is not. */
  message?: string;
  /** Folder of a local workspace. */
  path?: string;
  /** True for the bundled synthetic demo workspace. */
  demo?: boolean;
  /** The SQL engine a local workspace's queries run on: DuckDB in the server, or Spark. */
  engine?: 'duckdb' | 'spark';
  /** What the backend lists the workspace under, e.g. its Azure subscription. */
  group?: string;
  /** True when Microsoft Sentinel is enabled on the workspace (bookmarks can be saved). */
  sentinel?: boolean;
}

/** A local workspace folder configured by the user. */
export interface ILocalWorkspaceSetting {
  /** Display name. */
  name: string;
  /** Folder, relative to the Jupyter root or absolute. */
  path: string;
}

/** An entity a bookmark maps, as the SecurityInsights bookmark resource shapes it. */
export interface IEntityMapping {
  /** Entity type, e.g. `Account`, `Host`, `IP`. */
  entityType: string;
  /** Identifier/value pairs, e.g. `FullName` = `adele.vance@contoso.example`. */
  fieldMappings: { identifier: string; value: string }[];
}

/** The fields of a hunting bookmark the analyst writes. */
export interface IBookmarkFields {
  /** Display name. */
  displayName: string;
  /** Query text the evidence came from. */
  query?: string;
  /** The selected result rows, as JSON text. */
  queryResult?: string;
  /** Free-text notes. */
  notes?: string;
  /** Labels (tags). */
  labels: string[];
  /** Time of the original event, ISO 8601. */
  eventTime?: string;
  /** Start of the query's time window, ISO 8601. */
  queryStartTime?: string;
  /** End of the query's time window, ISO 8601. */
  queryEndTime?: string;
  /** Entities mapped from the result's columns. */
  entityMappings?: IEntityMapping[];
  /** MITRE ATT&CK tactics. */
  tactics?: string[];
  /** MITRE ATT&CK techniques. */
  techniques?: string[];
  /** The incident the bookmark is evidence for. */
  incidentInfo?: { incidentId: string; title?: string; severity?: string };
}

/** A Microsoft Sentinel incident a bookmark can be linked to. */
export interface IIncidentInfo {
  /** The incident's id (its resource name). */
  id: string;
  /** The number analysts know it by. */
  number?: number;
  /** Title. */
  title: string;
  /** Severity, e.g. `High`. */
  severity?: string;
  /** Status, e.g. `Active`. */
  status?: string;
}

/** A stored hunting bookmark. */
export interface IBookmark extends IBookmarkFields {
  /** Id (a UUID). */
  id: string;
  /** Creation time, ISO 8601. */
  created: string;
  /** Last update time, ISO 8601. */
  updated: string;
  /** Who created it. */
  createdBy?: { name: string };
}

/** A closed time window, like the `timespan` of a Log Analytics query. */
export interface ITimeWindow {
  /** First instant of the window (inclusive). */
  start: Date;
  /** End of the window (exclusive). */
  end: Date;
}

/** How to run one query. */
export interface IQueryOptions {
  /**
   * Restricts every table that has a time column (`ITableInfo.timespanColumn`, usually
   * `TimeGenerated`) to this window before the query reads it, as Log Analytics applies the
   * `timespan` of its query API: `SigninLogs | summarize count()` counts the window's sign-ins
   * only. Tables without a time column, `datatable` and `range` are not filtered. Without a
   * window the query sees all rows, and only its own `where` clauses restrict time.
   */
  timespan?: ITimeWindow;
  /** The instant `now()` and `ago()` refer to; the time of the call when not given. */
  now?: Date;
  /**
   * Most rows to return; the backend's default when not given, and never more than the backend's
   * own cap. A result cut by the limit has `truncated` set.
   */
  maxRows?: number;
  /** Time limit in seconds; the backend's default when not given, never more than its cap. */
  timeoutSeconds?: number;
  /**
   * Other workspaces of the same backend the query also runs on (ids, as `IWorkspaceInfo.id`):
   * a cross-workspace query, as Log Analytics runs one with the `workspaces` of its query API.
   * Each table is then the union of that table in every workspace, `TenantId` naming each row's
   * workspace, and `workspace("name").Table` reads one of them.
   */
  workspaces?: string[];
  /**
   * Cancels the query. Aborting rejects the pending `query()` at once with a
   * `QueryCancelledError` and stops the query where it runs (the local backend interrupts it in
   * the Jupyter server), so a cancelled query stops using the server's CPU.
   */
  signal?: AbortSignal;
}

/** The result of one query: the page of rows the backend returned, with its metadata. */
export interface IQueryResult {
  /** Id the backend ran the query under (the id the server can cancel it by). */
  queryId: string;
  /** The KQL text that ran. */
  query: string;
  /** Result columns with their KQL names and types, in result order (as the compiler computed them). */
  columns: IColumnInfo[];
  /**
   * The rows as an Apache Arrow table, columns in the order of `columns`. Each field's metadata
   * carries its `kql_type`. `long` columns hold `bigint`s, `datetime` columns milliseconds since
   * the epoch; use `table.get(i)` or `table.getChild(name)` rather than copying every row.
   */
  table: Table;
  /** Number of rows in `table`. */
  rowCount: number;
  /** True when the row limit cut the result: the query has more rows than `rowCount`. */
  truncated: boolean;
  /** Time the backend spent running the query, in milliseconds (compilation not included). */
  elapsedMs: number;
  /** Chart requested with `| render`, or null. */
  render: IRenderSpec | null;
  /** The time window applied to the tables, or null when none was. */
  timespan: ITimeWindow | null;
  /** The instant `now()` and `ago()` referred to. */
  now: Date;
  /** Warnings and suggestions the compiler found in a query that still ran. */
  diagnostics: IKqlDiagnostic[];
}

/** How to export one query's full result. */
export interface IExportOptions {
  /** The instant `now()` and `ago()` refer to; the time of the call when not given. */
  now?: Date;
  /** Restricts the tables to this window, as `IQueryOptions.timespan` does. */
  timespan?: ITimeWindow;
  /** Time limit in seconds; the backend's default when not given, never more than its cap. */
  timeoutSeconds?: number;
  /** Other workspaces the query also runs on, as `IQueryOptions.workspaces`. */
  workspaces?: string[];
  /** Cancels the export, as `IQueryOptions.signal` cancels a query. */
  signal?: AbortSignal;
}

/** A query's full result, written as a Parquet file for the kernel to read. */
export interface IExportResult {
  /** Id the backend ran the query under. */
  queryId: string;
  /** Path of the Parquet file, relative to the Jupyter root. */
  path: string;
  /** Number of rows written (the whole result: no row limit applies). */
  rowCount: number;
  /** Result columns with their KQL names and types. */
  columns: IColumnInfo[];
  /** Time the backend spent running the query and writing the file, in milliseconds. */
  elapsedMs: number;
  /** Warnings and suggestions the compiler found in a query that still ran. */
  diagnostics: IKqlDiagnostic[];
  /** Chart requested with `| render`, or null. */
  render: IRenderSpec | null;
  /** True when the workspace returned part of the result only (the file holds that part). */
  partial?: boolean;
  /** The workspace's message about a partial result. */
  partialMessage?: string;
  /**
   * The longest text of each column in a sample of the whole result (the grid sizes its columns
   * by them), when the backend measured it.
   */
  textLengths?: number[];
  /**
   * The SQL the query ran as, on a local workspace: on Spark, what the kernel runs again for a
   * Spark DataFrame of the whole result.
   */
  sql?: string;
  /**
   * Every result table of a batch (`T | count; T | take 5`: one per tabular statement, in the
   * order of the text, as Kusto returns them), the first being the one this result describes;
   * absent for a query of one statement. Table `i` is written at `tablePath(path, i)`.
   */
  tables?: IExportTable[];
  /**
   * What a scheduled notebook job needs to run the query again without a browser (see
   * `jupyterlab_sentinel/job.py`); absent when the backend cannot tell it.
   */
  rerun?: IJobQuery;
}

/**
 * A query as a notebook job runs it again: the SQL the compiler wrote for a local or Spark
 * workspace (no compiler runs in a job), or the KQL for Log Analytics.
 */
export interface IJobQuery {
  /** Id of the backend: `local` (DuckDB or Spark workspaces of the server) or `azure`. */
  backend: string;
  /** Id of the workspace within its backend. */
  workspace: string;
  /** The SQL dialect of `statements`. */
  engine?: 'duckdb' | 'spark';
  /** Per result table (one per tabular statement of a batch): its SQL and what it reads. */
  statements?: {
    sql: string;
    externalData?: IExternalData[];
    geoIp?: boolean;
  }[];
  /** The other workspaces of a cross-workspace query (Log Analytics: their GUIDs). */
  workspaces?: string[];
  /** Log Analytics: the query API's endpoint without `/v1`. */
  endpoint?: string;
  /** Log Analytics: the token scope of the query API (`<resource>/.default`). */
  scope?: string;
  /** Log Analytics: the workspace's GUID (`customerId`). */
  customerId?: string;
  /** Log Analytics: the KQL, with the kernel's values written in. */
  kql?: string;
}

/** One result table of a batch, written as its own Parquet file. */
export interface IExportTable {
  /** The table's name, as the Log Analytics query API names it: `PrimaryResult`, `Table_1`… */
  name: string;
  /** Path of the Parquet file, relative to the Jupyter root. */
  path: string;
  /** Number of rows written. */
  rowCount: number;
  /** The table's columns with their KQL names and types. */
  columns: IColumnInfo[];
  /** Chart requested with `| render` in the table's statement, or null. */
  render: IRenderSpec | null;
  /** The SQL of the table's statement, on a local workspace (see `IExportResult.sql`). */
  sql?: string;
}

/**
 * Where table `index` of a batch is written when the first is written at `path`:
 * `results/signins.parquet` → `results/signins_table_1.parquet`, `results/signins_table_2.parquet`…
 */
export function tablePath(path: string, index: number): string {
  return index === 0
    ? path
    : path.replace(/(\.parquet)?$/, `_table_${index}$1`);
}

/**
 * A source of workspaces: lists them, reads their schemas, runs queries and keeps bookmarks. The
 * local backend talks to this extension's Jupyter server; the Azure backend to ARM and Log Analytics. Nothing outside
 * `backends/` knows which implementation it holds.
 */
export interface IWorkspaceBackend {
  /** Stable id of the backend, e.g. `local`. */
  readonly id: string;
  /** Display name of the backend, e.g. `Local workspaces`. */
  readonly label: string;
  /** Lists the workspaces the backend can reach. */
  listWorkspaces(): Promise<IWorkspaceInfo[]>;
  /** Reads the tables and columns of a workspace. */
  getSchema(workspaceId: string): Promise<IWorkspaceSchema>;
  /** The workspace's bookmarks, newest first. */
  listBookmarks(workspaceId: string): Promise<IBookmark[]>;
  /**
   * Saves a new bookmark. `id` is chosen by the caller so that a retried save after a failure
   * returns the bookmark already saved instead of making a second one.
   */
  createBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark>;
  /**
   * The fields (`entities`, `tactics`, `techniques`) a saved bookmark will not carry because the
   * workspace's API has no property for them; absent or empty when every field is kept.
   */
  bookmarkFieldsLeftOut?(fields: IBookmarkFields): string[];
  /** The incidents a bookmark can be linked to, newest first; absent when there are none. */
  listIncidents?(workspaceId: string): Promise<IIncidentInfo[]>;
  /** Replaces the fields of a bookmark. */
  updateBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark>;
  /** Deletes a bookmark. */
  deleteBookmark(workspaceId: string, id: string): Promise<void>;
  /**
   * Runs a KQL query on a workspace and resolves with the page of rows the row limit allows.
   *
   * Rejects with a `QueryCompileError` carrying the diagnostics (line and column, and whether the
   * text is not KQL, names something the schema lacks, or uses KQL this backend cannot run) when
   * the query cannot run; nothing is sent to the workspace then. Rejects with a
   * `QueryCancelledError` when `options.signal` aborts, and with the backend's typed server error
   * (e.g. `SentinelServerError` with reason `timeout`) when the workspace refuses or fails it.
   */
  query(
    workspaceId: string,
    query: string,
    options?: IQueryOptions
  ): Promise<IQueryResult>;
  /**
   * Runs a KQL query on a workspace and writes its **full** result (no row limit) as Parquet at
   * `path`, relative to the Jupyter root, for the kernel to read as a DataFrame. The file appears
   * whole or not at all. Rejects like `query()`: `QueryCompileError` for KQL that cannot run (the
   * server is not called), `QueryCancelledError` when `options.signal` aborts, the backend's typed
   * server error otherwise.
   */
  export(
    workspaceId: string,
    query: string,
    path: string,
    options?: IExportOptions
  ): Promise<IExportResult>;
}

/** What the user can do about a backend's problem: a command, e.g. signing in. */
export interface IBackendAction {
  /** Button label, e.g. `Sign In`. */
  label: string;
  /** The command the button runs. */
  command: string;
}

/** Why a backend could not list its workspaces. */
export interface IBackendProblem {
  /** The backend's display name. */
  backend: string;
  /** The backend's id. */
  backendId: string;
  /** What went wrong. */
  message: string;
  /**
   * What resolves it, when the backend's error names an `action` (an `IBackendAction`): a state
   * to act on (not signed in) rather than a failure.
   */
  action?: IBackendAction;
}

/**
 * The workspaces of every registered backend and the active one. The sidebar, the status bar and
 * the KQL cells read and change the active workspace through this service.
 */
export interface ISentinelWorkspaces {
  /** Registers a backend; its workspaces are listed on the next refresh. */
  addBackend(backend: IWorkspaceBackend): void;
  /** Registered backends in registration order. */
  readonly backends: ReadonlyArray<IWorkspaceBackend>;
  /** Every workspace of every backend, as of the last refresh. */
  readonly workspaces: ReadonlyArray<IWorkspaceInfo>;
  /** Backends whose listing failed on the last refresh, with the reason. */
  readonly errors: ReadonlyArray<IBackendProblem>;
  /** The active workspace, or null before one is chosen. */
  readonly active: IWorkspaceInfo | null;
  /** Schema of the active workspace, or null while unknown. */
  readonly schema: IWorkspaceSchema | null;
  /** Why the schema of the active workspace could not be read, if it could not. */
  readonly schemaError: string | null;
  /** Re-lists the workspaces of every backend (and re-reads the active schema). */
  refresh(): Promise<void>;
  /** Makes a workspace active by backend and id. */
  select(backend: string, id: string): Promise<void>;
  /** The backend that serves a workspace. */
  backendOf(workspace: IWorkspaceInfo): IWorkspaceBackend | undefined;
  /** A listed workspace by backend and id, or undefined when it is not listed. */
  find(backend: string, id: string): IWorkspaceInfo | undefined;
  /**
   * The workspace a notebook's queries and bookmarks go to — one rule for every feature: the
   * workspace its metadata names, else the active one; null when it names none and none is
   * active. Throws a `WorkspaceUnavailableError` naming the saved workspace when that one is not
   * listed: the active workspace is another one, so it is never used instead.
   */
  workspaceOf(notebook: INotebookModel): IWorkspaceInfo | null;
  /** Emitted whenever any of the state above changes. */
  readonly changed: ISignal<ISentinelWorkspaces, void>;
}

/** The workspaces service token. */
export const ISentinelWorkspaces = new Token<ISentinelWorkspaces>(
  'jupyterlab-sentinel:ISentinelWorkspaces',
  'The workspaces of every backend (local, Azure) and the active one.'
);
