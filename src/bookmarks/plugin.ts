import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addIcon } from '@jupyterlab/ui-components';
import { isKqlCell } from '../cells/metadata';
import { ISentinelResults } from '../results/tokens';
import { ISentinelWorkspaces } from '../tokens';
import { createBookmark } from './dialog';
import { ISentinelBookmarks } from './tokens';

namespace CommandIDs {
  export const createBookmark = 'sentinel:create-bookmark';
}

/** Most rows a bookmark is made from. */
const MAX_BOOKMARK_ROWS = 1000;

/** Creating bookmarks from the rows selected in a KQL cell's result grid. */
export const bookmarkCreationPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:create-bookmark',
  description:
    'Create Bookmark: a hunting bookmark from the rows selected in a KQL cell’s result, with entities, tactics and time window.',
  autoStart: true,
  requires: [ISentinelWorkspaces, ISentinelResults],
  optional: [
    ISentinelBookmarks,
    INotebookTracker,
    ICommandPalette,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    results: ISentinelResults,
    bookmarks: ISentinelBookmarks | null,
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
        await createBookmark({ rows, workspaces, bookmarks, trans });
      }
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
