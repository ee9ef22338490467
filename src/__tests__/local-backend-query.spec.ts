/**
 * The local backend's query path: KQL compiled in the browser, SQL posted to a mocked Jupyter
 * server, the Arrow answer decoded; compile errors, time windows and cancellation.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { ServerConnection } from '@jupyterlab/services';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

import { QueryCancelledError, QueryCompileError } from '../backends/errors';
import { LocalBackend } from '../backends/local/backend';
import { SentinelServer, SentinelServerError } from '../server';
import { compilerSchema, loadCompiler } from '../kql/index';
import type { ITableInfo } from '../tokens';

interface IRecorded {
  method: string;
  path: string;
  body: string;
}

type Answer = (request: IRecorded) => Response | Promise<Response>;

/** A gateway whose fetch answers from a table of `METHOD path` (or `METHOD prefix*`) routes. */
function serverWith(
  answers: Record<string, Answer>,
  recorded: IRecorded[] = []
): SentinelServer {
  const fetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(String(input), init);
    const call = {
      method: request.method,
      path: new URL(request.url).pathname,
      body: await request.clone().text()
    };
    recorded.push(call);
    const key = `${call.method} ${call.path}`;
    const answer =
      answers[key] ??
      Object.entries(answers).find(
        ([route]) => route.endsWith('*') && key.startsWith(route.slice(0, -1))
      )?.[1];
    return answer
      ? answer(call)
      : new Response('no such route', { status: 404 });
  };
  return new SentinelServer(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/base/',
      fetch,
      Request,
      Headers
    })
  );
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });

const API = '/base/sentinel/api';
const NOW = new Date('2024-01-15T12:00:00Z');

const SIGNINS: ITableInfo = {
  name: 'SigninLogs',
  category: 'Azure Active Directory',
  timespanColumn: 'TimeGenerated',
  rowCount: 4,
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'UserPrincipalName', type: 'string' },
    { name: 'ResultType', type: 'string' },
    { name: 'IPAddress', type: 'string' }
  ]
};

const schemaRoute = (tables: ITableInfo[]): Answer => {
  return () => json({ workspace: 'demo', tables });
};

/** A local backend whose server knows the demo workspace's SigninLogs, and answers `routes`. */
const demoBackend = (
  routes: Record<string, Answer> = {},
  recorded: IRecorded[] = []
): LocalBackend =>
  new LocalBackend(
    'Local',
    serverWith(
      {
        [`GET ${API}/workspaces/demo/schema`]: schemaRoute([SIGNINS]),
        ...routes
      },
      recorded
    )
  );

/** An Arrow IPC answer with the server's headers. */
function arrow(
  columns: Record<string, unknown[] | BigInt64Array | Float64Array>,
  headers: Record<string, string> = {}
): Response {
  const table = tableFromArrays(
    columns as Parameters<typeof tableFromArrays>[0]
  );
  return new Response(tableToIPC(table, 'stream'), {
    status: 200,
    headers: {
      'Content-Type': 'application/vnd.apache.arrow.stream',
      'X-Sentinel-Row-Count': String(table.numRows),
      'X-Sentinel-Truncated': 'false',
      'X-Sentinel-Elapsed-Ms': '12.5',
      ...headers
    }
  });
}

const posted = (recorded: IRecorded[]): Record<string, unknown>[] =>
  recorded
    .filter(r => r.method === 'POST' && r.path.endsWith('/query'))
    .map(r => JSON.parse(r.body) as Record<string, unknown>);

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  expect(condition()).toBe(true);
}

