/**
 * Datetimes and timespans: their text, Kusto's 100-ns ticks, `bin`, `startof*`/`endof*`,
 * `datetime_diff`/`add`/`part`, `format_datetime`/`format_timespan`, `ago`, `now`, unix times.
 */
import type { Expr } from '../../ast';
import { type ISpan, UnsupportedError } from '../../diagnostics';
import type { IDialect } from '../dialect';
import type { Emit } from './emit';

/** A timespan of `ticks` 100-ns ticks as an interval (microsecond precision). */
export function interval(d: IDialect, ticks: string): string {
  const micros = BigInt(ticks) / 10n;
  return `${d.call('to_microseconds', [`CAST(${micros} AS BIGINT)`])}`;
}

/** Kusto's text for a datetime: ISO 8601 with 7 fractional digits and `Z`. */
export function datetimeText(d: IDialect, sql: string): string {
  return `(${d.fn('strftime')}(${sql}, '%Y-%m-%dT%H:%M:%S.') || ${d.fn('lpad')}(CAST(${fractionTicks(d, sql)} AS ${d.type('string')}), 7, '0') || 'Z')`;
}

/**
 * A datetime as a dynamic value holds it: ISO 8601 with the fraction's trailing zeros dropped
 * (`2024-01-01T00:00:00Z`, `…00.5Z`), as Kusto's JSON writes datetimes in `pack`, `make_list`….
 */
export function datetimeJsonText(d: IDialect, sql: string): string {
  const ticks = fractionTicks(d, sql);
  return `(${d.fn('strftime')}(${sql}, '%Y-%m-%dT%H:%M:%S') || CASE WHEN ${ticks} > 0 THEN '.' || ${d.call('rtrim', [`${d.fn('lpad')}(CAST(${ticks} AS ${d.type('string')}), 7, '0')`, `'0'`])} ELSE '' END || 'Z')`;
}

/** The 100-ns ticks of a datetime's second (the 7th digit is 0 for microsecond timestamps). */
function fractionTicks(d: IDialect, sql: string): string {
  return `(${d.divide(`(${d.call('nanosecond', [sql])} % 1000000000)`, '100')})`;
}

/** Kusto's ticks of a datetime: 100 ns since 0001-01-01. */
export function datetimeTicks(d: IDialect, sql: string): string {
  return `(${d.fn('epoch_us')}(${sql}) * 10 + ${d.divide(`(${d.call('nanosecond', [sql])} % 1000)`, '100')} + 621355968000000000)`;
}

/** The microseconds of a timespan (an interval). */
function spanMicros(d: IDialect, sql: string): string {
  return `${d.fn('epoch_us')}(${d.epoch} + ${sql})`;
}

/** Kusto's text for a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function timespanText(d: IDialect, sql: string): string {
  const us = spanMicros(d, sql);
  const abs = `${d.fn('abs')}(${us})`;
  const days = `(${d.divide(abs, '86400000000')})`;
  const clock = `${d.fn('strftime')}(${d.epoch} + ${d.call('to_microseconds', [`${abs} % 86400000000`])}, '%H:%M:%S')`;
  const frac = `(${abs} % 1000000)`;
  return `(CASE WHEN ${us} < 0 THEN '-' ELSE '' END || CASE WHEN ${days} > 0 THEN ${days} || '.' ELSE '' END || ${clock} || CASE WHEN ${frac} > 0 THEN '.' || ${d.fn('lpad')}(CAST(${frac} * 10 AS ${d.type('string')}), 7, '0') ELSE '' END)`;
}

/**
 * Text to datetime, in the forms Kusto reads: ISO 8601 (with `T`/`Z` or not, or an offset from
 * UTC: `+02:00`, `-0530`, which is subtracted), US `MM/dd/yyyy HH:mm:ss` and RFC 822 (`Sat, 8 Nov
 * 2014 15:05:02 GMT`). Anything else is null.
 */
