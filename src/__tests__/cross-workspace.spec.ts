/**
 * Cross-workspace queries in the extension: the notebook remembers the set of workspaces, the
 * schema is their union, and the local backend sends the set with the SQL compiled against it.
 */
import { ServerConnection } from '@jupyterlab/services';
import { LocalBackend } from '../backends/local/backend';
import { KqlLanguageClient } from '../cells/editor/client';
import {
  notebookOtherWorkspaces,
  notebookWorkspace,
  setNotebookWorkspaces
} from '../cells/metadata';
import { SentinelServer } from '../server';
import type { ITableInfo } from '../tokens';
import { unionTables } from '../workspaces/union';
import { MetadataModel } from './metadata-model';

describe('the workspaces a notebook queries', () => {
  it('remembers the set, its own workspace first and apart', () => {
    const notebook = new MetadataModel('notebook');
    setNotebookWorkspaces(notebook, { backend: 'local', id: 'demo' }, [
      'second',
      'demo',
      'third',
      'second'
    ]);
    expect(notebook.metadata).toEqual({
      sentinel: {
        workspace: { backend: 'local', id: 'demo' },
        workspaces: ['second', 'third']
      }
    });
    expect(notebookWorkspace(notebook)).toEqual({
      backend: 'local',
      id: 'demo'
    });
    expect(notebookOtherWorkspaces(notebook)).toEqual(['second', 'third']);
  });

  it('forgets the others when one workspace is left, keeping the rest of the metadata', () => {
    const notebook = new MetadataModel('notebook', {
      sentinel: {
        workspace: { backend: 'local', id: 'demo' },
        workspaces: ['second'],
        results: { folder: 'hunt-1', path: 'hunt.ipynb' }
      }
    });
    setNotebookWorkspaces(notebook, { backend: 'local', id: 'demo' }, []);
    expect(notebook.metadata).toEqual({
      sentinel: {
        workspace: { backend: 'local', id: 'demo' },
        results: { folder: 'hunt-1', path: 'hunt.ipynb' }
      }
    });
    expect(notebookOtherWorkspaces(notebook)).toEqual([]);
  });

  it('reads only workspace ids from hand-edited metadata', () => {
    const notebook = new MetadataModel('notebook', {
      sentinel: { workspaces: ['second', 3, '', null, 'second'] }
    });
    expect(notebookOtherWorkspaces(notebook)).toEqual(['second']);
    notebook.metadata = { sentinel: { workspaces: 'second' } };
    expect(notebookOtherWorkspaces(notebook)).toEqual([]);
  });
});

const table = (
  name: string,
  columns: [string, 'string' | 'long' | 'datetime'][],
  rowCount: number | null = 1
): ITableInfo => ({
  name,
  category: 'Custom',
  timespanColumn: columns.some(c => c[0] === 'TimeGenerated')
    ? 'TimeGenerated'
    : null,
  rowCount,
  columns: columns.map(([n, type]) => ({ name: n, type }))
});

describe('the schema of a cross-workspace query', () => {
  it('unions each table by name, TenantId first, columns matched by name', () => {
    const tables = unionTables([
      {
        id: 'demo',
        name: 'Demo',
        tables: [
          table(
            'SigninLogs',
            [
              ['TenantId', 'string'],
              ['TimeGenerated', 'datetime'],
              ['UserPrincipalName', 'string']
            ],
            10
          )
        ]
      },
      {
        id: 'second',
        name: 'Second',
        tables: [
          table(
            'SigninLogs',
            [
              ['UserPrincipalName', 'string'],
              ['IPAddress', 'string']
            ],
            5
          ),
          table('Watchlist', [['SearchKey', 'string']], null)
        ]
      }
    ]);
    expect(tables.map(t => [t.name, t.rowCount])).toEqual([
      ['SigninLogs', 15],
      ['Watchlist', null]
    ]);
    expect(tables[0].columns.map(c => c.name)).toEqual([
      'TenantId',
      'TimeGenerated',
      'UserPrincipalName',
      'IPAddress'
    ]);
    expect(tables[0].timespanColumn).toBe('TimeGenerated');
    expect(tables[1].columns.map(c => c.name)).toEqual([
      'TenantId',
      'SearchKey'
    ]);
  });
});

