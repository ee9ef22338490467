/**
 * The KQL cell commands: insert a KQL cell, turn a code cell into one and back, and run one (the
 * cell toolbar's button). Labels, captions and icons for the palette, the context menu and the
 * toolbar; the keyboard shortcut and menu entries are declared in `schema/kql-cells.json`.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { NotebookActions } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { addBelowIcon, runIcon, stopIcon } from '@jupyterlab/ui-components';
import { CommandIDs as BookmarkCommandIDs } from '../bookmarks/tokens';
import { sentinelIcon } from '../sidebar/icon';
import { isKqlCell, setKqlCell } from './metadata';
import type { KqlCellRunner } from './runner';
import { CommandIDs } from './tokens';

const noArgs = { args: { type: 'object', properties: {} } };

/** Registers the KQL cell commands and adds them to the palette. */
export function addKqlCellCommands(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const activeCell = (): Cell | null => tracker.activeCell;
  // The cell toolbar's buttons show on KQL cells only: tell them when the active cell changes or
  // becomes a KQL cell (a toolbar button listens to its own command's changes only).
  const refresh = (): void => {
    for (const id of [
      CommandIDs.runKqlCell,
      CommandIDs.toggleKqlCell,
      CommandIDs.cancelKqlCell,
      BookmarkCommandIDs.createBookmark
    ]) {
      commands.notifyCommandChanged(id);
    }
  };
  tracker.activeCellChanged.connect(refresh);

  commands.addCommand(CommandIDs.insertKqlCell, {
    label: trans.__('Insert KQL Cell Below'),
    caption: trans.__(
      'Insert a cell for a KQL query below the active cell; its result becomes a pandas DataFrame'
    ),
    icon: addBelowIcon,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          query: {
            type: 'string',
            description: trans.__('The KQL the new cell starts with')
          }
        }
      }
    },
    isEnabled: () => tracker.currentWidget !== null,
    execute: args => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return;
      }
      const notebook = panel.content;
      NotebookActions.insertBelow(notebook);
      const cell = notebook.activeCell;
      if (cell) {
        setKqlCell(cell.model, true);
        if (typeof args.query === 'string') {
          cell.model.sharedModel.setSource(args.query);
        }
        notebook.mode = 'edit';
      }
      refresh();
    }
  });

  commands.addCommand(CommandIDs.toggleKqlCell, {
    label: trans.__('KQL Cell'),
    caption: trans.__(
      'Run this code cell as a KQL query on the workspace instead of in the kernel, or back'
    ),
    icon: sentinelIcon,
    describedBy: noArgs,
    isEnabled: () => activeCell()?.model.type === 'code',
    isToggled: () => {
      const cell = activeCell();
      return cell !== null && isKqlCell(cell.model);
    },
    execute: () => {
      const cell = activeCell();
      if (!cell || cell.model.type !== 'code') {
        return;
      }
      setKqlCell(cell.model, !isKqlCell(cell.model));
      refresh();
    }
  });

  commands.addCommand(CommandIDs.runKqlCell, {
    label: trans.__('Run KQL Query'),
    caption: trans.__(
      'Run the query on the notebook’s workspace and load the result as a pandas DataFrame'
    ),
    icon: runIcon,
    describedBy: noArgs,
    isVisible: () => {
      const cell = activeCell();
      return cell !== null && isKqlCell(cell.model);
    },
    isEnabled: () => {
      const cell = activeCell();
      return cell !== null && isKqlCell(cell.model);
    },
    execute: async () => {
      const panel = tracker.currentWidget;
      const cell = activeCell();
      if (!panel || !cell || !isKqlCell(cell.model)) {
        return;
      }
      // Through the notebook's executor, as Shift+Enter: the executor sends KQL cells to the runner.
      await NotebookActions.run(panel.content, panel.sessionContext);
    }
  });

  commands.addCommand(CommandIDs.insertText, {
    label: args =>
      typeof args.text === 'string'
        ? trans.__('Insert %1 at the Cursor', args.text)
        : trans.__('Insert Text at the Cursor'),
    caption: trans.__(
      'Insert a name (a column from the schema, say) at the active cell’s cursor'
    ),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          text: { type: 'string', description: trans.__('The text to insert') }
        },
        required: ['text']
      }
    },
    isEnabled: () => !!activeCell()?.editor,
    execute: args => {
      const editor = activeCell()?.editor;
      if (!editor || typeof args.text !== 'string') {
        return;
      }
      editor.replaceSelection?.(args.text);
      editor.focus();
    }
  });

  const category = trans.__('Sentinel');
  for (const command of [
    CommandIDs.insertKqlCell,
    CommandIDs.toggleKqlCell,
    CommandIDs.runKqlCell
  ]) {
    palette?.addItem({ command, category });
  }
}

/**
 * Registers the command that cancels the active KQL cell's running query (the cell toolbar shows
 * it while the query runs).
 */
export function addCancelCommand(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  runner: KqlCellRunner,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const running = (): string | null => {
    const cell = tracker.activeCell;
    return cell && runner.isRunning(cell.model.id) ? cell.model.id : null;
  };
  app.commands.addCommand(CommandIDs.cancelKqlCell, {
    label: trans.__('Cancel KQL Query'),
    caption: trans.__('Stop the running query of the active KQL cell'),
    icon: stopIcon,
    describedBy: noArgs,
    isVisible: () => running() !== null,
    isEnabled: () => running() !== null,
    execute: () => {
      const id = running();
      if (id) {
        runner.cancel(id);
      }
    }
  });
  const refresh = (): void =>
    app.commands.notifyCommandChanged(CommandIDs.cancelKqlCell);
  runner.runningChanged.connect(refresh);
  tracker.activeCellChanged.connect(refresh);
  palette?.addItem({
    command: CommandIDs.cancelKqlCell,
    category: trans.__('Sentinel')
  });
}
