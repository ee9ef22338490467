import type {
  IBookmark,
  IBookmarkFields,
  IColumnInfo,
  ILocalWorkspaceSetting,
  ITableInfo,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema,
  KqlTypeName,
  WorkspaceStatus
} from '../../tokens';
import { SentinelServer } from './server';

/** A workspace as the server lists it. */
interface IServerWorkspace {
  id: string;
  name: string;
  kind: string;
  path?: string;
  demo?: boolean;
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

const KQL_TYPES: ReadonlySet<string> = new Set<KqlTypeName>([
  'string',
  'int',
  'long',
  'real',
  'bool',
  'datetime',
  'timespan',
  'dynamic',
  'guid',
  'decimal'
]);

function kqlType(type: string): KqlTypeName {
  // A type the server should never send is shown as dynamic rather than dropped.
  return KQL_TYPES.has(type) ? (type as KqlTypeName) : 'dynamic';
}

/**
 * Local workspaces: folders of Parquet, CSV and JSON-lines files queried by DuckDB inside the
 * Jupyter server. The demo workspace is always among them.
 */
export class LocalBackend implements IWorkspaceBackend {
  readonly id = 'local';

  constructor(
    readonly label: string,
    private readonly _server: SentinelServer = new SentinelServer()
  ) {}

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
    return { workspace: workspaceId, tables };
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

  private _workspace(ws: IServerWorkspace): IWorkspaceInfo {
    return {
      id: ws.id,
      name: ws.name,
      backend: this.id,
      status: ws.status,
      message: ws.message,
      path: ws.path,
      demo: ws.demo
    };
  }
}