describe('LocalBackend.query', () => {
  beforeAll(async () => {
    // Kusto.Language takes a few seconds to load; load it once, outside any test's time limit.
    await loadCompiler();
  }, 60_000);

  it('compiles KQL, posts the SQL under a query id and decodes the Arrow answer', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/query`]: () =>
          arrow(
            {
              UserPrincipalName: ['adele.vance@contoso.example', 'alex@x'],
              Failures: BigInt64Array.from([41n, 3n])
            },
            { 'X-Sentinel-Truncated': 'true' }
          )
      },
      recorded
    );
    const result = await backend.query(
      'demo',
      'SigninLogs\n| where ResultType != "0"\n| summarize Failures = count() by UserPrincipalName\n| render barchart with (xcolumn=UserPrincipalName, ytitle="Failures")',
      { now: NOW, maxRows: 500, timeoutSeconds: 30 }
    );

    const [body] = posted(recorded);
    expect(body.sql).toEqual(expect.stringContaining('FROM "SigninLogs"'));
    expect(body.queryId).toBe(result.queryId);
    expect(result.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.maxRows).toBe(500);
    expect(body.timeoutSeconds).toBe(30);

    expect(result.columns).toEqual([
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'Failures', type: 'long' }
    ]);
    expect(result.rowCount).toBe(2);
    expect(result.truncated).toBe(true);
    expect(result.elapsedMs).toBe(12.5);
    // Named as the Log Analytics API names them, as the Azure backend reports them.
    expect(result.render).toEqual({
      visualization: 'barchart',
      properties: { xColumn: 'UserPrincipalName', yTitle: 'Failures' }
    });
    expect(result.now).toBe(NOW);
    expect(result.timespan).toBeNull();
    expect(result.table.numRows).toBe(2);
    expect(result.table.get(0)?.toJSON()).toEqual({
      UserPrincipalName: 'adele.vance@contoso.example',
      Failures: 41n
    });
  });

  it('reads the schema once and reuses it for later queries', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/query`]: () =>
          arrow({ n: BigInt64Array.from([4n]) })
      },
      recorded
    );
    await backend.query('demo', 'SigninLogs | count');
    await backend.query('demo', 'SigninLogs | count');
    expect(recorded.filter(r => r.method === 'GET')).toHaveLength(1);
  });

  it('refuses bad KQL with line and column, without calling the server', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend({}, recorded);
    const failure = backend.query('demo', 'SigninLogs\n| where (');
    await expect(failure).rejects.toBeInstanceOf(QueryCompileError);
    const error = (await failure.catch((e: unknown) => e)) as QueryCompileError;
    expect(error.errors[0]).toEqual(
      expect.objectContaining({ stage: 'syntax', line: 2 })
    );
    expect(error.message).toMatch(/^2:\d+ /);
    expect(error.unsupported).toBe(false);
    expect(posted(recorded)).toHaveLength(0);
  });

  it('names the unknown column as a semantic error', async () => {
    const backend = demoBackend();
    const error = (await backend
      .query('demo', 'SigninLogs | where Nope == 1')
      .catch((e: unknown) => e)) as QueryCompileError;
    expect(error).toBeInstanceOf(QueryCompileError);
    expect(error.errors[0]).toEqual(
      expect.objectContaining({ stage: 'semantic', line: 1, column: 20 })
    );
  });

  it('reads the schema again when a query names a table that appeared since', async () => {
    const recorded: IRecorded[] = [];
    let tables = [SIGNINS];
    const backend = new LocalBackend(
      'Local',
      serverWith(
        {
          [`GET ${API}/workspaces/demo/schema`]: () =>
            json({ workspace: 'demo', tables }),
          [`POST ${API}/workspaces/demo/query`]: () =>
            arrow({ Count: BigInt64Array.from([0n]) })
        },
        recorded
      )
    );
    await backend.getSchema('demo');
    tables = [
      SIGNINS,
      {
        ...SIGNINS,
        name: 'NewTable',
        columns: [{ name: 'TimeGenerated', type: 'datetime' }]
      }
    ];
    const result = await backend.query('demo', 'NewTable | count');
    expect(result.rowCount).toBe(1);
    expect(recorded.filter(r => r.method === 'GET')).toHaveLength(2);
  });

  it('restricts the tables to the time window and reports it', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/query`]: () =>
          arrow({ Count: BigInt64Array.from([2n]) })
      },
      recorded
    );
    const timespan = {
      start: new Date('2024-01-14T00:00:00Z'),
      end: new Date('2024-01-15T00:00:00Z')
    };
    const result = await backend.query('demo', 'SigninLogs | count', {
      timespan
    });
    const [body] = posted(recorded);
    expect(body.sql).toMatch(
      /^WITH "SigninLogs" AS NOT MATERIALIZED \(SELECT \* FROM "SigninLogs" WHERE "TimeGenerated" >= CAST\('2024-01-14 00:00:00.000' AS TIMESTAMP\) AND "TimeGenerated" < CAST\('2024-01-15 00:00:00.000' AS TIMESTAMP\)\)/
    );
    expect(result.timespan).toBe(timespan);
  });

  it('reports the server refusing the SQL as a SentinelServerError', async () => {
    const backend = demoBackend({
      [`POST ${API}/workspaces/demo/query`]: () =>
        json(
          {
            message: 'The query ran past its time limit of 1 s',
            reason: 'timeout'
          },
          408
        )
    });
    const error = await backend
      .query('demo', 'SigninLogs')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentinelServerError);
    expect((error as SentinelServerError).reason).toBe('timeout');
  });

  describe('cancellation', () => {
    /** A query route that stays open until the server is asked to cancel that query. */
    function cancellableServer(
      recorded: IRecorded[],
      cancelAnswers: number[] = []
    ): SentinelServer {
      let interrupt: (() => void) | null = null;
      return serverWith(
        {
          [`GET ${API}/workspaces/demo/schema`]: schemaRoute([SIGNINS]),
          [`POST ${API}/workspaces/demo/query`]: () =>
            new Promise<Response>(resolve => {
              interrupt = () =>
                resolve(
                  json(
                    { message: 'The query was cancelled', reason: 'cancelled' },
                    400
                  )
                );
            }),
          [`DELETE ${API}/queries/*`]: () => {
            // The server registers a query only once it starts: answer "unknown" as scripted.
            const status = cancelAnswers.shift() ?? 204;
            if (status === 204) {
              interrupt?.();
              return new Response(null, { status: 204 });
            }
            return json(
              { message: 'No running query', reason: 'not-found' },
              status
            );
          }
        },
        recorded
      );
    }

    it('rejects at once and interrupts the query in the server', async () => {
      const recorded: IRecorded[] = [];
      const backend = new LocalBackend('Local', cancellableServer(recorded));
      const controller = new AbortController();
      const running = backend.query('demo', 'SigninLogs', {
        signal: controller.signal
      });
      await until(() => posted(recorded).length === 1);
      controller.abort();
      await expect(running).rejects.toBeInstanceOf(QueryCancelledError);

      const [body] = posted(recorded);
      await until(() => recorded.some(r => r.method === 'DELETE'));
      const cancel = recorded.find(r => r.method === 'DELETE')!;
      expect(cancel.path).toBe(`${API}/queries/${String(body.queryId)}`);
      const error = (await running.catch(
        (e: unknown) => e
      )) as QueryCancelledError;
      expect(error.queryId).toBe(body.queryId);
    });

    it('asks again while the server does not know the query yet', async () => {
      const recorded: IRecorded[] = [];
      const backend = new LocalBackend(
        'Local',
        cancellableServer(recorded, [404, 404])
      );
      const controller = new AbortController();
      const running = backend.query('demo', 'SigninLogs', {
        signal: controller.signal
      });
      await until(() => posted(recorded).length === 1);
      controller.abort();
      await expect(running).rejects.toBeInstanceOf(QueryCancelledError);
      await until(
        () => recorded.filter(r => r.method === 'DELETE').length === 3
      );
    });

    it('sends nothing when the signal aborted before the query started', async () => {
      const recorded: IRecorded[] = [];
      const backend = new LocalBackend('Local', cancellableServer(recorded));
      const controller = new AbortController();
      controller.abort();
      await expect(
        backend.query('demo', 'SigninLogs', { signal: controller.signal })
      ).rejects.toBeInstanceOf(QueryCancelledError);
      expect(recorded).toHaveLength(0);
    });
  });
});

describe('LocalBackend.export', () => {
  beforeAll(async () => {
    await loadCompiler();
  }, 60_000);

  const exported = (recorded: IRecorded[]): Record<string, unknown>[] =>
    recorded
      .filter(r => r.method === 'POST' && r.path.endsWith('/export'))
      .map(r => JSON.parse(r.body) as Record<string, unknown>);

  it('posts the compiled SQL with the path, as query() posts it, and answers the file', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/query`]: () =>
          arrow({ n: BigInt64Array.from([1n]) }),
        [`POST ${API}/workspaces/demo/export`]: request =>
          json({
            path: (JSON.parse(request.body) as { path: string }).path,
            rowCount: 3,
            elapsedMs: 41.5,
            columns: [
              { name: 'IPAddress', type: 'string' },
              { name: 'Accounts', type: 'long' }
            ]
          })
      },
      recorded
    );
    const kql =
      'SigninLogs | summarize Accounts = dcount(UserPrincipalName) by IPAddress | top 3 by Accounts';
    const result = await backend.export(
      'demo',
      kql,
      'cases/results/signinlogs_df.parquet',
      { now: NOW, timeoutSeconds: 20 }
    );
    await backend.query('demo', kql, { now: NOW });

    const [body] = exported(recorded);
    const [queryBody] = posted(recorded);
    expect(body.sql).toBe(queryBody.sql);
    expect(body.path).toBe('cases/results/signinlogs_df.parquet');
    expect(body.queryId).toBe(result.queryId);
    expect(body.timeoutSeconds).toBe(20);
    expect(body).not.toHaveProperty('maxRows');
    expect(result).toEqual({
      queryId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      path: 'cases/results/signinlogs_df.parquet',
      rowCount: 3,
      elapsedMs: 41.5,
      columns: [
        { name: 'IPAddress', type: 'string' },
        { name: 'Accounts', type: 'long' }
      ],
      diagnostics: [],
      render: null,
      sql: body.sql,
      // What a notebook job runs again: the SQL the server ran.
      rerun: {
        backend: 'local',
        workspace: 'demo',
        engine: 'duckdb',
        statements: [{ sql: queryBody.sql }]
      }
    });
  });

  it('applies the time window to the exported SQL', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/export`]: () =>
          json({ path: 'r.parquet', rowCount: 1, elapsedMs: 1, columns: [] })
      },
      recorded
    );
    await backend.export('demo', 'SigninLogs | count', 'r.parquet', {
      timespan: {
        start: new Date('2024-01-14T00:00:00Z'),
        end: new Date('2024-01-15T00:00:00Z')
      }
    });
    const [body] = exported(recorded);
    expect(body.sql).toMatch(/^WITH "SigninLogs" AS NOT MATERIALIZED/);
  });

  it('gives a job the SQL of every statement of a batch, with what the server provides', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/export`]: request =>
          json({
            tables: (
              JSON.parse(request.body) as { statements: { path: string }[] }
            ).statements.map(s => ({
              path: s.path,
              rowCount: 1,
              elapsedMs: 1,
              columns: []
            }))
          })
      },
      recorded
    );
    const result = await backend.export(
      'demo',
      'SigninLogs | count;\nprint ip = "10.1.2.3" | extend geo = geo_info_from_ip_address(ip)',
      'r.parquet',
      { now: NOW }
    );
    const [sent] = recorded
      .filter(r => r.path.endsWith('/export'))
      .map(
        r =>
          JSON.parse(r.body) as {
            statements: { sql: string; geoIp?: boolean }[];
          }
      );
    expect(result.rerun).toEqual({
      backend: 'local',
      workspace: 'demo',
      engine: 'duckdb',
      statements: [
        { sql: sent.statements[0].sql },
        { sql: sent.statements[1].sql, geoIp: true }
      ]
    });
  });

  it('refuses bad KQL with line and column, without calling the export endpoint', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend({}, recorded);
    const error = await backend
      .export('demo', 'SigninLogs\n| wher ResultType == "0"', 'r.parquet')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCompileError);
    expect((error as QueryCompileError).errors[0].line).toBe(2);
    expect(exported(recorded)).toHaveLength(0);
  });

  it('reports the server refusing the path as a SentinelServerError with its reason', async () => {
    const backend = demoBackend({
      [`POST ${API}/workspaces/demo/export`]: () =>
        json(
          {
            message: 'The path must be inside the Jupyter root',
            reason: 'bad-path'
          },
          400
        )
    });
    const error = await backend
      .export('demo', 'SigninLogs | count', '../x.parquet')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentinelServerError);
    expect((error as SentinelServerError).reason).toBe('bad-path');
    expect((error as SentinelServerError).message).toBe(
      'The path must be inside the Jupyter root'
    );
  });

  it('rejects at once with QueryCancelledError when the signal aborts', async () => {
    const controller = new AbortController();
    const recorded: IRecorded[] = [];
    let release: () => void = () => undefined;
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/export`]: () =>
          new Promise<Response>(resolve => {
            release = () =>
              resolve(json({ message: 'cancelled', reason: 'cancelled' }, 400));
          }),
        [`DELETE ${API}/queries/*`]: () => {
          release();
          return new Response(null, { status: 204 });
        }
      },
      recorded
    );
    const running = backend.export('demo', 'SigninLogs | count', 'r.parquet', {
      signal: controller.signal
    });
    await until(() => exported(recorded).length === 1);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(QueryCancelledError);
    await until(() => recorded.some(r => r.method === 'DELETE'));
    const [body] = exported(recorded);
    expect(recorded.find(r => r.method === 'DELETE')?.path).toBe(
      `${API}/queries/${String(body.queryId)}`
    );
  });
});

describe('the time window on DuckDB', () => {
  const window = {
    start: new Date('2024-01-14T00:00:00Z'),
    end: new Date('2024-01-15T00:00:00Z')
  };
  const tables: ITableInfo[] = [
    SIGNINS,
    {
      name: 'Watchlist',
      category: 'Custom',
      timespanColumn: null,
      rowCount: 1,
      columns: [{ name: 'UserPrincipalName', type: 'string' }]
    }
  ];

  async function run(kql: string, timespan = true): Promise<unknown[][]> {
    const compiler = await loadCompiler();
    const compiled = compiler.compile(kql, compilerSchema(tables), {
      now: NOW,
      timeWindow: timespan ? window : undefined
    });
    expect(compiled.diagnostics.filter(d => d.severity === 'error')).toEqual(
      []
    );
    const sql = compiled.sql!;
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(`
      CREATE TABLE SigninLogs AS SELECT * FROM (VALUES
        (TIMESTAMP '2024-01-13 23:59:59', 'a@x', '50126', '10.0.0.1'),
        (TIMESTAMP '2024-01-14 00:00:00', 'a@x', '50126', '10.0.0.2'),
        (TIMESTAMP '2024-01-14 18:30:00', 'b@x', '0', '10.0.0.3'),
        (TIMESTAMP '2024-01-15 00:00:00', 'b@x', '50126', '10.0.0.4')
      ) t(TimeGenerated, UserPrincipalName, ResultType, IPAddress);
      CREATE TABLE Watchlist AS SELECT * FROM (VALUES ('a@x'), ('b@x')) t(UserPrincipalName);
    `);
    const reader = await connection.runAndReadAll(sql);
    return reader.getRows();
  }

  it('filters every reference to a table with a time column, start inclusive, end exclusive', async () => {
    expect(await run('SigninLogs | count', false)).toEqual([[4n]]);
    expect(await run('SigninLogs | count')).toEqual([[2n]]);
    expect(
      await run(
        'SigninLogs | join kind=inner (SigninLogs | project UserPrincipalName, IP2 = IPAddress) on UserPrincipalName | count'
      )
    ).toEqual([[2n]]);
  });

  it('leaves tables without a time column whole and keeps the query order', async () => {
    expect(
      await run(
        'Watchlist | join kind=leftouter (SigninLogs | summarize n = count() by UserPrincipalName) on UserPrincipalName | project UserPrincipalName, n | sort by UserPrincipalName desc'
      )
    ).toEqual([
      ['b@x', 1n],
      ['a@x', 1n]
    ]);
  });

  it('refuses a window that ends before it starts', async () => {
    const compiler = await loadCompiler();
    expect(() =>
      compiler.compile('print 1', compilerSchema(tables), {
        timeWindow: { start: window.end, end: window.start }
      })
    ).toThrow(RangeError);
  });
});

describe('LocalBackend.query with columns found in the data', () => {
  beforeAll(async () => {
    await loadCompiler();
  }, 60_000);

  /** A server whose query route runs the posted SQL on DuckDB over a small SigninLogs. */
  async function duckdbServer(recorded: IRecorded[]): Promise<SentinelServer> {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(`
      CREATE TABLE SigninLogs AS SELECT * FROM (VALUES
        (TIMESTAMP '2024-01-13 23:59:59', 'a@x', '50053', '10.0.0.1'),
        (TIMESTAMP '2024-01-14 10:00:00', 'a@x', '0', '10.0.0.2'),
        (TIMESTAMP '2024-01-14 12:00:00', 'b@x', '50126', '10.0.0.3')
      ) t(TimeGenerated, UserPrincipalName, ResultType, IPAddress)
    `);
    return serverWith(
      {
        [`GET ${API}/workspaces/demo/schema`]: schemaRoute([SIGNINS]),
        [`POST ${API}/workspaces/demo/query`]: async request => {
          const { sql } = JSON.parse(request.body) as { sql: string };
          const reader = await connection.runAndReadAll(sql);
          const names = reader.columnNames();
          const rows = reader.getRowsJson();
          return arrow(
            Object.fromEntries(
              names.map((name, i) => [name, rows.map(row => String(row[i]))])
            )
          );
        }
      },
      recorded
    );
  }

  it('runs evaluate pivot’s discovery query in the time window, then the query with its columns', async () => {
    const recorded: IRecorded[] = [];
    const backend = new LocalBackend('Local', await duckdbServer(recorded));
    const result = await backend.query(
      'demo',
      'SigninLogs | evaluate pivot(ResultType, count(), UserPrincipalName) | sort by UserPrincipalName asc',
      {
        now: NOW,
        timespan: {
          start: new Date('2024-01-14T00:00:00Z'),
          end: new Date('2024-01-15T00:00:00Z')
        }
      }
    );
    // The value 50053 lies before the window: no column for it.
    expect(result.columns.map(c => c.name)).toEqual([
      'UserPrincipalName',
      '0',
      '50126'
    ]);
    expect(result.table.toArray().map(row => row.toJSON())).toEqual([
      { UserPrincipalName: 'a@x', '0': '1', '50126': '0' },
      { UserPrincipalName: 'b@x', '0': '0', '50126': '1' }
    ]);
    const [discovery, query] = posted(recorded);
    expect(discovery.sql).toContain(
      '"SigninLogs" AS NOT MATERIALIZED (SELECT * FROM "SigninLogs" WHERE "TimeGenerated" >='
    );
    expect(query.queryId).toBe(discovery.queryId);
  });

  it('unpacks a bag into the columns its slots have', async () => {
    const backend = new LocalBackend('Local', await duckdbServer([]));
    const result = await backend.query(
      'demo',
      'SigninLogs | project d = bag_pack("user", UserPrincipalName, "ip", IPAddress) | evaluate bag_unpack(d) | sort by ip asc',
      { now: NOW }
    );
    expect(result.columns).toEqual([
      { name: 'ip', type: 'string' },
      { name: 'user', type: 'string' }
    ]);
    expect(result.table.numRows).toBe(3);
  });
});

