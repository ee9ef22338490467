/**
 * An emulator of the Azure REST APIs the extension's Azure backend calls — Entra ID's token
 * endpoints, ARM, Log Analytics — in one Node HTTP(S) server, answering queries by running the
 * KQL through our compiler on DuckDB over a local workspace folder. Test tooling: never bundled.
 */
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';

import { Arm } from './arm';
import {
  type IFixtureWorkspace,
  TENANT_ID,
  WORKSPACES,
  workspaceResourceId
} from './fixture';
import {
  corsHeaders,
  header,
  type IRequest,
  type IResponse,
  json,
  jsonBody,
  jsonText,
  readBody,
  segments
} from './http';
import { Identity } from './identity';
import { LogAnalytics } from './loganalytics';
import { WorkspaceData } from './workspace';

/** How to start an emulator. */
export interface IEmulatorOptions {
  /** The local workspace folder (Parquet, CSV, JSON files) both workspaces read. */
  workspace: string;
  /** Port to listen on; 0 or absent picks a free one. */
  port?: number;
  /** Host to listen on; 127.0.0.1 by default. */
  host?: string;
  /** A key and certificate (PEM) to serve HTTPS, which MSAL.js requires of an authority. */
  https?: { key: string; cert: string };
  /** Lifetime of issued access tokens in seconds; 3600 by default. */
  tokenLifetimeSeconds?: number;
  /** Items per page of ARM lists (each page links the next); one page when absent. */
  pageSize?: number;
  /** Most rows a query returns before the answer is a partial result; 500000 by default. */
  maxRows?: number;
}

/** A request the emulator received, as tests inspect it. */
export interface IRecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** Headers, without `Authorization` and `Cookie`. */
  headers: Record<string, string>;
  /** The body as sent (token endpoint secrets replaced by `***`). */
  body: string;
}

/** A running emulator. */
export interface IEmulator {
  /** Base URL, e.g. `https://127.0.0.1:8443`; also the Entra, ARM and Log Analytics endpoint. */
  readonly url: string;
  /** The MSAL authority: `<url>/<tenant id>`. */
  readonly authority: string;
  /** Makes the next `count` Log Analytics queries fail with 429 and `Retry-After`. */
  throttleQueries(count: number, retryAfterSeconds?: number): void;
  /** Expires every access token issued so far; returns how many there were. */
  expireTokens(): number;
  /** The requests received so far (control requests excluded), oldest first. */
  requests(): IRecordedRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /** Stops listening and closes DuckDB. */
  close(): Promise<void>;
}

/** Form fields of a token request that are secrets. */
const SECRET_FIELDS = [
  'code',
  'code_verifier',
  'refresh_token',
  'client_secret',
  'client_assertion'
];

function recorded(request: IRequest): IRecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name !== 'authorization' && name !== 'cookie' && value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  let body = request.body;
  if (/\/oauth2\/v2\.0\/token$/.test(request.url.pathname)) {
    const form = new URLSearchParams(body);
    for (const field of SECRET_FIELDS) {
      if (form.has(field)) {
        form.set(field, '***');
      }
    }
    body = form.toString();
  }
  return {
    method: request.method,
    path: `${request.url.pathname}${request.url.search}`,
    headers,
    body
  };
}

