/**
 * @jest-environment node
 */
/**
 * The Azure API emulator over HTTP, as a client sees it: tokens and their audiences, ARM lists with
 * paging, Log Analytics queries (wire encoding of every KQL type, timespan, errors, partial
 * results, throttling) and Sentinel bookmarks with their HuntingBookmark audit rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
  SUBSCRIPTIONS,
  TENANT_ID,
  WORKSPACES,
  workspaceResourceId
} from '../fixture';
import { type IEmulator, startEmulator } from '../server';

jest.setTimeout(60000);

const ARM = 'https://management.azure.com/.default';
const LA = 'https://api.loganalytics.io/.default';
const SENTINEL = WORKSPACES[0];
const PLAIN = WORKSPACES[1];
const STABLE = '2025-09-01';
const PREVIEW = '2025-07-01-preview';
const HOUR = 3600 * 1000;

let emulator: IEmulator;
let folder: string;
/** The instant the sign-in rows are placed around. */
const now = Date.now();

/** `YYYY-MM-DD HH:MM:SS` in UTC, for DuckDB literals. */
function sqlTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-emulator-test-'));
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const rows = [
    ['alice@contoso.example', now - 1 * HOUR, 10],
    ['bob@contoso.example', now - 50 * HOUR, 20],
    ['carol@contoso.example', now - 240 * HOUR, 30]
  ]
    .map(
      ([user, time, duration]) =>
        `('${user}', TIMESTAMP '${sqlTime(time as number)}', ${duration})`
    )
    .join(', ');
  await connection.run(
    `COPY (SELECT * FROM (VALUES ${rows}) AS t(UserPrincipalName, TimeGenerated, DurationMs)) TO '${folder}/SigninLogs.parquet' (FORMAT parquet)`
  );
  // A table without a time column, which a timespan does not filter.
  await connection.run(
    `COPY (SELECT * FROM (VALUES ('alice@contoso.example'), ('eve@contoso.example')) AS t(Upn)) TO '${folder}/Watchlist.parquet' (FORMAT parquet)`
  );
  connection.closeSync();
  db.closeSync();
  emulator = await startEmulator({
    workspace: folder,
    pageSize: 1,
    maxRows: 5
  });
});

afterAll(async () => {
  await emulator?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.clearRequests();
});

/** A response with its body as text and as JSON (when it is JSON). */
interface IAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

async function call(
  method: string,
  url: string,
  options: {
    token?: string;
    body?: unknown;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {}
): Promise<IAnswer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.token) {
    headers.Authorization = `Bearer ${options.token}`;
  }
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(
    url.startsWith('http') ? url : `${emulator.url}${url}`,
    { method, headers, body, redirect: 'manual' }
  );
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: parsed
  };
}

