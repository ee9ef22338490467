import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  CommandToolbarButton,
  ICommandPalette,
  Notification
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import {
  INotebookCellExecutor,
  INotebookTracker,
  runCell
} from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  deleteIcon,
  duplicateIcon,
  notebookIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { azurePlugin } from './backends/azure/plugin';
import { LocalBackend } from './backends/local/backend';
import { confirmAndDeleteBookmark } from './bookmarks/commands';
import { BookmarksModel } from './bookmarks/model';
import { ISentinelBookmarks } from './bookmarks/tokens';
import { BookmarksPanel } from './bookmarks/widget';
import { addCancelCommand, addKqlCellCommands } from './cells/commands';
import { followNotebookWorkspaces } from './cells/follow';
import { RESULTS_FOLDER, resultsFolder } from './cells/metadata';
import { KqlCellExecutor } from './cells/executor';
import { cancelOnInterrupt } from './cells/interrupt';
import { kqlEditorPlugin } from './cells/editor/plugin';
import { kqlNotebookLauncher } from './cells/launcher';
import { kqlLanguage } from './cells/language';
import { KqlCellMarker } from './cells/marker';
import { KqlCellRunner } from './cells/runner';
import { resultsPlugin } from './results/plugin';
import { bookmarkCreationPlugin } from './bookmarks/plugin';
import { sentinelIcon } from './sidebar/icon';
import { SECTION_IDS, SentinelSidebar } from './sidebar/widget';
import { cloneTemplate, openTemplatePreview } from './templates/commands';
import {
  addTemplateDetailsCommand,
  OPEN_TEMPLATE_DETAILS
} from './templates/details';
import { TemplatesModel } from './templates/model';
import { TemplatesServer } from './templates/server';
import {
  ISentinelTemplates,
  ITemplateFolderSetting,
  ITemplateGitHubSetting,
  ITemplateInfo
} from './templates/tokens';
import { TemplatesPanel } from './templates/widget';
import { ILocalWorkspaceSetting, ISentinelWorkspaces } from './tokens';
import { WorkspacesModel } from './workspaces/model';
import { WorkspaceStatus } from './workspaces/status';
import {
  runOnActiveWorkspace,
  runQueryArgs,
  runQueryArgsSchema
} from './workspaces/query';

namespace CommandIDs {
  export const openSidebar = 'sentinel:open-sidebar';
  export const refreshWorkspaces = 'sentinel:refresh-workspaces';
  export const cloneTemplate = 'sentinel:clone-template';
  export const openTemplate = 'sentinel:open-template';
  export const refreshTemplates = 'sentinel:refresh-templates';
  export const runQuery = 'sentinel:run-query';
  export const refreshBookmarks = 'sentinel:refresh-bookmarks';
  export const deleteBookmark = 'sentinel:delete-bookmark';
}

const PLUGIN_ID = 'jupyterlab-sentinel:plugin';

function localFolders(
  settings: ISettingRegistry.ISettings
): ILocalWorkspaceSetting[] {
  return settings.get('localWorkspaces')
    .composite as unknown as ILocalWorkspaceSetting[];
}

/** The workspaces service, with the local backend registered and configured from the settings. */
const workspaces: JupyterFrontEndPlugin<ISentinelWorkspaces> = {
  id: PLUGIN_ID,
  description:
    'The workspaces of every backend (local, Azure) and the active one.',
  autoStart: true,
  provides: ISentinelWorkspaces,
  requires: [ISettingRegistry],
  optional: [ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    registry: ISettingRegistry,
    translator: ITranslator | null
  ): Promise<ISentinelWorkspaces> => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const model = new WorkspacesModel();
    const local = new LocalBackend(trans.__('Local workspaces'));
    model.addBackend(local);

    // For callers of the command API (other extensions, tests): the result comes back as JSON.
    app.commands.addCommand(CommandIDs.runQuery, {
      label: trans.__('Run KQL Query on the Active Workspace'),
      caption: trans.__(
        'Compile a KQL query, run it on the active Sentinel workspace and return the rows'
      ),
      icon: sentinelIcon,
      describedBy: { args: runQueryArgsSchema },
      isEnabled: () => model.active?.status === 'ready',
      execute: async args => {
        try {
          return await runOnActiveWorkspace(model, runQueryArgs(args));
        } catch (error) {
          Notification.error(
            trans.__(
              'The query could not run: %1',
              error instanceof Error ? error.message : String(error)
            )
          );
          throw error;
        }
      }
    });

    const configure = async (
      settings: ISettingRegistry.ISettings
    ): Promise<void> => {
      try {
        await local.configure(localFolders(settings));
      } catch (error) {
        Notification.error(
          trans.__(
            'Local workspaces could not be configured: %1',
            String(error)
          )
        );
      }
      await model.refresh();
    };
    try {
      const settings = await registry.load(PLUGIN_ID);
      settings.changed.connect(() => void configure(settings));
      void configure(settings);
    } catch (error) {
      console.error('jupyterlab-sentinel: settings could not be loaded', error);
      void model.refresh();
    }
    return model;
  }
};

