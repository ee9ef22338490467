/**
 * Signing in to Entra ID and the access tokens of the Azure APIs.
 *
 * The backend asks an `IAzureTokenProvider` for one token per resource (ARM, Log Analytics). The
 * product's provider is `MsalTokenProvider`: MSAL.js's PublicClientApplication, with a popup
 * sign-in that returns through the redirect bridge page the server extension serves, silent
 * renewal, and an interactive fallback when Entra ID wants the user again. Failures become
 * `AzureAuthError`s whose message says what to do.
 */
import type {
  AccountInfo,
  AuthenticationResult,
  Configuration,
  PublicClientApplication
} from '@azure/msal-browser';
import type { TokenCredential } from '@azure/core-auth';
import {
  nullTranslator,
  type TranslationBundle
} from '@jupyterlab/translation';
import { type ISignal, Signal } from '@lumino/signaling';
import { type AzureResource, type ICloudEndpoints, scopeOf } from './clouds';

/** The signed-in user. */
export interface IAzureAccount {
  /** Sign-in name, usually the e-mail address. */
  username: string;
  /** Display name. */
  name: string;
  /** The Entra ID tenant the account signed in to. */
  tenantId: string;
}

/** An access token for one resource. */
export interface IAccessToken {
  /** The bearer token. */
  token: string;
  /** When it expires, in milliseconds since the epoch. */
  expiresOn: number;
}

/** How a token may be obtained. */
export interface ITokenRequest {
  /** Skips cached tokens: the service refused the one the cache holds. */
  forceRefresh?: boolean;
  /**
   * Lets the provider ask the user (a popup) when a silent renewal is not enough. Background work
   * (listing workspaces at start-up) passes false and fails with reason `interaction-required`;
   * work the user started (running a query) passes true and waits for the sign-in.
   */
  interactive?: boolean;
}

/** A source of access tokens for the Azure APIs. */
export interface IAzureTokenProvider {
  /** The signed-in account, or null. */
  readonly account: IAzureAccount | null;
  /** Emitted when the user signs in or out. */
  readonly accountChanged: ISignal<IAzureTokenProvider, IAzureAccount | null>;
  /** Signs in interactively; resolves with the account. */
  signIn(): Promise<IAzureAccount>;
  /** Forgets the account and its tokens in this browser. */
  signOut(): Promise<void>;
  /** A token for one resource; rejects with an `AzureAuthError`. */
  getToken(
    resource: AzureResource,
    request?: ITokenRequest
  ): Promise<IAccessToken>;
}

/** Why signing in or getting a token failed. */
export type AuthFailure =
  | 'not-configured'
  | 'not-signed-in'
  | 'interaction-required'
  | 'popup-blocked'
  | 'cancelled'
  | 'busy'
  | 'consent-required'
  | 'wrong-tenant'
  | 'redirect-uri'
  | 'not-spa'
  | 'bridge-timeout'
  | 'network'
  | 'failed';

/** A failure to sign in or to get a token, with a message that says what to do. */
export class AzureAuthError extends Error {
  constructor(
    /** What went wrong. */
    readonly reason: AuthFailure,
    message: string,
    /** Entra ID's or MSAL's own text, when there is one. */
    readonly detail?: string
  ) {
    super(
      detail && !message.includes(detail) ? `${message} (${detail})` : message
    );
    this.name = 'AzureAuthError';
  }
}

/** The parts of an MSAL error the failure is told from. */
interface IMsalErrorLike {
  errorCode?: unknown;
  errorMessage?: unknown;
  subError?: unknown;
  name?: unknown;
  message?: unknown;
}

/** MSAL's codes for "the user must take part" (`InteractionRequiredAuthErrorCodes`, OIDC). */
const INTERACTION_CODES = new Set([
  'interaction_required',
  'consent_required',
  'login_required',
  'no_tokens_found',
  'refresh_token_expired',
  'bad_token',
  'native_account_unavailable',
  'ux_not_allowed'
]);

