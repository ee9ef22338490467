/**
 * The KQL cell plugins: the notebook cell executor that sends KQL cells to the workspace, the KQL
 * cells themselves (language, commands, marks, runner) and the KQL notebook of the Launcher. The
 * KQL editor (completion, squiggles) is its own plugin, in `editor/`.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ILauncher } from '@jupyterlab/launcher';
import {
  INotebookCellExecutor,
  INotebookTracker,
  type NotebookPanel,
  runCell
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { sentinelIcon } from '../sidebar/icon';
import { ISentinelWorkspaces } from '../tokens';
import { addCancelCommand, addKqlCellCommands } from './commands';
import { KqlCellExecutor } from './executor';
import { followNotebookWorkspaces } from './follow';
import { cancelOnInterrupt } from './interrupt';
import { kqlLanguage } from './language';
import { startKqlNotebook } from './launcher';
import { KqlCellMarker } from './marker';
import { RESULTS_FOLDER, resultsFolder } from './metadata';
import { KqlCellRunner } from './runner';
import { CommandIDs } from './tokens';
import { addChooseWorkspacesCommand } from './workspaces';

/** JupyterLab's command that makes an untitled notebook and opens it. */
const CREATE_NOTEBOOK = 'notebook:create-new';

/**
 * The notebook cell executor, replacing JupyterLab's (disabled in package.json): KQL cells run on
 * the workspace, every other cell exactly as before.
 */
export const cellExecutorPlugin: JupyterFrontEndPlugin<INotebookCellExecutor> =
  {
    id: 'jupyterlab-sentinel:cell-executor',
    description:
      'Runs KQL cells on the notebook’s workspace and every other cell in the kernel.',
    autoStart: true,
    provides: INotebookCellExecutor,
    activate: (): INotebookCellExecutor => new KqlCellExecutor(runCell)
  };

/** KQL cells: the editor language, the commands, the cell marks and the runner. */
export const kqlCellsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:kql-cells',
  description:
    'KQL cells in notebooks: highlighting, insert and toggle commands, the run button, results as DataFrames.',
  autoStart: true,
  requires: [INotebookTracker, ISentinelWorkspaces, INotebookCellExecutor],
  optional: [
    IEditorLanguageRegistry,
    ISettingRegistry,
    ICommandPalette,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    workspaces: ISentinelWorkspaces,
    executor: INotebookCellExecutor,
    languages: IEditorLanguageRegistry | null,
    registry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    languages?.addLanguage(kqlLanguage);
    let folder = RESULTS_FOLDER;
    void registry
      ?.load('jupyterlab-sentinel:kql-cells')
      .then(settings => {
        const read = (): void => {
          folder = resultsFolder(settings.get('resultsFolder').composite);
        };
        read();
        settings.changed.connect(read);
      })
      .catch(error =>
        console.error(
          'jupyterlab-sentinel: KQL cell settings could not be loaded',
          error
        )
      );
    if (executor instanceof KqlCellExecutor) {
      const runner = new KqlCellRunner({
        workspaces,
        tracker,
        trans,
        runPython: runCell,
        resultsFolder: () => folder,
        contents: app.serviceManager.contents
      });
      executor.runner = runner;
      addCancelCommand(app, tracker, runner, trans, palette);
      cancelOnInterrupt(app, tracker, runner);
      followNotebookWorkspaces(tracker, workspaces);
    } else {
      console.warn(
        'jupyterlab-sentinel: another extension replaced the notebook cell executor; KQL cells cannot run'
      );
    }
    tracker.widgetAdded.connect((_, panel) => {
      new KqlCellMarker(panel.content, trans, workspaces);
    });
    addKqlCellCommands(app, tracker, trans, palette);
    addChooseWorkspacesCommand(app, tracker, workspaces, trans, palette);
  }
};

/** The KQL notebook command, in the Launcher's Sentinel section, File → New and the palette. */
export const kqlNotebookPlugin: JupyterFrontEndPlugin<void> = {
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
    app.commands.addCommand(CommandIDs.newKqlNotebook, {
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
    launcher?.add({ command: CommandIDs.newKqlNotebook, category, rank: 1 });
    palette?.addItem({
      command: CommandIDs.newKqlNotebook,
      category,
      args: { isPalette: true }
    });
  }
};
