import {
  AzureAuthError,
  authFailureMessage,
  authFailureOf,
  MsalTokenProvider
} from '../backends/azure/auth';
import { AzureBackend } from '../backends/azure/backend';
import { PREVIEW_BOOKMARK_API_VERSION } from '../backends/azure/bookmarks';
import { CLOUDS, cloudEndpoints, scopeOf } from '../backends/azure/clouds';
import { readAzureSettings } from '../backends/azure/plugin';

/** An error shaped like MSAL's `AuthError` (errorCode, errorMessage, subError). */
function msalError(
  errorCode: string,
  errorMessage = '',
  name = 'BrowserAuthError'
): Error {
  return Object.assign(new Error(`${errorCode}: ${errorMessage}`), {
    name,
    errorCode,
    errorMessage,
    subError: ''
  });
}

describe('Azure sign-in failures', () => {
  it.each([
    [msalError('popup_window_error'), 'popup-blocked'],
    [msalError('empty_window_error'), 'popup-blocked'],
    [msalError('user_cancelled'), 'cancelled'],
    [msalError('interaction_in_progress'), 'busy'],
    [msalError('timed_out'), 'bridge-timeout'],
    [msalError('no_network_connectivity'), 'network'],
    [
      msalError(
        'invalid_grant',
        'AADSTS65001: The user or administrator has not consented to use the application.',
        'ServerError'
      ),
      'consent-required'
    ],
    [
      msalError(
        'invalid_request',
        "AADSTS50020: User account from identity provider does not exist in tenant 'Contoso'.",
        'ServerError'
      ),
      'wrong-tenant'
    ],
    [
      msalError(
        'invalid_request',
        "AADSTS50011: The redirect URI 'http://localhost:8888/sentinel/auth/redirect' does not match.",
        'ServerError'
      ),
      'redirect-uri'
    ],
    [
      msalError(
        'invalid_request',
        "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.",
        'ServerError'
      ),
      'not-spa'
    ],
    [
      msalError('login_required', '', 'InteractionRequiredAuthError'),
      'interaction-required'
    ],
    [new Error('something else'), 'failed']
  ])('tells %s apart', (error, reason) => {
    expect(authFailureOf(error).reason).toBe(reason);
  });

  it('says what to do, naming the redirect URI and the tenant', () => {
    const uri = 'http://localhost:8888/sentinel/auth/redirect';
    expect(authFailureMessage('not-spa', { redirectUri: uri })).toContain(uri);
    expect(authFailureMessage('redirect-uri', { redirectUri: uri })).toMatch(
      /Single-page application/
    );
    expect(
      authFailureMessage('wrong-tenant', { tenant: 'contoso.example' })
    ).toContain('contoso.example');
    expect(authFailureMessage('popup-blocked', {})).toMatch(/pop-ups/);
    expect(authFailureMessage('consent-required', {})).toMatch(/Data\.Read/);
  });

  it('asks for the client id before loading MSAL', async () => {
    const provider = new MsalTokenProvider({
      clientId: ' ',
      tenant: 'organizations',
      endpoints: CLOUDS.AzurePublic,
      redirectUri: 'http://localhost:8888/sentinel/auth/redirect'
    });
    await expect(provider.signIn()).rejects.toMatchObject({
      reason: 'not-configured'
    });
    await expect(provider.getToken('arm')).rejects.toBeInstanceOf(
      AzureAuthError
    );
  });

  it('says so when the account sees no subscriptions', async () => {
    const backend = new AzureBackend('Azure', {
      endpoints: CLOUDS.AzurePublic,
      bookmarkApiVersion: PREVIEW_BOOKMARK_API_VERSION,
      tokens: {
        account: {
          username: 'guest@contoso.example',
          name: 'Guest',
          tenantId: 't'
        },
        accountChanged: null as never,
        signIn: () => Promise.reject(new Error('not used')),
        signOut: () => Promise.resolve(),
        getToken: () =>
          Promise.resolve({ token: 't', expiresOn: Date.now() + 60_000 })
      },
      // ARM's answer for an account without any role on a subscription.
      fetch: () =>
        Promise.resolve(
          new Response(
            JSON.stringify({ value: [], count: { type: 'Total', value: 0 } })
          )
        )
    });
    await expect(backend.listWorkspaces()).rejects.toThrow(
      /guest@contoso\.example sees no Azure subscriptions/
    );
  });
});

describe('Azure settings', () => {
  it('gives each cloud its endpoints and one scope per resource', () => {
    const gov = cloudEndpoints('AzureUSGovernment');
    expect(gov.login).toBe('https://login.microsoftonline.us');
    expect(scopeOf(gov.resources.logAnalytics)).toBe(
      'https://api.loganalytics.us/.default'
    );
    expect(scopeOf(CLOUDS.AzureChina.resources.logAnalytics)).toBe(
      'https://api.loganalytics.azure.cn/.default'
    );
  });

  it('reads overrides, defaults and the redirect page', () => {
    const settings = readAzureSettings({
      clientId: ' 1234 ',
      cloud: 'AzurePublic',
      endpoints: { arm: 'https://arm.private.example/' }
    });
    expect(settings.clientId).toBe('1234');
    expect(settings.tenant).toBe('organizations');
    expect(settings.endpoints.arm).toBe('https://arm.private.example');
    expect(settings.endpoints.resources.arm).toBe(
      'https://management.azure.com'
    );
    expect(settings.redirectUri).toMatch(/\/sentinel\/auth\/redirect$/);
    expect(settings.bookmarkApiVersion).toBe(PREVIEW_BOOKMARK_API_VERSION);
  });

  it('names an endpoint override that is not a URL', () => {
    expect(() =>
      readAzureSettings({ endpoints: { logAnalytics: 'api.example' } })
    ).toThrow(/logAnalytics/);
  });
});