/** Entra ID's AADSTS codes of the common failures, by what they mean to the user. */
const AADSTS: Record<string, AuthFailure> = {
  // Neither the user nor an administrator consented to the app's permissions.
  '65001': 'consent-required',
  '65004': 'consent-required',
  '90094': 'consent-required',
  '90008': 'consent-required',
  // The account or the app does not belong to the tenant asked for.
  '50020': 'wrong-tenant',
  '50034': 'wrong-tenant',
  '90072': 'wrong-tenant',
  '700016': 'wrong-tenant',
  '90002': 'wrong-tenant',
  '50011': 'redirect-uri',
  '500113': 'redirect-uri',
  '9002326': 'not-spa',
  '9002327': 'not-spa'
};

/** The failure an error of MSAL (or of Entra ID, carried by MSAL) stands for. */
export function authFailureOf(error: unknown): {
  reason: AuthFailure;
  detail: string;
} {
  if (error instanceof AzureAuthError) {
    return { reason: error.reason, detail: error.detail ?? '' };
  }
  const e = (
    typeof error === 'object' && error !== null ? error : {}
  ) as IMsalErrorLike;
  const code = typeof e.errorCode === 'string' ? e.errorCode : '';
  const text = [e.errorMessage, e.message]
    .filter((part): part is string => typeof part === 'string')
    .join(' ');
  const detail =
    (typeof e.errorMessage === 'string' && e.errorMessage) ||
    (typeof e.message === 'string' ? e.message : String(error));
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  if (aadsts && AADSTS[aadsts]) {
    return { reason: AADSTS[aadsts], detail };
  }
  switch (code) {
    case 'popup_window_error':
    case 'empty_window_error':
      return { reason: 'popup-blocked', detail };
    case 'user_cancelled':
    case 'access_denied':
      return { reason: 'cancelled', detail };
    case 'interaction_in_progress':
      return { reason: 'busy', detail };
    case 'timed_out':
    case 'redirect_bridge_empty_response':
      return { reason: 'bridge-timeout', detail };
    case 'no_network_connectivity':
    case 'post_request_failed':
    case 'get_request_failed':
    case 'endpoints_resolution_error':
      return { reason: 'network', detail };
    case 'no_account_error':
      return { reason: 'not-signed-in', detail };
  }
  if (
    INTERACTION_CODES.has(code) ||
    e.name === 'InteractionRequiredAuthError'
  ) {
    return {
      reason:
        code === 'consent_required'
          ? 'consent-required'
          : 'interaction-required',
      detail
    };
  }
  return { reason: 'failed', detail };
}

/** What the user reads for each failure. */
export function authFailureMessage(
  reason: AuthFailure,
  context: { redirectUri?: string; tenant?: string },
  trans: TranslationBundle = nullTranslator.load('jupyterlab_sentinel')
): string {
  switch (reason) {
    case 'not-configured':
      return trans.__(
        'Azure sign-in is not set up: enter the application (client) id of your Entra ID app registration in Settings → Sentinel: Azure.'
      );
    case 'not-signed-in':
      return trans.__(
        'You are not signed in to Azure: run “Sign In to Azure” (status bar or command palette).'
      );
    case 'interaction-required':
      return trans.__(
        'Your Azure sign-in has expired: run “Sign In to Azure” again.'
      );
    case 'popup-blocked':
      return trans.__(
        'The browser blocked the Azure sign-in window: allow pop-ups for this site and try again.'
      );
    case 'cancelled':
      return trans.__('The Azure sign-in was cancelled.');
    case 'busy':
      return trans.__(
        'An Azure sign-in window is already open: finish it first.'
      );
    case 'consent-required':
      return trans.__(
        'The app registration needs consent to read Log Analytics data and Azure resources: ask an administrator to grant consent for “Log Analytics API · Data.Read” and “Azure Service Management · user_impersonation”.'
      );
    case 'wrong-tenant':
      return context.tenant
        ? trans.__(
            'Your account or the app registration is not in the tenant “%1”: check the tenant and client id in Settings → Sentinel: Azure.',
            context.tenant
          )
        : trans.__(
            'Your account or the app registration is not in this tenant: set the tenant in Settings → Sentinel: Azure.'
          );
    case 'redirect-uri':
      return trans.__(
        'The app registration does not list this redirect URI: add %1 as a “Single-page application” redirect URI in Entra ID.',
        context.redirectUri ?? ''
      );
    case 'not-spa':
      return trans.__(
        'The redirect URI %1 is registered under the “Web” platform: register it under “Single-page application” instead.',
        context.redirectUri ?? ''
      );
    case 'bridge-timeout':
      return trans.__(
        'The sign-in window did not come back to JupyterLab: check that %1 is the redirect URI registered in Entra ID, and that the page opens.',
        context.redirectUri ?? ''
      );
    case 'network':
      return trans.__('Entra ID could not be reached: check the network.');
    case 'failed':
      return trans.__('The Azure sign-in failed.');
  }
}

