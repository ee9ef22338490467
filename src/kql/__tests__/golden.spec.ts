/**
 * Golden SQL: each `golden/<name>.kql` compiles to exactly the SQL in `golden/<name>.sql` (DuckDB)
 * and in `golden/spark/<name>.sql` (the Spark dialect), so a change in the emitted SQL shows in
 * review as a diff of that file. `GOLDEN_UPDATE=1 jlpm jest src/kql/__tests__/golden.spec.ts`
 * rewrites the `.sql` files from the compiler's output.
 */
import * as fs from 'fs';
import * as path from 'path';

import { compilerSchema, type ICompileResult, loadCompiler } from '..';
import type { ITableInfo } from '../../tokens';

const DIR = path.join(__dirname, 'golden');
const UPDATE = process.env.GOLDEN_UPDATE === '1';
const NOW = new Date('2024-01-15T12:00:00Z');

const TIME = { name: 'TimeGenerated', type: 'datetime' } as const;
/** The cases compiled with a query time window, as the local backend runs them. */
const WINDOWS: Record<string, { start: Date; end: Date }> = {
  'time-window': {
    start: new Date('2024-01-14T00:00:00Z'),
    end: new Date('2024-01-15T00:00:00Z')
  }
};
const TABLES: ITableInfo[] = (
  [
    {
      name: 'SecurityEvent',
      columns: [
        TIME,
        { name: 'EventID', type: 'int' },
        { name: 'Account', type: 'string' },
        { name: 'Computer', type: 'string' },
        { name: 'IpAddress', type: 'string' }
      ]
    },
    {
      name: 'SigninLogs',
      columns: [
        TIME,
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'AppDisplayName', type: 'string' },
        { name: 'ResultType', type: 'string' },
        { name: 'IPAddress', type: 'string' }
      ]
    },
    {
      name: 'AuditLogs',
      columns: [
        TIME,
        { name: 'OperationName', type: 'string' },
        { name: 'InitiatedBy', type: 'string' }
      ]
    }
  ] satisfies Pick<ITableInfo, 'name' | 'columns'>[]
).map(table => ({
  ...table,
  category: 'Test',
  timespanColumn: 'TimeGenerated',
  rowCount: null
}));
const SCHEMA = compilerSchema(TABLES);

/** What a compilation produced, as text: the SQL, a discovery query, or the refusal. */
function golden(result: ICompileResult): string {
  if (result.sql !== null) {
    return `${result.sql}\n`;
  }
  if (result.discovery) {
    return `-- discovery ${result.discovery.key}\n${result.discovery.sql}\n`;
  }
  const error = result.diagnostics.find(d => d.severity === 'error');
  return `-- refused: ${error?.message ?? 'no SQL'}\n`;
}

const cases = fs
  .readdirSync(DIR)
  .filter(name => name.endsWith('.kql'))
  .map(name => name.slice(0, -'.kql'.length))
  .sort();

describe.each([
  ['DuckDB', 'duckdb', DIR],
  ['Spark', 'spark', path.join(DIR, 'spark')]
] as const)('golden SQL of %s', (_, dialect, dir) => {
  it('has a few dozen cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)(
    '%s',
    async name => {
      const compiler = await loadCompiler();
      const query = fs.readFileSync(path.join(DIR, `${name}.kql`), 'utf8');
      const actual = golden(
        compiler.compile(query, SCHEMA, {
          now: NOW,
          timeWindow: WINDOWS[name],
          dialect
        })
      );
      const file = path.join(dir, `${name}.sql`);
      if (UPDATE) {
        fs.writeFileSync(file, actual);
      }
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    },
    60_000
  );
});
