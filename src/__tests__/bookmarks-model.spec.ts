import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { BookmarksModel, firstLine, newestFirst } from '../bookmarks/model';
import type {
  IBookmark,
  IBookmarkFields,
  IExportResult,
  IQueryResult,
  ISentinelWorkspaces,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../tokens';
import { workspaceStatusText } from '../workspaces/status';

const trans = nullTranslator.load('jupyterlab_sentinel');

const bookmark = (id: string, created: string, name = id): IBookmark => ({
  id,
  displayName: name,
  labels: ['spray'],
  query: '\n  SigninLogs\n| where ResultType != 0',
  created,
  updated: created
});

/** A backend whose bookmark listings are answered by the test. */
class FakeBackend implements IWorkspaceBackend {
  readonly id = 'local';
  readonly label = 'Local workspaces';
  listed: string[] = [];
  deleted: [string, string][] = [];
  bookmarks: Record<string, IBookmark[] | Error> = {};
  // When set, listings wait for the test to answer them.
  pending: ((answer: IBookmark[]) => void)[] | null = null;
  deleteError: Error | null = null;

  listWorkspaces(): Promise<IWorkspaceInfo[]> {
    return Promise.resolve([]);
  }

  getSchema(): Promise<IWorkspaceSchema> {
    return Promise.reject(new Error('not used by the bookmarks model'));
  }

  listBookmarks(workspaceId: string): Promise<IBookmark[]> {
    this.listed.push(workspaceId);
    if (this.pending) {
      const pending = this.pending;
      return new Promise(resolve => pending.push(resolve));
    }
    const answer = this.bookmarks[workspaceId] ?? [];
    return answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve(answer);
  }

  async createBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    const saved = { ...fields, id, created: '2026-10-04T08:00:00Z' };
    const created = { ...saved, updated: saved.created };
    const list = this.bookmarks[workspaceId];
    this.bookmarks[workspaceId] = [
      ...(Array.isArray(list) ? list : []),
      created
    ];
    return created;
  }

  updateBookmark(): Promise<IBookmark> {
    return Promise.reject(new Error('not used by the bookmarks model'));
  }

  async deleteBookmark(workspaceId: string, id: string): Promise<void> {
    if (this.deleteError) {
      throw this.deleteError;
    }
    this.deleted.push([workspaceId, id]);
    const list = this.bookmarks[workspaceId];
    if (Array.isArray(list)) {
      this.bookmarks[workspaceId] = list.filter(b => b.id !== id);
    }
  }

  query(): Promise<IQueryResult> {
    return Promise.reject(new Error('not used by the bookmarks model'));
  }

  export(): Promise<IExportResult> {
    return Promise.reject(new Error('not used by the bookmarks model'));
  }
}

/** The workspaces service reduced to what the bookmarks model reads: the active workspace. */
class FakeWorkspaces implements ISentinelWorkspaces {
  constructor(readonly backend: FakeBackend) {}
  readonly workspaces: IWorkspaceInfo[] = [];
  readonly errors = [];
  readonly schema = null;
  readonly schemaError = null;
  active: IWorkspaceInfo | null = null;
  readonly changed: Signal<ISentinelWorkspaces, void> = new Signal(this);

  get backends(): IWorkspaceBackend[] {
    return [this.backend];
  }

  addBackend(): void {
    throw new Error('not used');
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  select(): Promise<void> {
    return Promise.resolve();
  }

  backendOf(workspace: IWorkspaceInfo): IWorkspaceBackend | undefined {
    return workspace.backend === this.backend.id ? this.backend : undefined;
  }

  find(): IWorkspaceInfo | undefined {
    throw new Error('not used by the bookmarks model');
  }

  workspaceOf(): IWorkspaceInfo | null {
    throw new Error('not used by the bookmarks model');
  }

  activate(id: string | null, status: IWorkspaceInfo['status'] = 'ready') {
    this.active = id
      ? { id, name: id.toUpperCase(), backend: 'local', status }
      : null;
    this.changed.emit();
  }
}

/** Lets the model's pending promise callbacks run. */
const settle = (): Promise<void> => new Promise(r => setTimeout(r, 0));

function setup(): {
  backend: FakeBackend;
  workspaces: FakeWorkspaces;
  model: BookmarksModel;
} {
  const backend = new FakeBackend();
  const workspaces = new FakeWorkspaces(backend);
  const model = new BookmarksModel(workspaces);
  return { backend, workspaces, model };
}

describe('BookmarksModel', () => {
  it('lists the active workspace’s bookmarks newest first', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [
      bookmark('old', '2026-10-01T08:00:00Z'),
      bookmark('new', '2026-10-03T08:00:00Z'),
      bookmark('mid', '2026-10-02T08:00:00Z')
    ];
    expect(model.workspace).toBeNull();
    workspaces.activate('demo');
    expect(model.loading).toBe(true);
    await settle();
    expect(model.loading).toBe(false);
    expect(model.error).toBeNull();
    expect(model.workspace?.id).toBe('demo');
    expect(model.bookmarks.map(b => b.id)).toEqual(['new', 'mid', 'old']);
  });

  it('follows the active workspace and clears the selection', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [bookmark('a', '2026-10-01T08:00:00Z')];
    backend.bookmarks.logs = [bookmark('b', '2026-10-01T08:00:00Z')];
    workspaces.activate('demo');
    await settle();
    model.select('a');
    expect(model.selected?.id).toBe('a');

    workspaces.activate('logs');
    expect(model.selected).toBeNull();
    expect(model.bookmarks).toEqual([]);
    await settle();
    expect(model.bookmarks.map(b => b.id)).toEqual(['b']);
    expect(backend.listed).toEqual(['demo', 'logs']);

    // Other changes of the workspaces service (a schema read) list nothing again.
    workspaces.changed.emit();
    await settle();
    expect(backend.listed).toEqual(['demo', 'logs']);
  });

