/**
 * "Create Bookmark from DataFrame" saves in the notebook's own workspace: a notebook whose
 * workspace is not available is refused, never served by the active workspace (another one).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import {
  type INotebookTracker,
  NotebookModel,
  type NotebookPanel
} from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { setNotebookWorkspace } from '../../cells/metadata';
import type { ISentinelResults } from '../../results/tokens';
import type {
  IBookmark,
  IExportResult,
  IQueryResult,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../../tokens';
import { WorkspacesModel } from '../../workspaces/model';
import { BookmarksModel } from '../model';
import { bookmarkCreationPlugin } from '../plugin';

const workspace = (id: string): IWorkspaceInfo => ({
  id,
  name: id.toUpperCase(),
  backend: 'local',
  status: 'ready'
});

/** A local backend listing `demo` and `logs`, with no bookmarks; nothing else is asked of it. */
class ListingBackend implements IWorkspaceBackend {
  readonly id = 'local';
  readonly label = 'Local workspaces';
  created: string[] = [];

  listWorkspaces(): Promise<IWorkspaceInfo[]> {
    return Promise.resolve([workspace('demo'), workspace('logs')]);
  }

  getSchema(id: string): Promise<IWorkspaceSchema> {
    return Promise.resolve({ workspace: id, tables: [] });
  }

  listBookmarks(): Promise<IBookmark[]> {
    return Promise.resolve([]);
  }

  createBookmark(workspaceId: string): Promise<IBookmark> {
    this.created.push(workspaceId);
    return Promise.reject(new Error('not saved by this test'));
  }

  updateBookmark(): Promise<IBookmark> {
    return Promise.reject(new Error('not used'));
  }

  deleteBookmark(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }

  query(): Promise<IQueryResult> {
    return Promise.reject(new Error('not used'));
  }

  export(): Promise<IExportResult> {
    return Promise.reject(new Error('not used'));
  }
}

describe('Create Bookmark from DataFrame', () => {
  it('refuses a notebook whose workspace is not available rather than use the active one', async () => {
    const backend = new ListingBackend();
    const workspaces = new WorkspacesModel();
    workspaces.addBackend(backend);
    await workspaces.refresh();
    expect(workspaces.active?.id).toBe('demo');

    const model = new NotebookModel();
    setNotebookWorkspace(model, { backend: 'local', id: 'retired' });
    const asked: string[] = [];
    const kernel = {
      requestExecute: (content: { code: string }) => {
        asked.push(content.code);
        throw new Error('this test kernel runs nothing');
      }
    } as unknown as Kernel.IKernelConnection;
    const panel = {
      model,
      sessionContext: { session: { kernel } }
    } as unknown as NotebookPanel;
    const tracker = {
      currentWidget: panel,
      activeCell: null,
      activeCellChanged: new Signal(panel)
    } as unknown as INotebookTracker;
    const commands = new CommandRegistry();
    const app = { commands } as unknown as JupyterFrontEnd;
    // The DataFrame command reads no result grid.
    const results = {} as ISentinelResults;
    bookmarkCreationPlugin.activate(
      app,
      workspaces,
      results,
      new BookmarksModel(workspaces),
      tracker,
      null,
      null
    );

    const before = Notification.manager.count;
    await commands.execute('sentinel:create-bookmark-from-dataframe', {
      name: 'hits'
    });

    // The kernel is not read for a bookmark that has nowhere to go, and nothing is saved.
    expect(asked).toEqual([]);
    expect(backend.created).toEqual([]);
    const said = Notification.manager.notifications
      .slice(0, Notification.manager.count - before)
      .map(n => `${n.type}: ${n.message}`);
    expect(said).toEqual([
      expect.stringMatching(
        /^warning: .*workspace local\/retired.*not available/
      )
    ]);
  });
});
