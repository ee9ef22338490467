/**
 * Runs KQL on DuckDB for the compiler's tests: compile with no workspace tables (datatable, range,
 * print) or with small tables, execute, and compare with expected rows the way Kusto's
 * documentation prints them.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import {
  compileDiscovering,
  compilerSchema,
  type IKqlCompiler,
  loadCompiler
} from '..';
import { runSql } from '../node/duckdb';

export { canonical, same, sameRows } from '../node/compare';

/** The outcome of running one query. */
export type RunOutcome =
  | { kind: 'rows'; columns: string[]; rows: unknown[][]; sql: string }
  | { kind: 'unsupported'; message: string }
  | { kind: 'error'; message: string; sql?: string };

let shared: Promise<{
  compiler: IKqlCompiler;
  connection: DuckDBConnection;
}> | null = null;

async function session(): Promise<{
  compiler: IKqlCompiler;
  connection: DuckDBConnection;
}> {
  if (!shared) {
    shared = (async () => {
      const compiler = await loadCompiler();
      const db = await DuckDBInstance.create(':memory:');
      return { compiler, connection: await db.connect() };
    })();
  }
  return shared;
}

/** Compiles and runs a query with no workspace tables. */
export async function runKql(
  query: string,
  now = new Date('2024-01-15T12:00:00Z')
): Promise<RunOutcome> {
  const { compiler, connection } = await session();
  const result = await compileDiscovering(
    compiler,
    query,
    compilerSchema([]),
    { now },
    async discovery =>
      (await connection.runAndReadAll(discovery.sql))
        .getRowsJson()
        .map(row => row.map(String))
  );
  const error = result.diagnostics.find(d => d.severity === 'error');
  if (result.sql === null) {
    if (error?.stage === 'unsupported') {
      return { kind: 'unsupported', message: error.message };
    }
    return {
      kind: 'error',
      message: error
        ? `${error.line}:${error.column} ${error.message}`
        : 'no SQL'
    };
  }
  try {
    const output = await runSql(connection, result.sql, result.columns);
    const table = output.tables[0];
    return {
      kind: 'rows',
      columns: table.columns.map(c => c.name),
      rows: table.rows,
      sql: result.sql
    };
  } catch (e) {
    return {
      kind: 'error',
      message: e instanceof Error ? e.message : String(e),
      sql: result.sql
    };
  }
}
