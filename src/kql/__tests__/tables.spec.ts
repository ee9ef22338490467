/**
 * Tables named by a value (`table(name)` with a `let`, a query parameter or a function's argument)
 * and `declare query_parameters`, run on DuckDB over a small workspace table.
 */
import { DuckDBInstance } from '@duckdb/node-api';

import { compilerSchema, loadCompiler } from '..';
import { runSql } from '../node/duckdb';

const schema = compilerSchema([
  { name: 'Events', columns: [{ name: 'a', type: 'long' }] }
]);

async function run(query: string): Promise<unknown[][]> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, schema, { now: new Date() });
  const error = result.diagnostics.find(d => d.severity === 'error');
  if (result.sql === null) {
    throw new Error(`${query}\n→ ${error?.message}`);
  }
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(
    'CREATE TABLE "Events" AS SELECT * FROM (VALUES (1), (2), (3)) t(a)'
  );
  const output = await runSql(connection, result.sql, result.columns);
  return output.tables[0].rows;
}

describe('tables named by a value', () => {
  it.each([
    ['let name = "Events"; table(name) | where a > 1 | count', [[2]]],
    [
      'declare query_parameters(name:string = "Events"); table(name) | count',
      [[3]]
    ],
    ['let f = (t:string) { table(t) | summarize max(a) }; f("Events")', [[3]]],
    [
      'declare query_parameters(least:long = 2); Events | where a >= least | count',
      [[2]]
    ]
  ])(
    '%s',
    async (query, rows) => {
      expect(await run(query)).toEqual(rows);
    },
    60_000
  );

  it('refuses a query parameter that has no default, saying so', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'declare query_parameters(least:long); Events | where a >= least',
      schema
    );
    expect(result.sql).toBeNull();
    expect(result.diagnostics[0].message).toMatch(
      /^not supported locally: the query parameter least without a default value/
    );
  });
});
