/**
 * The workspaces a notebook's queries run on: its workspace and, for cross-workspace queries, the
 * other workspaces of the same backend they also read. The query bar's workspace button opens a
 * dialog to pick them; the notebook's metadata remembers the set.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, type ICommandPalette, showDialog } from '@jupyterlab/apputils';
import type { INotebookModel, INotebookTracker } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { ISentinelWorkspaces, IWorkspaceInfo } from '../tokens';
import { sentinelIcon } from '../sidebar/icon';
import { notebookOtherWorkspaces, setNotebookWorkspaces } from './metadata';
import { CommandIDs } from './tokens';

/** The workspaces a notebook's queries run on, its own first; empty when it has none. */
export function notebookWorkspaces(
  workspaces: ISentinelWorkspaces,
  notebook: INotebookModel
): IWorkspaceInfo[] {
  const workspace = workspaces.workspaceOf(notebook);
  if (!workspace) {
    return [];
  }
  const others = notebookOtherWorkspaces(notebook)
    .filter(id => id !== workspace.id)
    .map(
      id =>
        workspaces.find(workspace.backend, id) ?? {
          id,
          name: id,
          backend: workspace.backend,
          status: 'missing' as const
        }
    );
  return [workspace, ...others];
}

/** The dialog body: one checkbox per workspace of the backend, the notebook's own checked and fixed. */
class WorkspacesPicker extends Widget implements Dialog.IBodyWidget<string[]> {
  constructor(
    trans: TranslationBundle,
    candidates: IWorkspaceInfo[],
    workspace: IWorkspaceInfo,
    chosen: string[]
  ) {
    super();
    this.addClass('jp-SentinelWorkspacesPicker');
    const intro = document.createElement('p');
    intro.textContent = trans.__(
      'Queries read the tables of every workspace checked, unioned; TenantId names the workspace of each row, and workspace("name").Table reads one of them.'
    );
    const list = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = trans.__('Workspaces');
    list.append(legend);
    for (const candidate of candidates) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = candidate.id;
      box.checked =
        candidate.id === workspace.id || chosen.includes(candidate.id);
      // The notebook's own workspace is where its bookmarks go: it is changed in the sidebar.
      box.disabled =
        candidate.id === workspace.id || candidate.status !== 'ready';
      label.append(box, ` ${candidate.name}`);
      list.append(label);
      this._boxes.push(box);
    }
    this.node.append(intro, list);
  }

  getValue(): string[] {
    return this._boxes.filter(b => b.checked && !b.disabled).map(b => b.value);
  }

  private readonly _boxes: HTMLInputElement[] = [];
}

/** Registers the command that picks the workspaces the current notebook's queries run on. */
export function addChooseWorkspacesCommand(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  workspaces: ISentinelWorkspaces,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const current = (): {
    model: INotebookModel;
    workspace: IWorkspaceInfo;
  } | null => {
    const model = tracker.currentWidget?.model;
    let workspace: IWorkspaceInfo | null = null;
    try {
      workspace = model ? workspaces.workspaceOf(model) : null;
    } catch {
      return null;
    }
    return model && workspace ? { model, workspace } : null;
  };
  app.commands.addCommand(CommandIDs.chooseWorkspaces, {
    label: trans.__('Choose Query Workspaces…'),
    caption: trans.__(
      "Choose the workspaces the current notebook's KQL cells query at once (a cross-workspace query)"
    ),
    icon: sentinelIcon,
    describedBy: { args: { type: 'object', properties: {} } },
    isEnabled: () => current() !== null,
    execute: async () => {
      const target = current();
      if (!target) {
        return;
      }
      const { model, workspace } = target;
      const candidates = workspaces.workspaces.filter(
        w => w.backend === workspace.backend
      );
      const result = await showDialog({
        title: trans.__('Query Workspaces'),
        body: new WorkspacesPicker(
          trans,
          candidates,
          workspace,
          notebookOtherWorkspaces(model)
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Use These Workspaces') })
        ]
      });
      if (result.button.accept && result.value) {
        setNotebookWorkspaces(model, workspace, result.value);
      }
    }
  });
  palette?.addItem({
    command: CommandIDs.chooseWorkspaces,
    category: trans.__('Sentinel')
  });
}
