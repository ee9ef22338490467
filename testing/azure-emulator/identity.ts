/**
 * Entra ID's v2 endpoints, as much of them as MSAL.js and a `client_credentials` test need: OpenID
 * discovery, an authorize endpoint that signs the analyst in without a page, and a token endpoint
 * for authorization codes (with PKCE), refresh tokens and client credentials. Access tokens are
 * opaque random strings remembered with their audience, user and expiry, one resource per token.
 */
import { createHash, randomBytes, randomUUID } from 'crypto';

import {
  ANALYST,
  type IUserInfo,
  SERVICE_PRINCIPAL_ID,
  TENANT_ID
} from './fixture';
import {
  header,
  type IRequest,
  type IResponse,
  json,
  matches,
  segments
} from './http';

/** An access token the emulator issued. */
export interface IAccessToken {
  /** The resource the token is for, e.g. `https://management.azure.com`. */
  audience: string;
  user: IUserInfo;
  clientId: string;
  /** Expiry, in milliseconds since the epoch. */
  expiresAt: number;
}

/** Why a bearer token was refused, or the token. */
export type BearerCheck =
  | { kind: 'valid'; token: IAccessToken }
  | { kind: 'missing' }
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: 'expired'; token: IAccessToken }
  | { kind: 'audience'; token: IAccessToken };

/** A code the authorize endpoint handed out, until it is redeemed. */
interface IAuthorizationCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: string;
  nonce: string | null;
  expiresAt: number;
}

/** A refresh token: good for any resource, as Entra's are. */
interface IRefreshToken {
  clientId: string;
  user: IUserInfo;
}

/** Scopes that ask for sign-in, not for a resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The delegated permission Entra lists in `scope` next to `.default`, per resource. */
const PERMISSIONS: Record<string, string> = {
  'https://management.azure.com': 'user_impersonation',
  'https://management.core.windows.net': 'user_impersonation',
  'https://api.loganalytics.io': 'Data.Read',
  'https://api.loganalytics.azure.com': 'Data.Read'
};

const CODE_LIFETIME_MS = 10 * 60 * 1000;

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** The resource a scope list asks for: the first non-OIDC scope minus its permission part. */
export function resourceOf(scope: string): string | null {
  const first = scope
    .split(/\s+/)
    .find(s => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()));
  if (first === undefined) {
    return null;
  }
  if (first.endsWith('/.default')) {
    return first.slice(0, -'/.default'.length).replace(/\/$/, '');
  }
  const url = /^(https?:\/\/[^/]+)\/.+$/.exec(first);
  if (url) {
    return url[1];
  }
  // A bare permission such as `User.Read` is Microsoft Graph's.
  return 'https://graph.microsoft.com';
}

/** The issuer and token service of the emulated Entra ID. */
export class Identity {
  constructor(
    private readonly _baseUrl: () => string,
    private readonly _lifetimeSeconds: number
  ) {}

  /** The authority MSAL is configured with. */
  get authority(): string {
    return `${this._baseUrl()}/${TENANT_ID}`;
  }

  /** Answers an identity request, or null when the path is not one. */
  handle(request: IRequest): IResponse | null {
    const parts = segments(request.url);
    const tenant = parts[0] ?? '';
    const get = request.method === 'GET';
    if (get && matches(parts, '*/v2.0/.well-known/openid-configuration')) {
      return json(200, this._configuration(request.url.origin, tenant));
    }
    if (get && matches(parts, 'common/discovery/instance')) {
      return json(200, this._instanceDiscovery(request));
    }
    if (get && matches(parts, '*/discovery/v2.0/keys')) {
      return json(200, { keys: [] });
    }
    if (get && matches(parts, '*/oauth2/v2.0/authorize')) {
      return this._authorize(request);
    }
    if (request.method === 'POST' && matches(parts, '*/oauth2/v2.0/token')) {
      return this._token(request);
    }
    if (get && matches(parts, '*/oauth2/v2.0/logout')) {
      const target = request.url.searchParams.get('post_logout_redirect_uri');
      return target
        ? { status: 302, headers: { Location: target } }
        : { status: 200, body: 'You have signed out.' };
    }
    return null;
  }

  /** Looks up the bearer token of a request and checks it is for one of the audiences. */
  check(request: IRequest, audiences: string[]): BearerCheck {
    const value = header(request, 'authorization');
    if (value === undefined) {
      return { kind: 'missing' };
    }
    const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
    if (!match) {
      return { kind: 'malformed' };
    }
    const token = this._accessTokens.get(match[1]);
    if (!token) {
      return { kind: 'unknown' };
    }
    if (!audiences.includes(token.audience)) {
      return { kind: 'audience', token };
    }
    if (token.expiresAt <= Date.now()) {
      return { kind: 'expired', token };
    }
    return { kind: 'valid', token };
  }

  /** Makes every access token issued so far expired; refresh tokens stay good. */
  expireAll(): number {
    const now = Date.now() - 1000;
    for (const token of this._accessTokens.values()) {
      token.expiresAt = Math.min(token.expiresAt, now);
    }
    return this._accessTokens.size;
  }

