/**
 * The query time window, applied the way Log Analytics applies the `timespan` of its query API: to
 * every table the query reads, before the query sees it, not to the result.
 */
import type { IDialect } from './dialect';

/** A time window: the rows of each table whose time column falls in `[start, end)`. */
export interface ITimeWindow {
  /** First instant of the window (inclusive). */
  start: Date;
  /** End of the window (exclusive). */
  end: Date;
}

/**
 * The common table expressions that restrict the tables a query reads to a time window: each table
 * with a time column is shadowed by a CTE of the same name holding only the window's rows, so every
 * reference to it (in joins, unions, subqueries) sees the window. `NOT MATERIALIZED` keeps DuckDB
 * pushing filters and projections into the scan. `timeColumns` lists the workspace's tables with
 * their time column, in schema order; tables the query does not read are left out.
 */
export function windowShadows(
  window: ITimeWindow,
  timeColumns: ReadonlyArray<readonly [table: string, column: string]>,
  read: ReadonlySet<string>,
  dialect: IDialect
): string[] {
  const from = dialect.timestamp(window.start);
  const to = dialect.timestamp(window.end);
  return timeColumns
    .filter(([table]) => read.has(table))
    .map(([table, column]) => {
      const name = dialect.identifier(table);
      const time = dialect.identifier(column);
      const inline = dialect.capabilities.notMaterialized
        ? 'NOT MATERIALIZED '
        : '';
      return `${name} AS ${inline}(SELECT * FROM ${name} WHERE ${time} >= ${from} AND ${time} < ${to})`;
    });
}
