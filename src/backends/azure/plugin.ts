/**
 * The Azure backend in JupyterLab: its settings (`Sentinel: Azure`), the sign-in and sign-out
 * commands, and the signed-in account in the status bar. The backend joins the workspaces service
 * once an application (client) id is set, so a JupyterLab used only with local workspaces shows
 * nothing of Azure.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import {
  ITranslator,
  nullTranslator,
  type TranslationBundle
} from '@jupyterlab/translation';
import { linkIcon, lockIcon, userIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { ISentinelWorkspaces } from '../../tokens';
import { AzureAccountStatus } from './status';
import type { AuthFailure, IMsalOptions, MsalTokenProvider } from './auth';
import type { AzureBackend } from './backend';
import { PREVIEW_BOOKMARK_API_VERSION } from './bookmarks';
import { CommandIDs } from './tokens';
import {
  cloudEndpoints,
  isCloudName,
  type ICloudEndpoints,
  type ICloudOverrides
} from './clouds';

const PLUGIN_ID = 'jupyterlab-sentinel:azure';

/** Sign-in failures that the redirect URI, registered wrong or not at all, explains. */
const REDIRECT_FAILURES = new Set<AuthFailure>([
  'redirect-uri',
  'not-spa',
  'bridge-timeout'
]);

/** The settings of the Azure plugin, checked. */
export interface IAzureSettings {
  clientId: string;
  tenant: string;
  endpoints: ICloudEndpoints;
  redirectUri: string;
  bookmarkApiVersion: string;
}

/** This server's redirect bridge page (`<base URL>/sentinel/auth/redirect`). */
export function defaultRedirectUri(): string {
  return URLExt.join(PageConfig.getBaseUrl(), 'sentinel', 'auth', 'redirect');
}

/** Reads the settings; throws a `RangeError` naming a setting that is not valid. */
export function readAzureSettings(
  composite: Record<string, unknown>
): IAzureSettings {
  const text = (key: string, fallback = ''): string => {
    const value = composite[key];
    return typeof value === 'string' && value.trim() ? value.trim() : fallback;
  };
  const cloud = composite.cloud;
  const overrides = (composite.endpoints ?? {}) as ICloudOverrides;
  return {
    clientId: text('clientId'),
    tenant: text('tenant', 'organizations'),
    endpoints: cloudEndpoints(
      isCloudName(cloud) ? cloud : 'AzurePublic',
      overrides
    ),
    redirectUri: text('redirectUri', defaultRedirectUri()),
    bookmarkApiVersion: text('bookmarkApiVersion', PREVIEW_BOOKMARK_API_VERSION)
  };
}

/** Asks before opening a sign-in window from a click of its own (the browser blocked one). */
async function askToContinue(
  trans: TranslationBundle,
  message: string
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Sign In to Azure'),
    body: message,
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Sign In') })
    ]
  });
  return result.button.accept;
}

