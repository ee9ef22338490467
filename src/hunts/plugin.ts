/**
 * The hunts plugin: the hunts service over the shipped packs, the configured GitHub repositories
 * and rule folders, and
 * the commands that run a pack on the active workspace, cancel it, open a rule's hits in a KQL
 * cell and bookmark them.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  addIcon,
  refreshIcon,
  runIcon,
  stopIcon,
  notebookIcon
} from '@jupyterlab/ui-components';
import { UUID, type ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { ISentinelBookmarks } from '../bookmarks/tokens';
import { runInKqlCell } from '../cells/insert';
import { timeWindow } from '../cells/metadata';
import { ruleQuery, type IRuleResult } from '../kql/hunts/run';
import { ISentinelWorkspaces } from '../tokens';
import { HuntsModel } from './model';
import { WorkspaceHuntRunner } from './runner';
import { configureGitHubPacks, folderPack, serverPacks } from './sources';
import {
  CommandIDs,
  type IHuntGitHubSetting,
  type IHuntPackInfo,
  ISentinelHunts
} from './tokens';

const PLUGIN_ID = 'jupyterlab-sentinel:hunts';

/** Most hit rows a bookmark's entities are read from. */
const MAX_BOOKMARK_ROWS = 1000;

/** The `rule` argument of the commands on one rule's hits. */
const ruleArgs = {
  type: 'object',
  properties: {
    rule: {
      type: 'string',
      description: 'Id of a rule of the last hunt (its GUID, or its file)'
    }
  },
  required: ['rule']
};

