/**
 * The workspaces plugins: the workspaces service with the local backend (configured from the
 * `Sentinel` settings, whose local folders are this plugin's), the refresh and run-query commands,
 * and the active workspace in the status bar.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import { LocalBackend } from '../backends/local/backend';
import type { KqlLanguageClient } from '../cells/editor/client';
import { IKqlLanguage } from '../cells/editor/tokens';
import { followSettingsWhenRestored } from '../settings';
import { sentinelIcon } from '../sidebar/icon';
import { CommandIDs as SidebarCommandIDs } from '../sidebar/tokens';
import { type ILocalWorkspaceSetting, ISentinelWorkspaces } from '../tokens';
import { WorkspacesModel } from './model';
import {
  runOnActiveWorkspace,
  runQueryArgs,
  runQueryArgsSchema
} from './query';
import { WorkspaceStatus } from './status';
import { CommandIDs } from './tokens';

/** The plugin's id, which its settings (`schema/plugin.json`) are stored under. */
const PLUGIN_ID = 'jupyterlab-sentinel:plugin';

function localFolders(
  settings: ISettingRegistry.ISettings
): ILocalWorkspaceSetting[] {
  return settings.get('localWorkspaces')
    .composite as unknown as ILocalWorkspaceSetting[];
}

/** The workspaces service, with the local backend registered and configured from the settings. */
export const workspacesPlugin: JupyterFrontEndPlugin<ISentinelWorkspaces> = {
  id: PLUGIN_ID,
  description:
    'The workspaces of every backend (local, Azure) and the active one.',
  autoStart: true,
  provides: ISentinelWorkspaces,
  requires: [ISettingRegistry],
  optional: [ICommandPalette, ITranslator, IKqlLanguage],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    language: KqlLanguageClient | null
  ): ISentinelWorkspaces => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const model = new WorkspacesModel();
    // Queries compile in the language service's worker; without it, on the page.
    const local = new LocalBackend(
      trans.__('Local workspaces'),
      undefined,
      language ? language.compileStatements.bind(language) : undefined
    );
    model.addBackend(local);

    app.commands.addCommand(CommandIDs.refreshWorkspaces, {
      label: trans.__('Refresh Sentinel Workspaces'),
      caption: trans.__('List the workspaces again and re-read the schema'),
      icon: refreshIcon,
      execute: () => model.refresh(),
      describedBy: { args: { type: 'object', properties: {} } }
    });
    palette?.addItem({
      command: CommandIDs.refreshWorkspaces,
      category: trans.__('Sentinel')
    });

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
    followSettingsWhenRestored(
      app,
      registry,
      PLUGIN_ID,
      configure,
      () => void model.refresh()
    );
    return model;
  }
};

/** The active workspace in the status bar; a click opens the Sentinel sidebar. */
export const workspaceStatusPlugin: JupyterFrontEndPlugin<void> = {
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
        () => void app.commands.execute(SidebarCommandIDs.openSidebar)
      ),
      align: 'left',
      rank: 10
    });
  }
};