const TEMPLATES_PLUGIN_ID = 'jupyterlab-sentinel:templates';

/** The `source`/`id` arguments of the template commands. */
const templateArgs = {
  type: 'object',
  properties: {
    source: {
      type: 'string',
      description: 'Id of the template source, e.g. `package`'
    },
    id: {
      type: 'string',
      description: 'Path of the template inside its source'
    }
  }
};

/** Notebook templates: the service, the clone and open commands, the folders from the settings. */
const templates: JupyterFrontEndPlugin<ISentinelTemplates> = {
  id: TEMPLATES_PLUGIN_ID,
  description:
    'Notebook templates from the package, configured folders and GitHub repositories, searchable and clonable.',
  autoStart: true,
  provides: ISentinelTemplates,
  requires: [ISettingRegistry],
  optional: [
    IDefaultFileBrowser,
    IDocumentManager,
    IRenderMimeRegistry,
    ICommandPalette,
    ITranslator
  ],
  activate: async (
    app: JupyterFrontEnd,
    registry: ISettingRegistry,
    fileBrowser: IDefaultFileBrowser | null,
    docManager: IDocumentManager | null,
    rendermime: IRenderMimeRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): Promise<ISentinelTemplates> => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const model = new TemplatesModel(new TemplatesServer());

    // The template named by the command's arguments, else the one selected in the sidebar.
    const templateOf = (
      args: ReadonlyPartialJSONObject
    ): ITemplateInfo | null => {
      const { source, id } = args;
      if (typeof source === 'string' && typeof id === 'string') {
        return model.find(source, id) ?? null;
      }
      return model.selected;
    };

    app.commands.addCommand(CommandIDs.cloneTemplate, {
      label: args => {
        const template = templateOf(args);
        return template && args.source
          ? trans.__('Clone “%1”', template.title)
          : trans.__('Clone Template');
      },
      caption: trans.__(
        'Copy the template into the file browser’s current folder and open the copy'
      ),
      icon: duplicateIcon,
      isEnabled: args => templateOf(args) !== null,
      describedBy: { args: templateArgs },
      execute: async args => {
        const template = templateOf(args);
        if (!template) {
          return;
        }
        const path = fileBrowser?.model.path ?? '';
        // The file browser's path may carry a drive prefix; the server wants a root-relative path.
        const folder = docManager
          ? docManager.services.contents.localPath(path)
          : path;
        try {
          const copy = await cloneTemplate(template, {
            model,
            folder,
            trans,
            docManager
          });
          if (copy) {
            void fileBrowser?.model.refresh();
          }
        } catch (error) {
          Notification.error(
            trans.__(
              '%1 could not be cloned: %2',
              template.title,
              String(error)
            )
          );
        }
      }
    });

    app.commands.addCommand(CommandIDs.openTemplate, {
      label: args => {
        const template = templateOf(args);
        return template && args.source
          ? trans.__('Open “%1” (Read-Only)', template.title)
          : trans.__('Open Template (Read-Only)');
      },
      caption: trans.__('Read the template without making a copy'),
      icon: notebookIcon,
      isEnabled: args => rendermime !== null && templateOf(args) !== null,
      describedBy: { args: templateArgs },
      execute: async args => {
        const template = templateOf(args);
        if (!template || !rendermime) {
          return;
        }
        try {
          const widget = await openTemplatePreview(
            template,
            model,
            rendermime,
            trans
          );
          const existing = Array.from(app.shell.widgets('main')).find(
            w => w.id === widget.id
          );
          if (existing) {
            widget.dispose();
            app.shell.activateById(existing.id);
            return;
          }
          widget.toolbar.addItem(
            'clone',
            new CommandToolbarButton({
              commands: app.commands,
              id: CommandIDs.cloneTemplate,
              args: { source: template.source, id: template.id },
              label: trans.__('Clone')
            })
          );
          app.shell.add(widget, 'main');
        } catch (error) {
          Notification.error(
            trans.__(
              '%1 could not be opened: %2',
              template.title,
              String(error)
            )
          );
        }
      }
    });

    app.commands.addCommand(CommandIDs.refreshTemplates, {
      label: trans.__('Refresh Sentinel Templates'),
      caption: trans.__('List the template sources again'),
      icon: refreshIcon,
      execute: () => model.refresh(),
      describedBy: { args: { type: 'object', properties: {} } }
    });
    const category = trans.__('Sentinel');
    for (const command of [
      CommandIDs.cloneTemplate,
      CommandIDs.openTemplate,
      CommandIDs.refreshTemplates
    ]) {
      palette?.addItem({ command, category });
    }

    const configure = async (
      settings: ISettingRegistry.ISettings
    ): Promise<void> => {
      const folders = settings.get('templateFolders')
        .composite as unknown as ITemplateFolderSetting[];
      const github = settings.get('githubSources')
        .composite as unknown as ITemplateGitHubSetting[];
      await model.configure(folders, github);
    };
    try {
      const settings = await registry.load(TEMPLATES_PLUGIN_ID);
      settings.changed.connect(() => void configure(settings));
      void configure(settings);
    } catch (error) {
      console.error(
        'jupyterlab-sentinel: template settings could not be loaded',
        error
      );
      void model.refresh();
    }
    return model;
  }
};

