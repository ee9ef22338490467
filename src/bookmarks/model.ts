import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type {
  IBookmark,
  IBookmarkFields,
  ISentinelWorkspaces,
  IWorkspaceInfo
} from '../tokens';
import type { ISentinelBookmarks } from './tokens';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function keyOf(workspace: IWorkspaceInfo | null): string {
  return workspace
    ? `${workspace.backend}/${workspace.id}/${workspace.status}`
    : '';
}

/** Bookmarks sorted newest first by creation time (stable for equal times). */
export function newestFirst(bookmarks: ReadonlyArray<IBookmark>): IBookmark[] {
  const time = (b: IBookmark): number => {
    const t = Date.parse(b.created);
    return Number.isNaN(t) ? 0 : t;
  };
  return [...bookmarks].sort((a, b) => time(b) - time(a));
}

/** The first non-empty line of a query, for the one-line summary of a bookmark. */
export function firstLine(query: string | undefined): string {
  return (
    (query ?? '')
      .split(/\r?\n/)
      .map(line => line.trim())
      .find(line => line !== '') ?? ''
  );
}

/**
 * The bookmarks of the active workspace. Follows `ISentinelWorkspaces`: when another workspace
 * becomes active (or the active one becomes ready) the list is read again from its backend.
 */
export class BookmarksModel implements ISentinelBookmarks, IDisposable {
  constructor(private readonly _workspaces: ISentinelWorkspaces) {
    _workspaces.changed.connect(this._onWorkspacesChanged, this);
    this._onWorkspacesChanged();
  }

  get workspace(): IWorkspaceInfo | null {
    return this._workspace;
  }

  get bookmarks(): ReadonlyArray<IBookmark> {
    return this._bookmarks;
  }

  get loading(): boolean {
    return this._loading;
  }

  get error(): string | null {
    return this._error;
  }

  get selected(): IBookmark | null {
    return this._selectedId === null
      ? null
      : (this.find(this._selectedId) ?? null);
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  find(id: string): IBookmark | undefined {
    return this._bookmarks.find(b => b.id === id);
  }

  select(id: string | null): void {
    if (id !== this._selectedId) {
      this._selectedId = id;
      this._changed.emit();
    }
  }

  async refresh(): Promise<void> {
    const workspace = this._workspaces.active;
    const backend = workspace ? this._workspaces.backendOf(workspace) : null;
    const request = ++this._request;
    this._workspace = workspace;
    if (!workspace || !backend || workspace.status !== 'ready') {
      this._bookmarks = [];
      this._error = null;
      this._loading = false;
      this._changed.emit();
      return;
    }
    this._loading = true;
    this._changed.emit();
    try {
      const bookmarks = await backend.listBookmarks(workspace.id);
      if (request === this._request) {
        this._bookmarks = newestFirst(bookmarks);
        this._error = null;
      }
    } catch (error) {
      if (request === this._request) {
        this._bookmarks = [];
        this._error = describe(error);
      }
    }
    if (request === this._request && !this._isDisposed) {
      this._loading = false;
      if (this._selectedId !== null && !this.find(this._selectedId)) {
        this._selectedId = null;
      }
      this._changed.emit();
    }
  }

  async create(
    workspace: IWorkspaceInfo,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    const backend = this._workspaces.backendOf(workspace);
    if (!backend) {
      throw new Error(`No backend serves the workspace ${workspace.name}`);
    }
    const saved = await backend.createBookmark(workspace.id, id, fields);
    await this.refresh();
    return saved;
  }

  async delete(id: string): Promise<void> {
    const workspace = this._workspace;
    const backend = workspace ? this._workspaces.backendOf(workspace) : null;
    if (!workspace || !backend) {
      throw new Error('No active workspace');
    }
    await backend.deleteBookmark(workspace.id, id);
    // Gone at once, whatever the re-listing below answers.
    this._bookmarks = this._bookmarks.filter(b => b.id !== id);
    if (this._selectedId === id) {
      this._selectedId = null;
    }
    this._changed.emit();
    await this.refresh();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._workspaces.changed.disconnect(this._onWorkspacesChanged, this);
    Signal.clearData(this);
  }

  private _onWorkspacesChanged(): void {
    const key = keyOf(this._workspaces.active);
    if (key === this._activeKey) {
      return;
    }
    const switched =
      this._workspace?.backend !== this._workspaces.active?.backend ||
      this._workspace?.id !== this._workspaces.active?.id;
    this._activeKey = key;
    if (switched) {
      this._selectedId = null;
      this._bookmarks = [];
    }
    void this.refresh();
  }

  private _workspace: IWorkspaceInfo | null = null;
  private _activeKey = '';
  private _bookmarks: IBookmark[] = [];
  private _loading = false;
  private _error: string | null = null;
  private _selectedId: string | null = null;
  // Answers to superseded listings (the workspace changed meanwhile) are dropped.
  private _request = 0;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}
