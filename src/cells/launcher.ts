/**
 * A KQL notebook from the Launcher, File → New and the command palette: a new notebook in the file
 * browser's folder, on the active workspace, whose first cell is a KQL cell ready for a query.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ISentinelWorkspaces } from '../tokens';
import { sentinelIcon } from '../sidebar/icon';
import { setKqlCell, setNotebookWorkspace } from './metadata';

/** Id of the command that makes a KQL notebook. */
export const NEW_KQL_NOTEBOOK = 'sentinel:new-kql-notebook';

/** JupyterLab's command that makes an untitled notebook and opens it. */
const CREATE_NOTEBOOK = 'notebook:create-new';

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

/** The KQL notebook command, in the Launcher's Sentinel section, File → New and the palette. */
export const kqlNotebookLauncher: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:kql-notebook',
  description:
    'Starts a KQL notebook (its first cell a KQL cell, on the active workspace) from the Launcher, File → New and the command palette.',
  autoStart: true,
  requires: [ISentinelWorkspaces],
  optional: [ILauncher, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    launcher: ILauncher | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const category = trans.__('Sentinel');
    app.commands.addCommand(NEW_KQL_NOTEBOOK, {
      label: args =>
        args.isPalette
          ? trans.__('New KQL Notebook')
          : trans.__('KQL Notebook'),
      caption: trans.__(
        'Create a notebook whose first cell is a KQL query on the active Sentinel workspace'
      ),
      icon: args => (args.isPalette ? undefined : sentinelIcon),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            cwd: {
              type: 'string',
              description: trans.__(
                'Folder of the new notebook; the file browser’s folder when not given'
              )
            }
          }
        }
      },
      isEnabled: () => app.commands.hasCommand(CREATE_NOTEBOOK),
      execute: async args => {
        // With the default kernel, as the Launcher's own notebook cards: no kernel dialog.
        const { kernelspecs } = app.serviceManager;
        await kernelspecs.ready;
        const panel = (await app.commands.execute(CREATE_NOTEBOOK, {
          cwd: typeof args.cwd === 'string' ? args.cwd : '',
          kernelName: kernelspecs.specs?.default ?? ''
        })) as NotebookPanel;
        await startKqlNotebook(panel, workspaces);
        return panel;
      }
    });
    launcher?.add({ command: NEW_KQL_NOTEBOOK, category, rank: 1 });
    palette?.addItem({
      command: NEW_KQL_NOTEBOOK,
      category,
      args: { isPalette: true }
    });
  }
};