export function parseDatetime(d: IDialect, text: string): string {
  const strptime = (format: string) =>
    `${d.call('try_strptime', [text, `'${format}'`])}`;
  // DuckDB's cast to TIMESTAMP drops an offset without applying it.
  const zone = "'(:[0-9]{2}(?:\\.[0-9]+)?)\\s*([+-])([0-9]{2}):?([0-9]{2})$'";
  const local = `${d.call('regexp_replace', [text, zone, `'\\1'`])}`;
  const part = (i: number) =>
    `CAST(${d.fn('regexp_extract')}(${text}, ${zone}, ${i}) AS BIGINT)`;
  const offset = `CASE WHEN ${d.call('regexp_matches', [text, zone])} THEN ${d.call('to_microseconds', [`CASE WHEN ${d.fn('regexp_extract')}(${text}, ${zone}, 2) = '-' THEN -1 ELSE 1 END * (${part(3)} * 60 + ${part(4)}) * 60000000`])} ELSE ${d.call('to_microseconds', [`0`])} END`;
  return `(${d.fn('coalesce')}(TRY_CAST(${d.fn('replace')}(${d.call('regexp_replace', [local, `'([0-9])T([0-9])'`, `'\\1 \\2'`])}, 'Z', '') AS TIMESTAMP), ${strptime('%m/%d/%Y %H:%M:%S')}, ${strptime('%m/%d/%Y')}, ${strptime('%a, %d %b %Y %H:%M:%S GMT')}, ${strptime('%d %b %Y %H:%M:%S GMT')}) - ${offset})`;
}

const TIME_UNITS: Record<string, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  day: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
  microsecond: 'microsecond',
  nanosecond: 'nanosecond',
  week_of_year: 'week',
  // datetime_part only: the day's number in its year.
  dayofyear: 'doy'
};

function timeUnit(e: Expr): string {
  if (e.kind !== 'literal' || typeof e.value !== 'string') {
    throw new UnsupportedError('a time unit that is not a literal', e.span);
  }
  const unit = TIME_UNITS[e.value.toLowerCase().replace(/s$/, '')];
  if (!unit) {
    throw new UnsupportedError(`the time unit '${e.value}'`, e.span);
  }
  return unit;
}

/** `startofday` and friends: truncation plus an optional offset in units. */
function startOf(unit: string, end = false): Emit {
  return (call, ctx) => {
    const [d, offset] = call.args;
    const base =
      unit === 'week'
        ? `(${ctx.fn('date_trunc', "'week'", `${ctx.sql(d)} + INTERVAL 1 DAY`)} - INTERVAL 1 DAY)`
        : ctx.fn('date_trunc', `'${unit}'`, ctx.sql(d));
    const shifted = offset
      ? `(${base} + ${ctx.as(offset, 'long')} * INTERVAL 1 ${unit})`
      : base;
    const start = `CAST(${shifted} AS TIMESTAMP)`;
    // The end is the period's last 100-ns tick (…23:59:59.9999999), a nanosecond timestamp.
    return end
      ? ctx.fn(
          'make_timestamp_ns',
          `${ctx.fn('epoch_ns', `CAST(${start} + INTERVAL 1 ${unit} AS TIMESTAMP)`)} - 100`
        )
      : start;
  };
}

/** `bin`/`floor`: rounds down to a multiple of the bin size (datetimes from 0001-01-01). */
const bin: Emit = (call, ctx) => {
  const [x, size] = call.args;
  if (x.type === 'datetime') {
    return ctx.fn(
      'time_bucket',
      ctx.as(size, 'timespan'),
      ctx.sql(x),
      "TIMESTAMP '0001-01-01 00:00:00'"
    );
  }
  if (x.type === 'timespan') {
    const us = (e: string) => spanMicros(ctx.ctx.dialect, e);
    return ctx.fn(
      'to_microseconds',
      `CAST(${ctx.fn('floor', `${us(ctx.sql(x))} / ${us(ctx.sql(size))}`)} * ${us(ctx.sql(size))} AS BIGINT)`
    );
  }
  const type = ctx.ctx.dialect.type(
    call.type === 'unknown' ? 'real' : call.type
  );
  return `CAST(${ctx.fn('floor', `${ctx.as(x, 'real')} / ${ctx.as(size, 'real')}`)} * ${ctx.as(size, 'real')} AS ${type})`;
};

/**
 * SQL for a .NET-style format (`yyyy-MM-dd HH:mm:ss.fffffff`) of a datetime or timespan: each run
 * of one specifier letter becomes its field, other characters are copied. `fields` gives the SQL
 * of each field by its letter (or by the whole run, as `yyyy`); `f`/`F` are the 100-ns ticks of
 * the second.
 */