/** Hunt packs: the service and its commands. */
export const huntsPlugin: JupyterFrontEndPlugin<ISentinelHunts> = {
  id: PLUGIN_ID,
  description:
    'Hunt packs of Microsoft Sentinel rules, run over the active workspace: outcomes by rule and by MITRE ATT&CK tactic.',
  autoStart: true,
  provides: ISentinelHunts,
  requires: [ISentinelWorkspaces],
  optional: [
    ISettingRegistry,
    ISentinelBookmarks,
    INotebookTracker,
    ICommandPalette,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    registry: ISettingRegistry | null,
    bookmarks: ISentinelBookmarks | null,
    tracker: INotebookTracker | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): ISentinelHunts => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    let folders: string[] = [];
    let concurrency = 2;
    // Why the server could not take the GitHub repositories of the settings, once it answered.
    let configured: Promise<string | null> = Promise.resolve(null);
    const messageOf = (error: unknown): string =>
      error instanceof Error ? error.message : String(error);
    const model = new HuntsModel({
      loadPacks: async () => {
        const contents = app.serviceManager.contents;
        const problem = await configured;
        const [served, ...local] = await Promise.all([
          serverPacks().catch((error): IHuntPackInfo[] => [
            {
              key: 'shipped:',
              source: 'shipped',
              name: trans.__('Shipped packs'),
              pack: null,
              error: messageOf(error)
            }
          ]),
          ...folders.map(folder => folderPack(contents, folder))
        ]);
        const unconfigured: IHuntPackInfo[] = problem
          ? [
              {
                key: 'github:',
                source: 'github',
                name: trans.__('GitHub repositories'),
                pack: null,
                error: problem
              }
            ]
          : [];
        return [...served, ...unconfigured, ...local];
      },
      runnerFor: (workspace, signal) => {
        const backend = workspaces.backendOf(workspace);
        if (!backend) {
          throw new Error(`no backend serves the workspace ${workspace.name}`);
        }
        return new WorkspaceHuntRunner(backend, workspace, signal);
      },
      get concurrency() {
        return concurrency;
      }
    });

    const resultOf = (args: ReadonlyPartialJSONObject): IRuleResult | null =>
      typeof args.rule === 'string' ? (model.result(args.rule) ?? null) : null;

    app.commands.addCommand(CommandIDs.refreshHunts, {
      label: trans.__('Refresh Hunt Packs'),
      caption: trans.__(
        'Read the shipped hunt packs, the GitHub repositories and the rule folders again'
      ),
      icon: refreshIcon,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => model.refresh()
    });

    app.commands.addCommand(CommandIDs.runHuntPack, {
      label: args => {
        const pack =
          typeof args.pack === 'string'
            ? model.find(args.pack)
            : model.selected;
        return pack && typeof args.pack === 'string'
          ? trans.__('Run Hunt Pack “%1”', pack.name)
          : trans.__('Run Hunt Pack');
      },
      caption: trans.__(
        'Run every rule of the hunt pack on the active workspace, each over its own query period ending now'
      ),
      icon: runIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            pack: {
              type: 'string',
              description: trans.__(
                'Key of the pack (`shipped:demo`, `folder:rules`); the selected one when not given'
              )
            },
            window: {
              type: 'string',
              description: trans.__(
                'One window for every rule, as a KQL cell’s time range (`P7D`, `start/end`); each rule’s own query period ending now when not given'
              )
            }
          }
        }
      },
      isEnabled: args => {
        const pack =
          typeof args.pack === 'string'
            ? model.find(args.pack)
            : model.selected;
        return (
          !model.running && !!pack?.pack?.rules.length && !!workspaces.active
        );
      },
      execute: async args => {
        const key =
          typeof args.pack === 'string' ? args.pack : model.selected?.key;
        const workspace = workspaces.active;
        if (!key) {
          return;
        }
        if (!workspace) {
          Notification.warning(
            trans.__('Choose a workspace in the Sentinel sidebar to hunt in.'),
            { autoClose: 5000 }
          );
          return;
        }
        let chosen;
        if (typeof args.window === 'string' && args.window) {
          chosen = timeWindow(args.window, new Date());
          if (!chosen) {
            Notification.warning(
              trans.__('“%1” is not a time window.', args.window),
              { autoClose: 5000 }
            );
            return;
          }
        }
        try {
          await model.start(key, workspace, chosen ?? undefined);
        } catch (error) {
          Notification.error(
            error instanceof Error ? error.message : String(error),
            { autoClose: 8000 }
          );
        }
      }
    });

    app.commands.addCommand(CommandIDs.cancelHunt, {
      label: trans.__('Cancel Hunt'),
      caption: trans.__(
        'Stop starting rules of the hunt under way; the rules running finish'
      ),
      icon: stopIcon,
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: () => model.running,
      execute: () => model.cancel()
    });

    app.commands.addCommand(CommandIDs.openHuntHits, {
      label: trans.__('Open Hunt Hits in a KQL Cell'),
      caption: trans.__(
        'Insert a KQL cell with the rule’s query and window into the open notebook (a new one when it runs on another workspace) and run it'
      ),
      icon: notebookIcon,
      describedBy: { args: ruleArgs },
      isEnabled: args => !!tracker && !!resultOf(args),
      execute: async args => {
        const result = resultOf(args);
        const workspace = model.run?.workspace;
        if (!result || !workspace || !tracker) {
          return;
        }
        const { start, end } = result.window;
        await runInKqlCell(
          app,
          tracker,
          workspace,
          ruleQuery(result.rule, result.window),
          `${start.toISOString()}/${end.toISOString()}`
        );
      }
    });

    app.commands.addCommand(CommandIDs.bookmarkHuntHits, {
      label: trans.__('Bookmark Hunt Hits'),
      caption: trans.__(
        'Save a hunting bookmark of the rule’s hits, with the entities its entity mappings name and its tactics and techniques'
      ),
      icon: addIcon,
      describedBy: { args: ruleArgs },
      isEnabled: args => !!bookmarks && resultOf(args)?.outcome === 'hits',
      execute: async args => {
        const result = resultOf(args);
        const workspace = model.run?.workspace;
        const backend = workspace && workspaces.backendOf(workspace);
        if (!result || !workspace || !backend || !bookmarks) {
          return;
        }
        try {
          const answer = await backend.query(
            workspace.id,
            ruleQuery(result.rule, result.window),
            {
              timespan: result.window,
              now: result.window.end,
              maxRows: MAX_BOOKMARK_ROWS
            }
          );
          const rows = answer.table
            .toArray()
            .map(row => row.toJSON() as Record<string, unknown>);
          const { huntBookmarkFields } = await import('./bookmark');
          const fields = huntBookmarkFields(result, rows);
          const bookmark = await bookmarks.create(
            workspace,
            UUID.uuid4(),
            fields
          );
          Notification.success(
            trans.__(
              'Bookmark “%1” saved with %2 entities.',
              bookmark.displayName,
              fields.entityMappings?.length ?? 0
            ),
            { autoClose: 5000 }
          );
        } catch (error) {
          Notification.error(
            trans.__(
              'The bookmark of “%1” is not saved: %2',
              result.rule.name,
              error instanceof Error ? error.message : String(error)
            ),
            { autoClose: 8000 }
          );
        }
      }
    });

    for (const command of [
      CommandIDs.runHuntPack,
      CommandIDs.cancelHunt,
      CommandIDs.refreshHunts
    ]) {
      palette?.addItem({ command, category: trans.__('Sentinel') });
    }
    model.changed.connect(() => {
      app.commands.notifyCommandChanged(CommandIDs.runHuntPack);
      app.commands.notifyCommandChanged(CommandIDs.cancelHunt);
    });
    workspaces.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.runHuntPack)
    );

    const load = (settings: ISettingRegistry.ISettings): void => {
      folders = (settings.composite.huntFolders as string[] | undefined) ?? [];
      concurrency = (settings.composite.concurrency as number | undefined) ?? 2;
      const github = (settings.composite.githubSources ??
        []) as unknown as IHuntGitHubSetting[];
      configured = configureGitHubPacks(github).then(
        () => null,
        error => messageOf(error)
      );
      void model.refresh();
    };
    // The packs are read once JupyterLab's shell is restored, not during its start.
    void app.restored.then(() => {
      if (registry) {
        void registry
          .load(PLUGIN_ID)
          .then(settings => {
            load(settings);
            settings.changed.connect(load);
          })
          .catch(() => void model.refresh());
      } else {
        void model.refresh();
      }
    });
    return model;
  }
};