describe('LocalBackend.export of a batch (A; B)', () => {
  beforeAll(() => loadCompiler(), 60_000);

  const batchBodies = (recorded: IRecorded[]) =>
    recorded
      .filter(r => r.method === 'POST' && r.path.endsWith('/export'))
      .map(
        r =>
          JSON.parse(r.body) as { statements?: { path: string; sql: string }[] }
      );

  it('exports one file per tabular statement in one request, each table with its statement', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/export`]: request => {
          const { statements } = JSON.parse(request.body) as {
            statements: { path: string }[];
          };
          return json({
            tables: statements.map((s, i) => ({
              path: s.path,
              rowCount: i === 0 ? 1 : 5,
              elapsedMs: 10,
              columns: []
            }))
          });
        }
      },
      recorded
    );
    const result = await backend.export(
      'demo',
      // A render belongs at the end of the query: the last statement's is the batch's.
      'SigninLogs | count | render piechart;\nSigninLogs | take 5 | project UserPrincipalName | render table',
      'results/signinlogs_df.parquet',
      { now: NOW }
    );
    const [body] = batchBodies(recorded);
    expect(body.statements!.map(s => s.path)).toEqual([
      'results/signinlogs_df.parquet',
      'results/signinlogs_df_table_1.parquet'
    ]);
    const [first, second] = body.statements!.map(s => s.sql);
    expect(result.tables).toEqual([
      {
        name: 'PrimaryResult',
        path: 'results/signinlogs_df.parquet',
        rowCount: 1,
        columns: [{ name: 'Count', type: 'long' }],
        render: null,
        sql: first
      },
      {
        name: 'Table_1',
        path: 'results/signinlogs_df_table_1.parquet',
        rowCount: 5,
        columns: [{ name: 'UserPrincipalName', type: 'string' }],
        render: { visualization: 'table', properties: {} },
        sql: second
      }
    ]);
    // The result itself describes the first table, as for a query of one statement.
    expect(result).toMatchObject({
      path: 'results/signinlogs_df.parquet',
      rowCount: 1,
      elapsedMs: 20
    });
  });

  it('refuses a batch with an error in any statement, at its line, without calling the server', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend({}, recorded);
    const error = await backend
      .export('demo', 'SigninLogs | count;\nSigninLogs | wher x', 'r.parquet')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCompileError);
    expect((error as QueryCompileError).errors[0].line).toBe(2);
    expect(batchBodies(recorded)).toHaveLength(0);
  });

  it('answers query() with the primary (first) table, as the Azure backend does', async () => {
    const recorded: IRecorded[] = [];
    const backend = demoBackend(
      {
        [`POST ${API}/workspaces/demo/query`]: () =>
          arrow({ Count: BigInt64Array.from([4n]) })
      },
      recorded
    );
    const result = await backend.query(
      'demo',
      'SigninLogs | count; SigninLogs | take 5',
      { now: NOW }
    );
    expect(result.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(posted(recorded)).toHaveLength(1);
  });
});

describe('LocalBackend on a Spark workspace', () => {
  beforeAll(async () => {
    await loadCompiler();
  }, 60_000);

  const sparkBackend = (recorded: IRecorded[]): LocalBackend =>
    new LocalBackend(
      'Local',
      serverWith(
        {
          [`GET ${API}/workspaces`]: () =>
            json({
              workspaces: [
                { id: 'demo', name: 'Demo', kind: 'local', status: 'ready' },
                {
                  id: 'lake',
                  name: 'Lake',
                  kind: 'local',
                  engine: 'spark',
                  status: 'ready'
                }
              ]
            }),
          [`GET ${API}/workspaces/lake/schema`]: schemaRoute([SIGNINS]),
          [`GET ${API}/workspaces/demo/schema`]: schemaRoute([SIGNINS]),
          [`POST ${API}/workspaces/lake/export`]: request =>
            json({
              path: (JSON.parse(request.body) as { path: string }).path,
              rowCount: 2,
              truncated: true,
              elapsedMs: 9,
              columns: [
                { name: 'TimeGenerated', type: 'datetime' },
                { name: 'count_', type: 'long' }
              ]
            })
        },
        recorded
      )
    );

  it('compiles Spark SQL, sends the functions it calls before it and no SET, and answers the SQL', async () => {
    const recorded: IRecorded[] = [];
    const backend = sparkBackend(recorded);
    const listed = await backend.listWorkspaces();
    expect(listed.map(w => w.engine)).toEqual(['duckdb', 'spark']);
    const result = await backend.export(
      'lake',
      'SigninLogs | summarize count() by bin(TimeGenerated, 1h)',
      'results/signinlogs_df.parquet',
      { now: NOW }
    );
    const [body] = recorded
      .filter(r => r.method === 'POST')
      .map(r => JSON.parse(r.body) as { sql: string });
    const statements = body.sql.split(';\n');
    expect(statements[0]).toMatch(
      /^CREATE OR REPLACE TEMPORARY FUNCTION kql_time_bucket\(/
    );
    expect(statements[statements.length - 1]).toContain('`SigninLogs`');
    expect(body.sql).not.toMatch(/^SET /m);
    // Only what the query calls: no other prelude function.
    expect(body.sql).not.toContain('FUNCTION strftime');
    expect(result.sql).toBe(body.sql);
    // Spark had more rows than the server's row limit.
    expect(result.partial).toBe(true);
  });

  it('applies the time range in Spark SQL', async () => {
    const recorded: IRecorded[] = [];
    const backend = sparkBackend(recorded);
    await backend.listWorkspaces();
    await backend.export('lake', 'SigninLogs | count', 'results/n.parquet', {
      now: NOW,
      timespan: {
        start: new Date('2024-01-14T12:00:00Z'),
        end: new Date('2024-01-15T12:00:00Z')
      }
    });
    const [body] = recorded
      .filter(r => r.method === 'POST')
      .map(r => JSON.parse(r.body) as { sql: string });
    expect(body.sql).toContain("CAST('2024-01-14 12:00:00.000' AS TIMESTAMP)");
    expect(body.sql).toContain("CAST('2024-01-15 12:00:00.000' AS TIMESTAMP)");
  });

  it('refuses a query across a Spark and a DuckDB workspace, naming both', async () => {
    const recorded: IRecorded[] = [];
    const backend = sparkBackend(recorded);
    await backend.listWorkspaces();
    await expect(
      backend.export('lake', 'SigninLogs | count', 'results/n.parquet', {
        workspaces: ['demo']
      })
    ).rejects.toThrow(/Lake runs on spark and Demo on duckdb/);
    expect(recorded.filter(r => r.method === 'POST')).toEqual([]);
  });
});
