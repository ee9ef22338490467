/**
 * Cross-workspace queries: `workspace("name").Table` reads one workspace's table, a plain table
 * name the union of that table in every workspace of the query (each row's `TenantId` naming its
 * workspace, as Log Analytics fills it), run on DuckDB over the relations a runner provides.
 */
import { DuckDBInstance } from '@duckdb/node-api';

import { compilerSchema, type ICompilerSchema, loadCompiler } from '..';
import { runSql } from '../node/duckdb';

const events = (extra: { name: string; type: 'long' | 'string' }[] = []) => [
  { name: 'TenantId', type: 'string' as const },
  { name: 'TimeGenerated', type: 'datetime' as const },
  { name: 'a', type: 'long' as const },
  ...extra
];

/** Two workspaces, `hunt` (display name `Hunt Lab`) and `soc`; only `soc` has `Alerts`. */
const schema: ICompilerSchema = {
  ...compilerSchema([
    { name: 'Events', columns: events(), timespanColumn: 'TimeGenerated' },
    { name: 'Alerts', columns: [{ name: 'AlertName', type: 'string' }] }
  ]),
  workspaces: [
    {
      id: 'hunt',
      names: ['hunt', 'Hunt Lab'],
      tables: compilerSchema([
        { name: 'Events', columns: events(), timespanColumn: 'TimeGenerated' }
      ]).tables
    },
    {
      id: 'soc',
      names: ['soc'],
      tables: compilerSchema([
        { name: 'Events', columns: events(), timespanColumn: 'TimeGenerated' },
        { name: 'Alerts', columns: [{ name: 'AlertName', type: 'string' }] }
      ]).tables
    }
  ]
};

/** The relations a runner provides: each workspace's tables, and their union. */
const SETUP = [
  `CREATE TABLE "hunt.Events" AS SELECT 'hunt' AS TenantId, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (a) HOUR AS TimeGenerated, a FROM range(1, 4) t(a)`,
  `CREATE TABLE "soc.Events" AS SELECT 'soc' AS TenantId, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (a) HOUR AS TimeGenerated, a FROM range(10, 12) t(a)`,
  `CREATE TABLE "soc.Alerts" AS SELECT 'Impossible travel' AS AlertName`,
  `CREATE VIEW "Events" AS SELECT * FROM "hunt.Events" UNION ALL BY NAME SELECT * FROM "soc.Events"`,
  `CREATE VIEW "Alerts" AS SELECT * FROM "soc.Alerts"`
];

async function run(
  query: string,
  timeWindow?: { start: Date; end: Date }
): Promise<unknown[][]> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, schema, {
    now: new Date(),
    timeWindow
  });
  if (result.sql === null) {
    throw new Error(`${query}\n→ ${result.diagnostics[0]?.message}`);
  }
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  for (const statement of SETUP) {
    await connection.run(statement);
  }
  const output = await runSql(connection, result.sql, result.columns);
  return output.tables[0].rows;
}

describe('workspace("name").Table', () => {
  it.each([
    ['workspace("soc").Events | summarize sum(a)', [[21]]],
    ['workspace("soc").Alerts | project AlertName', [['Impossible travel']]],
    // By display name, ignoring case, as the service takes a workspace's name.
    ['workspace("hunt lab").Events | count', [[3]]],
    [
      'union workspace("hunt").Events, workspace("soc").Events | summarize count() by TenantId | order by TenantId asc',
      [
        ['hunt', 3],
        ['soc', 2]
      ]
    ],
    [
      'Events | summarize count() by TenantId | order by TenantId asc',
      [
        ['hunt', 3],
        ['soc', 2]
      ]
    ],
    [
      'let x = workspace("soc").Events; Events | join kind=inner (x) on a | count',
      [[2]]
    ]
  ])(
    '%s',
    async (query, rows) => {
      expect(await run(query)).toEqual(rows);
    },
    60_000
  );

  it('applies the query time window to a workspace table as to the others', async () => {
    const window = {
      start: new Date('2026-01-01T02:00:00Z'),
      end: new Date('2026-01-01T10:30:00Z')
    };
    expect(await run('workspace("hunt").Events | count', window)).toEqual([
      [2]
    ]);
    expect(await run('workspace("soc").Events | count', window)).toEqual([[1]]);
  }, 60_000);

  it('refuses a workspace the query does not run on, naming it and its place', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'Events\n| union workspace("nowhere").Events',
      schema
    );
    expect(result.sql).toBeNull();
    const error = result.diagnostics.find(d => d.severity === 'error')!;
    expect(error).toMatchObject({
      code: 'KQL-WORKSPACE',
      line: 2,
      column: 19,
      message:
        "'nowhere' is not a workspace of this query: the workspaces this query runs on are 'hunt', 'soc'"
    });
  });

  it('says how to read another workspace when the query runs on one', async () => {
    const compiler = await loadCompiler();
    const single = compilerSchema([{ name: 'Events', columns: events() }]);
    const result = compiler.compile('workspace("soc").Events', single);
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({
      code: 'KQL-WORKSPACE',
      line: 1,
      column: 11,
      message:
        "'soc' is not a workspace of this query: this query runs on one workspace: pick more in the query bar to read others"
    });
  });

  it('leaves a table of another workspace that lacks it as an unknown name', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile('workspace("hunt").Alerts', schema);
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0].message).toMatch(/Alerts/);
  });

  it('does not read workspace( inside a string as a call', async () => {
    expect(await run('print s = \'workspace("x")\'')).toEqual([
      ['workspace("x")']
    ]);
  }, 60_000);
});
