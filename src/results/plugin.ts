import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  IThemeManager,
  Notification
} from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import { ResultsServer } from './server';
import { ISentinelResults, RESULT_MIME_TYPE } from './tokens';
import { RESULT_GRID_CLASS, ResultView } from './widget';

namespace CommandIDs {
  export const copyRows = 'sentinel:copy-result-rows';
}

/** The result view a cell shows, if any. */
function viewOf(cell: Cell): ResultView | null {
  for (const view of ResultView.views) {
    if (!view.isDisposed && cell.node.contains(view.node)) {
      return view;
    }
  }
  return null;
}

/**
 * Writes text to the clipboard. The rows are read from the server first, after which the
 * keystroke's user activation may have lapsed: the asynchronous clipboard API does not need it.
 */
function writeClipboard(text: string): void {
  if (navigator.clipboard?.writeText) {
    navigator.clipboard
      .writeText(text)
      .catch(() => Clipboard.copyToSystem(text));
  } else {
    Clipboard.copyToSystem(text);
  }
}

/** The result grid of KQL cells, and the rows selected in it. */
export const resultsPlugin: JupyterFrontEndPlugin<ISentinelResults> = {
  id: 'jupyterlab-sentinel:results',
  description:
    'The result grid of KQL cells: pages of the saved result, sorted, filtered, selected and copied.',
  autoStart: true,
  provides: ISentinelResults,
  requires: [IRenderMimeRegistry],
  optional: [INotebookTracker, IThemeManager, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    tracker: INotebookTracker | null,
    themes: IThemeManager | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): ISentinelResults => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const pages = new ResultsServer();
    rendermime.addFactory(
      {
        // Nothing from the data becomes markup: the grid draws text on a canvas.
        safe: true,
        mimeTypes: [RESULT_MIME_TYPE],
        defaultRank: 10,
        createRenderer: options =>
          new ResultView({
            pages,
            resolver: options.resolver,
            trans,
            copy: text => writeClipboard(text)
          })
      },
      10
    );
    themes?.themeChanged.connect(() => {
      // The theme's CSS variables apply once its style sheet is in: read them on the next frame.
      requestAnimationFrame(() => ResultView.restyleAll());
    });

    const viewUnderMenu = (): ResultView | null => {
      const node = app.contextMenuHitTest(n =>
        n.classList.contains(RESULT_GRID_CLASS)
      );
      const active = tracker?.activeCell;
      for (const view of ResultView.views) {
        if (
          node ? view.node.contains(node) : active && viewOf(active) === view
        ) {
          return view;
        }
      }
      return null;
    };
    app.commands.addCommand(CommandIDs.copyRows, {
      label: trans.__('Copy Rows'),
      caption: trans.__(
        'Copy the selected rows of the result (all rows when none is selected) as tab-separated text'
      ),
      icon: copyIcon,
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: () => viewUnderMenu() !== null,
      execute: async () => {
        const view = viewUnderMenu();
        if (!view) {
          return;
        }
        const copied = await view.copySelection();
        Notification.info(trans._n('Copied %1 row', 'Copied %1 rows', copied), {
          autoClose: 3000
        });
      }
    });
    palette?.addItem({
      command: CommandIDs.copyRows,
      category: trans.__('Sentinel')
    });

    return {
      rowsOf: async (cell, limit = 1000) => {
        const target = cell ?? tracker?.activeCell ?? null;
        const view = target ? viewOf(target) : null;
        return view ? view.selectedRows(limit) : null;
      }
    };
  }
};
