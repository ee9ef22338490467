import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import { LocalBackend } from './backends/local/backend';
import { sentinelIcon } from './sidebar/icon';
import { SentinelSidebar } from './sidebar/widget';
import { ILocalWorkspaceSetting, ISentinelWorkspaces } from './tokens';
import { WorkspacesModel } from './workspaces/model';

namespace CommandIDs {
  export const openSidebar = 'sentinel:open-sidebar';
  export const refreshWorkspaces = 'sentinel:refresh-workspaces';
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

/** The Sentinel sidebar in the left area. */
const sidebar: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:sidebar',
  description:
    'The Sentinel sidebar: workspaces and the schema of the active one.',
  autoStart: true,
  requires: [ISentinelWorkspaces],
  optional: [ILabShell, ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: ISentinelWorkspaces,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const panel = new SentinelSidebar(model, trans);
    app.shell.add(panel, 'left', { rank: 150 });
    restorer?.add(panel, panel.id);

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

const plugins: JupyterFrontEndPlugin<unknown>[] = [workspaces, sidebar];
export default plugins;
