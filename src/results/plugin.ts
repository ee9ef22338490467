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
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  caretLeftIcon,
  caretRightIcon,
  closeIcon,
  copyIcon,
  downloadIcon,
  filterIcon,
  filterListIcon,
  imageIcon,
  listIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { CommandIDs as CellCommandIDs } from '../cells/tokens';
import { IInvestigationViews } from '../views/tokens';
import { appendClause, whereClause } from './filter';
import { displayText, ResultsServer } from './server';
import { CommandIDs, ISentinelResults, RESULT_MIME_TYPE } from './tokens';
import { lineage, ResultTracker } from './tracker';
import {
  RESULT_GRID_CLASS,
  RESULT_VIEW_CLASS,
  ResultView,
  VIEW_ROW_LIMIT
} from './widget';

const noArgs = { args: { type: 'object', properties: {} } };

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

/** The result grid of KQL cells, its commands, and the tracker of the result views. */
export const resultsPlugin: JupyterFrontEndPlugin<ISentinelResults> = {
  id: 'jupyterlab-sentinel:results',
  description:
    'The result grid of KQL cells: pages of the saved result, sorted, filtered, selected and copied.',
  autoStart: true,
  provides: ISentinelResults,
  requires: [IRenderMimeRegistry],
  optional: [
    INotebookTracker,
    IThemeManager,
    ICommandPalette,
    ITranslator,
    IInvestigationViews,
    ISettingRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    tracker: INotebookTracker | null,
    themes: IThemeManager | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    investigationViews: IInvestigationViews | null,
    registry: ISettingRegistry | null
  ): ISentinelResults => {
    const translation = translator ?? nullTranslator;
    const trans = translation.load('jupyterlab_sentinel');
    const pages = new ResultsServer();
    let viewRowLimit = VIEW_ROW_LIMIT;
    void registry
      ?.load(resultsPlugin.id)
      .then(settings => {
        const load = (): void => {
          viewRowLimit =
            (settings.composite.viewRowLimit as number | undefined) ??
            VIEW_ROW_LIMIT;
        };
        load();
        settings.changed.connect(load);
      })
      // Without its settings the default limit applies.
      .catch(() => undefined);
    // The commands and the bookmark dialog find a cell's view here.
    const views = new ResultTracker({
      namespace: 'jupyterlab-sentinel-results',
      notebooks: tracker
    });
    rendermime.addFactory(
      {
        // Nothing from the data becomes markup: the grid draws text on a canvas.
        safe: true,
        mimeTypes: [RESULT_MIME_TYPE],
        defaultRank: 10,
        createRenderer: options => {
          const view = new ResultView({
            pages,
            resolver: options.resolver,
            trans,
            copy: text => writeClipboard(text),
            views: investigationViews,
            translator: translation,
            viewRowLimit: () => viewRowLimit,
            cellOf: widget => {
              // The cell is an ancestor of its outputs' widgets.
              const ancestors = lineage(widget);
              let found: Cell | null = null;
              tracker?.forEach(panel => {
                found ??=
                  panel.content.widgets.find(cell =>
                    ancestors.includes(cell)
                  ) ?? null;
              });
              return found ? (found as Cell).model : null;
            }
          });
          void views.add(view);
          return view;
        }
      },
      10
    );
    themes?.themeChanged.connect(() => {
      // The theme's CSS variables apply once its style sheet is in: read them on the next frame.
      requestAnimationFrame(() => views.forEach(view => view.restyle()));
    });

    /** The view a context menu was opened on, else the active cell's, else the last focused. */
    const viewUnderMenu = (): ResultView | null => {
      const node = app.contextMenuHitTest(
        n =>
          n.classList.contains(RESULT_GRID_CLASS) ||
          n.classList.contains(RESULT_VIEW_CLASS)
      );
      if (node) {
        return views.find(view => view.node.contains(node)) ?? null;
      }
      const active = tracker?.activeCell;
      return (active && views.viewOf(active)) || views.currentWidget;
    };
    /** The view and result cell a context menu was opened on. */
    const cellUnderMenu = () => {
      const view = viewUnderMenu();
      const cell = view?.menuCell;
      const data = view?.model;
      if (!view || !cell || !data) {
        return null;
      }
      return { view, data, ...cell, info: data.columns[cell.column] };
    };
    /** The view and grid column a context menu was opened on. */
    const columnUnderMenu = () => {
      const view = viewUnderMenu();
      const column = view?.menuColumn;
      return view && column !== null && column !== undefined
        ? { view, column }
        : null;
    };

    /** Appends a `where` on the value under the menu to its cell's query and runs the cell. */
    const filterByValue = async (include: boolean): Promise<void> => {
      const target = cellUnderMenu();
      if (!target || !tracker) {
        return;
      }
      const value = await target.data.valueOf(target.row, target.column);
      const clause = whereClause(target.info, value, include);
      const ancestors = lineage(target.view);
      const panel = tracker.find(p =>
        p.content.widgets.some(cell => ancestors.includes(cell))
      );
      if (!panel) {
        return;
      }
      const index = panel.content.widgets.findIndex(cell =>
        ancestors.includes(cell)
      );
      const source = panel.content.widgets[index].model.sharedModel;
      source.setSource(appendClause(source.getSource(), clause));
      panel.content.activeCellIndex = index;
      app.shell.activateById(panel.id);
      await app.commands.execute(CellCommandIDs.runKqlCell);
    };
    app.commands.addCommand(CommandIDs.copyRows, {
      label: trans.__('Copy Rows'),
      caption: trans.__(
        'Copy the selected rows of the result (all rows when none is selected) as tab-separated text'
      ),
      icon: copyIcon,
      describedBy: noArgs,
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
    app.commands.addCommand(CommandIDs.copyValue, {
      label: trans.__('Copy Value'),
      caption: trans.__('Copy the value of this cell of the result'),
      icon: copyIcon,
      describedBy: noArgs,
      isEnabled: () => cellUnderMenu() !== null,
      execute: async () => {
        const target = cellUnderMenu();
        if (target) {
          writeClipboard(
            displayText(await target.data.valueOf(target.row, target.column))
          );
        }
      }
    });
    app.commands.addCommand(CommandIDs.includeValue, {
      label: trans.__('Include This Value'),
      caption: trans.__(
        'Keep only the rows with this value: append a where clause to the query and run it again'
      ),
      icon: filterIcon,
      describedBy: noArgs,
      isEnabled: () => cellUnderMenu() !== null,
      execute: () => filterByValue(true)
    });
    app.commands.addCommand(CommandIDs.excludeValue, {
      label: trans.__('Exclude This Value'),
      caption: trans.__(
        'Drop the rows with this value: append a where clause to the query and run it again'
      ),
      icon: filterListIcon,
      describedBy: noArgs,
      isEnabled: () => cellUnderMenu() !== null,
      execute: () => filterByValue(false)
    });
    app.commands.addCommand(CommandIDs.hideColumn, {
      label: trans.__('Hide Column'),
      caption: trans.__('Hide this column of the result grid'),
      icon: closeIcon,
      describedBy: noArgs,
      isEnabled: () =>
        (columnUnderMenu()?.view.model?.shownColumns.length ?? 0) > 1,
      execute: () => {
        const target = columnUnderMenu();
        target?.view.hideColumn(target.column);
      }
    });
    app.commands.addCommand(CommandIDs.showColumns, {
      label: trans.__('Show All Columns'),
      caption: trans.__(
        'Show every column of the result, in the order the query gave them'
      ),
      icon: listIcon,
      describedBy: noArgs,
      isEnabled: () => viewUnderMenu()?.model !== null,
      execute: () => viewUnderMenu()?.showAllColumns()
    });
    app.commands.addCommand(CommandIDs.moveColumnLeft, {
      label: trans.__('Move Column Left'),
      caption: trans.__('Move this column one place to the left'),
      icon: caretLeftIcon,
      describedBy: noArgs,
      isEnabled: () => (columnUnderMenu()?.column ?? 0) > 0,
      execute: () => {
        const target = columnUnderMenu();
        target?.view.moveColumn(target.column, -1);
      }
    });
    app.commands.addCommand(CommandIDs.moveColumnRight, {
      label: trans.__('Move Column Right'),
      caption: trans.__('Move this column one place to the right'),
      icon: caretRightIcon,
      describedBy: noArgs,
      isEnabled: () => {
        const target = columnUnderMenu();
        const shown = target?.view.model?.shownColumns.length ?? 0;
        return target !== null && target.column < shown - 1;
      },
      execute: () => {
        const target = columnUnderMenu();
        target?.view.moveColumn(target.column, 1);
      }
    });
    app.commands.addCommand(CommandIDs.exportCsv, {
      label: trans.__('Export as CSV'),
      caption: trans.__(
        'Download the whole result, every row, in the grid’s order and with its filter, as a CSV file'
      ),
      icon: downloadIcon,
      describedBy: noArgs,
      isEnabled: () => !!viewUnderMenu()?.csvUrl(),
      execute: () => {
        viewUnderMenu()?.exportCsv();
      }
    });
    /** The investigation view a command's `view` argument names; null for the grid. */
    const viewArg = (args: ReadonlyPartialJSONObject): string | null =>
      typeof args.view === 'string' && args.view !== 'grid' ? args.view : null;
    app.commands.addCommand(CommandIDs.showView, {
      label: args => {
        const id = viewArg(args);
        const factory = id === null ? null : investigationViews?.get(id);
        return factory
          ? trans.__('Show as %1', factory.label(trans))
          : trans.__('Show as Grid');
      },
      caption: trans.__(
        'Show the result as this investigation view beside its grid, remembered in the cell'
      ),
      icon: args => {
        const id = viewArg(args);
        return (
          (id === null ? null : investigationViews?.get(id)?.icon) ??
          tableRowsIcon
        );
      },
      describedBy: {
        args: {
          type: 'object',
          properties: {
            view: {
              type: 'string',
              description:
                'The view: `grid`, `timeline`, `process-tree` or `entity-graph`'
            }
          }
        }
      },
      isEnabled: args => {
        const view = viewUnderMenu();
        const id = viewArg(args);
        const result = view?.result;
        if (!view || !result) {
          return false;
        }
        const factory = id === null ? null : investigationViews?.get(id);
        return (
          id === null ||
          (!!factory && factory.unavailable(result.columns, trans) === null)
        );
      },
      isToggled: args => viewUnderMenu()?.activeView === viewArg(args),
      execute: async args => {
        await viewUnderMenu()?.showView(viewArg(args));
      }
    });
    app.commands.addCommand(CommandIDs.exportView, {
      label: args =>
        args.format === 'png'
          ? trans.__('Export View as PNG')
          : trans.__('Export View as SVG'),
      caption: trans.__(
        'Download the picture of the investigation view shown, for a report'
      ),
      icon: args => (args.format === 'png' ? imageIcon : downloadIcon),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['svg', 'png'] }
          }
        }
      },
      isEnabled: () => !!viewUnderMenu()?.view,
      execute: async args => {
        await viewUnderMenu()?.exportView(
          args.format === 'png' ? 'png' : 'svg'
        );
      }
    });
    for (const command of [
      CommandIDs.copyRows,
      CommandIDs.exportCsv,
      CommandIDs.showColumns
    ]) {
      palette?.addItem({ command, category: trans.__('Sentinel') });
    }

    return views;
  }
};
