/**
 * A KQL notebook from the Launcher, File → New and the command palette: a new notebook in the file
 * browser's folder, on the active workspace, whose first cell is a KQL cell ready for a query.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ISentinelWorkspaces } from '../tokens';
import { setKqlCell, setNotebookWorkspace } from './metadata';

/** Makes the new notebook's first cell a KQL cell and remembers the active workspace. */
export async function startKqlNotebook(
  panel: NotebookPanel,
  workspaces: ISentinelWorkspaces
): Promise<void> {
  await panel.context.ready;
  const model = panel.model;
  if (!model) {
    return;
  }
  if (model.cells.length === 0) {
    model.sharedModel.insertCell(0, { cell_type: 'code', source: '' });
  }
  const first = model.cells.get(0);
  if (first.type === 'code' && !first.sharedModel.getSource()) {
    setKqlCell(first, true);
  }
  const active = workspaces.active;
  if (active) {
    setNotebookWorkspace(model, { backend: active.backend, id: active.id });
  }
  const notebook = panel.content;
  notebook.activeCellIndex = 0;
  notebook.mode = 'edit';
  // Saved at once, so the file holds what the analyst sees even before the first query.
  await panel.context.save();
}
