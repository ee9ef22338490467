/**
 * Putting a query into a notebook as a KQL cell and running it: the bookmarks' and the hunts' "run
 * this query" actions.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  type INotebookTracker,
  NotebookActions,
  type NotebookPanel
} from '@jupyterlab/notebook';
import type { IWorkspaceInfo } from '../tokens';
import {
  notebookWorkspace,
  setKqlCell,
  setKqlTimeRange,
  setNotebookWorkspace
} from './metadata';

/**
 * The notebook a workspace's query goes to: the current one when it runs on that workspace (or on
 * none yet), else a new notebook.
 */
export async function notebookFor(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  workspace: IWorkspaceInfo
): Promise<NotebookPanel | null> {
  const current = tracker.currentWidget ?? null;
  const saved = current?.model ? notebookWorkspace(current.model) : null;
  if (
    current &&
    (!saved ||
      (saved.backend === workspace.backend && saved.id === workspace.id))
  ) {
    return current;
  }
  const kernelName = app.serviceManager.kernelspecs.specs?.default ?? undefined;
  const created: unknown = await app.commands.execute(
    'notebook:create-new',
    kernelName ? { kernelName } : {}
  );
  return tracker.find(panel => panel === created) ?? null;
}

/**
 * Inserts a KQL cell with `query` and `timeRange` (a cell's time range, null for none) at the end
 * of the notebook `notebookFor` picks, and runs it. Resolves false when no notebook could be had.
 */
export async function runInKqlCell(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  workspace: IWorkspaceInfo,
  query: string,
  timeRange: string | null
): Promise<boolean> {
  const panel = await notebookFor(app, tracker, workspace);
  if (!panel) {
    return false;
  }
  await panel.context.ready;
  app.shell.activateById(panel.id);
  if (panel.model && !notebookWorkspace(panel.model)) {
    setNotebookWorkspace(panel.model, workspace);
  }
  const notebook = panel.content;
  const active = notebook.activeCell;
  // A new notebook's single empty cell is used rather than left above the query.
  const blank =
    active?.model.type === 'code' &&
    notebook.widgets.length === 1 &&
    !active.model.sharedModel.getSource().trim();
  if (!blank) {
    notebook.activeCellIndex = notebook.widgets.length - 1;
    NotebookActions.insertBelow(notebook);
  }
  const cell = notebook.activeCell;
  if (!cell) {
    return false;
  }
  setKqlCell(cell.model, true);
  setKqlTimeRange(cell.model, timeRange);
  cell.model.sharedModel.setSource(query);
  await NotebookActions.run(notebook, panel.sessionContext);
  return true;
}