export const azurePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Azure workspaces: sign in with Entra ID, list Log Analytics workspaces, run queries and keep Sentinel bookmarks.',
  autoStart: true,
  requires: [ISentinelWorkspaces, ISettingRegistry],
  optional: [IStatusBar, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    registry: ISettingRegistry,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_sentinel');
    let settings: IAzureSettings | null = null;
    let tokens: MsalTokenProvider | null = null;
    let backend: AzureBackend | null = null;

    const msalOptions = (s: IAzureSettings): IMsalOptions => ({
      clientId: s.clientId,
      tenant: s.tenant,
      endpoints: s.endpoints,
      redirectUri: s.redirectUri,
      askToContinue: message => askToContinue(trans, message)
    });

    const openSettings = (): void =>
      void app.commands.execute('settingeditor:open', {
        query: 'Sentinel: Azure'
      });

    app.commands.addCommand(CommandIDs.setUpSignIn, {
      label: trans.__('Set Up Azure Sign-In…'),
      caption: trans.__(
        'Show the redirect URI to register in the Entra ID app registration, whole and copyable'
      ),
      icon: linkIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            problem: {
              type: 'string',
              description: trans.__('The sign-in failure that led here')
            }
          }
        }
      },
      execute: async args => {
        const { showRedirectUriSetup } = await import('./setup');
        const wantsSettings = await showRedirectUriSetup({
          uri: settings?.redirectUri ?? defaultRedirectUri(),
          problem: typeof args.problem === 'string' ? args.problem : undefined,
          trans
        });
        if (wantsSettings) {
          openSettings();
        }
      }
    });
    const showRedirectUri = (problem?: string) => ({
      label: trans.__('Show Redirect URI'),
      callback: () =>
        void app.commands.execute(
          CommandIDs.setUpSignIn,
          problem ? { problem } : {}
        )
    });

    app.commands.addCommand(CommandIDs.signIn, {
      label: trans.__('Sign In to Azure'),
      caption: trans.__(
        'Sign in with Microsoft Entra ID to list Azure workspaces, query them and save bookmarks'
      ),
      icon: userIcon,
      isEnabled: () => !tokens?.account,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: async () => {
        if (!tokens || !settings?.clientId) {
          // The URI itself is in the dialog: a notification cuts long text off.
          Notification.warning(
            trans.__(
              'Azure sign-in is not set up: it needs the application (client) id of an Entra ID app registration that lists this server’s redirect URI.'
            ),
            {
              actions: [
                showRedirectUri(),
                { label: trans.__('Open Settings'), callback: openSettings }
              ]
            }
          );
          return;
        }
        try {
          const account = await tokens.signIn();
          Notification.success(
            trans.__('Signed in to Azure as %1', account.username),
            { autoClose: 3000 }
          );
        } catch (error) {
          const message =
            error instanceof Error ? error.message : String(error);
          const { authFailureOf } = await import('./auth');
          Notification.error(message, {
            actions: REDIRECT_FAILURES.has(authFailureOf(error).reason)
              ? [showRedirectUri(message)]
              : []
          });
        }
      }
    });
    app.commands.addCommand(CommandIDs.signOut, {
      label: trans.__('Sign Out of Azure'),
      caption: trans.__(
        'Forget the Azure account and its tokens in this browser'
      ),
      icon: lockIcon,
      isEnabled: () => !!tokens?.account,
      describedBy: { args: { type: 'object', properties: {} } },
      execute: async () => {
        await tokens?.signOut();
      }
    });
    const category = trans.__('Sentinel');
    palette?.addItem({ command: CommandIDs.signIn, category });
    palette?.addItem({ command: CommandIDs.signOut, category });
    palette?.addItem({ command: CommandIDs.setUpSignIn, category });

    const status = new AzureAccountStatus(trans, () => {
      const command = tokens?.account ? CommandIDs.signOut : CommandIDs.signIn;
      void app.commands.execute(command);
    });
    // Shown once a client id is set: the status bar asks again when this signal fires.
    const statusShown = new Signal<object, void>(status);
    statusBar?.registerStatusItem(PLUGIN_ID, {
      item: status,
      align: 'left',
      rank: 11,
      isActive: () => !!settings?.clientId,
      activeStateChanged: statusShown
    });

    const accountChanged = (): void => {
      status.account = tokens?.account ?? null;
      app.commands.notifyCommandChanged(CommandIDs.signIn);
      app.commands.notifyCommandChanged(CommandIDs.signOut);
      void workspaces.refresh();
    };

    const configure = async (
      loaded: ISettingRegistry.ISettings
    ): Promise<void> => {
      try {
        settings = readAzureSettings(
          loaded.composite as Record<string, unknown>
        );
      } catch (error) {
        Notification.error(
          trans.__('The Azure settings are not valid: %1', String(error))
        );
        return;
      }
      status.redirectUri = settings.redirectUri;
      statusShown.emit();
      if (!settings.clientId) {
        return;
      }
      const options = {
        endpoints: settings.endpoints,
        bookmarkApiVersion: settings.bookmarkApiVersion
      };
      // The Azure clients load once a client id is set, not with JupyterLab.
      const [{ MsalTokenProvider }, { AzureBackend }] = await Promise.all([
        import('./auth'),
        import('./backend')
      ]);
      if (!tokens) {
        tokens = new MsalTokenProvider(msalOptions(settings), trans);
        tokens.accountChanged.connect(accountChanged);
        backend = new AzureBackend(trans.__('Azure'), {
          ...options,
          tokens,
          trans,
          signInAction: {
            label: trans.__('Sign In'),
            command: CommandIDs.signIn
          }
        });
        workspaces.addBackend(backend);
      } else {
        backend?.configure(options);
      }
      // Restores the account MSAL keeps for this app and tenant, without asking the user.
      await tokens
        .configure(msalOptions(settings))
        .catch(error =>
          console.warn('jupyterlab-sentinel: Azure sign-in not restored', error)
        );
      accountChanged();
    };

    // MSAL loads and restores the account once JupyterLab's shell is restored, not during its
    // start.
    void app.restored
      .then(() => registry.load(PLUGIN_ID))
      .then(loaded => {
        loaded.changed.connect(() => void configure(loaded));
        return configure(loaded);
      })
      .catch(error =>
        console.error(
          'jupyterlab-sentinel: Azure settings could not be loaded',
          error
        )
      );
  }
};
