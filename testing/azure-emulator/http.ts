/**
 * The emulator's HTTP plumbing: a parsed request, a response value that handlers return, a JSON
 * writer that keeps every digit of a long, and the CORS headers a browser client needs.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'http';

/** One request, with its body read. */
export interface IRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a handler answers. */
export interface IResponse {
  status: number;
  headers?: Record<string, string>;
  /** Text as is; anything else is written as JSON with `jsonText`. */
  body?: unknown;
}

/** A number written into JSON as these exact characters (a long beyond 2^53, a decimal). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** JSON text like `JSON.stringify`, except that `RawNumber`s are written verbatim. */
export function jsonText(value: unknown): string {
  if (value instanceof RawNumber) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return `[${value.map(v => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A JSON response. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): IResponse {
  return { status, body, headers };
}

/** Reads a request body as text. */
export async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request's JSON body, or undefined when it is not JSON. */
export function jsonBody(request: IRequest): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}

/** A header's value (the first one when repeated). */
export function header(request: IRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Headers a browser client sends to Azure: MSAL's telemetry, the SDKs' ids, `Prefer`. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'prefer',
  'x-ms-client-request-id',
  'x-ms-useragent',
  'x-ms-app',
  'x-ms-return-client-request-id',
  'client-request-id',
  'return-client-request-id',
  'x-client-sku',
  'x-client-ver',
  'x-client-os',
  'x-client-cpu',
  'x-client-current-telemetry',
  'x-client-last-telemetry',
  'x-app-name',
  'x-app-ver',
  'x-ms-lib-capability',
  'if-match',
  'if-none-match'
];

/**
 * CORS headers for a request: the caller's origin is allowed, and a preflight may ask for any of
 * the headers above or others it names (the emulator trusts every caller).
 */
export function corsHeaders(request: IRequest): Record<string, string> {
  const origin = header(request, 'origin');
  if (!origin) {
    return {};
  }
  const requested = (header(request, 'access-control-request-headers') ?? '')
    .split(',')
    .map(h => h.trim().toLowerCase())
    .filter(h => h && !ALLOWED_HEADERS.includes(h));
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': [...ALLOWED_HEADERS, ...requested].join(
      ', '
    ),
    'Access-Control-Expose-Headers':
      'Retry-After, x-ms-request-id, x-ms-correlation-request-id, x-ms-client-request-id, WWW-Authenticate, Preference-Applied, Location',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin'
  };
}

/** Path segments, decoded, without the empty ones. */
export function segments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter(s => s !== '')
    .map(s => decodeURIComponent(s));
}

/** True when the path has the literal segments of a pattern (`*` matches any), ignoring case. */
export function matches(parts: string[], pattern: string): boolean {
  const expected = pattern.split('/').filter(s => s !== '');
  return (
    parts.length === expected.length &&
    expected.every(
      (e, i) => e === '*' || e.toLowerCase() === parts[i].toLowerCase()
    )
  );
}
