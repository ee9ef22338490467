import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  Notification
} from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  addIcon,
  deleteIcon,
  refreshIcon,
  runIcon
} from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { runInKqlCell } from '../cells/insert';
import { isKqlCell } from '../cells/metadata';
import { ISentinelResults } from '../results/tokens';
import {
  ISentinelWorkspaces,
  type IBookmark,
  type IWorkspaceInfo
} from '../tokens';
import { confirmAndDeleteBookmark } from './commands';
import { detectDataFrame, readDataFrame } from './dataframe';
import { BookmarksModel } from './model';
import { CommandIDs, ISentinelBookmarks } from './tokens';
import { WorkspaceUnavailableError } from '../workspaces/errors';

/** The `id` argument of the bookmark commands. */
const bookmarkArgs = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      description:
        'Id of a bookmark of the active workspace; the one selected in the sidebar when not given'
    }
  }
};

/** Hunting bookmarks of the active workspace: the service, the refresh and delete commands. */
export const bookmarksPlugin: JupyterFrontEndPlugin<ISentinelBookmarks> = {
  id: 'jupyterlab-sentinel:bookmarks',
  description:
    'The hunting bookmarks of the active workspace, with refresh and delete commands.',
  autoStart: true,
  provides: ISentinelBookmarks,
  requires: [ISentinelWorkspaces],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): ISentinelBookmarks => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const model = new BookmarksModel(workspaces);
    const bookmarkOf = (args: ReadonlyPartialJSONObject) =>
      typeof args.id === 'string'
        ? (model.find(args.id) ?? null)
        : model.selected;

    app.commands.addCommand(CommandIDs.refreshBookmarks, {
      label: trans.__('Refresh Sentinel Bookmarks'),
      caption: trans.__('List the bookmarks of the active workspace again'),
      icon: refreshIcon,
      isEnabled: () => model.workspace !== null,
      execute: () => model.refresh(),
      describedBy: { args: { type: 'object', properties: {} } }
    });
    app.commands.addCommand(CommandIDs.deleteBookmark, {
      label: args => {
        const bookmark = bookmarkOf(args);
        return bookmark && args.id
          ? trans.__('Delete Bookmark “%1”', bookmark.displayName)
          : trans.__('Delete Bookmark');
      },
      caption: trans.__(
        'Delete a bookmark of the active Sentinel workspace, after asking'
      ),
      icon: deleteIcon,
      isEnabled: args => bookmarkOf(args) !== null,
      describedBy: { args: bookmarkArgs },
      execute: async args => {
        const bookmark = bookmarkOf(args);
        if (!bookmark) {
          return;
        }
        try {
          await confirmAndDeleteBookmark(bookmark, model, trans);
        } catch (error) {
          Notification.error(
            trans.__(
              'The bookmark “%1” could not be deleted: %2',
              bookmark.displayName,
              error instanceof Error ? error.message : String(error)
            )
          );
        }
      }
    });
    model.changed.connect(() => {
      app.commands.notifyCommandChanged(CommandIDs.refreshBookmarks);
      app.commands.notifyCommandChanged(CommandIDs.deleteBookmark);
    });
    const category = trans.__('Sentinel');
    palette?.addItem({ command: CommandIDs.refreshBookmarks, category });
    palette?.addItem({ command: CommandIDs.deleteBookmark, category });
    return model;
  }
};

/**
 * A bookmark's window as a KQL cell's time range (`start/end`, end exclusive): one millisecond
 * past the bookmark's end, so its last event is in it. Null when the bookmark has no window.
 */
export function bookmarkTimeRange(bookmark: IBookmark): string | null {
  const start = bookmark.queryStartTime
    ? new Date(bookmark.queryStartTime)
    : null;
  const end = bookmark.queryEndTime ? new Date(bookmark.queryEndTime) : null;
  if (
    !start ||
    !end ||
    Number.isNaN(start.getTime()) ||
    Number.isNaN(end.getTime()) ||
    start > end
  ) {
    return null;
  }
  return `${start.toISOString()}/${new Date(end.getTime() + 1).toISOString()}`;
}

/** Most rows a bookmark is made from. */
const MAX_BOOKMARK_ROWS = 1000;

