/**
 * The Azure backend against the emulator of the Azure APIs (testing/azure-emulator): real
 * HTTP, ARM paging, the `@azure/monitor-query-logs` client with its retry policies, bookmarks.
 * Tokens come from the emulator's token endpoint (client credentials): MSAL's browser flow is
 * covered by the Galata test. The Jupyter server's conversion of the response (pytest covers it)
 * is replaced by a recorder, to check that the response's text reaches it untouched.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
  AzureAuthError,
  type IAzureTokenProvider
} from '../backends/azure/auth';
import { AzureBackend } from '../backends/azure/backend';
import {
  PREVIEW_BOOKMARK_API_VERSION,
  STABLE_BOOKMARK_API_VERSION
} from '../backends/azure/bookmarks';
import { cloudEndpoints } from '../backends/azure/clouds';
import { LogAnalyticsError } from '../backends/azure/logs';
import { QueryCancelledError } from '../backends/errors';
import {
  SUBSCRIPTIONS,
  WORKSPACES,
  workspaceResourceId
} from '../../testing/azure-emulator/fixture';
import { selfSignedCertificate } from '../../testing/azure-emulator/certificate';
import {
  type IEmulator,
  startEmulator
} from '../../testing/azure-emulator/server';
import type { IBookmarkFields } from '../tokens';
import {
  ClientCredentialTokens,
  type IConversion,
  recordingServer,
  writeWorkspace
} from './azure-clients';

jest.setTimeout(60_000);

const SENTINEL = workspaceResourceId(WORKSPACES[0]);

describe('the Azure backend against the emulator', () => {
  let folder: string;
  let emulator: IEmulator;
  let tokens: ClientCredentialTokens;
  let conversions: IConversion[];

  const backend = (bookmarkApiVersion = PREVIEW_BOOKMARK_API_VERSION) =>
    new AzureBackend('Azure', {
      endpoints: cloudEndpoints('AzurePublic', {
        login: emulator.url,
        arm: emulator.url,
        logAnalytics: emulator.url
      }),
      tokens,
      bookmarkApiVersion,
      server: recordingServer(conversions)
    });

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-azure-'));
    await writeWorkspace(folder);
    // The SDK sends bearer tokens over TLS only (testing/trust-emulator.js trusts the cert).
    emulator = await startEmulator({
      workspace: folder,
      pageSize: 1,
      maxRows: 8,
      https: selfSignedCertificate()
    });
  });

  afterAll(async () => {
    await emulator?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(() => {
    const resources = cloudEndpoints('AzurePublic').resources;
    tokens = new ClientCredentialTokens(emulator.authority, resources);
    conversions = [];
    emulator.clearRequests();
  });

  it('lists the workspaces of every subscription, following nextLink', async () => {
    const workspaces = await backend().listWorkspaces();
    // By subscription name (Sandbox, Security Operations), then by workspace name.
    expect(workspaces.map(w => [w.group, w.name, w.sentinel])).toEqual([
      [SUBSCRIPTIONS[1].displayName, 'sandbox-logs', false],
      [SUBSCRIPTIONS[0].displayName, 'plain-logs', false],
      [SUBSCRIPTIONS[0].displayName, 'sentinel-demo', true]
    ]);
    expect(workspaces[1].message).toMatch(/Sentinel not enabled/);
    expect(workspaces[2].id.toLowerCase()).toBe(SENTINEL);
    const pages = emulator
      .requests()
      .filter(r => r.path.startsWith('/subscriptions?'));
    expect(pages.length).toBeGreaterThan(1);
  });

  it('queries several workspaces at once through the query API’s workspaces', async () => {
    const azure = backend();
    const plain = workspaceResourceId(WORKSPACES[1]);
    const count = async (workspaces?: string[]) => {
      await azure.query(SENTINEL, 'SigninLogs | count', { workspaces });
      const text = conversions.pop()!.text;
      return (JSON.parse(text) as { tables: { rows: number[][] }[] }).tables[0]
        .rows[0][0];
    };
    expect(await count()).toBe(12);
    // Both workspaces read the same folder: their union has every sign-in twice.
    expect(await count([plain])).toBe(24);
    const sent = emulator
      .requests()
      .filter(r => r.path.endsWith('/query'))
      .map(r => (JSON.parse(r.body) as { workspaces?: string[] }).workspaces);
    expect(sent).toEqual([undefined, [WORKSPACES[1].customerId]]);
  });

  it('names the workspace of each row of a cross-workspace query, and reads one with workspace()', async () => {
    const azure = backend();
    const others = [WORKSPACES[1], WORKSPACES[2]].map(workspaceResourceId);
    const rows = async (query: string) => {
      await azure.query(SENTINEL, query, { workspaces: others });
      const text = conversions.pop()!.text;
      return (JSON.parse(text) as { tables: { rows: unknown[][] }[] }).tables[0]
        .rows;
    };
    // As the service fills it, TenantId is the workspace id (its customerId) of each row.
    expect(
      await rows(
        'SigninLogs | summarize Rows = count() by TenantId | order by TenantId asc'
      )
    ).toEqual([
      [WORKSPACES[0].customerId, 12],
      [WORKSPACES[1].customerId, 12],
      // In the second subscription: a query across workspaces crosses subscriptions too.
      [WORKSPACES[2].customerId, 12]
    ]);
    expect(
      await rows(
        `workspace("${WORKSPACES[1].name}").SigninLogs | distinct TenantId`
      )
    ).toEqual([[WORKSPACES[1].customerId]]);
  });

  it('reads the schema from the ARM tables API', async () => {
    const schema = await backend().getSchema(SENTINEL);
    const signins = schema.tables.find(t => t.name === 'SigninLogs');
    expect(signins?.timespanColumn).toBe('TimeGenerated');
    expect(signins?.columns).toEqual(
      expect.arrayContaining([
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'UserPrincipalName', type: 'string' }
      ])
    );
  });

  it('hands the response text to the server untouched: every digit of a long survives', async () => {
    const result = await backend().query(
      SENTINEL,
      'print big = 9007199254740993, small = int(7), bag = dynamic({"a": [1, 2]}) | extend t = now()'
    );
    expect(result.columns).toEqual([
      { name: 'big', type: 'long' },
      { name: 'small', type: 'int' },
      { name: 'bag', type: 'dynamic' },
      { name: 't', type: 'datetime' }
    ]);
    expect(result.rowCount).toBe(1);
    const [conversion] = conversions;
    expect(conversion.endpoint).toBe('arrow');
    expect(conversion.text).toMatch(/\[9007199254740993,/);
    expect(conversion.text).toContain('"{\\"a\\":[1,2]}"');
  });

  it('sends the time window as the API’s timespan and the Prefer options', async () => {
    const start = new Date('2026-10-01T02:00:00Z');
    const end = new Date('2026-10-01T05:00:00Z');
    const result = await backend().query(
      SENTINEL,
      'SigninLogs | summarize n = count()',
      { timespan: { start, end } }
    );
    expect(result.timespan).toEqual({ start, end });
    const sent = emulator.requests().find(r => r.path.endsWith('/query'))!;
    expect(JSON.parse(sent.body)).toEqual({
      query: 'SigninLogs | summarize n = count()',
      timespan: '2026-10-01T02:00:00.000Z/2026-10-01T05:00:00.000Z'
    });
    expect(sent.headers.prefer).toMatch(/include-render=true/);
    expect(sent.headers.prefer).toMatch(/include-statistics=true/);
    expect(JSON.parse(conversions[0].text).tables[0].rows).toEqual([[3]]);
  });

  it('leaves the timespan out when the cell sets none, so the query sees all the data', async () => {
    await backend().query(SENTINEL, 'SigninLogs | count');
    const sent = emulator.requests().find(r => r.path.endsWith('/query'))!;
    expect(JSON.parse(sent.body)).toEqual({ query: 'SigninLogs | count' });
  });

  it('keeps the chart settings the service sends, in its spelling', async () => {
    const result = await backend().query(
      SENTINEL,
      'SigninLogs | summarize n = count() by ResultType | render columnchart with (xcolumn=ResultType, ycolumns=n, xtitle="Result", ytitle="Sign-ins")'
    );
    expect(result.render).toEqual({
      visualization: 'columnchart',
      properties: {
        accumulate: 'false',
        isQuerySorted: 'false',
        yMin: 'NaN',
        yMax: 'NaN',
        xColumn: 'ResultType',
        xTitle: 'Result',
        yColumns: 'n',
        yTitle: 'Sign-ins'
      }
    });
  });

  it('reports a KQL error with the service’s message and position', async () => {
    // The service's pos counts from 0: `2` stands at column 16 of line 2.
    const syntax = backend().query(SENTINEL, 'SigninLogs\n| extend x = 1 2');
    await expect(syntax).rejects.toThrow(LogAnalyticsError);
    await expect(syntax).rejects.toThrow(
      "Log Analytics: Query could not be parsed at '2' (line 2, column 16)"
    );
    await expect(syntax).rejects.toMatchObject({ code: 'SYN0002' });
    // Semantic errors come without a place from the service.
    const semantic = backend().query(
      SENTINEL,
      'SigninLogs\n| where NoSuchColumn == 1'
    );
    await expect(semantic).rejects.toThrow(
      "Log Analytics: Failed to resolve table or column or scalar expression named 'NoSuchColumn'"
    );
    await expect(semantic).rejects.toMatchObject({ code: 'SEM0100' });
  });

  it('exports a partial result with the service’s message', async () => {
    const result = await backend().export(
      SENTINEL,
      'SigninLogs',
      'results/signins.parquet'
    );
    expect(result.partial).toBe(true);
    expect(result.partialMessage).toBeTruthy();
    expect(conversions[0]).toMatchObject({
      endpoint: 'export',
      query: { path: 'results/signins.parquet' }
    });
  });

  it('exports every table of a batch, the render on the last', async () => {
    const result = await backend().export(
      SENTINEL,
      'SigninLogs | count | render piechart;\nSigninLogs | take 2 | project UserPrincipalName | render columnchart',
      'results/batch.parquet'
    );
    expect(conversions[0].query).toMatchObject({
      path: 'results/batch.parquet',
      tables: 'all'
    });
    expect(result.tables).toEqual([
      {
        name: 'PrimaryResult',
        path: 'results/batch.parquet',
        rowCount: 1,
        columns: [{ name: 'Count', type: 'long' }],
        render: null
      },
      {
        name: 'Table_1',
        path: 'results/batch_table_1.parquet',
        rowCount: 2,
        columns: [{ name: 'UserPrincipalName', type: 'string' }],
        render: expect.objectContaining({ visualization: 'columnchart' })
      }
    ]);
    expect(result.columns).toEqual([{ name: 'Count', type: 'long' }]);
    // A notebook job sends the same KQL to the same workspace, with a credential of its own.
    expect(result.rerun).toMatchObject({
      backend: 'azure',
      workspace: SENTINEL,
      kql: expect.stringMatching(/^SigninLogs \| count \| render piechart;/),
      customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: expect.stringMatching(/\/\.default$/)
    });
  });

  it('retries a throttled query as the SDK does, then reports it', async () => {
    emulator.throttleQueries(1, 0);
    const result = await backend().query(SENTINEL, 'SigninLogs | count');
    expect(result.rowCount).toBe(1);
    emulator.throttleQueries(100, 0);
    await expect(
      backend().query(SENTINEL, 'SigninLogs | count')
    ).rejects.toThrow(/throttling/);
    const attempts = emulator
      .requests()
      .filter(r => r.path.endsWith('/query')).length;
    // One success after one 429, then the first try and the SDK's retries of the second.
    expect(attempts).toBeGreaterThan(3);
    emulator.throttleQueries(0);
  });

  it('asks for a new token when the service says the one it has expired, and keeps the query', async () => {
    const azure = backend();
    await azure.query(SENTINEL, 'SigninLogs | count');
    await azure.listWorkspaces();
    const before = tokens.issued;
    expect(emulator.expireTokens()).toBeGreaterThan(0);
    const result = await azure.query(SENTINEL, 'SigninLogs | count');
    expect(result.rowCount).toBe(1);
    await azure.getSchema(SENTINEL);
    expect(tokens.issued).toBe(before + 2);
  });

  it('cancels a query', async () => {
    const controller = new AbortController();
    const running = backend().query(SENTINEL, 'SigninLogs', {
      signal: controller.signal
    });
    controller.abort();
    await expect(running).rejects.toThrow(QueryCancelledError);
  });

  it('saves a bookmark with its entities once, however often it is retried, and deletes it', async () => {
    const azure = backend();
    const fields: IBookmarkFields = {
      displayName: 'Spray from 203.0.113.4',
      query: 'SigninLogs | where ResultType == "50126"',
      queryResult: '[{"IPAddress":"203.0.113.4"}]',
      labels: ['spray'],
      entityMappings: [
        {
          entityType: 'IP',
          fieldMappings: [{ identifier: 'Address', value: '203.0.113.4' }]
        }
      ],
      tactics: ['CredentialAccess']
    };
    const id = 'a7c2b9e4-0000-4000-8000-00000000e001';
    const saved = await azure.createBookmark(SENTINEL, id, fields);
    await azure.createBookmark(SENTINEL, id, fields);
    expect(saved).toMatchObject({
      id,
      displayName: fields.displayName,
      labels: ['spray'],
      tactics: ['CredentialAccess']
    });
    expect(saved.entityMappings?.[0].entityType).toBe('IP');
    const listed = await azure.listBookmarks(SENTINEL);
    expect(listed.filter(b => b.id === id)).toHaveLength(1);

    await azure.query(
      SENTINEL,
      'HuntingBookmark | where BookmarkName == "Spray from 203.0.113.4" | summarize arg_max(TimeGenerated, *) by BookmarkId'
    );
    expect(JSON.parse(conversions[0].text).tables[0].rows).toHaveLength(1);

    await azure.deleteBookmark(SENTINEL, id);
    expect(
      (await azure.listBookmarks(SENTINEL)).filter(b => b.id === id)
    ).toHaveLength(0);
  });

  it('links a bookmark to an incident chosen from the workspace’s incidents', async () => {
    const azure = backend();
    const incidents = await azure.listIncidents(SENTINEL);
    expect(incidents.map(i => i.number)).toEqual(
      expect.arrayContaining([42, 43])
    );
    const spray = incidents.find(i => i.number === 42)!;
    const id = 'a7c2b9e4-0000-4000-8000-00000000e003';
    const fields: IBookmarkFields = {
      displayName: 'Evidence for #42',
      query: 'SigninLogs',
      labels: [],
      incidentInfo: { incidentId: spray.id }
    };
    const saved = await azure.createBookmark(SENTINEL, id, fields);
    await azure.createBookmark(SENTINEL, id, fields);
    expect(saved.incidentInfo).toEqual({
      incidentId: spray.id,
      title: spray.title,
      severity: 'High'
    });
    const relation = emulator
      .requests()
      .find(r => r.method === 'PUT' && r.path.includes('/relations/'))!;
    expect(relation.path).toContain(`/incidents/${spray.id}/relations/${id}`);
    expect(JSON.parse(relation.body).properties.relatedResourceId).toMatch(
      new RegExp(`/bookmarks/${id}$`)
    );
    await azure.deleteBookmark(SENTINEL, id);
  });

  it('says when the bookmark was saved but the incident could not be linked', async () => {
    await expect(
      backend().createBookmark(
        SENTINEL,
        'a7c2b9e4-0000-4000-8000-00000000e004',
        {
          displayName: 'Orphan',
          query: 'SigninLogs',
          labels: [],
          incidentInfo: { incidentId: 'no-such-incident' }
        }
      )
    ).rejects.toThrow(/saved, but not linked to the incident no-such-incident/);
  });

  it('leaves out entities and tactics with the stable api-version, and says so', async () => {
    const azure = backend(STABLE_BOOKMARK_API_VERSION);
    const fields: IBookmarkFields = {
      displayName: 'Stable',
      query: 'SigninLogs',
      labels: [],
      tactics: ['Discovery']
    };
    expect(azure.bookmarkFieldsLeftOut(fields)).toEqual(['tactics']);
    const saved = await azure.createBookmark(
      SENTINEL,
      'a7c2b9e4-0000-4000-8000-00000000e002',
      fields
    );
    expect(saved.tactics).toBeUndefined();
    const sent = emulator.requests().find(r => r.method === 'PUT')!;
    expect(sent.path).toContain('api-version=2025-09-01');
    expect(JSON.parse(sent.body).properties).not.toHaveProperty('tactics');
  });

  it('says to sign in when nobody is', async () => {
    const signedOut = Object.assign(Object.create(tokens), { account: null });
    const azure = new AzureBackend('Azure', {
      endpoints: cloudEndpoints('AzurePublic', { arm: emulator.url }),
      tokens: signedOut as IAzureTokenProvider,
      bookmarkApiVersion: PREVIEW_BOOKMARK_API_VERSION
    });
    await expect(azure.listWorkspaces()).rejects.toThrow(AzureAuthError);
  });
});
