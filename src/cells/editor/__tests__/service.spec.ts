/**
 * The KQL language service and its client, on the real Kusto.Language and compiler (in Node, as the
 * compiler's own tests load them): the protocol's answers, stale versions dropped on both sides,
 * the schema re-sent when it changes, and the page fallback when no worker can be made.
 */
import { KqlLanguageClient } from '../client';
import type { IDiagnosticsRequest, LanguageResponse } from '../protocol';
import { KqlLanguageService } from '../service';
import { compilerSchema } from '../../../kql/index';
import type { IWorkspaceSchema } from '../../../tokens';

const signins: IWorkspaceSchema = {
  workspace: 'demo',
  tables: [
    {
      name: 'SigninLogs',
      category: 'Azure Active Directory',
      timespanColumn: 'TimeGenerated',
      rowCount: null,
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'IPAddress', type: 'string' },
        { name: 'ResultType', type: 'string' }
      ]
    }
  ]
};

const devices: IWorkspaceSchema = {
  workspace: 'other',
  tables: [
    {
      name: 'DeviceEvents',
      category: 'Microsoft Defender',
      timespanColumn: 'Timestamp',
      rowCount: null,
      columns: [
        { name: 'Timestamp', type: 'datetime' },
        { name: 'DeviceName', type: 'string' }
      ]
    }
  ]
};

/** A service whose responses are collected in order. */
function service(): {
  service: KqlLanguageService;
  responses: LanguageResponse[];
} {
  const responses: LanguageResponse[] = [];
  return {
    service: new KqlLanguageService(r => responses.push(r)),
    responses
  };
}

/** A client whose service runs on the page (no worker in Node), with its warning kept quiet. */
function pageClient(): KqlLanguageClient {
  return new KqlLanguageClient();
}

beforeEach(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('KQL language service (protocol)', () => {
  it('says ready once Kusto.Language is loaded, then answers with the request id', async () => {
    const { service: s, responses } = service();
    await s.receive({
      type: 'schema',
      schema: compilerSchema(signins.tables),
      local: true
    });
    await s.receive({
      type: 'completion',
      id: 7,
      doc: 'a',
      version: 1,
      text: 'Sig',
      position: 3
    });
    expect(responses.map(r => r.type)).toEqual(['ready', 'completion']);
    const ready = responses[0];
    expect(ready.type === 'ready' && ready.loadMs).toBeGreaterThanOrEqual(0);
    const answer = responses[1];
    if (answer.type !== 'completion') {
      throw new Error(`expected completion, got ${answer.type}`);
    }
    expect(answer.id).toBe(7);
    expect(answer.completions).toMatchObject({ from: 0, to: 3 });
    expect(answer.completions.items).toContainEqual(
      expect.objectContaining({ label: 'SigninLogs', kind: 'table' })
    );
    // Responses cross postMessage: plain data only.
    expect(JSON.parse(JSON.stringify(responses[1]))).toEqual(responses[1]);
  });

  it('answers an older version of a document with stale, once a newer one is asked about', async () => {
    const { service: s, responses } = service();
    const request = (version: number, text: string): IDiagnosticsRequest => ({
      type: 'diagnostics',
      id: version,
      doc: 'a',
      version,
      text
    });
    await Promise.all([
      s.receive(request(1, 'SigninLogs | wher')),
      s.receive(request(2, 'SigninLogs | where')),
      // Another document's versions are its own.
      s.receive({ ...request(1, 'print 1'), id: 3, doc: 'b' })
    ]);
    const byId = new Map(
      responses
        .filter(r => r.type !== 'ready')
        .map(r => ['id' in r ? r.id : -1, r.type])
    );
    expect(byId).toEqual(
      new Map([
        [1, 'stale'],
        [2, 'diagnostics'],
        [3, 'diagnostics']
      ])
    );
    // After a close the document starts again from any version.
    await s.receive({ type: 'close', doc: 'a' });
    await s.receive(request(1, 'print 1'));
    expect(responses[responses.length - 1]).toEqual({
      type: 'diagnostics',
      id: 1,
      diagnostics: []
    });
  });
});

describe('KQL language client', () => {
  it('squiggles a misspelled column with did-you-mean, and only syntax without a schema', async () => {
    const client = pageClient();
    const doc = client.openDocument();
    const text = 'SigninLogs | where UserPrincipleName == "x"';
    // No schema yet: the table is not known, but that is no error to show.
    expect(await doc.diagnostics(text)).toEqual([]);
    client.setWorkspace(signins, true);
    const diagnostics = await doc.diagnostics(`${text} `);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'KS142',
        severity: 'error',
        start: 19,
        end: 36,
        line: 1,
        column: 20,
        suggestion: 'UserPrincipalName'
      })
    ]);
    expect(await doc.diagnostics('SigninLogs | where')).toEqual([
      expect.objectContaining({ stage: 'syntax', severity: 'error' })
    ]);
    client.dispose();
  });

  it('reports KQL the local workspace cannot run, only on a local workspace', async () => {
    const client = pageClient();
    const doc = client.openDocument();
    const text = 'SigninLogs | evaluate pivot(ResultType)';
    client.setWorkspace(signins, true);
    expect(await doc.diagnostics(text)).toEqual([
      expect.objectContaining({
        stage: 'unsupported',
        unsupported: 'evaluate pivot'
      })
    ]);
    client.setWorkspace(signins, false);
    expect(await doc.diagnostics(`${text} `)).toEqual([]);
    client.dispose();
  });

  it('completes tables, the piped input’s columns and operators, and re-reads a changed schema', async () => {
    const client = pageClient();
    client.setWorkspace(signins, true);
    const doc = client.openDocument();
    const labels = async (text: string, kind: string) =>
      ((await doc.completions(text, text.length))?.items ?? [])
        .filter(i => i.kind === kind)
        .map(i => i.label);
    expect(await labels('Sig', 'table')).toEqual(['SigninLogs']);
    expect(await labels('SigninLogs | where ', 'column')).toEqual(
      expect.arrayContaining(['UserPrincipalName', 'IPAddress'])
    );
    expect(await labels('SigninLogs | ', 'operator')).toEqual(
      expect.arrayContaining(['where', 'summarize', 'project'])
    );
    // Where nothing is typed yet, Kusto ranks the columns before the functions.
    const where = (await doc.completions('SigninLogs | where ', 19))?.items;
    const rank = (label: string) =>
      where?.find(i => i.label === label)?.rank ?? NaN;
    expect(rank('UserPrincipalName')).toBeLessThan(rank('ago(timespan)'));
    client.setWorkspace(devices, false);
    expect(await labels('De', 'table')).toEqual(['DeviceEvents']);
    expect(await labels('DeviceEvents | where ', 'column')).toEqual(
      expect.arrayContaining(['DeviceName'])
    );
    client.dispose();
  });

  it('gives quick info on names, without the diagnostics', async () => {
    const client = pageClient();
    client.setWorkspace(signins, true);
    const doc = client.openDocument();
    const text =
      'SigninLogs | where UserPrincipalName == "x" and ago(1d) < now()';
    expect(await doc.quickInfo(text, 22)).toEqual({
      text: 'UserPrincipalName: string'
    });
    expect((await doc.quickInfo(text, 50))?.text).toMatch(
      /^ago\(timespan\): datetime/
    );
    expect(await doc.quickInfo('SigninLogs | where Foo == 1', 21)).toBeNull();
    client.dispose();
  });

  it('drops the answer for a text that changed while it was computed', async () => {
    const client = pageClient();
    client.setWorkspace(signins, true);
    const doc = client.openDocument();
    const [older, newer] = await Promise.all([
      doc.diagnostics('SigninLogs | wher'),
      doc.diagnostics('SigninLogs | take 1')
    ]);
    expect(older).toBeNull();
    expect(newer).toEqual([]);
    expect(doc.version).toBe(2);
    // The same text asked again keeps its version.
    expect(await doc.completions('SigninLogs | take 1', 3)).not.toBeNull();
    expect(doc.version).toBe(2);
    client.dispose();
  });

  it('runs the service on the page, saying so once, when no worker can be made', async () => {
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    const client = new KqlLanguageClient({
      createWorker: () => new Worker('worker.js')
    });
    expect(client.runsIn).toBe('nowhere');
    client.setWorkspace(signins, true);
    const doc = client.openDocument();
    const other = client.openDocument();
    const [tables, columns] = await Promise.all([
      doc.completions('Sig', 3),
      other.completions('SigninLogs | where ', 19)
    ]);
    expect(tables?.items.map(i => i.label)).toContain('SigninLogs');
    expect(columns?.items.map(i => i.label)).toContain('IPAddress');
    expect(client.runsIn).toBe('page');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(
      /runs on the page, not in a Web Worker \(Worker is not defined\)/
    );
    client.dispose();
  });
});

