/**
 * Datetimes and timespans on DuckDB: arithmetic, bins, truncation, differences, formatting,
 * `now()`/`ago()` at the compile's fixed instant, and Kusto's `[-][d.]hh:mm:ss[.fffffff]` text.
 */
import { expectRows, rowsOf, valueOf } from './expect-rows';

describe('datetime and timespan values', () => {
  it.each([
    ['datetime(2024-01-15 10:30:00) + 1h', '2024-01-15T11:30:00Z'],
    ['datetime(2024-01-15) - datetime(2024-01-14 12:00)', '12:00:00'],
    ['datetime(2024-01-01) + 36h', '2024-01-02T12:00:00Z'],
    ['datetime(2024-03-01) - 1d', '2024-02-29T00:00:00Z'],
    ['2d + 3h', '2.03:00:00'],
    ['1d * 2', '2.00:00:00'],
    ['1d / 4', '06:00:00'],
    ['1h * 1.5', '01:30:00'],
    ['10h / 1h', 10],
    ['90m', '01:30:00'],
    ['-1h', '-01:00:00'],
    ['1.5s', '00:00:01.5000000'],
    ['0s', '00:00:00'],
    ['1ms', '00:00:00.0010000'],
    ['tolong(1s)', 10000000],
    ['bin(datetime(2024-01-15 10:37:00), 15m)', '2024-01-15T10:30:00Z'],
    ['bin(datetime(2024-01-15 10:37:00), 1d)', '2024-01-15T00:00:00Z'],
    ['bin(7, 5)', 5],
    ['bin(-3, 5)', -5],
    ['bin(7.5, 2.0)', 6],
    ['bin(95m, 1h)', '01:00:00'],
    ['floor(datetime(2024-01-15 10:37:00), 1h)', '2024-01-15T10:00:00Z'],
    ['startofday(datetime(2024-01-15 10:37:00))', '2024-01-15T00:00:00Z'],
    ['startofday(datetime(2024-01-15), -1)', '2024-01-14T00:00:00Z'],
    ['endofday(datetime(2024-01-15 10:37:00))', '2024-01-15T23:59:59.9999999Z'],
    ['startofweek(datetime(2024-01-17))', '2024-01-14T00:00:00Z'],
    ['endofweek(datetime(2024-01-17))', '2024-01-20T23:59:59.9999999Z'],
    ['startofmonth(datetime(2024-01-17 05:00))', '2024-01-01T00:00:00Z'],
    ['endofmonth(datetime(2024-02-10))', '2024-02-29T23:59:59.9999999Z'],
    ['startofyear(datetime(2024-05-05))', '2024-01-01T00:00:00Z'],
    ['endofyear(datetime(2024-05-05))', '2024-12-31T23:59:59.9999999Z'],
    ["datetime_diff('day', datetime(2024-01-15), datetime(2024-01-10))", 5],
    [
      "datetime_diff('hour', datetime(2024-01-15 10:00), datetime(2024-01-15 12:59))",
      -2
    ],
    ["datetime_diff('month', datetime(2024-03-01), datetime(2023-12-31))", 3],
    [
      "datetime_diff('year', datetime(2024-01-01), datetime(2023-12-31 23:59))",
      1
    ],
    [
      "datetime_diff('minute', datetime(2024-01-01 00:10:59), datetime(2024-01-01 00:00:00))",
      10
    ],
    ["datetime_add('month', 1, datetime(2024-01-31))", '2024-02-29T00:00:00Z'],
    ["datetime_add('hour', -2, datetime(2024-01-01))", '2023-12-31T22:00:00Z'],
    ["datetime_part('minute', datetime(2024-01-01 10:42:00))", 42],
    [
      "format_datetime(datetime(2024-01-05 03:04:05.123), 'yyyy-MM-dd HH:mm:ss.fff')",
      '2024-01-05 03:04:05.123'
    ],
    [
      "format_datetime(datetime(2024-01-05 13:04:05), 'M/d/yy h:mm tt')",
      '1/5/24 1:04 PM'
    ],
    ["format_datetime(datetime(null), 'yyyy')", ''],
    ['dayofweek(datetime(2024-01-17))', '3.00:00:00'],
    ['dayofweek(datetime(2024-01-14))', '00:00:00'],
    ['hourofday(datetime(2024-01-17 13:00))', 13],
    ['dayofmonth(datetime(2024-01-17))', 17],
    ['dayofyear(datetime(2024-02-01))', 32],
    ['monthofyear(datetime(2024-02-01))', 2],
    ['getyear(datetime(2024-02-01))', 2024],
    ['now()', '2024-01-15T12:00:00Z'],
    ['ago(1d)', '2024-01-14T12:00:00Z'],
    ['ago(-1h)', '2024-01-15T13:00:00Z'],
    ['todatetime("2024-01-02T03:04:05Z")', '2024-01-02T03:04:05Z'],
    ['todatetime("2024-01-02 03:04:05")', '2024-01-02T03:04:05Z'],
    ['todatetime("bad")', null],
    ['todatetime("")', null],
    ['unixtime_seconds_todatetime(1704067200)', '2024-01-01T00:00:00Z'],
    [
      'tostring(unixtime_milliseconds_todatetime(1704067200500))',
      '2024-01-01T00:00:00.5000000Z'
    ],
    ['datetime(2024-01-15 10:00) > datetime(2024-01-15 09:00)', true],
    ['datetime(2024-01-15 10:00) between (datetime(2024-01-15) .. 1d)', true],
    [
      'datetime(2024-01-16 00:00:01) between (datetime(2024-01-15) .. 1d)',
      false
    ],
    ['datetime(null) + 1h', null],
    ['isnull(datetime(null))', true]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it.each([
    // Kusto's documented datetime_diff example: weeks are counted from Sunday to Sunday.
    [
      "datetime_diff('week', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))",
      5
    ],
    [
      "datetime_diff('microsecond', datetime(2017-10-30 23:00:00.1009001), datetime(2017-10-30 23:00:00.1008009))",
      100
    ],
    [
      "datetime_diff('nanosecond', datetime(2017-10-30 23:00:00.0000000), datetime(2017-10-30 23:00:00.0000007))",
      -700
    ],
    ['datetime(2024-01-02 03:04:05.1234567)', '2024-01-02T03:04:05.1234567Z'],
    [
      'tostring(datetime(2024-01-02 03:04:05.1234567))',
      '2024-01-02T03:04:05.1234567Z'
    ],
    ['tolong(datetime(2024-01-01))', 638396640000000000n],
    ['tolong(datetime(2024-01-01 00:00:00.0000001))', 638396640000000001n],
    ['tolong(datetime(1970-01-01))', 621355968000000000n],
    [
      "format_datetime(datetime(2009-06-15 13:45:30.6175425), 'fffffff')",
      '6175425'
    ],
    [
      "format_datetime(datetime(2009-06-15 13:45:30.6175425), 'f|ff|ffff')",
      '6|61|6175'
    ],
    [
      "format_datetime(datetime(2009-06-15 13:45:30.0001150), 'FFFFFFF')",
      '000115'
    ],
    ["format_datetime(datetime(2009-06-15 13:45:30.0500000), 'ss.F')", '30'],
    [
      "format_datetime(datetime(2009-06-15 13:45:30.6170000), 'ss.FF')",
      '30.61'
    ],
    ["format_datetime(datetime(2009-06-15), 'y|yy|yyyy')", '9|09|2009'],
    ["format_datetime(datetime(2019-06-15), 'y')", '19'],
    [
      "format_datetime(endofday(datetime(2024-01-15)), 'HH:mm:ss.fffffff')",
      '23:59:59.9999999'
    ],
    // Clock-form timespan literals (the library reads them as 0).
    ['time(01:30:00)', '01:30:00'],
    ['timespan(1.02:03:04.5)', '1.02:03:04.5000000'],
    ['time(-1.00:00:00)', '-1.00:00:00'],
    ['time(2d)', '2.00:00:00'],
    // Kusto's documented format_timespan example.
    [
      "format_timespan(time(29.09:00:05.12345), 'dd.hh:mm:ss:FF')",
      '29.09:00:05:12'
    ],
    [
      "format_timespan(time(29.09:00:05.12345), 'ddd.h:mm:ss [fffffff]')",
      '029.9:00:05 [1234500]'
    ],
    ["format_timespan(timespan(null), 'hh')", '']
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it.each([
    ['1tick'],
    ['datetime(2024-01-01) + 1d + 1tick'],
    ['startofweek(datetime(2024-01-17)) - 1tick'],
    ['bin(datetime(2024-01-17), 1tick)'],
    ["format_datetime(datetime(2024-01-17), 'ddd')"],
    ['datetime(1000-01-01 00:00:00.0000001)']
  ])('refuses %s: 100-ns timespans are not held locally', async expr => {
    expect(await valueOf(`print v = ${expr}`).catch(e => String(e))).toMatch(
      /not supported locally/
    );
  });

  it('now() is one instant for the whole query, the one given to compile', async () => {
    const now = new Date('2023-06-01T08:30:00Z');
    const { rows } = await rowsOf(
      'range i from 1 to 3 step 1 | extend t = now(), a = ago(30m) | distinct t, a',
      now
    );
    expect(rows).toEqual([['2023-06-01T08:30:00Z', '2023-06-01T08:00:00Z']]);
  });

  it('where over a time window with ago()', async () => {
    await expectRows(
      'datatable(t:datetime, n:long)[datetime(2024-01-15 11:00), 1, datetime(2024-01-14 11:00), 2, datetime(2024-01-15 11:59), 3] | where t > ago(1h) | project n',
      [[3]]
    );
  });

  it('summarize by bin of a datetime', async () => {
    await expectRows(
      'datatable(t:datetime)[datetime(2024-01-15 10:01), datetime(2024-01-15 10:59), datetime(2024-01-15 11:00)] | summarize c = count() by b = bin(t, 1h) | sort by b asc',
      [
        ['2024-01-15T10:00:00Z', 2],
        ['2024-01-15T11:00:00Z', 1]
      ],
      { columns: ['b', 'c'], inOrder: true }
    );
  });

  it('range over datetimes', async () => {
    await expectRows(
      'range t from datetime(2024-01-01) to datetime(2024-01-01 02:00) step 1h',
      [
        ['2024-01-01T00:00:00Z'],
        ['2024-01-01T01:00:00Z'],
        ['2024-01-01T02:00:00Z']
      ],
      { inOrder: true }
    );
  });

  it('tostring of datetimes and timespans', async () => {
    await expectRows(
      'print a = tostring(datetime(2024-01-02 03:04:05)), b = tostring(1h), c = tostring(-1d), d = tostring(datetime(null))',
      [['2024-01-02T03:04:05.0000000Z', '01:00:00', '-1.00:00:00', '']]
    );
  });
});
