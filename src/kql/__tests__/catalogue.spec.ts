/**
 * More of Kusto's function catalogue on DuckDB, against the examples of Kusto's documentation
 * (each expected value is the documented output): the beta distribution, `welch_test`, `erf`,
 * weighted percentiles,
 * `row_rank_dense` with a restart, `datetime_part("dayOfYear")` and the unit conversions.
 */
import { expectRows, rowsOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

describe('the beta distribution', () => {
  const INPUTS = (x: number) => `datatable(x:double, alpha:double, beta:double)
    [
      ${x}, 10.0, 20.0,
      1.5, 10.0, 20.0,
      double(-10), 10.0, 20.0,
      0.1, double(-1.0), 20.0
    ]`;

  it('beta_cdf (documented example)', async () => {
    const { rows } = await rowsOf(
      `${INPUTS(0.9)} | project b = beta_cdf(x, alpha, beta)`
    );
    expect(Number(rows[0][0])).toBeCloseTo(0.999999999999959, 14);
    expect(rows.slice(1).map(r => Number(r[0]))).toEqual([NaN, NaN, NaN]);
  });

  it('beta_pdf (documented example)', async () => {
    const { rows } = await rowsOf(
      `${INPUTS(0.5)} | project r = beta_pdf(x, alpha, beta)`
    );
    expect(Number(rows[0][0])).toBeCloseTo(0.746176019310951, 12);
    expect(rows.slice(1).map(r => Number(r[0]))).toEqual([NaN, NaN, NaN]);
  });

  it('beta_cdf agrees with the integral of beta_pdf in both halves of the fraction', async () => {
    const { rows } = await rowsOf(
      'print a = beta_cdf(0.2, 2, 3), b = beta_cdf(0.99, 1000, 5), c = beta_cdf(0, 2, 3), d = beta_cdf(1, 2, 3)'
    );
    // I_0.2(2, 3) = 0.1808 exactly; the other by numerical integration of the density.
    expect(Number(rows[0][0])).toBeCloseTo(0.1808, 12);
    expect(Number(rows[0][1])).toBeCloseTo(0.027948558419953, 10);
    expect(rows[0].slice(2)).toEqual([0, 1]);
  });
});

describe('welch_test', () => {
  it("gives the two-tailed p-value of Wikipedia's example (documented example)", async () => {
    const { rows } = await rowsOf(
      `print
         s1 = dynamic([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]),
         s2 = dynamic([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4])
       | mv-expand s1 to typeof(double), s2 to typeof(double)
       | summarize m1=avg(s1), v1=variance(s1), c1=count(), m2=avg(s2), v2=variance(s2), c2=count()
       | project pValue = welch_test(m1, v1, c1, m2, v2, c2)`
    );
    // The documentation gives 0.021; Wikipedia's t = -2.46 with 24.988 degrees of freedom.
    expect(Number(rows[0][0])).toBeCloseTo(0.021378, 6);
  });
});

describe('erf and erfc', () => {
  it('erf (documented example) and erfc', async () => {
    const { rows } = await rowsOf(
      'range x from -3 to 3 step 1 | project erf_x = erf(x), erfc_x = erfc(x)'
    );
    const documented = [
      -0.999977909503001, -0.995322265018953, -0.842700792949715, 0,
      0.842700792949715, 0.995322265018953, 0.999977909503001
    ];
    rows.forEach((r, i) => {
      expect(Number(r[0])).toBeCloseTo(documented[i], 14);
      expect(Number(r[1])).toBeCloseTo(1 - documented[i], 14);
    });
  });

  it('keeps erfc precise in the tail', async () => {
    const { rows } = await rowsOf('print a = erfc(5), b = erfc(-5)');
    // erfc(5) = 1.5374597944280349e-12.
    expect(Number(rows[0][0]) / 1.5374597944280349e-12).toBeCloseTo(1, 12);
    expect(Number(rows[0][1])).toBeCloseTo(2 - 1.5374597944280349e-12, 14);
  });
});

describe('weighted percentiles', () => {
  const LATENCY = `datatable (ReqCount:long, LatencyBucket:long) [8, 10, 6, 20, 3, 30, 1, 40]`;

  it('percentilesw gives a column per percentile (documented example)', async () => {
    const { columns, rows } = await rowsOf(
      `${LATENCY} | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)`
    );
    expect(columns).toEqual([
      'percentile_LatencyBucket_50',
      'percentile_LatencyBucket_75',
      'percentile_LatencyBucket_99_9'
    ]);
    expect(rows).toEqual([[20, 20, 40]]);
  });

  it('percentilesw_array and percentilew (documented example)', async () => {
    await expectRows(
      `${LATENCY} | summarize a = percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9), b = percentilesw_array(LatencyBucket, ReqCount, dynamic([0, 100])), w = percentilew(LatencyBucket, ReqCount, 50)`,
      [[[20, 20, 40], [10, 40], 20]]
    );
  });
});

describe('row_rank_dense with a restart', () => {
  it('ranks again from 1 in each partition (documented example)', async () => {
    await expectRows(
      `datatable (Airport:string, Airline:string, Departures:long)
       [
         "SEA", "LH", 3,
         "SEA", "LY", 100,
         "SEA", "UA", 3,
         "SEA", "BA", 2,
         "SEA", "EL", 3,
         "AMS", "EL", 1,
         "AMS", "BA", 1
       ]
       | sort by Airport desc, Departures asc
       | extend Rank=row_rank_dense(Departures, prev(Airport) != Airport)
       | project Airport, Departures, Rank`,
      [
        ['SEA', 2, 1],
        ['SEA', 3, 2],
        ['SEA', 3, 2],
        ['SEA', 3, 2],
        ['SEA', 100, 3],
        ['AMS', 1, 1],
        ['AMS', 1, 1]
      ],
      { inOrder: true }
    );
  });
});

describe('datetime_part', () => {
  it('dayOfYear (documented example)', async () => {
    await expectRows(
      'print a = datetime_part("dayOfYear", datetime(2017-10-30 01:02:03.7654321)), b = datetime_part("dayofyear", datetime(2020-12-31))',
      [[303, 366]]
    );
  });
});

describe('unit conversions', () => {
  it.each([
    ["convert_angle(1.2, 'Degree', 'Arcminute')", 72],
    ["convert_energy(1.2, 'Joule', 'BritishThermalUnit')", 0.00113738054437598],
    ["convert_force(1.2, 'Newton', 'Decanewton')", 0.12],
    ["convert_length(1.2, 'Meter', 'Foot')", 3.93700787401575],
    ["convert_temperature(1.2, 'Kelvin', 'DegreeCelsius')", -271.95],
    ["convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour')", 432000],
    ["convert_mass(1.2, 'Kilogram', 'Pound')", 2.64554714621853],
    ["convert_temperature(100, 'DegreeCelsius', 'DegreeFahrenheit')", 212]
  ])('%s (documented examples)', async (call, expected) => {
    const { rows } = await rowsOf(`print v = ${call}`);
    expect(Number(rows[0][0])).toBeCloseTo(expected, 9);
  });

  it('gives null for a unit on no list', async () => {
    await expectRows("print v = convert_length(1, 'Meter', 'Furlongs')", [
      [null]
    ]);
  });

  it("refuses a unit whose factor changed between versions of Kusto's units library", async () => {
    const outcome = await runKql(
      "print v = convert_length(1, 'Parsec', 'Meter')"
    );
    expect(outcome.kind).toBe('unsupported');
  });
});

describe('range() of datetimes and timespans', () => {
  it('steps from the start to the stop', async () => {
    await expectRows(
      'print a = range(datetime(2017-10-01 00:00), datetime(2017-10-01 00:01), 30s), b = range(1h, 3h, 1h), c = array_length(range(datetime(2017-10-03), datetime(2017-10-01), -1d))',
      [
        [
          [
            '2017-10-01T00:00:00Z',
            '2017-10-01T00:00:30Z',
            '2017-10-01T00:01:00Z'
          ],
          ['01:00:00', '02:00:00', '03:00:00'],
          3
        ]
      ]
    );
  });
});

describe('array_sort_asc and array_sort_desc of several arrays', () => {
  it('sorts the first and orders the others to match, as columns (documented example)', async () => {
    const { columns, rows } = await rowsOf(
      `let array1 = dynamic([1,3,4,5,2]);
       let array2 = dynamic(["a","b","c","d","e"]);
       print array_sort_asc(array1,array2)`
    );
    expect(columns).toEqual(['array1_sorted', 'array2_sorted']);
    expect(rows).toEqual([
      [
        [1, 2, 3, 4, 5],
        ['a', 'e', 'b', 'c', 'd']
      ]
    ]);
  });

  it('indexes the sorted arrays inside an expression (documented example)', async () => {
    await expectRows(
      `datatable(command:string, command_time:datetime, user_id:string)
       [
         'chmod',   datetime(2019-07-15),   "user1",
         'ls',      datetime(2019-07-02),   "user1",
         'dir',     datetime(2019-07-22),   "user1",
         'mkdir',   datetime(2019-07-14),   "user1",
         'rm',      datetime(2019-07-27),   "user1",
         'pwd',     datetime(2019-07-25),   "user1",
         'rm',      datetime(2019-07-23),   "user2",
         'pwd',     datetime(2019-07-25),   "user2",
       ]
       | summarize timestamps = make_list(command_time), commands = make_list(command) by user_id
       | project user_id, commands_in_chronological_order = array_sort_asc(timestamps, commands)[1]`,
      [
        ['user1', ['ls', 'mkdir', 'chmod', 'dir', 'pwd', 'rm']],
        ['user2', ['rm', 'pwd']]
      ]
    );
  });

  it('names a column list and gives null for an array of another length', async () => {
    await expectRows(
      'print (a, b, c) = array_sort_desc(dynamic([1,3,2]), dynamic(["x","y","z"]), dynamic([1]))',
      [[[3, 2, 1], ['y', 'z', 'x'], null]]
    );
  });
});