describe('KQL language client, compiling for running', () => {
  const PEOPLE =
    'datatable(d:dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Age": 40})]';

  it('compiles each statement of a query against the schema sent with it', async () => {
    const client = pageClient();
    // The editors' workspace is another one: a compilation uses its own schema.
    client.setWorkspace(devices, true);
    const statements = await client.compileStatements(
      'SigninLogs | where ResultType != "0" | take 5; SigninLogs | count',
      compilerSchema(signins.tables),
      { now: new Date('2025-01-31T12:00:00Z'), dialect: 'duckdb' }
    );
    expect(statements.map(s => s.name)).toEqual(['PrimaryResult', 'Table_1']);
    expect(statements[0].sql).toMatch(/FROM "SigninLogs" WHERE/);
    expect(statements[1].columns).toEqual([{ name: 'Count', type: 'long' }]);
    client.dispose();
  });

  it('asks the page to run the discovery query of a query whose columns are in the data', async () => {
    const client = pageClient();
    const asked: string[] = [];
    const [statement] = await client.compileStatements(
      `${PEOPLE} | evaluate bag_unpack(d) | where Age > 25`,
      compilerSchema([]),
      {},
      async discovery => {
        asked.push(discovery.operator);
        return [
          ['Age', 'long'],
          ['Name', 'string']
        ];
      }
    );
    expect(asked).toEqual(['bag_unpack']);
    expect(statement.sql).not.toBeNull();
    expect(statement.columns.map(c => c.name)).toEqual(['Age', 'Name']);
    client.dispose();
  });

  it('fails with the error of the discovery query itself', async () => {
    const client = pageClient();
    class TimedOut extends Error {}
    const error = new TimedOut('the query timed out');
    await expect(
      client.compileStatements(
        `${PEOPLE} | evaluate bag_unpack(d)`,
        compilerSchema([]),
        {},
        () => Promise.reject(error)
      )
    ).rejects.toBe(error);
    client.dispose();
  });

  it('refuses to compile once disposed, and fails the compilations still waiting', async () => {
    const client = pageClient();
    const waiting = client.compileStatements(
      `${PEOPLE} | evaluate bag_unpack(d)`,
      compilerSchema([]),
      {},
      () => new Promise<string[][]>(() => undefined)
    );
    // The compilation is waiting for its discovery query when the client goes.
    await new Promise(resolve => setTimeout(resolve, 50));
    client.dispose();
    await expect(waiting).rejects.toThrow(/disposed/);
    await expect(
      client.compileStatements('print 1', compilerSchema([]), {})
    ).rejects.toThrow(/disposed/);
  });
});