  /** A `WWW-Authenticate` challenge, as ARM and Log Analytics send with a 401. */
  challenge(description: string): string {
    return `Bearer authorization_uri="${this.authority}", error="invalid_token", error_description="${description}"`;
  }

  /** Entra's discovery document; URLs use the host the client asked, so `localhost` works too. */
  private _configuration(
    origin: string,
    tenant: string
  ): Record<string, unknown> {
    const base = `${origin}/${tenant}`;
    // Like Entra, the multi-tenant authorities name the issuer with a placeholder.
    const issuerTenant = ['common', 'organizations', 'consumers'].includes(
      tenant.toLowerCase()
    )
      ? '{tenantid}'
      : TENANT_ID;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic'
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: [
        'code',
        'id_token',
        'code id_token',
        'id_token token'
      ],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/openid/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nbf',
        'name',
        'nonce',
        'oid',
        'preferred_username',
        'tid',
        'ver'
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com'
    };
  }

  private _instanceDiscovery(request: IRequest): Record<string, unknown> {
    const host = request.url.host;
    const authority =
      request.url.searchParams.get('authorization_endpoint') ?? '';
    const tenant = /\/([^/]+)\/oauth2\/v2\.0\/authorize/.exec(authority);
    return {
      tenant_discovery_endpoint: `${request.url.origin}/${tenant?.[1] ?? TENANT_ID}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        { preferred_network: host, preferred_cache: host, aliases: [host] }
      ]
    };
  }

  /**
   * The test sign-in: no page, the analyst is signed in at once and the browser is sent back to
   * `redirect_uri` with the code, as Entra does after an interactive sign-in.
   */
  private _authorize(request: IRequest): IResponse {
    const params = request.url.searchParams;
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    if (!clientId || !redirectUri || !/^https?:\/\//.test(redirectUri)) {
      // Entra shows an error page when it cannot redirect.
      return json(400, {
        error: 'invalid_request',
        error_description: !clientId
          ? "AADSTS900144: The request body must contain the following parameter: 'client_id'."
          : 'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.',
        error_codes: [!clientId ? 900144 : 50011]
      });
    }
    const responseMode = params.get('response_mode') ?? 'query';
    const answer: Record<string, string> = {};
    const responseType = params.get('response_type') ?? '';
    const method = params.get('code_challenge_method') ?? 'plain';
    if (!responseType.split(' ').includes('code')) {
      answer.error = 'unsupported_response_type';
      answer.error_description =
        'AADSTS700054: response_type is not enabled for the application (the emulator only issues codes).';
    } else if (!['S256', 'plain'].includes(method)) {
      answer.error = 'invalid_request';
      answer.error_description =
        "AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method. Use 'S256'.";
    } else {
      const code = base64url(randomBytes(32));
      this._codes.set(code, {
        clientId,
        redirectUri,
        scope: params.get('scope') ?? '',
        codeChallenge: params.get('code_challenge'),
        codeChallengeMethod: method,
        nonce: params.get('nonce'),
        expiresAt: Date.now() + CODE_LIFETIME_MS
      });
      answer.code = code;
      answer.client_info = this._clientInfo();
    }
    const state = params.get('state');
    if (state !== null) {
      answer.state = state;
    }
    answer.session_state = randomUUID();
    if (responseMode === 'form_post') {
      const inputs = Object.entries(answer)
        .map(
          ([k, v]) =>
            `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`
        )
        .join('');
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}</form></body></html>`
      };
    }
    const query = new URLSearchParams(answer).toString();
    const target = new URL(redirectUri);
    if (responseMode === 'fragment') {
      target.hash = query;
    } else {
      for (const [k, v] of Object.entries(answer)) {
        target.searchParams.set(k, v);
      }
    }
    return { status: 302, headers: { Location: target.toString() } };
  }

  private _token(request: IRequest): IResponse {
    const form = new URLSearchParams(request.body);
    const grant = form.get('grant_type');
    const clientId = form.get('client_id');
    if (!grant) {
      return tokenError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'."
      );
    }
    if (!clientId) {
      return tokenError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'."
      );
    }
    switch (grant) {
      case 'authorization_code':
        return this._redeemCode(request, form, clientId);
      case 'refresh_token': {
        const refresh = this._refreshTokens.get(
          form.get('refresh_token') ?? ''
        );
        if (!refresh || refresh.clientId !== clientId) {
          return tokenError(
            400,
            'invalid_grant',
            9002313,
            'Invalid request. Request is malformed or invalid. The refresh token is not valid.'
          );
        }
        return this._issue(
          request.url.origin,
          clientId,
          refresh.user,
          form.get('scope') ?? '',
          null,
          true
        );
      }
      case 'client_credentials': {
        if (!form.get('client_secret') && !form.get('client_assertion')) {
          return tokenError(
            401,
            'invalid_client',
            7000215,
            'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.'
          );
        }
        const scope = form.get('scope') ?? '';
        if (!/\/\.default$/.test(scope.trim())) {
          return tokenError(
            400,
            'invalid_scope',
            1002012,
            `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
          );
        }
        return this._issue(
          request.url.origin,
          clientId,
          { objectId: SERVICE_PRINCIPAL_ID, name: clientId },
          scope,
          null,
          false
        );
      }
      default:
        return tokenError(
          400,
          'unsupported_grant_type',
          70003,
          'The app requested an unsupported grant type.'
        );
    }
  }

  private _redeemCode(
    request: IRequest,
    form: URLSearchParams,
    clientId: string
  ): IResponse {
    const codeText = form.get('code') ?? '';
    const code = this._codes.get(codeText);
    if (!code || code.expiresAt <= Date.now()) {
      return tokenError(
        400,
        'invalid_grant',
        code ? 70008 : 54005,
        code
          ? 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'
          : 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'
      );
    }
    this._codes.delete(codeText);
    if (code.clientId !== clientId) {
      return tokenError(
        400,
        'invalid_grant',
        70000,
        'The request was denied because one or more grants are invalid: the code was issued to another client.'
      );
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return tokenError(
        400,
        'invalid_grant',
        50148,
        'The redirect_uri does not match the redirect_uri of the authorization request.'
      );
    }
    const verifier = form.get('code_verifier');
    if (code.codeChallenge === null) {
      if (header(request, 'origin') !== undefined) {
        return tokenError(
          400,
          'invalid_request',
          9002325,
          'Proof Key for Code Exchange is required for cross-origin authorization code redemption.'
        );
      }
    } else {
      const computed =
        code.codeChallengeMethod === 'S256'
          ? base64url(
              createHash('sha256')
                .update(verifier ?? '')
                .digest()
            )
          : verifier;
      if (!verifier || computed !== code.codeChallenge) {
        return tokenError(
          400,
          'invalid_grant',
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.'
        );
      }
    }
    const scope = form.get('scope') || code.scope;
    const offline = /(^|\s)offline_access(\s|$)/.test(`${code.scope} ${scope}`);
    return this._issue(
      request.url.origin,
      clientId,
      ANALYST,
      scope,
      code.nonce,
      offline
    );
  }

  /** Issues an access token for the scope's resource, with the user flow's other tokens. */
  private _issue(
    origin: string,
    clientId: string,
    user: IUserInfo,
    scope: string,
    nonce: string | null,
    refresh: boolean
  ): IResponse {
    const audience = resourceOf(scope) ?? 'https://graph.microsoft.com';
    const accessToken = base64url(randomBytes(32));
    const now = Math.floor(Date.now() / 1000);
    const lifetime = this._lifetimeSeconds;
    this._accessTokens.set(accessToken, {
      audience,
      user,
      clientId,
      expiresAt: (now + lifetime) * 1000
    });
    const permission = PERMISSIONS[audience];
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: permission
        ? `${audience}/${permission} ${audience}/.default`
        : `${audience}/.default`,
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken
    };
    const interactive = user.objectId !== SERVICE_PRINCIPAL_ID;
    if (interactive && refresh) {
      const refreshToken = base64url(randomBytes(48));
      this._refreshTokens.set(refreshToken, { clientId, user });
      body.refresh_token = refreshToken;
    }
    if (interactive) {
      body.id_token = this._idToken(origin, clientId, user, nonce, now);
      body.client_info = this._clientInfo();
    }
    return json(200, body, {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache'
    });
  }

  /** An unsigned-in-practice JWT: MSAL reads the claims and does not verify the signature. */
  private _idToken(
    origin: string,
    clientId: string,
    user: IUserInfo,
    nonce: string | null,
    now: number
  ): string {
    const head = { typ: 'JWT', alg: 'RS256', kid: 'azure-emulator' };
    const claims: Record<string, unknown> = {
      aud: clientId,
      iss: `${origin}/${TENANT_ID}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user.name,
      oid: user.objectId,
      preferred_username: user.email,
      sub: base64url(createHash('sha256').update(user.objectId).digest()),
      tid: TENANT_ID,
      ver: '2.0'
    };
    if (nonce !== null) {
      claims.nonce = nonce;
    }
    return [
      base64url(JSON.stringify(head)),
      base64url(JSON.stringify(claims)),
      base64url(randomBytes(32))
    ].join('.');
  }

  /** MSAL's `client_info`: base64url JSON of the user's and the tenant's ids. */
  private _clientInfo(): string {
    return base64url(
      JSON.stringify({ uid: ANALYST.objectId, utid: TENANT_ID })
    );
  }

  private readonly _codes = new Map<string, IAuthorizationCode>();
  private readonly _accessTokens = new Map<string, IAccessToken>();
  private readonly _refreshTokens = new Map<string, IRefreshToken>();
}

/** An Entra token endpoint error. */
function tokenError(
  status: number,
  error: string,
  code: number,
  text: string
): IResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19);
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}Z`,
    error_codes: [code],
    timestamp: `${timestamp}Z`,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`
  });
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