/** Starts an emulator; it answers once the returned promise resolves. */
export async function startEmulator(
  options: IEmulatorOptions
): Promise<IEmulator> {
  let url = '';
  let throttled: { count: number; retryAfter: number } = {
    count: 0,
    retryAfter: 1
  };
  const log: IRecordedRequest[] = [];
  const instance = WorkspaceData.instance();
  const opened = new Map<string, Promise<WorkspaceData>>();
  /** Opens a workspace's data, or the union of several, once. */
  const openOnce = (
    key: string,
    open: (catalog: string) => Promise<WorkspaceData>
  ): Promise<WorkspaceData> => {
    let entry = opened.get(key);
    if (!entry) {
      entry = open(`ws${opened.size}`);
      opened.set(key, entry);
    }
    return entry;
  };
  const data = (workspace: IFixtureWorkspace): Promise<WorkspaceData> =>
    openOnce(workspace.customerId, async catalog =>
      WorkspaceData.open(
        await instance,
        catalog,
        options.workspace,
        workspace.sentinel
      )
    );
  const union = (workspaces: IFixtureWorkspace[]): Promise<WorkspaceData> => {
    const ids = [...new Set(workspaces.map(w => w.customerId))].sort();
    if (ids.length === 1) {
      return data(workspaces[0]);
    }
    return openOnce(ids.join('+'), async catalog =>
      WorkspaceData.union(
        await instance,
        catalog,
        await Promise.all(
          ids.map(async id => {
            const workspace = WORKSPACES.find(w => w.customerId === id)!;
            return {
              data: await data(workspace),
              id,
              names: [workspace.name, workspaceResourceId(workspace)]
            };
          })
        )
      )
    );
  };
  const identity = new Identity(
    () => url,
    options.tokenLifetimeSeconds ?? 3600
  );
  const arm = new Arm({
    identity,
    pageSize: options.pageSize ?? null,
    data
  });
  const logAnalytics = new LogAnalytics({
    identity,
    data: union,
    maxRows: options.maxRows ?? 500000,
    takeThrottle: () => {
      if (throttled.count <= 0) {
        return null;
      }
      throttled.count--;
      return throttled.retryAfter;
    }
  });

  const emulator: IEmulator = {
    get url() {
      return url;
    },
    get authority() {
      return identity.authority;
    },
    throttleQueries(count, retryAfterSeconds = 1) {
      throttled = { count, retryAfter: retryAfterSeconds };
    },
    expireTokens: () => identity.expireAll(),
    requests: () => log.slice(),
    clearRequests() {
      log.length = 0;
    },
    async close() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const entry of opened.values()) {
        (await entry).close();
      }
      (await instance).closeSync();
    }
  };

  /** The `/__emulator/...` control surface, for tests in other processes (the browser test). */
  const control = (request: IRequest): IResponse => {
    const route = `${request.method} ${segments(request.url).slice(1).join('/')}`;
    const body = (jsonBody(request) ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'GET ':
      case 'GET fixture':
        return json(200, {
          url,
          authority: identity.authority,
          tenantId: TENANT_ID,
          workspaces: WORKSPACES
        });
      case 'GET requests':
        return json(200, { requests: log });
      case 'DELETE requests':
        log.length = 0;
        return { status: 204 };
      case 'POST throttle': {
        const count = Number(body.count ?? 1);
        emulator.throttleQueries(count, Number(body.retryAfterSeconds ?? 1));
        return json(200, { throttled: count });
      }
      case 'POST expire-tokens':
        return json(200, { expired: emulator.expireTokens() });
      default:
        return json(404, {
          error: { code: 'NotFound', message: `No control route ${route}` }
        });
    }
  };

  const answer = async (request: IRequest): Promise<IResponse> => {
    if (request.method === 'OPTIONS') {
      return { status: 204 };
    }
    if (segments(request.url)[0] === '__emulator') {
      return control(request);
    }
    log.push(recorded(request));
    return (
      identity.handle(request) ??
      (await logAnalytics.handle(request)) ??
      (await arm.handle(request)) ??
      json(404, {
        error: {
          code: 'NotFound',
          message: `The emulator has no route for ${request.method} ${request.url.pathname}`
        }
      })
    );
  };

  const listener = (
    message: http.IncomingMessage,
    response: http.ServerResponse
  ): void => {
    void (async () => {
      const request: IRequest = {
        method: (message.method ?? 'GET').toUpperCase(),
        // Absolute URLs (issuer, nextLink) use the host the client asked: localhost or 127.0.0.1.
        url: new URL(
          message.url ?? '/',
          message.headers.host
            ? `${options.https ? 'https' : 'http'}://${message.headers.host}`
            : url
        ),
        headers: message.headers,
        body: await readBody(message)
      };
      let result: IResponse;
      try {
        result = await answer(request);
      } catch (error) {
        result = json(500, {
          error: {
            code: 'InternalServerError',
            message: error instanceof Error ? error.message : String(error)
          }
        });
      }
      const headers: Record<string, string> = {
        ...corsHeaders(request),
        'x-ms-request-id': randomUUID(),
        ...(result.headers ?? {})
      };
      const clientRequestId = header(request, 'x-ms-client-request-id');
      if (clientRequestId) {
        headers['x-ms-client-request-id'] = clientRequestId;
      }
      let text: string | undefined;
      if (typeof result.body === 'string') {
        text = result.body;
        headers['Content-Type'] ??= 'text/plain; charset=utf-8';
      } else if (result.body !== undefined) {
        text = jsonText(result.body);
        headers['Content-Type'] = 'application/json; charset=utf-8';
      }
      response.writeHead(result.status, headers);
      response.end(text);
    })();
  };

  const server = options.https
    ? https.createServer(options.https, listener)
    : http.createServer(listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `${options.https ? 'https' : 'http'}://${host}:${port}`;
  return emulator;
}
