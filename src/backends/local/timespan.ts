/**
 * The query time window of local workspaces, applied the way Log Analytics applies the `timespan`
 * of its query API: to every table the query reads, before the query sees it, not to the result.
 */
import type { ITableInfo, ITimeWindow } from '../../tokens';

/** A DuckDB quoted identifier, quoted as the compiler's DuckDB dialect quotes table names. */
function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB timestamp literal in UTC, which is how local workspaces store `datetime`. */
function timestamp(instant: Date): string {
  return `CAST('${instant.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP)`;
}

/**
 * Restricts the tables a compiled query reads to a time window. Each table with a time column that
 * the SQL names is shadowed by a common table expression of the same name holding only the
 * window's rows, so every reference to the table (in joins, unions, subqueries) sees the window.
 * `NOT MATERIALIZED` keeps DuckDB pushing filters and projections into the Parquet scan.
 */
export function restrictToWindow(
  sql: string,
  tables: ReadonlyArray<ITableInfo>,
  window: ITimeWindow
): string {
  if (!(window.start.getTime() < window.end.getTime())) {
    throw new RangeError('The time window must start before it ends');
  }
  const from = timestamp(window.start);
  const to = timestamp(window.end);
  const shadows = tables
    .filter(
      table => table.timespanColumn && sql.includes(identifier(table.name))
    )
    .map(table => {
      const name = identifier(table.name);
      const column = identifier(table.timespanColumn!);
      return `${name} AS NOT MATERIALIZED (SELECT * FROM ${name} WHERE ${column} >= ${from} AND ${column} < ${to})`;
    });
  if (shadows.length === 0) {
    return sql;
  }
  // The compiler's SQL is either one SELECT or `WITH <ctes> SELECT`: join its list when it has one.
  const withList = /^WITH\s/.exec(sql);
  return withList
    ? `WITH ${shadows.join(',\n')},\n${sql.slice(withList[0].length)}`
    : `WITH ${shadows.join(',\n')}\n${sql}`;
}
