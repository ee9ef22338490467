/**
 * Kusto's `series_*` functions on DuckDB against the examples of Kusto's documentation (each
 * expected value is the documented output), and the `(a, b) = f(…)` column lists of functions
 * that return several columns.
 */
import { expectRows, rowsOf, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

/** The three rows of the documented element-wise examples: s1 = [x, 2x, 4x], s2 = reversed. */
const RANGE = `range x from 1 to 3 step 1
  | extend y = x * 2
  | extend z = y * 2
  | project s1 = pack_array(x, y, z), s2 = pack_array(z, y, x)`;

describe('element-wise series functions', () => {
  it.each([
    [
      'series_add',
      [
        [5, 4, 5],
        [10, 8, 10],
        [15, 12, 15]
      ]
    ],
    [
      'series_subtract',
      [
        [-3, 0, 3],
        [-6, 0, 6],
        [-9, 0, 9]
      ]
    ],
    [
      'series_multiply',
      [
        [4, 4, 4],
        [16, 16, 16],
        [36, 36, 36]
      ]
    ],
    [
      'series_divide',
      [
        [0.25, 1, 4],
        [0.25, 1, 4],
        [0.25, 1, 4]
      ]
    ]
  ])('%s (documented example)', async (name, expected) => {
    const { rows } = await rowsOf(
      `${RANGE} | extend r = ${name}(s1, s2) | project r`
    );
    expect(rows.map(r => r[0])).toEqual(expected);
  });

  it.each([
    [
      'print x = dynamic([1, 2, 3, 4]), y = dynamic([1, 2, 3, 0.5]) | project v = series_pow(x, y)',
      [1, 4, 27, 2]
    ],
    [
      'print s1 = dynamic([1,2,4]), s2 = dynamic([4,2,1]) | project v = series_less_equals(s1, s2)',
      [true, true, false]
    ],
    [
      'print s1 = dynamic([1,2,4]), s2 = dynamic([4,2,1]) | project v = series_greater(s1, s2)',
      [false, false, true]
    ],
    [
      'print s = dynamic([1,2,3]) | project v = series_log(s)',
      [0, 0.6931471805599453, 1.0986122886681098]
    ],
    [
      'print s = dynamic([1,2,3]) | project v = series_exp(s)',
      [2.718281828459045, 7.38905609893065, 20.085536923187668]
    ],
    [
      'print arr = dynamic([-6.5,0,8.2]) | project v = series_abs(arr)',
      [6.5, 0, 8.2]
    ],
    [
      'print s = dynamic([-1.5,1,2.5]) | project v = series_ceiling(s)',
      [-1, 1, 3]
    ],
    [
      'print arr = dynamic([-6, 0, 8]) | project v = series_sign(arr)',
      [-1, 0, 1]
    ]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });

  it('arrays of different lengths and non-numbers give null elements', async () => {
    expect(
      await valueOf(
        'print v = series_add(dynamic([1, "a", 3]), dynamic([1, 2]))'
      )
    ).toEqual([2, null, null]);
  });

  it('a number stands for every element; integers stay integers and wrap as longs do', async () => {
    expect(
      await valueOf(
        'print v = tostring(series_multiply(dynamic([1, 2.5, 9223372036854775807]), 2))'
      )
    ).toBe('[2,5.0,-2]');
  });

  it('divides by zero as doubles do: an infinity or NaN', async () => {
    const value = await valueOf(
      'print v = tostring(series_divide(dynamic([1, -1]), dynamic([0, 0])))'
    );
    expect(value).toBe('[Infinity,-Infinity]');
  });

  it('nests without repeating its arguments', async () => {
    expect(
      await valueOf(
        'print s = dynamic([1, 2, 3]) | project v = series_add(series_multiply(s, s), series_subtract(s, 1))'
      )
    ).toEqual([1, 5, 11]);
  });
});

describe('whole-series values', () => {
  it('series_dot_product (documented examples, a number for the second series)', async () => {
    const { rows } = await rowsOf(
      `${RANGE} | extend d = series_dot_product(s1, s2), e = series_dot_product(s1, toint(s1[0])) | project d, e`
    );
    expect(rows).toEqual([
      [12, 7],
      [48, 28],
      [108, 63]
    ]);
  });

  it('series_cosine_similarity (documented example)', async () => {
    const { rows } = await rowsOf(
      `datatable(s1:dynamic, s2:dynamic)
       [
         dynamic([0.1,0.2,0.1,0.2]), dynamic([0.11,0.2,0.11,0.21]),
         dynamic([0.1,0.2,0.1,0.2]), dynamic([1,2,3,4]),
       ]
       | project c = series_cosine_similarity(s1, s2)`
    );
    expect(rows.map(r => Number(r[0]).toFixed(12))).toEqual([
      '0.999353438255',
      '0.923760430703'
    ]);
  });

  it('series_pearson_correlation (documented example) and null for unequal lengths', async () => {
    await expectRows(
      `range s1 from 1 to 5 step 1
       | extend s2 = 2 * s1
       | summarize s1 = make_list(s1), s2 = make_list(s2)
       | project c = series_pearson_correlation(s1, s2), d = series_pearson_correlation(s1, dynamic([1, 2]))`,
      [[1, null]]
    );
  });

  it('series_product and series_magnitude (documented examples)', async () => {
    await expectRows(
      'print arr = dynamic([1,2,3,4]) | project p = series_product(arr), m = series_magnitude(arr)',
      [[24, 5.477225575051661]]
    );
  });
});

describe('series_stats', () => {
  const X = 'dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])';

  it('gives its columns with their generated names (documented example)', async () => {
    const { columns, rows } = await rowsOf(
      `print x=${X} | project series_stats(x)`
    );
    expect(columns).toEqual([
      'series_stats_x_min',
      'series_stats_x_min_idx',
      'series_stats_x_max',
      'series_stats_x_max_idx',
      'series_stats_x_avg',
      'series_stats_x_stdev',
      'series_stats_x_variance'
    ]);
    expect(rows[0].slice(0, 5)).toEqual([2, 8, 87, 3, 32.8]);
    expect(Number(rows[0][5])).toBeCloseTo(28.5036338535483, 10);
    expect(Number(rows[0][6])).toBeCloseTo(812.457142857143, 9);
  });

  it('names the first columns from a column list, the rest as Kusto does', async () => {
    const { columns, rows } = await rowsOf(
      `print x=${X} | extend (lo, at) = series_stats(x) | project-away x`
    );
    expect(columns.slice(0, 3)).toEqual(['lo', 'at', 'series_stats_x_max']);
    expect(rows[0].slice(0, 3)).toEqual([2, 8, 87]);
  });

  it('series_stats_dynamic (documented example)', async () => {
    const value = await valueOf(
      `print x=${X} | project stats=series_stats_dynamic(x)`
    );
    const stats = value as Record<string, number>;
    expect(stats).toMatchObject({
      min: 2,
      min_idx: 8,
      max: 87,
      max_idx: 3,
      avg: 32.8,
      sum: 492,
      len: 15
    });
    expect(stats.stdev).toBeCloseTo(28.503633853548269, 10);
  });

  it('a non-finite element makes the statistics null unless ignored', async () => {
    const value = await valueOf(
      'print v = tostring(pack_array(series_stats_dynamic(dynamic([1, null, 3])).min, series_stats_dynamic(dynamic([1, null, 3]), true).max))'
    );
    expect(value).toBe('[null,3.0]');
  });
});

describe('filling missing values', () => {
  it.each([
    [
      'series_fill_backward(arr)',
      'dynamic([111, null, 36, 41, null, null, 16, 61, 33, null, null])',
      [111, 36, 36, 41, 16, 16, 16, 61, 33, null, null]
    ],
    [
      'series_fill_forward(arr)',
      'dynamic([null, null, 36, 41, null, null, 16, 61, 33, null, null])',
      [null, null, 36, 41, 41, 41, 16, 61, 33, 33, 33]
    ],
    [
      'series_fill_const(arr, -1)',
      'dynamic([111, null, 36, 41, 23, null, 16, 61, 33, null, null])',
      [111, -1, 36, 41, 23, -1, 16, 61, 33, -1, -1]
    ],
    [
      'series_fill_linear(arr)',
      'dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null])',
      [
        111, 111, 73.5, 36, 41, 32.666666666666664, 24.333333333333332, 16, 61,
        33, 33, 33
      ]
    ],
    [
      'series_fill_linear(arr, double(null), false)',
      'dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null])',
      [null, 111, 73, 36, 41, 32, 24, 16, 61, 33, null, null]
    ],
    [
      'series_fill_linear(arr)',
      'dynamic([null, null, null, null])',
      [0, 0, 0, 0]
    ],
    [
      'series_fill_linear(arr, double(null), true, 3.14159)',
      'dynamic([null, null, null, null])',
      [3.14159, 3.14159, 3.14159, 3.14159]
    ],
    ['series_fill_forward(arr, 0)', 'dynamic([5, 0, 0, 7])', [5, 5, 5, 7]]
  ])('%s of %s (documented examples)', async (call, array, expected) => {
    const value = await valueOf(`print arr = ${array} | project v = ${call}`);
    expect(value).toEqual(expected);
  });

  it('keeps each element its own type', async () => {
    expect(
      await valueOf(
        'print v = tostring(series_fill_const(dynamic([111, null, 36.5]), 0.0))'
      )
    ).toBe('[111,0.0,36.5]');
  });
});

describe('series_fit_line', () => {
  it('fits the documented example in a column list', async () => {
    const { columns, rows } = await rowsOf(
      `print y=dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])
       | extend (RSquare, Slope, Variance, RVariance, Interception, LineFit)=series_fit_line(y)
       | project-away y`
    );
    expect(columns).toEqual([
      'RSquare',
      'Slope',
      'Variance',
      'RVariance',
      'Interception',
      'LineFit'
    ]);
    const [rsquare, slope, variance, rvariance, interception, fit] = rows[0];
    // The documentation prints these values cut to three decimals.
    const cut = (v: unknown) => Math.trunc(Number(v) * 1000) / 1000;
    expect(
      [rsquare, slope, variance, rvariance, interception].map(cut)
    ).toEqual([0.982, 2.73, 98.628, 1.686, -1.666]);
    // Printed to three decimals, some cut and some rounded.
    const documented = [
      1.064, 3.7945, 6.526, 9.256, 11.987, 14.718, 17.449, 20.18, 22.91, 25.641,
      28.371, 31.102
    ];
    const line = fit as number[];
    expect(line.length).toBe(documented.length);
    line.forEach((v, k) =>
      expect(Math.abs(v - documented[k])).toBeLessThan(0.001)
    );
  });

  it('series_fit_line_dynamic gives the same values as a bag', async () => {
    const value = await valueOf(
      'print v = series_fit_line_dynamic(dynamic([1, 3, 5])).slope'
    );
    expect(Number(value)).toBe(2);
  });
});

describe('series_fit_2lines', () => {
  const Y = 'dynamic([1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2])';

  it("splits the documented example where its chart breaks, each side series_fit_line's line", async () => {
    // The documentation's chart (series-fit-2lines.png) draws LineFit2 as a line through the
    // first five points and another through the last six.
    const { columns, rows } = await rowsOf(
      `print y = ${Y}
       | extend (RSquare2, SplitIdx, Variance2, RVariance2, LineFit2) = series_fit_2lines(y)
       | extend l = series_fit_line_dynamic(array_slice(y, 0, 4)), r = series_fit_line_dynamic(array_slice(y, 5, 10))
       | project SplitIdx, LineFit2, Parts = array_concat(l.line_fit, r.line_fit), Variance2, RVariance2, RSquare2,
           LeftSlope = series_fit_2lines_y_left_slope, RightInterception = series_fit_2lines_y_right_interception, RightSlope = r.slope`
    );
    expect(columns.slice(0, 3)).toEqual(['SplitIdx', 'LineFit2', 'Parts']);
    const [
      split,
      fit,
      parts,
      variance,
      rvariance,
      rsquare,
      leftSlope,
      interception,
      rightSlope
    ] = rows[0] as [
      number,
      number[],
      number[],
      number,
      number,
      number,
      number,
      number,
      number
    ];
    expect(split).toBe(5);
    expect(fit).toEqual(parts);
    const ys = [1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2];
    const mean = ys.reduce((a, b) => a + b) / ys.length;
    const total = ys.reduce((a, y) => a + (y - mean) ** 2, 0);
    const residual = ys.reduce((a, y, k) => a + (y - fit[k]) ** 2, 0);
    expect(variance).toBeCloseTo(total / 10, 12);
    expect(rvariance).toBeCloseTo(residual / 10, 12);
    expect(rsquare).toBeCloseTo(1 - residual / total, 12);
    // The left line through x = 1…5: slope 10.5 / 10; the right one through x = 1…6 starts anew.
    expect(leftSlope).toBeCloseTo(1.05, 12);
    expect(rightSlope).toBeCloseTo(-18.15 / 17.5, 12);
    expect(interception).toBeCloseTo(9.35 + 3.5 * (18.15 / 17.5), 12);
  });

  it("gives series_shapes_fl's documented jump scores", async () => {
    // The jump score of series_shapes_fl (Kusto's functions library) with its documented output:
    // its lets written as extends, the same arithmetic on series_fit_2lines_dynamic's values.
    const { rows } = await rowsOf(
      `let ts_len = 100;
       union
         (print tsid=1 | extend y = array_concat(repeat(20, ts_len/2), repeat(150, ts_len/2))),
         (print tsid=2 | extend y = array_concat(repeat(0, ts_len*3/4), repeat(-50, ts_len/4))),
         (print tsid=3 | extend y = range(40, 139, 1)),
         (print tsid=4 | extend y = range(-20, -109, -1))
       | extend n = array_length(y), xs = array_sort_asc(y)
       | extend norm_range = todouble(xs[tolong(n*0.9)]) - todouble(xs[tolong(n*0.1)])
       | extend lf2 = series_fit_2lines_dynamic(y)
       | extend lslope = todouble(lf2.left.slope), rslope = todouble(lf2.right.slope), rsquare2 = todouble(lf2.rsquare), split_idx = tolong(lf2.split_idx)
       | extend last_left = todouble(lf2.left.interception) + lslope * split_idx, first_right = todouble(lf2.right.interception) + rslope
       | extend jump = first_right - last_left
       | extend rel_jump = abs(jump / norm_range), sign_jump = iff(first_right >= last_left, 1.0, -1.0)
       | extend norm_jump = sign_jump * rel_jump / (rel_jump + 0.1), norm_rslope = abs(rslope / norm_range)
       | extend jump_score = iff((sign_jump * rslope >= 0.0 or norm_rslope < 0.02) and split_idx between ((0.1 * n) .. (0.9 * n)), norm_jump * rsquare2, 0.0)
       | order by tsid asc
       | project jump_score`
    );
    const documented = [0.90909090909090906, -0.90909090909090906, 0.0, 0.0];
    rows.forEach(([score], k) =>
      expect(score as number).toBeCloseTo(documented[k], 14)
    );
    expect(rows.length).toBe(4);
  });

  it('is null when an element is not a number', async () => {
    expect(
      await valueOf(
        "print v = isnull(series_fit_2lines_dynamic(dynamic([1, 2, 'a', 4, 5])))"
      )
    ).toBe(true);
  });

  it.each([
    ['fewer than 4 numbers', '[1, 2, 3]'],
    ['equal numbers', '[2, 2, 2, 2, 2]']
  ])(
    'stops the query for %s: which split Kusto reports is not documented',
    async (_, ys) => {
      const outcome = await runKql(
        `print v = series_fit_2lines_dynamic(dynamic(${ys}))`
      );
      expect(outcome.kind).toBe('error');
      expect(outcome.kind === 'error' && outcome.message).toMatch(
        /not supported locally: series_fit_2lines\(\)/
      );
    }
  );
});

describe('series_decompose', () => {
  it('without seasonality: an average or a line as the baseline', async () => {
    const { columns, rows } = await rowsOf(
      `print y = dynamic([1, 2, 6])
       | project (b, s, t, r) = series_decompose(y, 0), (lb, ls, lt, lr) = series_decompose(y, 0, 'linefit')`
    );
    expect(columns).toEqual(['b', 's', 't', 'r', 'lb', 'ls', 'lt', 'lr']);
    const parsed = rows[0] as number[][];
    expect(parsed.slice(0, 4)).toEqual([
      [3, 3, 3],
      [0, 0, 0],
      [3, 3, 3],
      [-2, -1, 3]
    ]);
    expect(parsed[4].map(v => Number(v.toFixed(9)))).toEqual([0.5, 3, 5.5]);
  });

  it("refuses Kusto's seasonality detection rather than guess", async () => {
    const outcome = await runKql(
      'print y = dynamic([1, 2, 6]) | extend a = series_decompose_anomalies(y)'
    );
    expect(outcome.kind).toBe('unsupported');
  });
});
