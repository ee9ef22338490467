/**
 * The selection shared by a result's grid and its view: the grid selects ranges of rows, a view
 * selects row ids (indexes into the rows it was given, which are the grid's rows in its order).
 */

/** Row ids as runs `[first, last]` of consecutive ids, ascending: the grid selects one range per run. */
export function rowRuns(rows: Iterable<number>): [number, number][] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const row of sorted) {
    const last = runs[runs.length - 1];
    if (last && row === last[1] + 1) {
      last[1] = row;
    } else {
      runs.push([row, row]);
    }
  }
  return runs;
}

/** The row ids in ranges `[start, end)` below `limit` (the rows a view was given). */
export function rowsInRanges(
  ranges: Iterable<readonly [number, number]>,
  limit: number
): Set<number> {
  const rows = new Set<number>();
  for (const [start, end] of ranges) {
    for (let row = Math.max(0, start); row < Math.min(end, limit); row++) {
      rows.add(row);
    }
  }
  return rows;
}