  it('drops the answer of a listing superseded by a switch', async () => {
    const { backend, workspaces, model } = setup();
    const pending: ((answer: IBookmark[]) => void)[] = [];
    backend.pending = pending;
    workspaces.activate('demo');
    workspaces.activate('logs');
    expect(pending).toHaveLength(2);
    pending[1]([bookmark('logs-1', '2026-10-01T08:00:00Z')]);
    await settle();
    pending[0]([bookmark('demo-1', '2026-10-01T08:00:00Z')]);
    await settle();
    expect(model.workspace?.id).toBe('logs');
    expect(model.bookmarks.map(b => b.id)).toEqual(['logs-1']);
    expect(model.loading).toBe(false);
  });

  it('reports a listing that fails, and recovers on refresh', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = new Error('The bookmark store is locked');
    workspaces.activate('demo');
    await settle();
    expect(model.error).toBe('The bookmark store is locked');
    expect(model.bookmarks).toEqual([]);

    backend.bookmarks.demo = [bookmark('a', '2026-10-01T08:00:00Z')];
    await model.refresh();
    expect(model.error).toBeNull();
    expect(model.bookmarks.map(b => b.id)).toEqual(['a']);
  });

  it('asks nothing of a workspace that is not ready, and lists once it is', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [bookmark('a', '2026-10-01T08:00:00Z')];
    workspaces.activate('demo', 'generating');
    await settle();
    expect(backend.listed).toEqual([]);
    expect(model.bookmarks).toEqual([]);
    workspaces.activate('demo', 'ready');
    await settle();
    expect(backend.listed).toEqual(['demo']);
    expect(model.bookmarks.map(b => b.id)).toEqual(['a']);

    workspaces.activate(null);
    await settle();
    expect(model.workspace).toBeNull();
    expect(model.bookmarks).toEqual([]);
  });

  it('deletes from the active workspace and lists again', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [
      bookmark('a', '2026-10-02T08:00:00Z'),
      bookmark('b', '2026-10-01T08:00:00Z')
    ];
    workspaces.activate('demo');
    await settle();
    model.select('a');
    await model.delete('a');
    expect(backend.deleted).toEqual([['demo', 'a']]);
    expect(model.selected).toBeNull();
    expect(model.bookmarks.map(b => b.id)).toEqual(['b']);
    expect(backend.listed).toEqual(['demo', 'demo']);
  });

  it('creates in the given workspace, though another is active, and lists again', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [bookmark('a', '2026-10-02T08:00:00Z')];
    workspaces.activate('demo');
    await settle();
    const logs: IWorkspaceInfo = {
      id: 'logs',
      name: 'LOGS',
      backend: 'local',
      status: 'ready'
    };
    const saved = await model.create(logs, 'b1', {
      displayName: 'Spray',
      labels: []
    });
    expect(saved.id).toBe('b1');
    expect(backend.bookmarks.logs).toEqual([saved]);
    expect(model.bookmarks.map(b => b.id)).toEqual(['a']);
    expect(backend.listed).toEqual(['demo', 'demo']);
  });

  it('refuses to create in a workspace no backend serves', async () => {
    const { model } = setup();
    const elsewhere: IWorkspaceInfo = {
      id: 'law',
      name: 'LAW',
      backend: 'azure',
      status: 'ready'
    };
    await expect(
      model.create(elsewhere, 'b1', { displayName: 'Spray', labels: [] })
    ).rejects.toThrow('No backend serves the workspace LAW');
  });

  it('keeps the list when a deletion fails', async () => {
    const { backend, workspaces, model } = setup();
    backend.bookmarks.demo = [bookmark('a', '2026-10-02T08:00:00Z')];
    workspaces.activate('demo');
    await settle();
    model.select('a');
    backend.deleteError = new Error('not found');
    await expect(model.delete('a')).rejects.toThrow('not found');
    expect(model.bookmarks.map(b => b.id)).toEqual(['a']);
    expect(model.selected?.id).toBe('a');
  });

  it('stops following the workspaces once disposed', async () => {
    const { backend, workspaces, model } = setup();
    model.dispose();
    model.dispose();
    expect(model.isDisposed).toBe(true);
    workspaces.activate('demo');
    await settle();
    expect(backend.listed).toEqual([]);
  });
});

describe('bookmark helpers', () => {
  it('take the first non-empty line of a query', () => {
    expect(firstLine('\n  SigninLogs\n| take 10')).toBe('SigninLogs');
    expect(firstLine(undefined)).toBe('');
    expect(firstLine('  \n ')).toBe('');
  });

  it('sort newest first, undated last', () => {
    const sorted = newestFirst([
      bookmark('x', 'not a time'),
      bookmark('a', '2026-10-01T08:00:00Z'),
      bookmark('b', '2026-10-02T08:00:00Z')
    ]);
    expect(sorted.map(b => b.id)).toEqual(['b', 'a', 'x']);
  });
});

describe('workspaceStatusText', () => {
  it('names the active workspace, its state and its backend', () => {
    const workspaces = new FakeWorkspaces(new FakeBackend());
    expect(workspaceStatusText(workspaces, trans).text).toBe(
      'Sentinel: no workspace'
    );
    workspaces.activate('demo');
    const status = workspaceStatusText(workspaces, trans);
    expect(status.text).toBe('Sentinel: DEMO');
    expect(status.title).toContain('DEMO (Local workspaces)');
    workspaces.activate('demo', 'generating');
    expect(workspaceStatusText(workspaces, trans).text).toBe(
      'Sentinel: DEMO (generating)'
    );
  });
});
