/**
 * `summarize` on DuckDB: Kusto's defaults on empty input (one row of 0 / [] / null without `by`,
 * no rows with `by`), nulls ignored by aggregates, ties in `arg_max`, sets compared without order.
 */
import { asSet, expectRows, rowsOf } from './expect-rows';

describe('summarize', () => {
  it('count on an empty input is one row of 0', async () => {
    await expectRows('datatable(a:long)[] | summarize count()', [[0]], {
      columns: ['count_']
    });
    await expectRows('datatable(a:long)[] | count', [[0]], {
      columns: ['Count']
    });
  });

  it('aggregates of an empty input take Kusto’s defaults', async () => {
    await expectRows(
      'datatable(v:long)[] | summarize sum(v), countif(v > 1), sumif(v, v > 0), dcount(v), make_set(v), make_list(v), avg(v), max(v), min(v)',
      // avg of no values is 0 / 0: NaN, as Kusto's engine gives.
      [[0, 0, 0, 0, [], [], 'NaN', null, null]],
      {
        columns: [
          'sum_v',
          'countif_',
          'sumif_v',
          'dcount_v',
          'set_v',
          'list_v',
          'avg_v',
          'max_v',
          'min_v'
        ]
      }
    );
  });

  it('an empty input grouped by a key gives no rows', async () => {
    await expectRows(
      'datatable(a:long, b:string)[] | summarize count() by b',
      [],
      { columns: ['b', 'count_'] }
    );
  });

  it('nulls are ignored; a group of nulls sums to 0', async () => {
    await expectRows(
      'datatable(g:string, v:long)["a",long(null), "b",2, "b",long(null), "b",3] | summarize s = sum(v), mx = max(v), d = dcount(v), c = count() by g',
      [
        ['a', 0, null, 0, 1],
        ['b', 5, 3, 2, 3]
      ]
    );
  });

  it('countif, sumif, avg, avgif, minif, maxif', async () => {
    await expectRows(
      'range x from 1 to 6 step 1 | summarize c = countif(x % 2 == 0), s = sumif(x, x > 4), a = avg(x), ai = avgif(x, x < 3), mn = minif(x, x > 2), mx = maxif(x, x < 5)',
      [[3, 11, 3.5, 1.5, 3, 4]]
    );
  });

  it('make_set and make_list skip nulls', async () => {
    const { rows } = await rowsOf(
      'datatable(v:long)[1, 1, 2, long(null)] | summarize s = make_set(v), l = make_list(v)'
    );
    expect(asSet(rows[0][0])).toEqual([1, 2]);
    expect(asSet(rows[0][1])).toEqual([1, 1, 2]);
  });

  it('make_set by group', async () => {
    const { rows } = await rowsOf(
      'datatable(g:string, s:string)["a","x", "a","y", "a","x", "b","z"] | summarize ss = make_set(s) by g | sort by g asc'
    );
    expect(rows.map(r => [r[0], asSet(r[1])])).toEqual([
      ['a', ['x', 'y']],
      ['b', ['z']]
    ]);
  });

  it('make_list with a limit', async () => {
    const { rows } = await rowsOf(
      'range x from 1 to 10 step 1 | summarize l = make_list(x, 3)'
    );
    expect((rows[0][0] as unknown[]).length).toBe(3);
  });

  it('dcount counts distinct values', async () => {
    await expectRows(
      'datatable(s:string)["a", "b", "a", "c"] | summarize dcount(s)',
      [[3]]
    );
  });

  it('percentile picks a value of the input (nearest rank)', async () => {
    await expectRows(
      'range x from 1 to 10 step 1 | summarize p50 = percentile(x, 50), p90 = percentile(x, 90), p100 = percentile(x, 100), p0 = percentile(x, 0)',
      [[5, 9, 10, 1]]
    );
    await expectRows(
      'range x from 1 to 10 step 1 | summarize percentiles(x, 50, 90)',
      [[5, 9]],
      { columns: ['percentile_x_50', 'percentile_x_90'] }
    );
  });

  it('arg_max with * carries the whole row', async () => {
    await expectRows(
      'datatable(a:long, b:string)[1,"x", 3,"y", 2,"z"] | summarize arg_max(a, *)',
      [[3, 'y']],
      { columns: ['a', 'b'] }
    );
  });

  it('arg_max and arg_min with named columns, by a key', async () => {
    await expectRows(
      'datatable(x:long, y:long, z:string)[1,2,"a", 1,3,"b", 2,5,"c"] | summarize arg_max(y, z) by x',
      [
        [1, 3, 'b'],
        [2, 5, 'c']
      ],
      { columns: ['x', 'y', 'z'] }
    );
    await expectRows(
      'datatable(x:long, y:long, z:string)[1,2,"a", 1,3,"b", 2,5,"c"] | summarize arg_min(y, z) by x',
      [
        [1, 2, 'a'],
        [2, 5, 'c']
      ]
    );
  });

  it('arg_max ties give one of the tied rows, whole', async () => {
    const { rows } = await rowsOf(
      'datatable(x:long, y:long, z:string)[1,2,"a", 1,2,"b"] | summarize arg_max(y, z) by x'
    );
    expect(rows.length).toBe(1);
    expect([
      [1, 2, 'a'],
      [1, 2, 'b']
    ]).toContainEqual(rows[0]);
  });

  it('arg_max over only nulls still gives a row of the group', async () => {
    const { rows } = await rowsOf(
      'datatable(a:long, b:string)[long(null),"x",long(null),"y"] | summarize arg_max(a, b)'
    );
    expect(rows.length).toBe(1);
    expect(rows[0][0]).toBeNull();
  });

  it('by a computed key, named by its expression or alias', async () => {
    await expectRows(
      'range x from 1 to 7 step 1 | summarize c = count() by k = x % 3 | sort by k asc',
      [
        [0, 2],
        [1, 3],
        [2, 2]
      ],
      { columns: ['k', 'c'], inOrder: true }
    );
    await expectRows(
      'range x from 1 to 7 step 1 | summarize count() by bin(x, 5) | sort by x asc',
      [
        [0, 4],
        [5, 3]
      ],
      { columns: ['x', 'count_'], inOrder: true }
    );
  });

  it('take_any gives a value of the group', async () => {
    const { rows } = await rowsOf(
      'datatable(g:string, v:long)["a",1, "a",2] | summarize take_any(v) by g'
    );
    expect(rows.length).toBe(1);
    expect([1, 2]).toContain(rows[0][1]);
  });

  it('stdev and variance', async () => {
    await expectRows(
      'datatable(x:long)[2, 4, 4, 4, 5, 5, 7, 9] | summarize sp = stdevp(x), vp = variancep(x)',
      [[2, 4]]
    );
  });
});

