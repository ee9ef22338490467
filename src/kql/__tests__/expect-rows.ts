/**
 * Assertions for the compiler's execution tests: run a query on DuckDB and compare the exact
 * columns and rows (as Kusto prints them) with the values Kusto's documentation gives.
 */
import { runKql } from './harness';

/** The columns and rows of a query that must run. */
export async function rowsOf(
  query: string,
  now?: Date
): Promise<{ columns: string[]; rows: unknown[][] }> {
  const outcome = await runKql(query, now);
  if (outcome.kind !== 'rows') {
    throw new Error(`${query}\n→ ${outcome.kind}: ${outcome.message}`);
  }
  return { columns: outcome.columns, rows: outcome.rows };
}

/** Sorts values so that results with no defined order compare. */
function ordered<T>(values: T[]): T[] {
  return [...values].sort((a, b) =>
    JSON.stringify(a) < JSON.stringify(b) ? -1 : 1
  );
}

/**
 * Expects a query's exact rows; `columns` too when given. Rows compare in order only when
 * `inOrder` (sort, top, order); otherwise as a multiset.
 */
export async function expectRows(
  query: string,
  rows: unknown[][],
  options: { columns?: string[]; inOrder?: boolean; now?: Date } = {}
): Promise<void> {
  const result = await rowsOf(query, options.now);
  if (options.columns) {
    expect(result.columns).toEqual(options.columns);
  }
  if (options.inOrder) {
    expect(result.rows).toEqual(rows);
  } else {
    expect(ordered(result.rows)).toEqual(ordered(rows));
  }
}

/** The single value of a one-row, one-column query (`print x = …`). */
export async function valueOf(query: string): Promise<unknown> {
  const { rows } = await rowsOf(query);
  expect(rows.length).toBe(1);
  expect(rows[0].length).toBe(1);
  return rows[0][0];
}

/** A dynamic array's elements in a fixed order, for functions that give no element order. */
export function asSet(value: unknown): unknown[] {
  expect(Array.isArray(value)).toBe(true);
  return ordered(value as unknown[]);
}
