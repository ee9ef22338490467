/**
 * A hunt through the workspace backend the sidebar uses: the real `LocalBackend` (KQL compiled in
 * the browser, tables restricted to each rule's window) whose server calls are answered in-process
 * by DuckDB over a workspace folder, as the Jupyter server answers them; every outcome class, and
 * the hunts model's progress and cancel.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ServerConnection } from '@jupyterlab/services';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as fs from 'fs';

import { LocalBackend } from '../../backends/local/backend';
import { loadCompiler } from '../../kql/index';
import { parsePack } from '../../kql/hunts/rule';
import { attachWorkspace } from '../../kql/node/duckdb';
import { SentinelServer } from '../../server';
import type { IWorkspaceInfo } from '../../tokens';
import { HuntsModel } from '../model';
import { WorkspaceHuntRunner } from '../runner';
import { packFromFiles, serverPacks } from '../sources';
import { signinLogsFolder } from '../../kql/__tests__/hunt-fixture';

const NOW = new Date('2024-03-10T12:00:00Z');
const WORKSPACE: IWorkspaceInfo = {
  id: 'logs',
  name: 'Logs',
  backend: 'local',
  status: 'ready'
};

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });

/** The server's schema and query endpoints, answered by DuckDB over the folder's tables. */
async function duckDbServer(folder: string): Promise<{
  server: SentinelServer;
  close: () => void;
  queries: string[];
  /** Answers this many of the next queries as the server does when no query worker is free. */
  busy: { next: number };
}> {
  const busy = { next: 0 };
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  const tables = await attachWorkspace(connection, folder);
  const queries: string[] = [];
  const fetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(String(input), init);
    const route = new URL(request.url).pathname.replace(
      /^.*\/sentinel\/api\//,
      ''
    );
    if (request.method === 'GET' && route === 'workspaces/logs/schema') {
      return json({
        workspace: 'logs',
        tables: tables.map(t => ({
          name: t.name,
          category: 'Custom',
          timespanColumn: 'TimeGenerated',
          rowCount: null,
          columns: t.columns
        }))
      });
    }
    if (request.method === 'POST' && route === 'workspaces/logs/query') {
      if (busy.next > 0) {
        busy.next--;
        return new Response(
          JSON.stringify({
            message: 'every query worker is busy',
            reason: 'busy'
          }),
          {
            status: 503,
            headers: { 'Content-Type': 'application/json', 'Retry-After': '0' }
          }
        );
      }
      const { sql } = (await request.json()) as { sql: string };
      queries.push(sql);
      let rows: Record<string, unknown>[];
      try {
        rows = (
          await connection.runAndReadAll(sql)
        ).getRowObjectsJson() as Record<string, unknown>[];
      } catch (error) {
        return json({ message: String(error), reason: 'sql-error' }, 400);
      }
      const names = rows.length ? Object.keys(rows[0]) : ['n'];
      const table = tableFromArrays(
        Object.fromEntries(
          names.map(n => [
            n,
            rows.map(r => (r[n] === null ? null : String(r[n])))
          ])
        ) as Parameters<typeof tableFromArrays>[0]
      );
      return new Response(tableToIPC(table, 'stream'), {
        headers: {
          'Content-Type': 'application/vnd.apache.arrow.stream',
          'X-Sentinel-Row-Count': String(rows.length),
          'X-Sentinel-Truncated': 'false',
          'X-Sentinel-Elapsed-Ms': '1'
        }
      });
    }
    return new Response('no such route', { status: 404 });
  };
  const server = new SentinelServer(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch,
      Request,
      Headers
    })
  );
  return { server, close: () => connection.closeSync(), queries, busy };
}

const rule = (name: string, fields: string): string =>
  `name: ${name}\nkind: Scheduled\nqueryPeriod: 1d\ntactics: [CredentialAccess]\n${fields}`;