function customFormat(
  d: IDialect,
  format: string,
  fields: Record<string, string>,
  widths: Record<string, number[]>,
  span: ISpan,
  what: string
): string {
  const parts: string[] = [];
  let literal = '';
  const text = (sql: string) => `CAST(${sql} AS ${d.type('string')})`;
  // At least `width` digits: lpad alone would cut longer numbers.
  const padded = (sql: string, width: number) =>
    width > 1
      ? `CASE WHEN ${d.fn('length')}(${text(sql)}) >= ${width} THEN ${text(sql)} ELSE ${d.fn('lpad')}(${text(sql)}, ${width}, '0') END`
      : text(sql);
  for (let i = 0; i < format.length;) {
    const letter = format[i];
    let run = 1;
    while (format[i + run] === letter) {
      run++;
    }
    if (!(letter in widths)) {
      literal += letter;
      i++;
      continue;
    }
    if (!widths[letter].includes(run)) {
      throw new UnsupportedError(
        `${what} with the format specifier '${letter.repeat(run)}'`,
        span
      );
    }
    i += run;
    const field = fields[letter.repeat(run)] ?? fields[letter];
    if (letter === 'f' || letter === 'F') {
      const digits = `${d.fn('lpad')}(${text(d.divide(field, `${10 ** (7 - run)}`))}, ${run}, '0')`;
      if (letter === 'f') {
        parts.push(`'${literal.replace(/'/g, "''")}'`, digits);
        literal = '';
        continue;
      }
      // F: the digits without trailing zeros, nothing when they are all zero, and then .NET
      // drops the '.' before them too.
      const dot = literal.endsWith('.');
      const before = dot ? literal.slice(0, -1) : literal;
      parts.push(
        `'${before.replace(/'/g, "''")}'`,
        `CASE WHEN ${d.divide(field, `${10 ** (7 - run)}`)} = 0 THEN '' ELSE ${dot ? "'.' || " : ''}${d.call('rtrim', [digits, `'0'`])} END`
      );
      literal = '';
      continue;
    }
    parts.push(`'${literal.replace(/'/g, "''")}'`, padded(field, run));
    literal = '';
  }
  parts.push(`'${literal.replace(/'/g, "''")}'`);
  return `(${parts.filter(p => p !== "''").join(' || ') || "''"})`;
}

const SECOND_FRACTIONS = [1, 2, 3, 4, 5, 6, 7];

// Datetimes are kept to the microsecond: nanoseconds are microseconds times 1000.
const datetimeDiff: Emit = (call, ctx) => {
  const [unit, a, b] = call.args;
  const name = timeUnit(unit);
  if (name === 'week') {
    // Kusto counts the Sundays crossed; DuckDB's weeks start on Monday.
    const sunday = (d: Expr) =>
      `(${ctx.fn('date_trunc', "'week'", `${ctx.sql(d)} + INTERVAL 1 DAY`)} - INTERVAL 1 DAY)`;
    return `(${ctx.ctx.dialect.divide(ctx.fn('date_diff', "'day'", sunday(b), sunday(a)), '7')})`;
  }
  if (name === 'nanosecond') {
    const ticks = (e: Expr) => datetimeTicks(ctx.ctx.dialect, ctx.sql(e));
    return `((${ticks(a)} - ${ticks(b)}) * 100)`;
  }
  return ctx.fn('date_diff', `'${name}'`, ctx.sql(b), ctx.sql(a));
};

const datetimeAdd: Emit = (call, ctx) => {
  const [unit, amount, d] = call.args;
  const name = timeUnit(unit);
  const step =
    name === 'nanosecond'
      ? ctx.fn(
          'to_microseconds',
          ctx.ctx.dialect.divide(ctx.as(amount, 'long'), '1000')
        )
      : `${ctx.as(amount, 'long')} * INTERVAL 1 ${name}`;
  return `CAST(${ctx.sql(d)} + ${step} AS TIMESTAMP)`;
};

/** `datetime_part`: the sub-second parts are the fraction of the second, as Kusto counts them. */
const datetimePart: Emit = (call, ctx) => {
  const [unit, d] = call.args;
  const name = timeUnit(unit);
  const fraction = `(${ctx.fn('date_part', "'microsecond'", ctx.sql(d))} % 1000000)`;
  switch (name) {
    case 'millisecond':
      return `CAST(${ctx.ctx.dialect.divide(fraction, '1000')} AS INTEGER)`;
    case 'microsecond':
      return `CAST(${fraction} AS INTEGER)`;
    case 'nanosecond':
      return `CAST(${fraction} * 1000 AS INTEGER)`;
    default:
      return `CAST(${ctx.fn('date_part', `'${name}'`, ctx.sql(d))} AS INTEGER)`;
  }
};

/** Microseconds per unit of a timespan literal's forms (`1d`, `2hours`, `30min`, `10ms`…). */
const SPAN_UNITS: [string, number][] = [
  ['d|days?', 86400e6],
  ['h|hrs?|hours?', 3600e6],
  ['m|mins?|minutes?', 60e6],
  ['s|secs?|seconds?', 1e6],
  ['ms|millis?|milliseconds?', 1e3],
  ['microseconds?', 1],
  ['ticks?', 0.1]
];