/**
 * The `TokenCredential` the Azure SDK asks for, backed by a token provider for one resource. The
 * SDK's scopes are ignored: the resource decides the token, one token per resource.
 */
export function tokenCredential(
  provider: IAzureTokenProvider,
  resource: AzureResource,
  request: ITokenRequest = {}
): TokenCredential {
  return {
    getToken: async () => {
      const token = await provider.getToken(resource, request);
      return { token: token.token, expiresOnTimestamp: token.expiresOn };
    }
  };
}

/** What the MSAL token provider needs to know. */
export interface IMsalOptions {
  /** The application (client) id of the Entra ID app registration. */
  clientId: string;
  /** Tenant id or domain; `organizations` for any work account. */
  tenant: string;
  /** The cloud's endpoints, with overrides applied. */
  endpoints: ICloudEndpoints;
  /** The absolute URL of the redirect bridge page, registered as a SPA redirect URI. */
  redirectUri: string;
  /** Asks the user to click before a sign-in window opens, when the browser blocked one. */
  askToContinue?: (message: string) => Promise<boolean>;
}

function accountOf(account: AccountInfo): IAzureAccount {
  return {
    username: account.username,
    name: account.name ?? account.username,
    tenantId: account.tenantId
  };
}

/**
 * Tokens from MSAL.js. The PublicClientApplication is created (and MSAL's code loaded) on first
 * use; its cache lives in the browser's session storage, so a reload keeps the sign-in.
 */
export class MsalTokenProvider implements IAzureTokenProvider {
  constructor(
    private _options: IMsalOptions,
    private readonly _trans: TranslationBundle = nullTranslator.load(
      'jupyterlab_sentinel'
    )
  ) {}

  /** The redirect URI the app registration must list. */
  get redirectUri(): string {
    return this._options.redirectUri;
  }

  /**
   * Changes the app, tenant or endpoints (the settings changed). A new PublicClientApplication is
   * made on next use; an account of the previous configuration is restored only if MSAL still has
   * it for the new one.
   */
  async configure(options: IMsalOptions): Promise<IAzureAccount | null> {
    this._options = options;
    this._created = null;
    if (!options.clientId.trim()) {
      this._setAccount(null);
      return null;
    }
    // Sets the account once, to the restored one or null: one change signal, not two.
    return this.restore();
  }

  get account(): IAzureAccount | null {
    return this._account;
  }

  get accountChanged(): ISignal<this, IAzureAccount | null> {
    return this._accountChanged;
  }

  /** Restores the account a previous page load signed in, without asking the user. */
  async restore(): Promise<IAzureAccount | null> {
    const app = await this._app();
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
    if (account) {
      app.setActiveAccount(account);
    }
    this._setAccount(account ? accountOf(account) : null);
    return this._account;
  }

  async signIn(): Promise<IAzureAccount> {
    const app = await this._app();
    const { endpoints } = this._options;
    const result = await this._interact(() =>
      app.loginPopup({
        scopes: [scopeOf(endpoints.resources.logAnalytics)],
        // One token per resource, but consent to both at once so the ARM token needs no prompt.
        extraScopesToConsent: [scopeOf(endpoints.resources.arm)],
        prompt: 'select_account'
      })
    );
    app.setActiveAccount(result.account);
    this._setAccount(accountOf(result.account));
    return this._account!;
  }

