/**
 * The bearer-token check of ARM and Log Analytics, with each service's own errors for a missing,
 * unknown, expired or wrong-audience token.
 */
import type { IAccessToken, Identity } from './identity';
import { type IRequest, type IResponse, json } from './http';

/** The two APIs behind bearer tokens. */
export type Api = 'arm' | 'loganalytics';

/** The audiences each API accepts (no trailing slash: the emulator stores resources without it). */
const AUDIENCES: Record<Api, string[]> = {
  arm: ['https://management.azure.com', 'https://management.core.windows.net'],
  loganalytics: [
    'https://api.loganalytics.io',
    'https://api.loganalytics.azure.com'
  ]
};

/** Time in .NET's `M/d/yyyy h:mm:ss tt` form, as ARM prints it in its expiry message. */
function dotnetTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** The request's valid token for the API, or the error response to send instead. */
export function authorize(
  identity: Identity,
  request: IRequest,
  api: Api
): IAccessToken | IResponse {
  const check = identity.check(request, AUDIENCES[api]);
  const error = (
    status: number,
    code: string,
    message: string,
    description: string
  ): IResponse =>
    json(
      status,
      { error: { code, message } },
      status === 401
        ? { 'WWW-Authenticate': identity.challenge(description) }
        : {}
    );
  switch (check.kind) {
    case 'valid':
      return check.token;
    case 'missing':
      return error(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        "The authentication failed because of missing 'Authorization' header."
      );
    case 'malformed':
      return error(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        "The 'Authorization' header is provided in an invalid format."
      );
    case 'unknown':
      return error(
        api === 'arm' ? 401 : 403,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        'The access token is invalid.'
      );
    case 'expired':
      return api === 'arm'
        ? error(
            401,
            'ExpiredAuthenticationToken',
            `The access token expiry UTC time '${dotnetTime(check.token.expiresAt)}' is earlier than current UTC time '${dotnetTime(Date.now())}'.`,
            'The access token has expired.'
          )
        : error(
            401,
            'InvalidAuthenticationToken',
            'The access token has expired',
            'The access token has expired.'
          );
    case 'audience': {
      const allowed = AUDIENCES[api].map(a => `'${a}/'`).join(',');
      return error(
        api === 'arm' ? 401 : 403,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained from wrong audience or resource '${check.token.audience}'. It should exactly match (including forward slash) with one of the allowed audiences ${allowed}.`,
        'The access token has been obtained from wrong audience or resource.'
      );
    }
  }
}

/** True when `authorize` answered with an error. */
export function isResponse(
  value: IAccessToken | IResponse
): value is IResponse {
  return 'status' in value;
}