/**
 * `totimespan` of text in Kusto's form `[-][d.]hh:mm[:ss[.fffffff]]`, or a number with a
 * timespan literal's unit (`"1d"`, `"1.5h"`).
 */
export function parseTimespan(d: IDialect, text: string): string {
  const [extract, matches, micro] = [
    d.fn('regexp_extract'),
    d.fn('regexp_matches'),
    d.fn('to_microseconds')
  ];
  const re =
    "'^(-)?(?:([0-9]+)\\.)?([0-9]+):([0-9]+)(?::([0-9]+(?:\\.[0-9]+)?))?$'";
  const part = (i: number) =>
    `${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${extract}(${text}, ${re}, ${i}), '') AS DOUBLE), 0)`;
  const micros = `((${part(2)} * 86400 + ${part(3)} * 3600 + ${part(4)} * 60 + ${part(5)}) * 1000000)`;
  const units = SPAN_UNITS.map(([names]) => names).join('|');
  const unitRe = `'^(-?[0-9]+(?:\\.[0-9]+)?)(${units})$'`;
  const amount = `TRY_CAST(${extract}(${text}, ${unitRe}, 1) AS DOUBLE)`;
  const unit = `${extract}(${text}, ${unitRe}, 2)`;
  const factor = `CASE ${SPAN_UNITS.map(([names, us]) => `WHEN ${matches}(${unit}, '^(${names})$') THEN ${us}`).join(' ')} END`;
  return `CASE WHEN ${matches}(${text}, ${re}) THEN ${micro}(CAST(CASE WHEN ${extract}(${text}, ${re}, 1) = '-' THEN -${micros} ELSE ${micros} END AS BIGINT)) WHEN ${matches}(${text}, ${unitRe}) THEN ${micro}(CAST(${d.call('trunc', [`${amount} * ${factor}`])} AS BIGINT)) END`;
}

/** `format_datetime`, with Kusto's specifiers (`y` is the year's last two digits, unpadded). */
const formatDatetime: Emit = (call, ctx) => {
  const [d, format] = call.args;
  if (format.kind !== 'literal' || typeof format.value !== 'string') {
    throw new UnsupportedError(
      'format_datetime with a format that is not a literal',
      call.span
    );
  }
  const t = ctx.sql(d);
  const hour = ctx.fn('hour', t);
  const sql = customFormat(
    ctx.ctx.dialect,
    format.value,
    {
      y: `(${ctx.fn('year', t)} % 100)`,
      yyyy: ctx.fn('year', t),
      M: ctx.fn('month', t),
      d: ctx.fn('day', t),
      H: hour,
      h: `((${hour} + 11) % 12 + 1)`,
      m: ctx.fn('minute', t),
      s: ctx.fn('second', t),
      f: fractionTicks(ctx.ctx.dialect, t),
      F: fractionTicks(ctx.ctx.dialect, t),
      t: `CASE WHEN ${hour} < 12 THEN 'AM' ELSE 'PM' END`
    },
    {
      y: [1, 2, 4],
      M: [1, 2],
      d: [1, 2],
      H: [1, 2],
      h: [1, 2],
      m: [1, 2],
      s: [1, 2],
      f: SECOND_FRACTIONS,
      F: SECOND_FRACTIONS,
      t: [2]
    },
    call.span,
    'format_datetime'
  );
  return `CASE WHEN ${t} IS NULL THEN '' ELSE ${sql} END`;
};

/** `format_timespan`: days, hours, minutes, seconds and ticks of the span's absolute value. */
const formatTimespan: Emit = (call, ctx) => {
  const [span, format] = call.args;
  if (format.kind !== 'literal' || typeof format.value !== 'string') {
    throw new UnsupportedError(
      'format_timespan with a format that is not a literal',
      call.span
    );
  }
  const ticks = ctx.fn('abs', ctx.as(span, 'long'));
  const sql = customFormat(
    ctx.ctx.dialect,
    format.value,
    {
      d: `(${ctx.ctx.dialect.divide(ticks, '864000000000')})`,
      H: `(${ctx.ctx.dialect.divide(ticks, '36000000000')} % 24)`,
      h: `(${ctx.ctx.dialect.divide(ticks, '36000000000')} % 24)`,
      m: `(${ctx.ctx.dialect.divide(ticks, '600000000')} % 60)`,
      s: `(${ctx.ctx.dialect.divide(ticks, '10000000')} % 60)`,
      f: `(${ticks} % 10000000)`,
      F: `(${ticks} % 10000000)`
    },
    {
      d: [1, 2, 3, 4, 5, 6, 7, 8],
      H: [1, 2],
      h: [1, 2],
      m: [1, 2],
      s: [1, 2],
      f: SECOND_FRACTIONS,
      F: SECOND_FRACTIONS
    },
    call.span,
    'format_timespan'
  );
  return `CASE WHEN ${ticks} IS NULL THEN '' ELSE ${sql} END`;
};

