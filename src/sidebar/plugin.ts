/**
 * The Sentinel sidebar plugin: the workspaces and schema sections, and the templates and bookmarks
 * sections when those services are there, whose buttons run the templates' and bookmarks' commands.
 */
import {
  ILabShell,
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { CommandToolbarButton, ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import {
  CommandIDs as BookmarkCommandIDs,
  ISentinelBookmarks
} from '../bookmarks/tokens';
import {
  CommandIDs as TemplateCommandIDs,
  ISentinelTemplates,
  type ITemplateInfo
} from '../templates/tokens';
import { BookmarksPanel } from '../bookmarks/widget';
import { CommandIDs as HuntCommandIDs, ISentinelHunts } from '../hunts/tokens';
import { HuntsPanel } from '../hunts/widget';
import { TemplatesPanel } from '../templates/widget';
import { ISentinelWorkspaces } from '../tokens';
import { sentinelIcon } from './icon';
import { CommandIDs } from './tokens';
import { SECTION_IDS, SentinelSidebar } from './widget';

/** The Sentinel sidebar in the left area. */
export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
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
    IStateDB,
    INotebookTracker,
    ISentinelHunts
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
    state: IStateDB | null,
    notebooks: INotebookTracker | null,
    huntModel: ISentinelHunts | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    const panel = new SentinelSidebar(model, trans, app.commands, notebooks);
    if (templateModel) {
      const args = (template: ITemplateInfo): ReadonlyPartialJSONObject => ({
        source: template.source,
        id: template.id
      });
      const run = (command: string, template: ITemplateInfo): void =>
        void app.commands.execute(command, args(template));
      panel.addWidget(
        new TemplatesPanel({
          model: templateModel,
          workspaces: model,
          trans,
          onClone: template => run(TemplateCommandIDs.cloneTemplate, template),
          onOpen: template => run(TemplateCommandIDs.openTemplate, template),
          onDetails: template =>
            run(TemplateCommandIDs.openTemplateDetails, template)
        })
      );
    }
    if (bookmarkModel) {
      const section = new BookmarksPanel({
        model: bookmarkModel,
        trans,
        onDelete: bookmark =>
          void app.commands.execute(BookmarkCommandIDs.deleteBookmark, {
            id: bookmark.id
          }),
        onRun: bookmark =>
          void app.commands.execute(BookmarkCommandIDs.runBookmarkQuery, {
            id: bookmark.id
          })
      });
      section.id = SECTION_IDS.bookmarks;
      section.toolbar.addItem(
        'refresh',
        new CommandToolbarButton({
          commands: app.commands,
          id: BookmarkCommandIDs.refreshBookmarks,
          label: ''
        })
      );
      panel.addWidget(section);
    }
    if (huntModel) {
      const rule = (command: string, ruleId: string): void =>
        void app.commands.execute(command, { rule: ruleId });
      const section = new HuntsPanel({
        model: huntModel,
        trans,
        onRun: (pack, window) =>
          void app.commands.execute(HuntCommandIDs.runHuntPack, {
            pack: pack.key,
            window
          }),
        onCancel: () => void app.commands.execute(HuntCommandIDs.cancelHunt),
        onOpen: result => rule(HuntCommandIDs.openHuntHits, result.rule.id),
        onBookmark: result =>
          rule(HuntCommandIDs.bookmarkHuntHits, result.rule.id)
      });
      section.id = SECTION_IDS.hunts;
      section.toolbar.addItem(
        'refresh',
        new CommandToolbarButton({
          commands: app.commands,
          id: HuntCommandIDs.refreshHunts,
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
    palette?.addItem({
      command: CommandIDs.openSidebar,
      category: trans.__('Sentinel')
    });
  }
};
