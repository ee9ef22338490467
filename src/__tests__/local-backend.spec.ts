import { ServerConnection } from '@jupyterlab/services';
import { LocalBackend } from '../backends/local/backend';
import { KqlLanguageClient } from '../cells/editor/client';
import { SentinelServer, SentinelServerError } from '../server';

interface IRecorded {
  url: string;
  method: string;
  body: string | null;
}

/** A ServerConnection whose fetch answers from a table of (method, path) → response. */
function serverWith(
  answers: Record<string, () => Response>,
  recorded: IRecorded[] = []
): SentinelServer {
  const fetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    const method = request.method;
    const body = await request.clone().text();
    recorded.push({ url: path, method, body: body || null });
    const answer = answers[`${method} ${path}`];
    return answer ? answer() : new Response('no such route', { status: 404 });
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

describe('LocalBackend', () => {
  it('lists the server workspaces as local workspaces', async () => {
    const backend = new LocalBackend(
      'Local',
      serverWith({
        'GET /base/sentinel/api/workspaces': () =>
          json({
            workspaces: [
              {
                id: 'demo',
                name: 'Demo',
                kind: 'local',
                status: 'ready',
                demo: true
              },
              {
                id: 'logs',
                name: 'Logs',
                kind: 'local',
                status: 'missing',
                message: 'gone'
              }
            ]
          })
      })
    );
    const workspaces = await backend.listWorkspaces();
    expect(workspaces).toEqual([
      expect.objectContaining({
        id: 'demo',
        backend: 'local',
        status: 'ready',
        demo: true
      }),
      expect.objectContaining({
        id: 'logs',
        status: 'missing',
        message: 'gone'
      })
    ]);
  });

  it('sends the configured folders with PUT', async () => {
    const recorded: IRecorded[] = [];
    const backend = new LocalBackend(
      'Local',
      serverWith(
        { 'PUT /base/sentinel/api/workspaces': () => json({ workspaces: [] }) },
        recorded
      )
    );
    await backend.configure([{ name: 'My logs', path: 'logs' }]);
    expect(recorded[0].method).toBe('PUT');
    expect(JSON.parse(recorded[0].body ?? '')).toEqual({
      workspaces: [{ name: 'My logs', path: 'logs' }]
    });
  });

  it('maps the schema, defaulting category and unknown types', async () => {
    const backend = new LocalBackend(
      'Local',
      serverWith({
        'GET /base/sentinel/api/workspaces/demo/schema': () =>
          json({
            workspace: 'demo',
            tables: [
              {
                name: 'SigninLogs',
                category: 'Azure Active Directory',
                timespanColumn: 'TimeGenerated',
                rowCount: 10,
                columns: [
                  { name: 'TimeGenerated', type: 'datetime' },
                  { name: 'Odd', type: 'blob' }
                ]
              },
              { name: 'Mine', columns: [] }
            ]
          })
      })
    );
    const schema = await backend.getSchema('demo');
    expect(schema.tables[0]).toEqual({
      name: 'SigninLogs',
      category: 'Azure Active Directory',
      timespanColumn: 'TimeGenerated',
      rowCount: 10,
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Odd', type: 'dynamic' }
      ]
    });
    expect(schema.tables[1]).toMatchObject({
      category: 'Custom',
      rowCount: null,
      timespanColumn: null
    });
  });

  it('escapes workspace ids in URLs', async () => {
    const recorded: IRecorded[] = [];
    const backend = new LocalBackend('Local', serverWith({}, recorded));
    await expect(backend.getSchema('../etc')).rejects.toBeInstanceOf(
      SentinelServerError
    );
    expect(recorded[0].url).toBe(
      '/base/sentinel/api/workspaces/..%2Fetc/schema'
    );
  });

  it('turns JSON errors into SentinelServerError with reason and detail', async () => {
    const backend = new LocalBackend(
      'Local',
      serverWith({
        'GET /base/sentinel/api/workspaces/demo/schema': () =>
          json({ message: 'Unknown workspace demo', reason: 'not-found' }, 404)
      })
    );
    const error = await backend.getSchema('demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentinelServerError);
    expect((error as SentinelServerError).message).toBe(
      'Unknown workspace demo'
    );
    expect((error as SentinelServerError).reason).toBe('not-found');
    expect((error as SentinelServerError).status).toBe(404);
  });

  it('describes a non-JSON error by its status', async () => {
    const backend = new LocalBackend(
      'Local',
      serverWith({
        'GET /base/sentinel/api/workspaces': () =>
          new Response('<html>bad gateway</html>', {
            status: 502,
            statusText: 'Bad Gateway'
          })
      })
    );
    await expect(backend.listWorkspaces()).rejects.toThrow(
      'The server answered 502 Bad Gateway'
    );
  });

  it('creates bookmarks with the caller id, so a retried save is idempotent', async () => {
    const recorded: IRecorded[] = [];
    const stored = {
      id: 'b1',
      displayName: 'Spray',
      labels: ['spray'],
      created: '2026-11-01T00:00:00Z',
      updated: '2026-11-01T00:00:00Z'
    };
    const backend = new LocalBackend(
      'Local',
      serverWith(
        {
          'POST /base/sentinel/api/workspaces/demo/bookmarks': () =>
            json(stored, 201),
          'GET /base/sentinel/api/workspaces/demo/bookmarks': () =>
            json({ bookmarks: [stored] }),
          'DELETE /base/sentinel/api/workspaces/demo/bookmarks/b1': () =>
            new Response(null, { status: 204 })
        },
        recorded
      )
    );
    const saved = await backend.createBookmark('demo', 'b1', {
      displayName: 'Spray',
      labels: ['spray']
    });
    expect(saved).toEqual(stored);
    expect(JSON.parse(recorded[0].body ?? '')).toEqual({
      displayName: 'Spray',
      labels: ['spray'],
      id: 'b1'
    });
    expect(await backend.listBookmarks('demo')).toEqual([stored]);
    await backend.deleteBookmark('demo', 'b1');
    expect(recorded.map(r => r.method)).toEqual(['POST', 'GET', 'DELETE']);
  });

  it('reports a refused bookmark with the server message', async () => {
    const backend = new LocalBackend(
      'Local',
      serverWith({
        'PUT /base/sentinel/api/workspaces/demo/bookmarks/b1': () =>
          json(
            {
              message: 'A bookmark needs a displayName',
              reason: 'bad-request'
            },
            400
          )
      })
    );
    await expect(
      backend.updateBookmark('demo', 'b1', { displayName: '', labels: [] })
    ).rejects.toThrow('A bookmark needs a displayName');
  });

  it('compiles its queries in the language service it is given', async () => {
    // No worker in Node: the service runs on the page, saying so once.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new KqlLanguageClient();
    const compile = jest.spyOn(client, 'compileStatements');
    const recorded: IRecorded[] = [];
    const backend = new LocalBackend(
      'Local',
      serverWith(
        {
          'GET /base/sentinel/api/workspaces': () =>
            json({
              workspaces: [
                { id: 'demo', name: 'Demo', kind: 'local', status: 'ready' }
              ]
            }),
          'GET /base/sentinel/api/workspaces/demo/schema': () =>
            json({
              workspace: 'demo',
              tables: [
                {
                  name: 'SigninLogs',
                  columns: [
                    { name: 'TimeGenerated', type: 'datetime' },
                    { name: 'ResultType', type: 'string' }
                  ]
                }
              ]
            }),
          'POST /base/sentinel/api/workspaces/demo/export': () =>
            json({
              path: 'results/x.parquet',
              rowCount: 0,
              elapsedMs: 1,
              columns: []
            })
        },
        recorded
      ),
      (...args) => client.compileStatements(...args)
    );
    await backend.listWorkspaces();
    await backend.export(
      'demo',
      'SigninLogs | where ResultType != "0" | project TimeGenerated',
      'results/x.parquet'
    );
    expect(compile).toHaveBeenCalledTimes(1);
    const sent = recorded.find(r => r.url.endsWith('/export'));
    expect(JSON.parse(sent!.body!).sql).toMatch(/FROM "SigninLogs" WHERE/);
    client.dispose();
    jest.restoreAllMocks();
  }, 60_000);
});
