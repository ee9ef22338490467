/**
 * The run-query command's argument checks and its JSON view of an Arrow result.
 */
import { tableFromArrays } from 'apache-arrow';

import type { IColumnInfo, IQueryResult } from '../tokens';
import { rowsAsJSON, runQueryArgs } from '../workspaces/query';

function resultOf(
  columns: IColumnInfo[],
  arrays: Parameters<typeof tableFromArrays>[0]
): IQueryResult {
  const table = tableFromArrays(arrays);
  return {
    queryId: 'q',
    query: '',
    columns,
    table,
    rowCount: table.numRows,
    truncated: false,
    elapsedMs: 0,
    render: null,
    timespan: null,
    now: new Date(0),
    diagnostics: []
  };
}

describe('runQueryArgs', () => {
  it('accepts a query with an optional row limit and window', () => {
    expect(
      runQueryArgs({
        query: 'T | take 1',
        maxRows: 10,
        start: '2024-01-01T00:00:00Z',
        end: '2024-01-02T00:00:00Z'
      })
    ).toEqual({
      query: 'T | take 1',
      maxRows: 10,
      start: '2024-01-01T00:00:00Z',
      end: '2024-01-02T00:00:00Z'
    });
  });

  it.each([
    [{}, /KQL query is required/],
    [{ query: '  ' }, /KQL query is required/],
    [{ query: 'T', maxRows: 0 }, /positive integer/],
    [{ query: 'T', maxRows: 1.5 }, /positive integer/],
    [{ query: 'T', start: '2024-01-01' }, /both start and end/],
    [{ query: 'T', start: 1, end: 2 }, /ISO 8601/]
  ])('refuses %j', (args, message) => {
    expect(() => runQueryArgs(args)).toThrow(message);
  });
});

describe('rowsAsJSON', () => {
  it('keeps exact integers as numbers and writes larger ones as text', () => {
    const result = resultOf([{ name: 'n', type: 'long' }], {
      n: BigInt64Array.from([42n, 2n ** 62n])
    });
    expect(rowsAsJSON(result, 10)).toEqual([[42], ['4611686018427387904']]);
  });

  it('writes datetimes as ISO text and non-finite reals as text', () => {
    const result = resultOf(
      [
        { name: 't', type: 'datetime' },
        { name: 'r', type: 'real' }
      ],
      {
        t: [new Date('2024-01-15T12:00:00Z'), new Date(0)],
        r: Float64Array.from([1.5, NaN])
      }
    );
    expect(rowsAsJSON(result, 10)).toEqual([
      ['2024-01-15T12:00:00.000Z', 1.5],
      ['1970-01-01T00:00:00.000Z', 'NaN']
    ]);
  });

  it('stops at the limit', () => {
    const result = resultOf([{ name: 's', type: 'string' }], {
      s: ['a', 'b', 'c']
    });
    expect(rowsAsJSON(result, 2)).toEqual([['a'], ['b']]);
  });
});