describe('LocalBackend, on several workspaces', () => {
  const schemas: Record<string, ITableInfo[]> = {
    demo: [table('Events', [['a', 'long']])],
    second: [table('Events', [['a', 'long']]), table('Alerts', [['b', 'long']])]
  };
  const sent: Record<string, unknown>[] = [];
  const fetch = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname.replace(
      '/base/sentinel/api/',
      ''
    );
    const answer = (body: unknown) =>
      new Response(JSON.stringify(body), {
        headers: { 'Content-Type': 'application/json' }
      });
    if (path === 'workspaces') {
      return answer({
        workspaces: [
          { id: 'demo', name: 'Demo', kind: 'local', status: 'ready' },
          { id: 'second', name: 'Second Lab', kind: 'local', status: 'ready' }
        ]
      });
    }
    const schema = /^workspaces\/(\w+)\/schema$/.exec(path);
    if (schema) {
      return answer({ tables: schemas[schema[1]] });
    }
    if (path === 'workspaces/demo/export') {
      const body = JSON.parse(await request.text()) as Record<string, unknown>;
      sent.push(body);
      return answer({
        path: body.path,
        rowCount: 0,
        elapsedMs: 1,
        columns: []
      });
    }
    return new Response('no such route', { status: 404 });
  };
  const backend = new LocalBackend(
    'Local',
    new SentinelServer(
      ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/base/',
        fetch,
        Request,
        Headers
      })
    )
  );

  beforeAll(() => backend.listWorkspaces());

  it('sends the other workspaces with SQL that reads them', async () => {
    const result = await backend.export(
      'demo',
      'union Events, workspace("Second Lab").Alerts | project TenantId, a, b',
      'results/x.parquet',
      { workspaces: ['second'] }
    );
    const body = sent.pop()!;
    expect(body.workspaces).toEqual(['second']);
    expect(body.sql).toContain('"second.Alerts"');
    expect(body.sql).toMatch(/FROM "Events"/);
    expect(result.columns.map(c => c.name)).toEqual(['TenantId', 'a', 'b']);
  }, 60_000);

  it('refuses a table no workspace of the query has, before calling the server', async () => {
    await expect(
      backend.export('demo', 'Alerts', 'results/y.parquet')
    ).rejects.toThrow(/Alerts/);
    expect(sent).toEqual([]);
  }, 60_000);
});

describe('the KQL editor, on several workspaces', () => {
  it('completes the union of their tables and reads workspace("name")', async () => {
    // No worker in Node: the service runs on the page, saying so once.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new KqlLanguageClient();
    const demo = [table('Events', [['a', 'long']])];
    client.setWorkspace({ workspace: 'demo', tables: demo }, true, [
      { id: 'demo', name: 'Demo', tables: demo },
      {
        id: 'second',
        name: 'Second Lab',
        tables: [table('Alerts', [['b', 'long']])]
      }
    ]);
    const doc = client.openDocument();
    const labels = async (text: string, kind: string) =>
      ((await doc.completions(text, text.length))?.items ?? [])
        .filter(i => i.kind === kind)
        .map(i => i.label)
        .sort();
    expect(await labels('', 'table')).toEqual(['Alerts', 'Events']);
    expect(await labels('Alerts | where ', 'column')).toEqual(
      expect.arrayContaining(['TenantId', 'b'])
    );
    expect(
      await doc.diagnostics('workspace("Second Lab").Alerts | where b > 1')
    ).toEqual([]);
    expect(await doc.diagnostics('workspace("third").Alerts')).toEqual([
      expect.objectContaining({
        code: 'KQL-WORKSPACE',
        column: 11,
        message:
          "'third' is not a workspace of this query: the workspaces this query runs on are 'Demo', 'Second Lab'"
      })
    ]);
    client.dispose();
    jest.restoreAllMocks();
  }, 60_000);
});