  async signOut(): Promise<void> {
    const app = await this._app();
    const account = app.getActiveAccount();
    // Forget the account in this browser; the Entra ID session of other sites stays as it is.
    await app.clearCache(account ? { account } : undefined);
    app.setActiveAccount(null);
    this._setAccount(null);
  }

  async getToken(
    resource: AzureResource,
    request: ITokenRequest = {}
  ): Promise<IAccessToken> {
    const app = await this._app();
    const account = app.getActiveAccount();
    if (!account) {
      throw this._error('not-signed-in');
    }
    const scopes = [scopeOf(this._options.endpoints.resources[resource])];
    let result: AuthenticationResult;
    try {
      result = await app.acquireTokenSilent({
        scopes,
        account,
        forceRefresh: request.forceRefresh
      });
    } catch (error) {
      const { reason } = authFailureOf(error);
      if (
        (reason !== 'interaction-required' && reason !== 'consent-required') ||
        !request.interactive
      ) {
        throw this._failure(error);
      }
      result = await this._interact(() =>
        app.acquireTokenPopup({ scopes, account })
      );
    }
    return {
      token: result.accessToken,
      expiresOn: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000
    };
  }

  /**
   * Runs one interactive MSAL call at a time (MSAL refuses concurrent ones). When the browser
   * blocks the window (no recent click: the call came after a query had started), the user is
   * asked to continue, and the call is tried again from that click.
   */
  private _interact(
    call: () => Promise<AuthenticationResult>
  ): Promise<AuthenticationResult> {
    const run = async (): Promise<AuthenticationResult> => {
      try {
        return await call();
      } catch (error) {
        const { reason } = authFailureOf(error);
        const ask = this._options.askToContinue;
        if (reason === 'popup-blocked' && ask) {
          const proceed = await ask(
            this._trans.__(
              'Azure needs you to sign in again to continue. The browser blocked the sign-in window.'
            )
          );
          if (proceed) {
            try {
              return await call();
            } catch (second) {
              throw this._failure(second);
            }
          }
          throw this._error('cancelled');
        }
        throw this._failure(error);
      }
    };
    const next = this._interaction.then(run, run);
    this._interaction = next.catch(() => undefined);
    return next;
  }

  private _app(): Promise<PublicClientApplication> {
    if (!this._created) {
      this._created = this._create();
      // A failed start (bad configuration, MSAL's code not loading) is tried again next time.
      this._created.catch(() => (this._created = null));
    }
    return this._created;
  }

  private async _create(): Promise<PublicClientApplication> {
    const { clientId, tenant, endpoints, redirectUri } = this._options;
    if (!clientId.trim()) {
      throw this._error('not-configured');
    }
    const msal = await import('@azure/msal-browser');
    const config: Configuration = {
      auth: {
        clientId: clientId.trim(),
        authority: `${endpoints.login}/${tenant.trim() || 'organizations'}`,
        // MSAL only trusts Microsoft's login hosts by itself; an overridden one is trusted here.
        knownAuthorities: [new URL(endpoints.login).host],
        redirectUri,
        postLogoutRedirectUri: null
      },
      cache: { cacheLocation: 'sessionStorage' }
    };
    const app = new msal.PublicClientApplication(config);
    await app.initialize();
    return app;
  }

  private _setAccount(account: IAzureAccount | null): void {
    const before = this._account;
    this._account = account;
    if (
      before?.username !== account?.username ||
      before?.tenantId !== account?.tenantId
    ) {
      this._accountChanged.emit(account);
    }
  }

  private _failure(error: unknown): AzureAuthError {
    const { reason, detail } = authFailureOf(error);
    return this._error(reason, detail);
  }

  private _error(reason: AuthFailure, detail?: string): AzureAuthError {
    const message = authFailureMessage(
      reason,
      { redirectUri: this._options.redirectUri, tenant: this._options.tenant },
      this._trans
    );
    return new AzureAuthError(reason, message, detail);
  }

  private _account: IAzureAccount | null = null;
  private _accountChanged = new Signal<this, IAzureAccount | null>(this);
  private _created: Promise<PublicClientApplication> | null = null;
  private _interaction: Promise<unknown> = Promise.resolve();
}
