/**
 * How the SQL reads workspace tables: only the columns the query reads, a chain of `where`s as one
 * filter of the read, join sides narrowed to the columns read of them, and one read of a table
 * that several parts of a query filter on the same values. Each shape gives Kusto's rows.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { compilerSchema, loadCompiler } from '..';
import { runSql } from '../node/duckdb';
import type { IColumnInfo } from '../types';
import { expectRows } from './expect-rows';

const columns: IColumnInfo[] = [
  { name: 'a', type: 'long' },
  { name: 'user', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 't', type: 'datetime' },
  ...Array.from({ length: 40 }, (_, i) => ({
    name: `wide${i}`,
    type: 'string' as const
  }))
];
const schema = compilerSchema([{ name: 'Events', columns }]);

let connection: DuckDBConnection;

beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
  const wide = columns
    .slice(4)
    .map(c => `'${c.name}' AS ${c.name}`)
    .join(', ');
  await connection.run(
    `CREATE TABLE "Events" AS SELECT *, ${wide} FROM (VALUES
      (1, 'adele', 'ok', TIMESTAMP '2024-01-01'),
      (2, 'adele', 'ok', TIMESTAMP '2024-01-10'),
      (3, 'Adele', 'fail', TIMESTAMP '2024-01-12'),
      (4, 'bob', 'ok', TIMESTAMP '2024-01-11'),
      (5, '', 'ok', TIMESTAMP '2024-01-02'),
      (6, NULL, 'ok', TIMESTAMP '2024-01-03')
    ) t(a, "user", kind, t)`
  );
}, 60_000);

async function compile(query: string): Promise<string> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, schema, {
    now: new Date('2024-01-15T00:00:00Z')
  });
  const error = result.diagnostics.find(d => d.severity === 'error');
  if (result.sql === null) {
    throw new Error(`${query}\n→ ${error?.message}`);
  }
  return result.sql;
}

async function rows(query: string): Promise<unknown[][]> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, schema, {
    now: new Date('2024-01-15T00:00:00Z')
  });
  const output = await runSql(connection, result.sql!, result.columns);
  return output.tables[0].rows;
}

/** How many times the SQL reads the table. */
function reads(sql: string): number {
  return sql.split('FROM "Events"').length - 1;
}

describe('table reads', () => {
  it.each([
    [
      'a chain of wheres',
      'Events | where kind == "ok" | where t > datetime(2024-01-02) | where user != "" | project a',
      [[2], [4]]
    ],
    [
      'an extend over the table',
      'Events | extend b = a * 2 | where b > 8 | project a, b',
      [
        [5, 10],
        [6, 12]
      ]
    ],
    [
      'a lookup whose right side gives one column',
      'Events | project a, user | lookup kind=leftouter (Events | project a, kind) on a | where kind == "fail" | project a, user',
      [[3, 'Adele']]
    ],
    [
      'a leftanti join',
      'Events | join kind=leftanti (Events | where kind == "fail") on a | count',
      [[5]]
    ],
    [
      'a rightsemi join',
      'Events | where user == "bob" | join kind=rightsemi (Events) on a | project a, kind',
      [[4, 'ok']]
    ],
    [
      'a join under count, where empty and missing keys match',
      'Events | join kind=inner (Events) on user | count',
      [[10]]
    ],
    [
      'two reads filtering on the same values, each in its own time window',
      `let before = Events | where user =~ "ADELE" and kind == "ok" | where t < datetime(2024-01-05) | distinct a;
       Events | where user =~ "adele" and kind == "ok" | where t >= datetime(2024-01-05) | where a !in (before) | project a`,
      [[2]]
    ],
    [
      'two reads with the same filter, joined',
      'let x = Events | where user == ""; x | join kind=inner (Events | where user == "") on a | project a',
      [[5], [6]]
    ],
    [
      'two reads sharing only a time range',
      'Events | where t > datetime(2024-01-05) | join kind=inner (Events | where t > datetime(2024-01-05) | project a, k2 = kind) on a | count',
      [[3]]
    ]
  ])(
    '%s',
    async (_, query, expected) => {
      expect(await rows(query)).toEqual(expected);
    },
    60_000
  );

  it('reads only the columns the query reads, filtered in the read itself', async () => {
    const sql = await compile(
      'Events | where kind == "fail" | where t > ago(30d) | project a'
    );
    expect(sql).not.toContain('wide');
    expect(sql).toMatch(/FROM "Events" WHERE .*"kind".* AND .*"t"/);
    expect(sql.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('narrows each side of a join to the columns read of it', async () => {
    const sql = await compile(
      'Events | join kind=inner (Events | where kind == "ok") on a | summarize n = count() by user1'
    );
    expect(sql).not.toContain('wide');
    expect(sql).not.toContain('"t"');
  });

  it('reads a table once for reads that filter on the same values', async () => {
    const sql = await compile(
      `let before = Events | where user =~ "ADELE" and kind == "ok" | where t < ago(7d) | distinct a;
       Events | where user =~ "adele" and kind == "ok" | where t >= ago(7d) | where a !in (before)`
    );
    expect(reads(sql)).toBe(1);
  });

  it('reads a table again when its reads share only a range or no values', async () => {
    for (const query of [
      'Events | where t > ago(7d) | join kind=inner (Events | where t > ago(7d) | project a) on a',
      'Events | where kind == "ok" | join kind=inner (Events | where kind == "fail" | project a) on a'
    ]) {
      expect(reads(await compile(query))).toBe(2);
    }
  });

  it('keeps a condition whose value changes from call to call in each read', async () => {
    const sql = await compile(
      'Events | where tostring(new_guid()) != "" and kind == "ok" | join kind=inner (Events | where tostring(new_guid()) != "" and kind == "ok" | project a) on a'
    );
    expect(reads(sql)).toBe(1);
    expect(sql.split('uuid()').length - 1).toBe(2);
  });
});

describe('string tests without lower-casing', () => {
  it('matches needles that have no letters exactly, caselessly or not', async () => {
    await expectRows(
      'print a = "x@Y" contains "@", b = "A-B" has "-b", c = "10.0.0.1" startswith "10.0.", d = "ab$" endswith "$", e = "x" !contains "@"',
      [[true, true, true, true, true]]
    );
  });
});