/** The Sentinel sidebar in the left area. */
const sidebar: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:sidebar',
  description:
    'The Sentinel sidebar: workspaces, the schema of the active one, notebook templates and bookmarks.',
  autoStart: true,
  requires: [ISentinelWorkspaces],
  optional: [
    ILabShell,
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    ISentinelTemplates,
    ISentinelBookmarks,
    IStateDB
  ],
  activate: (
    app: JupyterFrontEnd,
    model: ISentinelWorkspaces,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    templateModel: ISentinelTemplates | null,
    bookmarkModel: ISentinelBookmarks | null,
    state: IStateDB | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const panel = new SentinelSidebar(model, trans, app.commands);
    if (templateModel) {
      const args = (template: ITemplateInfo): ReadonlyPartialJSONObject => ({
        source: template.source,
        id: template.id
      });
      const browser = {
        model: templateModel,
        workspaces: model,
        trans,
        onClone: (template: ITemplateInfo) =>
          void app.commands.execute(CommandIDs.cloneTemplate, args(template)),
        onOpen: (template: ITemplateInfo) =>
          void app.commands.execute(CommandIDs.openTemplate, args(template))
      };
      addTemplateDetailsCommand(app, browser, palette);
      panel.addWidget(
        new TemplatesPanel({
          ...browser,
          onDetails: template =>
            void app.commands.execute(OPEN_TEMPLATE_DETAILS, args(template))
        })
      );
    }
    if (bookmarkModel) {
      const section = new BookmarksPanel({
        model: bookmarkModel,
        trans,
        onDelete: bookmark =>
          void app.commands.execute(CommandIDs.deleteBookmark, {
            id: bookmark.id
          }),
        onRun: bookmark =>
          void app.commands.execute('sentinel:run-bookmark-query', {
            id: bookmark.id
          })
      });
      section.id = SECTION_IDS.bookmarks;
      section.toolbar.addItem(
        'refresh',
        new CommandToolbarButton({
          commands: app.commands,
          id: CommandIDs.refreshBookmarks,
          label: ''
        })
      );
      panel.addWidget(section);
    }
    app.shell.add(panel, 'left', { rank: 150 });
    restorer?.add(panel, panel.id);
    void panel.keepSections(state, app.restored);

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Open the Sentinel Sidebar'),
      caption: trans.__('Show workspaces and their schema'),
      icon: sentinelIcon,
      execute: () => app.shell.activateById(panel.id),
      describedBy: { args: { type: 'object', properties: {} } }
    });
    app.commands.addCommand(CommandIDs.refreshWorkspaces, {
      label: trans.__('Refresh Sentinel Workspaces'),
      caption: trans.__('List the workspaces again and re-read the schema'),
      icon: refreshIcon,
      execute: () => model.refresh(),
      describedBy: { args: { type: 'object', properties: {} } }
    });
    const category = trans.__('Sentinel');
    palette?.addItem({ command: CommandIDs.openSidebar, category });
    palette?.addItem({ command: CommandIDs.refreshWorkspaces, category });
  }
};

/**
 * The notebook cell executor, replacing JupyterLab's (disabled in package.json): KQL cells run on
 * the workspace, every other cell exactly as before.
 */
const cellExecutor: JupyterFrontEndPlugin<INotebookCellExecutor> = {
  id: 'jupyterlab-sentinel:cell-executor',
  description:
    'Runs KQL cells on the notebook’s workspace and every other cell in the kernel.',
  autoStart: true,
  provides: INotebookCellExecutor,
  activate: (): INotebookCellExecutor => new KqlCellExecutor(runCell)
};

/** KQL cells: the editor language, the commands, the cell marks and the runner. */
const kqlCells: JupyterFrontEndPlugin<void> = {
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
  }
};

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
const bookmarks: JupyterFrontEndPlugin<ISentinelBookmarks> = {
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

/** The active workspace in the status bar; a click opens the Sentinel sidebar. */
const workspaceStatus: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:status-bar',
  description:
    'Shows the active Sentinel workspace in the status bar; a click opens the sidebar.',
  autoStart: true,
  requires: [ISentinelWorkspaces],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ): void => {
    if (!statusBar) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    statusBar.registerStatusItem('jupyterlab-sentinel:workspace', {
      item: new WorkspaceStatus(
        workspaces,
        trans,
        () => void app.commands.execute(CommandIDs.openSidebar)
      ),
      align: 'left',
      rank: 10
    });
  }
};

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  workspaces,
  templates,
  sidebar,
  bookmarks,
  workspaceStatus,
  cellExecutor,
  kqlCells,
  kqlEditorPlugin,
  kqlNotebookLauncher,
  resultsPlugin,
  bookmarkCreationPlugin,
  azurePlugin
];
export default plugins;
