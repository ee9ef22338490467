/**
 * Kusto's binder keeps what it computes for a schema (function lookup tables, the unified columns
 * of a union's tables, function expansions) in the cache of the global state it binds with; given
 * a state without one, it derives a new state with an empty cache for each query (issue 23: a
 * third of `kql check`'s binding time). The schema's state carries its cache, and the queries
 * bound with it give the same results as the first one.
 */
import { DuckDBInstance } from '@duckdb/node-api';

import { compilerSchema, loadCompiler } from '..';
import { runSql } from '../node/duckdb';

beforeAll(() => loadCompiler(), 120_000);

const SCHEMA = compilerSchema([
  { name: 'A', columns: [{ name: 'x', type: 'long' }] },
  { name: 'B', columns: [{ name: 'x', type: 'string' }] }
]);

describe("the binder's cache", () => {
  it('is built once for a schema and kept by every query bound with it', async () => {
    await loadCompiler();
    const { analyze, globalsFor } = await import('../frontend/kusto');
    const globals = globalsFor(SCHEMA);
    expect(globals.Cache).not.toBeNull();
    const first = analyze('union A, B | take 1', SCHEMA);
    const second = analyze('union B, A | take 1', SCHEMA);
    expect(first.Globals).toBe(globals);
    expect(second.Globals).toBe(globals);
  });

  it("gives a union's columns the same names and types when its tables were unified before", async () => {
    const compiler = await loadCompiler();
    const columns = () =>
      compiler
        .compile('union A, B', SCHEMA)
        .columns.map(c => `${c.name}:${c.type}`);
    const before = columns();
    expect(before).toEqual(['x_long:long', 'x_string:string']);
    expect(columns()).toEqual(before);
  });

  // A string is never null in Kusto: the long's row has an empty string.
  it('runs a union of clashing columns on DuckDB the same way when bound again', async () => {
    const compiler = await loadCompiler();
    const connection = await (
      await DuckDBInstance.create(':memory:')
    ).connect();
    const query = `union (datatable(x:long)[1]), (datatable(x:string)['a'])
      | order by x_long asc nulls last`;
    for (let i = 0; i < 2; i++) {
      const result = compiler.compile(query, SCHEMA);
      const output = await runSql(connection, result.sql!, result.columns);
      expect(output.tables[0].columns.map(c => c.name)).toEqual([
        'x_long',
        'x_string'
      ]);
      expect(output.tables[0].rows).toEqual([
        [1, ''],
        [null, 'a']
      ]);
    }
  });
});