describe('hunting through the local backend', () => {
  let folder: string;
  let backend: LocalBackend;
  let close: () => void;
  let busy: { next: number };

  beforeAll(async () => {
    await loadCompiler();
    folder = signinLogsFolder('hunts-ui-');
    const served = await duckDbServer(folder);
    close = served.close;
    busy = served.busy;
    backend = new LocalBackend('Local', served.server);
  }, 60_000);

  afterAll(() => {
    close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const pack = () =>
    parsePack([
      {
        path: 'fires.yaml',
        text: rule(
          'fires',
          'triggerOperator: gt\ntriggerThreshold: 2\nquery: SigninLogs | where ResultType == "50126"\n'
        )
      },
      {
        path: 'below.yaml',
        text: rule(
          'below its threshold',
          'triggerOperator: gt\ntriggerThreshold: 3\nquery: SigninLogs | where ResultType == "50126"\n'
        )
      },
      {
        path: 'none.yaml',
        text: rule(
          'no hits',
          'triggerOperator: gt\ntriggerThreshold: 0\nquery: SigninLogs | where ResultType == "53003"\n'
        )
      },
      {
        path: 'refused.yaml',
        text: rule(
          'refused',
          'query: SigninLogs | evaluate python(typeof(*), "result = df")\n'
        )
      },
      {
        path: 'missing.yaml',
        text: rule('missing tables', 'query: DeviceEvents | take 1\n')
      },
      {
        path: 'syntax.yaml',
        text: rule('bad syntax', 'query: SigninLogs | where\n')
      }
    ]);

  /** The hunts model over the pack, running through the local backend. */
  const huntsModel = async (): Promise<HuntsModel> => {
    const model = new HuntsModel({
      loadPacks: async () => [
        { key: 'p', source: 'folder', name: 'p', pack: pack(), error: null }
      ],
      runnerFor: (workspace, signal) =>
        new WorkspaceHuntRunner(backend, workspace, signal),
      now: () => NOW
    });
    await model.refresh();
    return model;
  };

  // The first rules bind against a cold Kusto.Language: seconds on a loaded machine.
  it('classifies each rule as the engine does, over its own window', async () => {
    const model = await huntsModel();
    const progress: number[] = [];
    model.changed.connect(() => progress.push(model.run?.done ?? -1));
    const report = await model.start('p', WORKSPACE);
    const byName = Object.fromEntries(
      report.results.map(r => [r.rule.name, [r.outcome, r.rows, r.fired]])
    );
    expect(byName).toEqual({
      // The rule's day: the failure two days ago is outside its window.
      fires: ['hits', 3, true],
      'below its threshold': ['hits', 3, false],
      'no hits': ['no-hits', 0, false],
      refused: ['refused', null, false],
      'missing tables': ['missing-tables', null, false],
      'bad syntax': ['error', null, false]
    });
    expect(model.result(report.results[3].rule.id)?.reason).toBe(
      'not supported locally: evaluate python'
    );
    expect(
      report.results.find(r => r.outcome === 'missing-tables')?.missingTables
    ).toEqual(['DeviceEvents']);
    expect(Math.max(...progress)).toBe(6);
    expect(model.running).toBe(false);
    expect(model.run?.report).toBe(report);
  }, 60_000);

  it('runs every rule over one chosen window instead', async () => {
    const model = await huntsModel();
    const report = await model.start('p', WORKSPACE, {
      start: new Date('2024-03-07T12:00:00Z'),
      end: NOW
    });
    // Three days back: the failure two days ago counts too.
    expect(report.results[0]).toMatchObject({
      outcome: 'hits',
      rows: 4,
      window: { start: new Date('2024-03-07T12:00:00Z'), end: NOW }
    });
  });

  it('waits for a free query worker when the server is busy, and gives up after a few tries', async () => {
    const runner = new WorkspaceHuntRunner(backend, WORKSPACE);
    const window = { start: new Date('2024-03-09T12:00:00Z'), end: NOW };
    const query = 'SigninLogs | where ResultType == "50126"';
    busy.next = 2;
    expect(await runner.run(query, window)).toEqual({ kind: 'rows', count: 3 });
    busy.next = 100;
    expect(await runner.run(query, window)).toEqual({
      kind: 'error',
      message: 'every query worker is busy'
    });
    busy.next = 0;
  });

  it('stops starting rules when cancelled and keeps the rules done', async () => {
    let model: HuntsModel | null = null;
    model = new HuntsModel({
      loadPacks: async () => [
        { key: 'p', source: 'folder', name: 'p', pack: pack(), error: null }
      ],
      runnerFor: (workspace, signal) => {
        const runner = new WorkspaceHuntRunner(backend, workspace, signal);
        return {
          run: async (query, window) => {
            const outcome = await runner.run(query, window);
            // Cancel once the first rule is done, as the Cancel button would.
            model?.cancel();
            return outcome;
          }
        };
      },
      concurrency: 1,
      now: () => NOW
    });
    await model.refresh();
    const report = await model.start('p', WORKSPACE);
    expect(report.cancelled).toBe(true);
    expect(report.results.map(r => r.rule.name)).toEqual(['fires']);
    expect(model.running).toBe(false);
  });

  it('refuses a second run while one is under way', async () => {
    const model = await huntsModel();
    const first = model.start('p', WORKSPACE);
    await expect(model.start('p', WORKSPACE)).rejects.toThrow(
      'a hunt is already running'
    );
    await first;
  });
});

describe('packs from files', () => {
  it('lists every file: rules, files that are not rules and unreadable ones, with reasons', async () => {
    const info = await packFromFiles(
      { key: 'folder:rules', source: 'folder', name: 'rules' },
      [
        {
          path: 'a.yaml',
          text: rule('a', 'query: SigninLogs | take 1\n')
        },
        { path: 'b.yaml', text: 'name: no query\n' },
        { path: 'c.yaml', error: 'not UTF-8 text' }
      ]
    );
    expect(info.pack?.rules.map(r => r.name)).toEqual(['a']);
    expect(info.pack?.invalid).toEqual([
      { file: 'b.yaml', reason: expect.any(String) },
      { file: 'c.yaml', reason: 'not UTF-8 text' }
    ]);
    expect(info.pack?.invalid[0].reason).not.toBe('');
  });
});

describe('packs the server hands out', () => {
  /** `GET hunts` and `GET hunts/{pack}` answered with these bodies, as the server words them. */
  const serving = (bodies: Record<string, unknown>) =>
    new SentinelServer(
      ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          const request =
            input instanceof Request ? input : new Request(String(input), init);
          const route = decodeURIComponent(
            new URL(request.url).pathname.replace(/^.*\/sentinel\/api\//, '')
          );
          return route in bodies
            ? json(bodies[route])
            : json({ message: 'not found', reason: 'not-found' }, 404);
        },
        Request,
        Headers
      })
    );

  it('lists GitHub packs by name, an unreachable one with the reason and a stale one with a notice', async () => {
    const location =
      'https://github.com/Azure/Azure-Sentinel/tree/master/Hunting Queries';
    const packs = await serverPacks(
      serving({
        hunts: {
          packs: [
            { id: 'demo', source: 'shipped', files: 1 },
            {
              id: 'hunting',
              source: 'github',
              name: 'Microsoft Sentinel hunting queries',
              location,
              status: 'error',
              files: 0,
              message: 'GitHub cannot be reached: [Errno -3] name resolution'
            },
            {
              id: 'okta',
              source: 'github',
              name: 'Okta rules',
              location,
              status: 'ready',
              files: 1,
              message: 'GitHub answered 500; showing the copy from 2026-11-30'
            }
          ]
        },
        'hunts/demo': {
          files: [{ path: 'a.yaml', text: rule('a', 'query: T\n') }]
        },
        'hunts/okta': {
          files: [{ path: 'Okta/b.yaml', text: rule('b', 'query: T\n') }]
        }
      })
    );
    expect(
      packs.map(p => [p.key, p.name, p.pack?.rules.length ?? null, p.error])
    ).toEqual([
      ['shipped:demo', 'demo', 1, null],
      [
        'github:hunting',
        'Microsoft Sentinel hunting queries',
        null,
        'GitHub cannot be reached: [Errno -3] name resolution'
      ],
      ['github:okta', 'Okta rules', 1, null]
    ]);
    expect(packs[1].location).toBe(location);
    expect(packs[2].notice).toBe(
      'GitHub answered 500; showing the copy from 2026-11-30'
    );
  });
});