describe('make-series', () => {
  const T =
    'datatable(t:datetime, v:long)[datetime(2024-01-01), 5, datetime(2024-01-03), 7]';
  const AXIS = [
    '2024-01-01T00:00:00.0000000Z',
    '2024-01-02T00:00:00.0000000Z',
    '2024-01-03T00:00:00.0000000Z'
  ];

  it('fills gaps with 0 by default, and a default= fills every aggregate', async () => {
    await expectRows(
      `${T} | make-series a = avg(v), c = count() on t from datetime(2024-01-01) to datetime(2024-01-04) step 1d`,
      [[[5, 0, 7], [1, 0, 1], AXIS]]
    );
    await expectRows(
      `${T} | make-series a = avg(v), c = count(), m = max(v) default = -1 on t from datetime(2024-01-01) to datetime(2024-01-04) step 1d`,
      [[[5, -1, 7], [1, -1, 1], [5, -1, 7], AXIS]]
    );
  });

  it('gives no row for an empty input or an empty range', async () => {
    await expectRows(
      `${T} | where v > 10 | make-series count() on t from datetime(2024-01-01) to datetime(2024-01-04) step 1d`,
      []
    );
    await expectRows(
      `${T} | make-series count() on t from datetime(2024-01-04) to datetime(2024-01-01) step 1d`,
      []
    );
  });
});
