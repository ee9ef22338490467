import { compilerSchema, loadCompiler } from '../index';

const schema = compilerSchema([
  {
    name: 'SigninLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'IPAddress', type: 'string' },
      { name: 'ResultType', type: 'string' }
    ]
  },
  {
    name: 'SecurityEvent',
    columns: [
      { name: 'Computer', type: 'string' },
      { name: 'EventID', type: 'int' }
    ]
  }
]);

async function labels(
  text: string,
  kind?: string
): Promise<{ labels: string[]; from: number; to: number }> {
  const compiler = await loadCompiler();
  const result = compiler.complete(text, text.length, schema);
  return {
    labels: result.items
      .filter(i => kind === undefined || i.kind === kind)
      .map(i => i.label),
    from: result.from,
    to: result.to
  };
}

describe('KQL completion (Kusto.Language code service)', () => {
  it('offers the workspace tables at the start of a query', async () => {
    const { labels: tables, from, to } = await labels('Sig', 'table');
    expect(tables).toContain('SigninLogs');
    expect(tables).toContain('SecurityEvent');
    expect([from, to]).toEqual([0, 3]);
  });

  it('offers query operators after a pipe', async () => {
    const { labels: operators } = await labels('SigninLogs | ', 'operator');
    expect(operators).toEqual(
      expect.arrayContaining(['where', 'summarize', 'project', 'take'])
    );
  });

  it('offers the columns of the piped input, not of other tables', async () => {
    const { labels: columns } = await labels('SigninLogs | where ', 'column');
    expect(columns).toEqual(
      expect.arrayContaining(['UserPrincipalName', 'IPAddress'])
    );
    expect(columns).not.toContain('Computer');
    const { labels: projected } = await labels(
      'SigninLogs | project Who = UserPrincipalName | where ',
      'column'
    );
    expect(projected).toEqual(['Who']);
  });

  it('offers functions and aggregates where expressions go', async () => {
    const { labels: functions } = await labels(
      'SigninLogs | extend x = ',
      'function'
    );
    expect(functions).toContain('ago(timespan)');
    const { labels: aggregates } = await labels(
      'SigninLogs | summarize ',
      'aggregate'
    );
    expect(aggregates.some(a => a.startsWith('dcount('))).toBe(true);
  });

  it('puts the caret inside a function call', async () => {
    const compiler = await loadCompiler();
    const text = 'SigninLogs | extend x = ag';
    const item = compiler
      .complete(text, text.length, schema)
      .items.find(i => i.label === 'ago(timespan)')!;
    expect(item.apply).toBe('ago()');
    expect(item.caret).toBe(4);
  });
});