/** Creating bookmarks from the rows selected in a KQL cell's result grid. */
export const bookmarkCreationPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:create-bookmark',
  description:
    'Create Bookmark: a hunting bookmark from the rows selected in a KQL cell’s result, with entities, tactics and time window.',
  autoStart: true,
  requires: [ISentinelWorkspaces, ISentinelResults, ISentinelBookmarks],
  optional: [INotebookTracker, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    results: ISentinelResults,
    bookmarks: ISentinelBookmarks,
    tracker: INotebookTracker | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    app.commands.addCommand(CommandIDs.createBookmark, {
      label: trans.__('Create Bookmark…'),
      caption: trans.__(
        'Create a hunting bookmark from the selected rows of the result (the first rows when none is selected)'
      ),
      icon: addIcon,
      describedBy: { args: { type: 'object', properties: {} } },
      // The cell toolbar shows the button on KQL cells; the palette and menus offer it anywhere.
      isVisible: args =>
        args.toolbar !== true ||
        (!!tracker?.activeCell && isKqlCell(tracker.activeCell.model)),
      isEnabled: () => !!tracker?.activeCell,
      execute: async () => {
        const cell = tracker?.activeCell ?? undefined;
        const rows = cell
          ? await results.rowsOf(cell, MAX_BOOKMARK_ROWS)
          : null;
        if (!rows) {
          Notification.warning(
            trans.__(
              'The active cell shows no query result: run a KQL cell, select rows of its result, then create the bookmark.'
            ),
            { autoClose: 5000 }
          );
          return;
        }
        // The dialog's module loads when a bookmark is first made, not with JupyterLab.
        const { createBookmark } = await import('./dialog');
        await createBookmark({ rows, workspaces, bookmarks, trans });
      }
    });
    app.commands.addCommand(CommandIDs.createFromDataFrame, {
      label: trans.__('Create Bookmark from DataFrame…'),
      caption: trans.__(
        'Create a hunting bookmark from the first rows of a pandas DataFrame in the kernel'
      ),
      icon: addIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              description: trans.__(
                'The DataFrame variable; asked, proposed from the active cell, when not given'
              )
            }
          }
        }
      },
      isEnabled: () => !!tracker?.currentWidget,
      execute: async args => {
        const panel = tracker?.currentWidget;
        const kernel = panel?.sessionContext.session?.kernel;
        if (!panel || !kernel) {
          Notification.warning(
            trans.__('The notebook has no kernel to read a DataFrame from.'),
            { autoClose: 5000 }
          );
          return;
        }
        let name = typeof args.name === 'string' ? args.name : null;
        if (!name) {
          const asked = await InputDialog.getText({
            title: trans.__('Create Bookmark from DataFrame'),
            label: trans.__('DataFrame'),
            text:
              detectDataFrame(
                tracker?.activeCell?.model.sharedModel.getSource() ?? ''
              ) ?? ''
          });
          name = asked.button.accept ? (asked.value?.trim() ?? '') : '';
        }
        if (!name) {
          return;
        }
        let workspace: IWorkspaceInfo | null;
        try {
          workspace = panel.model
            ? workspaces.workspaceOf(panel.model)
            : workspaces.active;
        } catch (error) {
          if (error instanceof WorkspaceUnavailableError) {
            // The active workspace is another one: the bookmark would land where it does not belong.
            Notification.warning(
              trans.__(
                'This notebook runs its queries on the workspace %1/%2, which is not available: the bookmark is not saved. Check the Sentinel sidebar.',
                error.backend,
                error.id
              ),
              { autoClose: 8000 }
            );
            return;
          }
          throw error;
        }
        if (!workspace) {
          Notification.warning(
            trans.__('No workspace is active to save the bookmark in.'),
            { autoClose: 5000 }
          );
          return;
        }
        let rows;
        try {
          rows = await readDataFrame(
            kernel,
            name,
            MAX_BOOKMARK_ROWS,
            workspace
          );
        } catch (error) {
          Notification.error(
            error instanceof Error ? error.message : String(error),
            { autoClose: 8000 }
          );
          return;
        }
        const { createBookmark } = await import('./dialog');
        await createBookmark({ rows, workspaces, bookmarks, trans });
      }
    });
    palette?.addItem({
      command: CommandIDs.createFromDataFrame,
      category: trans.__('Sentinel')
    });

    app.commands.addCommand(CommandIDs.runBookmarkQuery, {
      label: trans.__('Run Bookmark Query in a New KQL Cell'),
      caption: trans.__(
        'Insert a KQL cell with the bookmark’s query and time window into the open notebook (a new notebook when it runs on another workspace) and run it'
      ),
      icon: runIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            id: {
              type: 'string',
              description: trans.__(
                'The bookmark; the one selected in the sidebar when not given'
              )
            }
          }
        }
      },
      isEnabled: args => {
        const bookmark =
          typeof args.id === 'string'
            ? bookmarks.find(args.id)
            : bookmarks.selected;
        return !!bookmark?.query?.trim() && !!tracker;
      },
      execute: async args => {
        const bookmark =
          typeof args.id === 'string'
            ? bookmarks.find(args.id)
            : bookmarks.selected;
        const workspace = bookmarks.workspace;
        if (!bookmark?.query?.trim() || !workspace || !tracker) {
          return;
        }
        await runInKqlCell(
          app,
          tracker,
          workspace,
          bookmark.query,
          bookmarkTimeRange(bookmark)
        );
      }
    });
    palette?.addItem({
      command: CommandIDs.runBookmarkQuery,
      category: trans.__('Sentinel')
    });

    // The cell toolbar shows the button by the active cell's kind.
    tracker?.activeCellChanged.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.createBookmark)
    );
    palette?.addItem({
      command: CommandIDs.createBookmark,
      category: trans.__('Sentinel')
    });
  }
};
