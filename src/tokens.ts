import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';

/** A KQL scalar type, as Log Analytics names it. */
export type KqlTypeName =
  | 'string'
  | 'int'
  | 'long'
  | 'real'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid'
  | 'decimal';

/** A column of a workspace table or of a query result. */
export interface IColumnInfo {
  /** Column name as the query language spells it. */
  name: string;
  /** KQL type of the column. */
  type: KqlTypeName;
}

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

/**
 * A source of workspaces: lists them and reads their schemas. The local backend talks to this
 * extension's Jupyter server; the Azure backend (later) to ARM and Log Analytics. Nothing outside
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
  /** Replaces the fields of a bookmark. */
  updateBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark>;
  /** Deletes a bookmark. */
  deleteBookmark(workspaceId: string, id: string): Promise<void>;
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
  readonly errors: ReadonlyArray<{ backend: string; message: string }>;
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
  /** Emitted whenever any of the state above changes. */
  readonly changed: ISignal<ISentinelWorkspaces, void>;
}

/** The workspaces service token. */
export const ISentinelWorkspaces = new Token<ISentinelWorkspaces>(
  'jupyterlab-sentinel:ISentinelWorkspaces',
  'The workspaces of every backend (local, Azure) and the active one.'
);
