/**
 * Batches: one result table per tabular expression statement, in the order of the text, with the
 * `let`s before a statement visible to it; each statement's SQL runs on DuckDB.
 */
import { DuckDBInstance } from '@duckdb/node-api';

import { compilerSchema, loadCompiler } from '..';
import {
  compileStatements,
  resultTableName,
  tabularStatements
} from '../batch';
import { runSql } from '../node/duckdb';

const T = 'let T = datatable(n:long, s:string) [1, "a", 2, "b", 3, "c"];';

async function runBatch(query: string): Promise<unknown[][][]> {
  const compiler = await loadCompiler();
  const results = await compileStatements(
    compiler,
    query,
    compilerSchema([]),
    {}
  );
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const tables: unknown[][][] = [];
  for (const result of results) {
    expect(result.sql).not.toBeNull();
    tables.push(
      (await runSql(connection, result.sql!, result.columns)).tables[0].rows
    );
  }
  return tables;
}

beforeAll(() => loadCompiler(), 120_000);

describe('a batch of tabular statements', () => {
  it('gives one table per statement, lets shared, in the order of the text', async () => {
    const compiler = await loadCompiler();
    const query = `${T}\nT | count;\nT | where n > 1 | project s`;
    const results = await compileStatements(
      compiler,
      query,
      compilerSchema([]),
      {}
    );
    expect(results.map(r => r.name)).toEqual(['PrimaryResult', 'Table_1']);
    expect(results.map(r => r.columns.map(c => c.name))).toEqual([
      ['Count'],
      ['s']
    ]);
    expect(query.slice(results[1].span.start, results[1].span.end)).toBe(
      'T | where n > 1 | project s'
    );
    expect(await runBatch(query)).toEqual([[[3]], [['b'], ['c']]]);
  });

  it('keeps the text of one statement, with a let between statements seen only after it', async () => {
    const compiler = await loadCompiler();
    const query = `${T} T | take 1 | project s; let m = 2; T | where n >= m | count`;
    const parts = tabularStatements(compiler, query);
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      expect(part.text).toHaveLength(query.length);
    }
    expect(parts[0].text.trimEnd()).toBe(
      `${T} T | take 1 | project s; let m = 2`
    );
    expect(await runBatch(query)).toEqual([[['a']], [[2]]]);
  });

  it('returns a query of one statement whole, and a query that does not parse whole', async () => {
    const compiler = await loadCompiler();
    for (const query of [`${T} T | count`, 'T | count; T |']) {
      expect(tabularStatements(compiler, query)).toEqual([
        { text: query, span: { start: 0, end: query.length } }
      ]);
    }
  });

  it('reports an error at its place in the text, on the statement that has it', async () => {
    const compiler = await loadCompiler();
    const query = `${T}\nT | count;\nT | where nope > 1`;
    const [first, second] = await compileStatements(
      compiler,
      query,
      compilerSchema([]),
      {}
    );
    expect(first.sql).not.toBeNull();
    expect(second.sql).toBeNull();
    const error = second.diagnostics.find(d => d.severity === 'error')!;
    expect({ line: error.line, column: error.column }).toEqual({
      line: 3,
      column: 11
    });
  });

  it('keeps each statement its own render', async () => {
    const compiler = await loadCompiler();
    const results = await compileStatements(
      compiler,
      `${T} T | render barchart; T | count`,
      compilerSchema([]),
      {}
    );
    expect(results.map(r => r.render?.visualization ?? null)).toEqual([
      'barchart',
      null
    ]);
  });

  it('names tables as the query API does', () => {
    expect([0, 1, 2].map(resultTableName)).toEqual([
      'PrimaryResult',
      'Table_1',
      'Table_2'
    ]);
  });
});
