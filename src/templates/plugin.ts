/**
 * The notebook templates plugin: the templates service over the package, the configured folders
 * and GitHub sources, and the clone, open, details and refresh commands.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  CommandToolbarButton,
  ICommandPalette,
  MainAreaWidget,
  Notification
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  duplicateIcon,
  infoIcon,
  notebookIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import type {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';
import { followSettingsWhenRestored } from '../settings';
import { ISentinelWorkspaces } from '../tokens';
import {
  cloneTemplate,
  openTemplatePreview,
  templateWidgetId
} from './commands';
import { TemplateDetailsView } from './details';
import { TemplatesModel } from './model';
import { TemplatesServer } from './server';
import {
  CommandIDs,
  ISentinelTemplates,
  type ITemplateFolderSetting,
  type ITemplateGitHubSetting,
  type ITemplateInfo
} from './tokens';

const PLUGIN_ID = 'jupyterlab-sentinel:templates';

/** Notebook templates: the service, its commands, the folders and sources from the settings. */
export const templatesPlugin: JupyterFrontEndPlugin<ISentinelTemplates> = {
  id: PLUGIN_ID,
  description:
    'Notebook templates from the package, configured folders and GitHub repositories, searchable and clonable.',
  autoStart: true,
  provides: ISentinelTemplates,
  requires: [ISettingRegistry, ISentinelWorkspaces],
  optional: [
    IDefaultFileBrowser,
    IDocumentManager,
    IRenderMimeRegistry,
    ICommandPalette,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry,
    workspaces: ISentinelWorkspaces,
    fileBrowser: IDefaultFileBrowser | null,
    docManager: IDocumentManager | null,
    rendermime: IRenderMimeRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): ISentinelTemplates => {
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
    const templateArgs = {
      type: 'object',
      properties: {
        source: {
          type: 'string',
          description: trans.__('Id of the template source, e.g. `package`')
        },
        id: {
          type: 'string',
          description: trans.__('Path of the template inside its source')
        }
      }
    };
    const argsOf = (template: ITemplateInfo): ReadonlyJSONObject => ({
      source: template.source,
      id: template.id
    });

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
              args: argsOf(template),
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

    const props = {
      model,
      workspaces,
      trans,
      onClone: (template: ITemplateInfo) =>
        void app.commands.execute(CommandIDs.cloneTemplate, argsOf(template)),
      onOpen: (template: ITemplateInfo) =>
        void app.commands.execute(CommandIDs.openTemplate, argsOf(template))
    };
    app.commands.addCommand(CommandIDs.openTemplateDetails, {
      label: trans.__('Show Template Details'),
      caption: trans.__(
        'Show a template’s description, required tables and fields in the main area'
      ),
      icon: infoIcon,
      isEnabled: args => templateOf(args) !== null,
      describedBy: { args: templateArgs },
      execute: args => {
        const template = templateOf(args);
        if (!template) {
          return;
        }
        const id = templateWidgetId('jp-sentinel-template-details', template);
        const open = Array.from(app.shell.widgets('main')).find(
          w => w.id === id
        );
        if (open) {
          app.shell.activateById(id);
          return;
        }
        const widget = new MainAreaWidget({
          content: new TemplateDetailsView(template, props)
        });
        widget.id = id;
        widget.title.label = trans.__('%1 (details)', template.title);
        widget.title.caption = trans.__(
          'Details of the template %1',
          template.id
        );
        widget.title.icon = infoIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
        app.shell.activateById(id);
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
      CommandIDs.openTemplateDetails,
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