const ago: Emit = (call, ctx) =>
  `(${ctx.ctx.now} - ${ctx.as(call.args[0], 'timespan')})`;

const unixtime =
  (factor: number): Emit =>
  (call, ctx) =>
    ctx.fn(
      'make_timestamp',
      `CAST(${ctx.as(call.args[0], 'real')} * ${factor} AS BIGINT)`
    );

const dayofweek: Emit = (call, ctx) =>
  ctx.fn(
    'to_days',
    `CAST(${ctx.fn('dayofweek', ctx.sql(call.args[0]))} AS INTEGER)`
  );

/** `bin_at`: bins aligned to a fixed point instead of zero. */
const binAt: Emit = (call, ctx) => {
  const [x, size, fixed] = call.args;
  if (x.type === 'datetime') {
    return ctx.fn(
      'time_bucket',
      ctx.as(size, 'timespan'),
      ctx.sql(x),
      ctx.as(fixed, 'datetime')
    );
  }
  if (x.type === 'timespan') {
    const us = (e: string) => spanMicros(ctx.ctx.dialect, e);
    const [v, s, f] = [
      us(ctx.sql(x)),
      us(ctx.as(size, 'timespan')),
      us(ctx.as(fixed, 'timespan'))
    ];
    return ctx.fn(
      'to_microseconds',
      `CAST(${ctx.fn('floor', `(${v} - ${f}) / ${s}`)} * ${s} + ${f} AS BIGINT)`
    );
  }
  const type = ctx.ctx.dialect.type(
    call.type === 'unknown' ? 'real' : call.type
  );
  const [v, s, f] = [
    ctx.as(x, 'real'),
    ctx.as(size, 'real'),
    ctx.as(fixed, 'real')
  ];
  return `CAST(${ctx.fn('floor', `(${v} - ${f}) / ${s}`)} * ${s} + ${f} AS ${type})`;
};

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const DATETIME_FUNCTIONS: Record<string, Emit> = {
  bin,
  floor: bin,
  now: (_call, ctx) => ctx.ctx.now,
  ago,
  startofday: startOf('day'),
  startofweek: startOf('week'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  endofday: startOf('day', true),
  endofweek: startOf('week', true),
  endofmonth: startOf('month', true),
  endofyear: startOf('year', true),
  datetime_diff: datetimeDiff,
  datetime_add: datetimeAdd,
  datetime_part: datetimePart,
  format_datetime: formatDatetime,
  format_timespan: formatTimespan,
  hourofday: (call, ctx) =>
    `CAST(${ctx.fn('hour', ctx.sql(call.args[0]))} AS INTEGER)`,
  dayofmonth: (call, ctx) =>
    `CAST(${ctx.fn('day', ctx.sql(call.args[0]))} AS INTEGER)`,
  dayofyear: (call, ctx) =>
    `CAST(${ctx.fn('dayofyear', ctx.sql(call.args[0]))} AS INTEGER)`,
  monthofyear: (call, ctx) =>
    `CAST(${ctx.fn('month', ctx.sql(call.args[0]))} AS INTEGER)`,
  getmonth: (call, ctx) =>
    `CAST(${ctx.fn('month', ctx.sql(call.args[0]))} AS INTEGER)`,
  getyear: (call, ctx) =>
    `CAST(${ctx.fn('year', ctx.sql(call.args[0]))} AS INTEGER)`,
  week_of_year: (call, ctx) =>
    `CAST(${ctx.fn('weekofyear', ctx.sql(call.args[0]))} AS INTEGER)`,
  dayofweek,
  unixtime_seconds_todatetime: unixtime(1e6),
  unixtime_milliseconds_todatetime: unixtime(1e3),
  unixtime_microseconds_todatetime: unixtime(1),
  // Local workspace files carry no ingestion time: Kusto's value for a table without an
  // IngestionTime policy is null too.
  ingestion_time: () => 'CAST(NULL AS TIMESTAMP)',
  bin_at: binAt
};