/** An app-only token for one resource. */
async function token(scope: string): Promise<string> {
  const answer = await call('POST', `/${TENANT_ID}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: 'jest',
      client_secret: 'secret',
      scope
    }
  });
  expect(answer.status).toBe(200);
  return answer.body.access_token;
}

function workspacePath(ws = SENTINEL): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.name}`;
}

async function query(
  text: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  ws = SENTINEL
): Promise<IAnswer> {
  return call('POST', `/v1/workspaces/${ws.customerId}/query`, {
    token: await token(LA),
    body: { query: text, ...extra },
    headers
  });
}

function decodeJwt(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

describe('identity', () => {
  it('publishes OpenID configuration for the tenant', async () => {
    const answer = await call(
      'GET',
      `/${TENANT_ID}/v2.0/.well-known/openid-configuration`
    );
    expect(answer.body).toMatchObject({
      issuer: `${emulator.url}/${TENANT_ID}/v2.0`,
      authorization_endpoint: `${emulator.url}/${TENANT_ID}/oauth2/v2.0/authorize`,
      token_endpoint: `${emulator.url}/${TENANT_ID}/oauth2/v2.0/token`,
      jwks_uri: `${emulator.url}/${TENANT_ID}/discovery/v2.0/keys`
    });
  });

  it('signs in with an authorization code and PKCE, then refreshes for another resource', async () => {
    const verifier = 'a-code-verifier-that-is-long-enough-0123456789abcdef';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://localhost:8888/lab/redirect.html';
    const authorize = new URL(
      `${emulator.url}/organizations/oauth2/v2.0/authorize`
    );
    for (const [k, v] of Object.entries({
      client_id: 'spa',
      redirect_uri: redirectUri,
      response_type: 'code',
      response_mode: 'fragment',
      scope: `${LA} openid profile offline_access`,
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      client_info: '1'
    })) {
      authorize.searchParams.set(k, v);
    }
    const redirect = await call('GET', authorize.toString());
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    const answer = new URLSearchParams(location.hash.slice(1));
    expect(answer.get('state')).toBe('state-1');
    expect(
      JSON.parse(
        Buffer.from(answer.get('client_info')!, 'base64url').toString()
      )
    ).toEqual({ uid: expect.any(String), utid: TENANT_ID });

    const redeem = (code: string, codeVerifier: string) =>
      call('POST', `/organizations/oauth2/v2.0/token`, {
        headers: { Origin: 'http://localhost:8888' },
        form: {
          grant_type: 'authorization_code',
          client_id: 'spa',
          code,
          code_verifier: codeVerifier,
          redirect_uri: redirectUri,
          scope: `${LA} openid profile offline_access`
        }
      });
    const tokens = await redeem(answer.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('access-control-allow-origin')).toBe(
      'http://localhost:8888'
    );
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      scope:
        'https://api.loganalytics.io/Data.Read https://api.loganalytics.io/.default',
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      client_info: answer.get('client_info')
    });
    const claims = decodeJwt(tokens.body.id_token);
    expect(claims).toMatchObject({
      aud: 'spa',
      iss: `${emulator.url}/${TENANT_ID}/v2.0`,
      tid: TENANT_ID,
      nonce: 'nonce-1',
      name: 'Ada Analyst',
      preferred_username: 'analyst@contoso.example'
    });
    expect(claims.oid).toEqual(expect.any(String));

    // A code is good once.
    const again = await redeem(answer.get('code')!, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(again.body.error_description).toMatch(/^AADSTS54005:/);

    // The refresh token is good for ARM too; one resource per token.
    const arm = await call('POST', `/organizations/oauth2/v2.0/token`, {
      form: {
        grant_type: 'refresh_token',
        client_id: 'spa',
        refresh_token: tokens.body.refresh_token,
        scope: `${ARM} openid profile offline_access`
      }
    });
    expect(arm.status).toBe(200);
    expect(arm.body.scope).toBe(
      'https://management.azure.com/user_impersonation https://management.azure.com/.default'
    );
    const subscriptions = await call(
      'GET',
      '/subscriptions?api-version=2022-12-01',
      { token: arm.body.access_token }
    );
    expect(subscriptions.status).toBe(200);
  });

  it('refuses a code verifier that does not match the challenge', async () => {
    const authorize = new URL(
      `${emulator.url}/${TENANT_ID}/oauth2/v2.0/authorize`
    );
    authorize.search = new URLSearchParams({
      client_id: 'spa',
      redirect_uri: 'http://localhost:8888/r',
      response_type: 'code',
      scope: LA,
      code_challenge: createHash('sha256').update('right').digest('base64url'),
      code_challenge_method: 'S256'
    }).toString();
    const redirect = await call('GET', authorize.toString());
    const code = new URL(redirect.headers.get('location')!).searchParams.get(
      'code'
    )!;
    const answer = await call('POST', `/${TENANT_ID}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'authorization_code',
        client_id: 'spa',
        code,
        code_verifier: 'wrong',
        redirect_uri: 'http://localhost:8888/r'
      }
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [501481]
    });
  });

  it('needs /.default for client credentials', async () => {
    const answer = await call('POST', `/${TENANT_ID}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: 'jest',
        client_secret: 's',
        scope: 'https://api.loganalytics.io/Data.Read'
      }
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_scope');
    expect(answer.body.error_description).toMatch(/^AADSTS1002012:/);
  });
});

describe('bearer tokens', () => {
  const armList = '/subscriptions?api-version=2022-12-01';
  const laQuery = `/v1/workspaces/${SENTINEL.customerId}/query`;

  it('refuses a request without a token', async () => {
    const answer = await call('GET', armList);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('AuthenticationFailed');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('refuses a token it never issued', async () => {
    const arm = await call('GET', armList, { token: 'nope' });
    expect(arm.status).toBe(401);
    expect(arm.body.error.code).toBe('InvalidAuthenticationToken');
    const la = await call('POST', laQuery, {
      token: 'nope',
      body: { query: 'print 1' }
    });
    expect(la.status).toBe(403);
    expect(la.body.error.code).toBe('InvalidAuthenticationToken');
  });

  it('refuses a token for the other API', async () => {
    const arm = await call('GET', armList, { token: await token(LA) });
    expect(arm.status).toBe(401);
    expect(arm.body.error).toEqual({
      code: 'InvalidAuthenticationTokenAudience',
      message:
        "The access token has been obtained from wrong audience or resource 'https://api.loganalytics.io'. It should exactly match (including forward slash) with one of the allowed audiences 'https://management.azure.com/','https://management.core.windows.net/'."
    });
    const la = await call('POST', laQuery, {
      token: await token(ARM),
      body: { query: 'print 1' }
    });
    expect(la.status).toBe(403);
    expect(la.body.error.code).toBe('InvalidAuthenticationTokenAudience');
  });

  it('refuses tokens once they are expired', async () => {
    const arm = await token(ARM);
    const la = await token(LA);
    expect(emulator.expireTokens()).toBeGreaterThan(0);
    const armAnswer = await call('GET', armList, { token: arm });
    expect(armAnswer.status).toBe(401);
    expect(armAnswer.body.error.code).toBe('ExpiredAuthenticationToken');
    expect(armAnswer.headers.get('www-authenticate')).toContain(
      'The access token has expired.'
    );
    const laAnswer = await call('POST', laQuery, {
      token: la,
      body: { query: 'print 1' }
    });
    expect(laAnswer.status).toBe(401);
    expect(laAnswer.body.error).toEqual({
      code: 'InvalidAuthenticationToken',
      message: 'The access token has expired'
    });
    // A new token works.
    expect(
      (await call('GET', armList, { token: await token(ARM) })).status
    ).toBe(200);
  });

  it('expires tokens through the control endpoint too', async () => {
    const arm = await token(ARM);
    const control = await call('POST', '/__emulator/expire-tokens');
    expect(control.body.expired).toBeGreaterThan(0);
    expect((await call('GET', armList, { token: arm })).status).toBe(401);
  });
});

describe('ARM', () => {
  /** Every item of a paged list, following nextLink, and the number of pages. */
  async function all(url: string): Promise<{ items: any[]; pages: number }> {
    const armToken = await token(ARM);
    const items: any[] = [];
    let pages = 0;
    let next: string | undefined = url;
    while (next) {
      const answer = await call('GET', next, { token: armToken });
      expect(answer.status).toBe(200);
      items.push(...answer.body.value);
      pages++;
      next = answer.body.nextLink;
    }
    return { items, pages };
  }

  it('needs an api-version', async () => {
    const answer = await call('GET', '/subscriptions', {
      token: await token(ARM)
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('MissingApiVersionParameter');
  });

  it('refuses an api-version the provider lacks, naming the ones it has', async () => {
    const armToken = await token(ARM);
    const subscriptions = await call(
      'GET',
      '/subscriptions?api-version=1999-01-01',
      { token: armToken }
    );
    expect(subscriptions.status).toBe(400);
    expect(subscriptions.body.error.code).toBe('InvalidApiVersionParameter');
    expect(subscriptions.body.error.message).toMatch(
      /'1999-01-01' is invalid\. The supported versions are '.*2022-12-01/
    );
    const workspaces = await call(
      'GET',
      `/subscriptions/${SENTINEL.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=1999-01-01`,
      { token: armToken }
    );
    expect(workspaces.status).toBe(400);
    expect(workspaces.body.error.code).toBe('NoRegisteredProviderFound');
    expect(workspaces.body.error.message).toMatch(
      /API version '1999-01-01' for type 'workspaces'\. The supported api-versions are '.*2025-07-01/
    );
    // A version of one provider is not one of another's.
    const bookmarks = await call(
      'GET',
      `${workspacePath()}/providers/Microsoft.SecurityInsights/bookmarks?api-version=2025-07-01`,
      { token: armToken }
    );
    expect(bookmarks.status).toBe(400);
    expect(bookmarks.body.error.message).toMatch(/for type 'bookmarks'/);
  });

  it('lists subscriptions a page at a time', async () => {
    const { items, pages } = await all('/subscriptions?api-version=2022-12-01');
    expect(pages).toBe(2);
    expect(items.map(s => s.subscriptionId)).toEqual(
      SUBSCRIPTIONS.map(s => s.subscriptionId)
    );
    expect(items[0]).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTIONS[0].subscriptionId}`,
      tenantId: TENANT_ID,
      displayName: 'Security Operations',
      state: 'Enabled'
    });
  });

  it('lists workspaces with lower-cased resource ids', async () => {
    const { items } = await all(
      `/subscriptions/${SENTINEL.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=2025-07-01`
    );
    expect(items.map(w => w.name)).toEqual(['sentinel-demo', 'plain-logs']);
    expect(items[0]).toMatchObject({
      id: `/subscriptions/${SENTINEL.subscriptionId}/resourcegroups/rg-secops/providers/microsoft.operationalinsights/workspaces/sentinel-demo`,
      type: 'Microsoft.OperationalInsights/workspaces',
      properties: { customerId: SENTINEL.customerId }
    });
    const sandbox = await all(
      `/subscriptions/${SUBSCRIPTIONS[1].subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=2025-07-01`
    );
    expect(sandbox.items.map(w => w.name)).toEqual(['sandbox-logs']);
  });

  it('tells which workspace has Sentinel', async () => {
    const armToken = await token(ARM);
    const states = async (ws: typeof SENTINEL) =>
      (
        await call(
          'GET',
          `${workspacePath(ws).toLowerCase()}/providers/Microsoft.SecurityInsights/onboardingStates?api-version=${STABLE}`,
          { token: armToken }
        )
      ).body.value;
    expect(await states(SENTINEL)).toEqual([
      expect.objectContaining({
        name: 'default',
        type: 'Microsoft.SecurityInsights/onboardingStates'
      })
    ]);
    expect(await states(PLAIN)).toEqual([]);
  });

  it('lists tables with ARM column types', async () => {
    const { items } = await all(
      `${workspacePath()}/tables?api-version=2022-10-01`
    );
    const signins = items.find(t => t.name === 'SigninLogs');
    expect(signins.properties.schema).toMatchObject({
      name: 'SigninLogs',
      tableType: 'Microsoft',
      standardColumns: [
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'DurationMs', type: 'int' }
      ]
    });
    expect(items.map(t => t.name)).toEqual([
      'SigninLogs',
      'Watchlist',
      'HuntingBookmark'
    ]);
    const plain = await all(
      `${workspacePath(PLAIN)}/tables?api-version=2022-10-01`
    );
    expect(plain.items.map(t => t.name)).toEqual(['SigninLogs', 'Watchlist']);
  });
});

describe('Log Analytics queries', () => {
  it('encodes every KQL type as the service does', async () => {
    const answer = await query(
      'print s="a", e="", i=int(7), l=9007199254740993, r=1.5, b=true, ' +
        'd=datetime(2024-01-02T03:04:05.1234567Z), t=1d+2h+3s+400ms, t2=-90m, ' +
        'g=guid(6f2b1c3a-0000-4000-8000-000000000001), ' +
        'dyn=dynamic({"k":[1,2.5,"x"]}), n=real(nan), inf=real(+inf), ninf=real(-inf), ' +
        'ln=long(null), bn=bool(null)'
    );
    expect(answer.status).toBe(200);
    const table = answer.body.tables[0];
    expect(table.name).toBe('PrimaryResult');
    expect(table.columns).toEqual([
      { name: 's', type: 'string' },
      { name: 'e', type: 'string' },
      { name: 'i', type: 'int' },
      { name: 'l', type: 'long' },
      { name: 'r', type: 'real' },
      { name: 'b', type: 'bool' },
      { name: 'd', type: 'datetime' },
      { name: 't', type: 'timespan' },
      { name: 't2', type: 'timespan' },
      { name: 'g', type: 'guid' },
      { name: 'dyn', type: 'dynamic' },
      { name: 'n', type: 'real' },
      { name: 'inf', type: 'real' },
      { name: 'ninf', type: 'real' },
      { name: 'ln', type: 'long' },
      { name: 'bn', type: 'bool' }
    ]);
    // The long keeps every digit on the wire; JSON.parse would round it.
    expect(answer.text).toContain(',9007199254740993,');
    const row = table.rows[0];
    expect(row).toEqual([
      'a',
      '',
      7,
      9007199254740992, // what JSON.parse makes of 9007199254740993
      1.5,
      true,
      // A datetime literal keeps its 7th digit, as Kusto's 100-ns ticks do.
      '2024-01-02T03:04:05.1234567Z',
      '1.02:00:03.4000000',
      '-01:30:00',
      '6f2b1c3a-0000-4000-8000-000000000001',
      '{"k":[1,2.5,"x"]}',
      'NaN',
      'Infinity',
      '-Infinity',
      null,
      null
    ]);
  });

  it('adds statistics and render metadata when Prefer asks', async () => {
    const answer = await query(
      'range x from 1 to 3 step 1 | extend y = x * 2 | render timechart with (title="Doubling", ycolumns=y)',
      {},
      { Prefer: 'wait=60,include-statistics=true,include-render=true' }
    );
    expect(answer.status).toBe(200);
    expect(answer.body.statistics.query.executionTime).toEqual(
      expect.any(Number)
    );
    // As the service sends it (the Azure SDKs' READMEs): camelCase, null when not set.
    expect(answer.body.render).toEqual({
      visualization: 'timechart',
      title: 'Doubling',
      accumulate: false,
      isQuerySorted: false,
      kind: null,
      legend: null,
      series: null,
      yMin: 'NaN',
      yMax: 'NaN',
      xAxis: null,
      xColumn: null,
      xTitle: null,
      yAxis: null,
      yColumns: 'y',
      ySplit: null,
      yTitle: null,
      anomalyColumns: null
    });
    const plain = await query('range x from 1 to 3 step 1 | render barchart');
    expect(plain.body.render).toBeUndefined();
    expect(plain.body.statistics).toBeUndefined();
  });

  it('applies the timespan to tables with a time column', async () => {
    const count = async (timespan?: string, table = 'SigninLogs') =>
      (await query(`${table} | count`, timespan ? { timespan } : {})).body
        .tables[0].rows[0][0];
    expect(await count()).toBe(3);
    expect(await count('PT12H')).toBe(1);
    expect(await count('P3D')).toBe(2);
    const start = new Date(now - 100 * HOUR).toISOString();
    const end = new Date(now - 10 * HOUR).toISOString();
    expect(await count(`${start}/${end}`)).toBe(1);
    expect(await count(`${start}/PT60H`)).toBe(1);
    expect(await count(`P30D/${end}`)).toBe(2);
    // A table without a time column is not filtered.
    expect(await count('PT1H', 'Watchlist')).toBe(2);
    const bad = await query('SigninLogs | count', { timespan: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BadArgumentError');
  });

  it('answers a query that does not compile as the service words it', async () => {
    // `pos` counts from 0 and `line` from 1, as in the service's "on line [5,2]".
    const syntax = await query('SigninLogs\n| where x == 1 +');
    expect(syntax.status).toBe(400);
    expect(syntax.body.error).toEqual({
      code: 'BadArgumentError',
      message: 'The request had some invalid properties',
      innererror: {
        code: 'SyntaxError',
        message: 'A recognition error occurred in the query.',
        innererror: {
          code: 'SYN0002',
          message: "Query could not be parsed at '<EOF>' on line [2,16]",
          line: 2,
          pos: 16,
          token: '<EOF>'
        }
      }
    });
    const token = await query('print x = 1 2');
    expect(token.body.error.innererror.innererror).toMatchObject({
      code: 'SYN0002',
      line: 1,
      pos: 12,
      token: '2'
    });
    const semantic = await query('SigninLogs | where Nope == 1');
    expect(semantic.status).toBe(400);
    expect(semantic.body.error.innererror).toEqual({
      code: 'SemanticError',
      message: 'A semantic error occurred.',
      innererror: {
        code: 'SEM0100',
        message:
          "Failed to resolve table or column or scalar expression named 'Nope'"
      }
    });
  });

  it('returns the first rows and a PartialError beyond the row limit', async () => {
    const answer = await query('range x from 1 to 10 step 1');
    expect(answer.status).toBe(200);
    expect(answer.body.tables[0].rows).toEqual([[1], [2], [3], [4], [5]]);
    expect(answer.body.error).toMatchObject({
      code: 'PartialError',
      details: [{ code: 'E_QUERY_RESULT_SET_TOO_LARGE' }]
    });
  });

  it('throttles the next queries when told to', async () => {
    emulator.throttleQueries(1);
    const throttled = await query('print 1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.body.error.code).toBe('ThrottledError');
    expect((await query('print 1')).status).toBe(200);

    await call('POST', '/__emulator/throttle', { body: { count: 1 } });
    expect((await query('print 1')).status).toBe(429);
    expect((await query('print 1')).status).toBe(200);
  });

  it('gives up after the wait the Prefer header names', async () => {
    const answer = await query(
      'range x from 1 to 20000000000 step 1 | summarize sum(x % 7)',
      {},
      { Prefer: 'wait=1' }
    );
    expect(answer.status).toBe(504);
    expect(answer.body.error.code).toBe('GatewayTimeout');
    // The workspace answers the next query.
    expect((await query('print 1')).status).toBe(200);
  });

  it('takes the query in the URL of a GET', async () => {
    const answer = await call(
      'GET',
      `/v1/workspaces/${SENTINEL.customerId}/query?query=${encodeURIComponent('print x=2')}`,
      { token: await token(LA) }
    );
    expect(answer.body.tables[0].rows).toEqual([[2]]);
  });

  it('answers 404 PathNotFoundError for a workspace it does not have, as the service does', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', SENTINEL.name]) {
      const answer = await call('POST', `/v1/workspaces/${id}/query`, {
        token: await token(LA),
        body: { query: 'print 1' }
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        error: {
          message: 'The requested path does not exist',
          code: 'PathNotFoundError'
        }
      });
    }
  });

  it('sends decimals as strings, as Kusto does', async () => {
    const answer = await query(
      'print d=decimal(1.25), big=decimal(12345678901234567.125), n=decimal(null)'
    );
    expect(answer.body.tables[0].rows).toEqual([
      ['1.25', '12345678901234567.125', null]
    ]);
  });

  it('queries a workspace by its ARM resource id (GET and POST)', async () => {
    const path = `/v1${workspacePath(PLAIN)}/query`;
    const post = await call('POST', path, {
      token: await token(LA),
      body: { query: 'Watchlist | count' }
    });
    expect(post.status).toBe(200);
    expect(post.body.tables[0].rows).toEqual([[2]]);
    const get = await call(
      'GET',
      `${path}?query=${encodeURIComponent('print x=3')}`,
      { token: await token(LA) }
    );
    expect(get.body.tables[0].rows).toEqual([[3]]);
    const missing = await call(
      'POST',
      `/v1${workspacePath({ ...PLAIN, name: 'gone' })}/query`,
      { token: await token(LA), body: { query: 'print 1' } }
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PathNotFoundError');
  });

  it('unions the workspaces the body names, by id, name or resource id', async () => {
    const count = async (workspaces?: unknown) =>
      query('Watchlist | count', workspaces ? { workspaces } : {});
    expect((await count()).body.tables[0].rows).toEqual([[2]]);
    for (const other of [
      PLAIN.customerId,
      PLAIN.name,
      workspaceResourceId(PLAIN)
    ]) {
      expect((await count([other])).body.tables[0].rows).toEqual([[4]]);
    }
    // Naming the queried workspace again does not count it twice.
    expect((await count([SENTINEL.customerId])).body.tables[0].rows).toEqual([
      [2]
    ]);
    // HuntingBookmark exists in the Sentinel workspace only; the union still has it.
    const bookmarks = await query('HuntingBookmark | count', {}, {}, PLAIN);
    expect(bookmarks.status).toBe(400);
    const union = await query(
      'HuntingBookmark | count',
      { workspaces: [SENTINEL.name] },
      {},
      PLAIN
    );
    expect(union.status).toBe(200);
    const unknown = await count(['nowhere']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('BadArgumentError');
  });

  it('answers a $batch with one response per request, in its order', async () => {
    const answer = await call('POST', '/v1/$batch', {
      token: await token(LA),
      body: {
        requests: [
          {
            id: 'a',
            workspace: SENTINEL.customerId,
            body: { query: 'Watchlist | count' },
            headers: { Prefer: 'include-render=true' },
            path: '/query',
            method: 'POST'
          },
          {
            id: 'b',
            workspace: SENTINEL.customerId,
            body: { query: 'Watchlist | where' },
            path: '/query',
            method: 'POST'
          },
          {
            id: 'c',
            workspace: '00000000-0000-0000-0000-000000000000',
            body: { query: 'print 1' },
            path: '/query',
            method: 'POST'
          },
          {
            id: 'd',
            workspace: PLAIN.customerId,
            body: { query: 'range x from 1 to 10 step 1' },
            path: '/query',
            method: 'POST'
          }
        ]
      }
    });
    expect(answer.status).toBe(200);
    const [a, b, c, d] = answer.body.responses;
    expect(a).toMatchObject({ id: 'a', status: 200 });
    expect(a.body.tables[0].rows).toEqual([[2]]);
    expect(b).toMatchObject({ id: 'b', status: 400 });
    expect(b.body.error.innererror.innererror.code).toBe('SYN0002');
    expect(c).toMatchObject({ id: 'c', status: 404 });
    expect(d.body.error.code).toBe('PartialError');
    const bad = await call('POST', '/v1/$batch', {
      token: await token(LA),
      body: { nothing: [] }
    });
    expect(bad.status).toBe(400);
  });

  it('describes the workspace schema', async () => {
    const answer = await call(
      'GET',
      `/v1/workspaces/${SENTINEL.customerId}/metadata`,
      { token: await token(LA) }
    );
    expect(answer.status).toBe(200);
    const signins = answer.body.tables.find(
      (t: any) => t.name === 'SigninLogs'
    );
    expect(signins).toMatchObject({
      timespanColumn: 'TimeGenerated',
      columns: [
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'DurationMs', type: 'int' }
      ]
    });
  });

  it('records the exact request body, without the token', async () => {
    await query('print 1', { timespan: 'PT1H' }, { Prefer: 'wait=10' });
    const sent = emulator.requests().find(r => r.path.endsWith('/query'));
    expect(sent).toMatchObject({
      method: 'POST',
      path: `/v1/workspaces/${SENTINEL.customerId}/query`,
      body: '{"query":"print 1","timespan":"PT1H"}'
    });
    expect(sent!.headers.prefer).toBe('wait=10');
    expect(sent!.headers.authorization).toBeUndefined();
    const over = await call('GET', '/__emulator/requests');
    expect(over.body.requests.length).toBe(emulator.requests().length);
    const token = emulator.requests().find(r => r.path.endsWith('/token'));
    expect(token!.body).toContain('client_secret=***');
  });

  it('answers preflight requests for the browser', async () => {
    const answer = await call(
      'OPTIONS',
      `/v1/workspaces/${SENTINEL.customerId}/query`,
      {
        headers: {
          Origin: 'http://localhost:8888',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,prefer'
        }
      }
    );
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(
      'http://localhost:8888'
    );
    expect(answer.headers.get('access-control-allow-headers')).toContain(
      'prefer'
    );
    expect(answer.headers.get('access-control-expose-headers')).toContain(
      'Retry-After'
    );
  });
});

describe('bookmarks', () => {
  const bookmarks = `${workspacePath()}/providers/Microsoft.SecurityInsights/bookmarks`;
  const id = '73e01a99-5cd7-4139-a149-9f2736ff2ab5';

  it('creates, updates, lists and deletes, and audits each write in HuntingBookmark', async () => {
    const armToken = await token(ARM);
    const put = (properties: Record<string, unknown>, apiVersion = STABLE) =>
      call('PUT', `${bookmarks}/${id}?api-version=${apiVersion}`, {
        token: armToken,
        body: { properties }
      });
    const fields = {
      displayName: 'Odd sign-in',
      query: 'SigninLogs | take 1',
      queryResult: '{"UserPrincipalName":"alice@contoso.example"}',
      labels: ['triage'],
      notes: 'first look',
      eventTime: '2024-01-02T03:04:05Z',
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      entityMappings: []
    };

    const created = await put(fields);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: `${workspacePath().toLowerCase()}/providers/Microsoft.SecurityInsights/bookmarks/${id}`,
      name: id,
      type: 'Microsoft.SecurityInsights/bookmarks',
      etag: expect.any(String),
      properties: {
        displayName: 'Odd sign-in',
        query: 'SigninLogs | take 1',
        labels: ['triage'],
        created: expect.any(String),
        updated: expect.any(String),
        createdBy: { objectId: expect.any(String), name: 'jest' }
      }
    });
    // A stable api-version has no MITRE or entity fields.
    expect(created.body.properties.tactics).toBeUndefined();
    expect(created.body.properties.entityMappings).toBeUndefined();

    const updated = await put({ ...fields, notes: 'confirmed' }, PREVIEW);
    expect(updated.status).toBe(200);
    expect(updated.body.properties).toMatchObject({
      notes: 'confirmed',
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      created: created.body.properties.created
    });
    expect(updated.body.etag).not.toBe(created.body.etag);

    const missing = await put({ query: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BadRequest');
    expect(missing.body.error.message).toContain('displayName');
    expect((await put({ displayName: 'x' })).status).toBe(400);

    const list = await call('GET', `${bookmarks}?api-version=${STABLE}`, {
      token: armToken
    });
    expect(list.body.value.map((b: any) => b.name)).toEqual([id]);
    expect(list.body.value[0].properties.tactics).toBeUndefined();
    const one = await call('GET', `${bookmarks}/${id}?api-version=${PREVIEW}`, {
      token: armToken
    });
    expect(one.body.properties.techniques).toEqual(['T1078']);

    const deleted = await call(
      'DELETE',
      `${bookmarks}/${id}?api-version=${STABLE}`,
      {
        token: armToken
      }
    );
    expect(deleted.status).toBe(200);
    expect(
      (
        await call('DELETE', `${bookmarks}/${id}?api-version=${STABLE}`, {
          token: armToken
        })
      ).status
    ).toBe(204);
    expect(
      (
        await call('GET', `${bookmarks}/${id}?api-version=${STABLE}`, {
          token: armToken
        })
      ).status
    ).toBe(404);

    const audit = await query(
      'HuntingBookmark | where BookmarkName == "Odd sign-in" | order by TimeGenerated asc | project BookmarkId, Notes, SoftDeleted, Tags, QueryText, EventTime'
    );
    expect(audit.status).toBe(200);
    expect(audit.body.tables[0].rows).toEqual([
      [
        id,
        'first look',
        false,
        '["triage"]',
        'SigninLogs | take 1',
        '2024-01-02T03:04:05.0000000Z'
      ],
      [
        id,
        'confirmed',
        false,
        '["triage"]',
        'SigninLogs | take 1',
        '2024-01-02T03:04:05.0000000Z'
      ],
      [
        id,
        'confirmed',
        true,
        '["triage"]',
        'SigninLogs | take 1',
        '2024-01-02T03:04:05.0000000Z'
      ]
    ]);
  });

  it('has no bookmarks on a workspace without Sentinel', async () => {
    const answer = await call(
      'GET',
      `${workspacePath(PLAIN)}/providers/Microsoft.SecurityInsights/bookmarks?api-version=${STABLE}`,
      { token: await token(ARM) }
    );
    expect(answer.status).toBe(400);
    const hunting = await query('HuntingBookmark | count', {}, {}, PLAIN);
    expect(hunting.status).toBe(400);
  });
});
