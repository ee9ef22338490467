/**
 * Scalar expressions to SQL, with Kusto's semantics: strings are never null (a missing string is
 * `""`), string operators follow Kusto's case rules and `has` matches whole terms, dynamic values
 * are JSON, timespans are intervals. One table, `FUNCTIONS`, holds an entry per KQL operator and
 * function; anything not in it is reported as not supported locally.
 */
import type { Expr, ICall, Tabular } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import { isNumeric, type ScalarType } from '../types';
import type { IDialect } from './dialect';
import { groupCount, type IRegexOptions, translateRegex } from './regex';
import { LIBRARY_AGGREGATES, libraryFunctions } from './library';
import { geoFunctions } from './geo';
import { rangeOfTimes } from './series';
import { extractAllGroups } from './text';

/** What scalar emission needs from the statement being built. */
export interface IScalarContext {
  dialect: IDialect;
  /** SQL for "now": one instant for the whole query, as Kusto does. */
  now: string;
  /** Emits a tabular expression and returns the name of the relation that holds it. */
  relation(query: Tabular): string;
  /** Notes that the SQL reads the IP geolocation table `__geoip` the runner provides. */
  useGeoIp(): void;
}

/** Emits the SQL of one call. */
export type Emit = (call: ICall, ctx: ScalarEmitter) => string;

/** The serialized rows a window function of Kusto numbers, sums or looks across. */
export interface ISerializedRows {
  /** The ORDER BY of the rows, null when they follow no order the query set. */
  order: string | null;
  /**
   * Flags (SQL over the input row) whose running count splits the rows into groups: group `i`
   * is read as the column `__group{i + 1}`, which the emitter computes before the row's columns.
   */
  restarts: string[];
}

/** Emits scalar expressions of one query. */
export class ScalarEmitter {
  constructor(readonly ctx: IScalarContext) {}

  /** True while emitting a filter, where null and false mean the same. */
  inPredicate = false;

  /**
   * The rows an `extend`, `project` or `serialize` computes over, for Kusto's functions of
   * serialized rows (`row_number`, `prev`, `row_cumsum`…): their ORDER BY (null when the query
   * set no order) and the restart flags those functions ask to be computed first. Undefined where
   * no such function may appear.
   */
  rows: ISerializedRows | undefined = undefined;

  /** SQL for a `where` condition. */
  predicate(e: Expr): string {
    const outer = this.inPredicate;
    this.inPredicate = true;
    try {
      return e.kind === 'call' &&
        (e.name === 'and' || e.name === 'or' || COMPARISONS.has(e.name))
        ? this.sql(e)
        : this.as(e, 'bool');
    } finally {
      this.inPredicate = outer;
    }
  }

  /** SQL for an expression, of the SQL type that holds its KQL type. */
  sql(e: Expr): string {
    switch (e.kind) {
      case 'literal':
        if (
          e.type === 'timespan' &&
          e.value !== null &&
          BigInt(e.value) % 10n
        ) {
          // Intervals hold microseconds: a timespan of 100-ns ticks would be rounded.
          throw new UnsupportedError(
            'a timespan finer than a microsecond (100-ns ticks)',
            e.span
          );
        }
        if (e.type === 'datetime' && /\.\d{6}[1-9]$/.test(String(e.value))) {
          // Nanosecond timestamps hold the 7th digit, within the years 64-bit nanoseconds reach.
          const year = Number(String(e.value).slice(0, 4));
          if (year < 1678 || year > 2261) {
            throw new UnsupportedError(
              'a datetime with 100-ns ticks outside the years 1678-2261',
              e.span
            );
          }
        }
        return this.literal(e.type, e.value);
      case 'column':
        return this.ctx.dialect.identifier(e.name);
      case 'member':
        return this.member(e.target, e.key);
      case 'star':
        throw new UnsupportedError('* here', e.span);
      case 'subquery': {
        const relation = this.ctx.relation(e.query);
        const first = e.query.schema[0];
        if (!first) {
          throw new UnsupportedError('a subquery with no columns', e.span);
        }
        return `(SELECT ${this.ctx.dialect.identifier(first.name)} FROM ${relation} LIMIT 1)`;
      }
      case 'call': {
        const emit = FUNCTIONS[e.name];
        if (!emit) {
          throw new UnsupportedError(
            `${e.name}${/^[a-z_]/.test(e.name) ? '()' : ''}`,
            e.span
          );
        }
        return emit(e, this);
      }
    }
  }

  /** SQL for a literal of a KQL type. */
  literal(type: ScalarType, value: string | number | boolean | null): string {
    const d = this.ctx.dialect;
    if (value === null) {
      return `CAST(NULL AS ${d.type(type)})`;
    }
    switch (type) {
      case 'string':
      case 'guid':
        return d.string(String(value));
      case 'int':
        return `CAST(${value} AS INTEGER)`;
      case 'long':
        return `CAST(${value} AS BIGINT)`;
      case 'real':
        return Number.isFinite(value as number)
          ? `CAST(${value} AS DOUBLE)`
          : `CAST('${value}' AS DOUBLE)`;
      case 'decimal':
        return `CAST(${d.string(String(value))} AS ${d.type('decimal')})`;
      case 'bool':
        return value ? 'TRUE' : 'FALSE';
      case 'datetime': {
        const text = String(value).replace('T', ' ');
        // A 7th fractional digit (100-ns ticks) needs DuckDB's nanosecond timestamps.
        const type = /\.\d{6}[1-9]$/.test(text) ? 'TIMESTAMP_NS' : 'TIMESTAMP';
        return `CAST(${d.string(text)} AS ${type})`;
      }
      case 'timespan':
        return interval(String(value));
      case 'dynamic':
      case 'unknown':
        return `CAST(${d.string(String(value))} AS JSON)`;
    }
  }

  /** SQL for an expression as a Kusto string: never null, dynamic strings unquoted. */
  str(e: Expr): string {
    const sql = this.sql(e);
    switch (e.type) {
      case 'string':
      case 'guid':
        return e.kind === 'literal' ? sql : `coalesce(${sql}, '')`;
      case 'dynamic':
      case 'unknown':
        return `coalesce(json_extract_string(${sql}, '$'), '')`;
      case 'datetime':
        return `coalesce(${datetimeText(sql)}, '')`;
      case 'timespan':
        return `coalesce(${timespanText(sql)}, '')`;
      case 'bool':
        // Kusto writes a bool as .NET does: tostring(false) is "False".
        return `coalesce(CASE WHEN ${sql} THEN 'True' ELSE 'False' END, '')`;
      case 'real':
        // Kusto prints whole reals without a fraction: tostring(1.0) is "1".
        return `coalesce(CASE WHEN ${sql} = trunc(${sql}) AND abs(${sql}) < 1e15 THEN CAST(CAST(${sql} AS BIGINT) AS VARCHAR) ELSE CAST(${sql} AS VARCHAR) END, '')`;
      default:
        return `coalesce(CAST(${sql} AS VARCHAR), '')`;
    }
  }

  /** SQL for an expression converted to a KQL type (dynamic values are unpacked first). */
  as(e: Expr, type: ScalarType): string {
    if (e.type === type || type === 'unknown') {
      return this.sql(e);
    }
    if (type === 'string' || type === 'guid') {
      return this.str(e);
    }
    const target = this.ctx.dialect.type(type);
    if (e.type === 'dynamic' || e.type === 'unknown') {
      if (type === 'dynamic') {
        return this.sql(e);
      }
      return `TRY_CAST(json_extract_string(${this.sql(e)}, '$') AS ${target})`;
    }
    if (type === 'dynamic') {
      return `to_json(${this.sql(e)})`;
    }
    if (isNumeric(type) && (e.type === 'timespan' || e.type === 'datetime')) {
      // Kusto converts datetimes and timespans to numbers as 100-ns ticks, a datetime's since
      // 0001-01-01.
      const ticks =
        e.type === 'timespan'
          ? `epoch_us(TIMESTAMP 'epoch' + ${this.sql(e)}) * 10`
          : datetimeTicks(this.sql(e));
      return `TRY_CAST(${ticks} AS ${target})`;
    }
    return `TRY_CAST(${this.sql(e)} AS ${target})`;
  }

  /** The common type two operands are compared in. */
  comparable(a: Expr, b: Expr): ScalarType {
    const known = (t: ScalarType) => t !== 'dynamic' && t !== 'unknown';
    if (known(a.type) && known(b.type)) {
      if (isNumeric(a.type) && isNumeric(b.type)) {
        return a.type === 'real' || b.type === 'real' ? 'real' : a.type;
      }
      return a.type;
    }
    if (known(a.type)) {
      return a.type;
    }
    if (known(b.type)) {
      return b.type;
    }
    return 'string';
  }

  private member(target: Expr, key: Expr): string {
    const json = this.as(target, 'dynamic');
    if (key.kind === 'literal' && key.value !== null) {
      const path =
        typeof key.value === 'number' ||
        key.type === 'long' ||
        key.type === 'int'
          ? arrayPath(Number(key.value))
          : `$."${String(key.value).replace(/["\\]/g, c => `\\${c}`)}"`;
      return `json_extract(${json}, ${this.ctx.dialect.string(path)})`;
    }
    const index = this.sql(key);
    const path = isNumeric(key.type)
      ? `CASE WHEN ${index} < 0 THEN '$[#' || ${index} || ']' ELSE '$[' || ${index} || ']' END`
      : `'$."' || replace(${this.str(key)}, '"', '\\"') || '"'`;
    return `json_extract(${json}, ${path})`;
  }
}

function arrayPath(index: number): string {
  return index < 0 ? `$[#${index}]` : `$[${index}]`;
}

/** A timespan of `ticks` 100-ns ticks as an interval (microsecond precision). */
function interval(ticks: string): string {
  const micros = BigInt(ticks) / 10n;
  return `to_microseconds(CAST(${micros} AS BIGINT))`;
}

/** Kusto's text for a datetime: ISO 8601 with 7 fractional digits and `Z`. */
function datetimeText(sql: string): string {
  return `(strftime(${sql}, '%Y-%m-%dT%H:%M:%S.') || lpad(CAST(${fractionTicks(sql)} AS VARCHAR), 7, '0') || 'Z')`;
}

/** The 100-ns ticks of a datetime's second (the 7th digit is 0 for microsecond timestamps). */
function fractionTicks(sql: string): string {
  return `((nanosecond(${sql}) % 1000000000) // 100)`;
}

/** Kusto's ticks of a datetime: 100 ns since 0001-01-01. */
function datetimeTicks(sql: string): string {
  return `(epoch_us(${sql}) * 10 + (nanosecond(${sql}) % 1000) // 100 + 621355968000000000)`;
}

/** Kusto's text for a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
function timespanText(sql: string): string {
  const us = `epoch_us(TIMESTAMP 'epoch' + ${sql})`;
  const abs = `abs(${us})`;
  const days = `(${abs} // 86400000000)`;
  const clock = `strftime(TIMESTAMP 'epoch' + to_microseconds(${abs} % 86400000000), '%H:%M:%S')`;
  const frac = `(${abs} % 1000000)`;
  return `(CASE WHEN ${us} < 0 THEN '-' ELSE '' END || CASE WHEN ${days} > 0 THEN ${days} || '.' ELSE '' END || ${clock} || CASE WHEN ${frac} > 0 THEN '.' || lpad(CAST(${frac} * 10 AS VARCHAR), 7, '0') ELSE '' END)`;
}

// -------------------------------------------------------------------------------------------------
// Strings

/** An RE2 pattern matching `text` literally. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, c => `\\${c}`);
}

/** SQL that escapes a string value for use inside a regular expression. */
export function escapeRegexSql(sql: string): string {
  return `regexp_replace(${sql}, '([\\\\^$.|?*+()\\[\\]{}])', '\\\\\\1', 'g')`;
}

/** A needle that starts or ends with a term character (a letter or digit of any script). */
const TERM_START = /^[\p{L}\p{N}]/u;
const TERM_END = /[\p{L}\p{N}]$/u;

/**
 * Kusto's `has`: the needle occurs in the text as whole terms, where terms are maximal runs of
 * letters and digits, non-ASCII ones too (`"großstadt" has "gro"` is false). A needle that starts or ends with a non-alphanumeric character needs no
 * boundary on that side.
 */
function hasTerm(
  ctx: ScalarEmitter,
  text: Expr,
  needle: Expr,
  how: 'term' | 'prefix' | 'suffix',
  cs: boolean
): string {
  const flags = cs ? '' : '(?i)';
  const haystack = ctx.str(text);
  if (needle.kind === 'literal' && typeof needle.value === 'string') {
    const value = needle.value;
    if (value === '') {
      return 'TRUE';
    }
    const left =
      how !== 'suffix' && TERM_START.test(value) ? '(?:^|[^\\p{L}\\p{N}])' : '';
    const right =
      how !== 'prefix' && TERM_END.test(value) ? '(?:$|[^\\p{L}\\p{N}])' : '';
    const pattern = `${flags}${how === 'suffix' && TERM_START.test(value) ? '' : left}${escapeRegex(value)}${right}`;
    if (!left && !right) {
      return cs
        ? `contains(${haystack}, ${ctx.ctx.dialect.string(value)})`
        : `contains(lower(${haystack}), ${ctx.ctx.dialect.string(value.toLowerCase())})`;
    }
    return `regexp_matches(${haystack}, ${ctx.ctx.dialect.string(pattern)})`;
  }
  const n = ctx.str(needle);
  const left =
    how === 'suffix'
      ? "''"
      : `CASE WHEN regexp_matches(${n}, '^[\\p{L}\\p{N}]') THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END`;
  const right =
    how === 'prefix'
      ? "''"
      : `CASE WHEN regexp_matches(${n}, '[\\p{L}\\p{N}]$') THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END`;
  return `regexp_matches(${haystack}, '${flags}' || ${left} || ${escapeRegexSql(n)} || ${right})`;
}

type StringTest = (a: string, b: string) => string;

/** A string operator, case-insensitive unless `cs`, and its negation (true for missing values). */
function stringOp(test: StringTest, cs: boolean, negate: boolean): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    const left = cs ? ctx.str(a) : `lower(${ctx.str(a)})`;
    const right = cs ? ctx.str(b) : `lower(${ctx.str(b)})`;
    const positive = test(left, right);
    return negate ? `(NOT ${positive})` : positive;
  };
}

function hasOp(
  how: 'term' | 'prefix' | 'suffix',
  cs: boolean,
  negate: boolean
): Emit {
  return (call, ctx) => {
    const positive = hasTerm(ctx, call.args[0], call.args[1], how, cs);
    return negate ? `(NOT ${positive})` : positive;
  };
}

/** The values of `in`/`has_any` lists: literals, dynamic arrays and subqueries. */
function listItems(
  call: ICall,
  ctx: ScalarEmitter
): { scalars: Expr[]; arrays: string[]; subqueries: string[] } {
  const scalars: Expr[] = [];
  const arrays: string[] = [];
  const subqueries: string[] = [];
  for (const arg of call.args.slice(1)) {
    if (arg.kind === 'subquery') {
      const relation = ctx.ctx.relation(arg.query);
      const first = arg.query.schema[0];
      subqueries.push(
        `SELECT ${ctx.ctx.dialect.identifier(first.name)} FROM ${relation}`
      );
    } else if (
      arg.kind === 'literal' &&
      arg.type === 'dynamic' &&
      typeof arg.value === 'string'
    ) {
      const values = JSON.parse(arg.value) as unknown;
      for (const value of Array.isArray(values) ? values : [values]) {
        scalars.push(jsonLiteral(arg, value));
      }
    } else if (arg.type === 'dynamic' || arg.type === 'unknown') {
      arrays.push(ctx.sql(arg));
    } else {
      scalars.push(arg);
    }
  }
  return { scalars, arrays, subqueries };
}

function jsonLiteral(at: Expr, value: unknown): Expr {
  if (typeof value === 'number') {
    return {
      kind: 'literal',
      span: at.span,
      type: Number.isInteger(value) ? 'long' : 'real',
      value: String(value)
    };
  }
  if (typeof value === 'boolean') {
    return { kind: 'literal', span: at.span, type: 'bool', value };
  }
  if (value === null) {
    return { kind: 'literal', span: at.span, type: 'string', value: '' };
  }
  return {
    kind: 'literal',
    span: at.span,
    type: 'string',
    value: typeof value === 'string' ? value : JSON.stringify(value)
  };
}

/** `in`, `!in`, `in~`, `!in~`. */
function inOp(caseless: boolean, negate: boolean): Emit {
  return (call, ctx) => {
    const left = call.args[0];
    const { scalars, arrays, subqueries } = listItems(call, ctx);
    const text =
      left.type === 'string' ||
      left.type === 'guid' ||
      left.type === 'dynamic' ||
      caseless;
    const norm = (sql: string) => (caseless ? `lower(${sql})` : sql);
    const lhs = text ? norm(ctx.str(left)) : ctx.sql(left);
    const tests: string[] = [];
    if (scalars.length > 0) {
      const values = scalars.map(s =>
        text ? norm(ctx.str(s)) : ctx.as(s, left.type)
      );
      tests.push(`${lhs} IN (${values.join(', ')})`);
    }
    for (const array of arrays) {
      tests.push(
        `list_contains(list_transform(json_extract_string(${array}, '$[*]'), x -> ${caseless ? 'lower(x)' : 'x'}), ${text ? lhs : `CAST(${lhs} AS VARCHAR)`})`
      );
    }
    for (const subquery of subqueries) {
      tests.push(
        caseless
          ? `${lhs} IN (SELECT lower(CAST(v AS VARCHAR)) FROM (${subquery}) s(v))`
          : `${lhs} IN (${subquery})`
      );
    }
    if (tests.length === 0) {
      return negate ? 'TRUE' : 'FALSE';
    }
    // In a filter a null test drops the row like false does; without coalesce DuckDB plans
    // `x in (subquery)` as a semi-join.
    if (ctx.inPredicate && !negate) {
      return `(${tests.join(' OR ')})`;
    }
    const positive = `coalesce(${tests.join(' OR ')}, FALSE)`;
    return negate ? `(NOT ${positive})` : positive;
  };
}

/** `has_any`, `has_all`: `has` against each element. */
function hasList(all: boolean): Emit {
  return (call, ctx) => {
    const left = call.args[0];
    const { scalars, arrays, subqueries } = listItems(call, ctx);
    const tests = scalars.map(s => hasTerm(ctx, left, s, 'term', false));
    const haystack = `lower(${ctx.str(left)})`;
    const lambda = (source: string) =>
      `list_${all ? 'bool_and' : 'bool_or'}(list_transform(${source}, t -> regexp_matches(${haystack}, CASE WHEN regexp_matches(t, '^[\\p{L}\\p{N}]') THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END || ${escapeRegexSql('lower(t)')} || CASE WHEN regexp_matches(t, '[\\p{L}\\p{N}]$') THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END)))`;
    for (const array of arrays) {
      tests.push(
        `coalesce(${lambda(`json_extract_string(${array}, '$[*]')`)}, ${all ? 'TRUE' : 'FALSE'})`
      );
    }
    for (const subquery of subqueries) {
      tests.push(
        `coalesce(${lambda(`(SELECT list(CAST(v AS VARCHAR)) FROM (${subquery}) s(v))`)}, ${all ? 'TRUE' : 'FALSE'})`
      );
    }
    if (tests.length === 0) {
      return all ? 'TRUE' : 'FALSE';
    }
    return `(${tests.join(all ? ' AND ' : ' OR ')})`;
  };
}

// -------------------------------------------------------------------------------------------------
// Comparison and arithmetic

/**
 * Comparison. Kusto's `==` and `!=` treat null as a value: `5 == null` is false and `5 != null` is
 * true (only two nulls compare as null). Inside `where`, where null and false both drop the row,
 * the plain SQL comparison is kept so that DuckDB can push the filter into the scan.
 */
function compare(op: string): Emit {
  return (call, ctx) => {
    const plain = comparison(op, call, ctx);
    const [a, b] = call.args;
    if ((op !== '=' && op !== '<>') || (ctx.inPredicate && op === '=')) {
      return plain;
    }
    const type = ctx.comparable(a, b);
    if (type === 'string' || type === 'guid' || type === 'dynamic') {
      return plain;
    }
    const x = ctx.as(a, type);
    const y = ctx.as(b, type);
    const distinct = op === '=' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
    const nan = nanTests(ctx, a, b);
    const unequal = nan.length
      ? ` WHEN ${nan.join(' OR ')} THEN ${op === '=' ? 'FALSE' : 'TRUE'}`
      : '';
    return `CASE WHEN ${x} IS NULL AND ${y} IS NULL THEN NULL${unequal} ELSE ${x} ${distinct} ${y} END`;
  };
}

/**
 * `isnan` tests of the real operands that can be NaN. NaN compares unequal to everything, itself
 * too, as in .NET; DuckDB orders it above every number and equal to itself.
 */
function nanTests(ctx: ScalarEmitter, a: Expr, b: Expr): string[] {
  return [a, b]
    .filter(
      e =>
        e.type === 'real' &&
        !(e.kind === 'literal' && Number.isFinite(Number(e.value)))
    )
    .map(e => `isnan(${ctx.sql(e)})`);
}

function comparison(op: string, call: ICall, ctx: ScalarEmitter): string {
  {
    const [a, b] = call.args;
    const type = ctx.comparable(a, b);
    if (type === 'string' || type === 'guid') {
      // Kusto strings are never null: a missing value equals "".
      const left = type === 'guid' ? `lower(${ctx.str(a)})` : ctx.str(a);
      const right = type === 'guid' ? `lower(${ctx.str(b)})` : ctx.str(b);
      return `(${left} ${op} ${right})`;
    }
    if (type === 'dynamic') {
      return `(${ctx.as(a, 'string')} ${op} ${ctx.as(b, 'string')})`;
    }
    const plain = `(${ctx.as(a, type)} ${op} ${ctx.as(b, type)})`;
    const nan = type === 'real' ? nanTests(ctx, a, b) : [];
    if (nan.length === 0) {
      return plain;
    }
    return op === '<>'
      ? `(${plain} OR ${nan.join(' OR ')})`
      : `(${plain} AND NOT (${nan.join(' OR ')}))`;
  }
}

function caselessEquals(negate: boolean): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    return `(lower(${ctx.str(a)}) ${negate ? '<>' : '='} lower(${ctx.str(b)}))`;
  };
}

function arithmetic(op: string): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    const type = call.type;
    if (a.type === 'timespan' && b.type === 'timespan' && op === '/') {
      return `(epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(a)}) / epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(b)}))`;
    }
    if (type === 'timespan' && (op === '*' || op === '/')) {
      const [span, factor] = a.type === 'timespan' ? [a, b] : [b, a];
      return `to_microseconds(CAST(epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(span)}) ${op} ${ctx.as(factor, 'real')} AS BIGINT))`;
    }
    if (op === '%' && type === 'timespan') {
      return `to_microseconds(epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(a)}) % epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(b)}))`;
    }
    const operandType = (e: Expr) =>
      e.type === 'dynamic' || e.type === 'unknown'
        ? isNumeric(type)
          ? type
          : 'real'
        : e.type;
    if (
      (type === 'int' || type === 'long') &&
      isNumeric(a.type) &&
      isNumeric(b.type)
    ) {
      return integerArithmetic(op, ctx.as(a, type), ctx.as(b, type), type);
    }
    const x = ctx.as(a, operandType(a));
    const y = ctx.as(b, operandType(b));
    if (op === '%' && type === 'real') {
      // Kusto's modulo is never negative: 0 <= n % d < abs(d).
      return `(((${x} % ${y}) + abs(${y})) % abs(${y}))`;
    }
    return `(${x} ${op} ${y})`;
  };
}

/** 2^64 and 2^32: integer results wrap around modulo these, as in Kusto (.NET unchecked). */
const WRAP: Record<'int' | 'long', [bigint, string]> = {
  long: [1n << 64n, 'BIGINT'],
  int: [1n << 32n, 'INTEGER']
};

/**
 * Integer `+ - * / %` as Kusto computes them: in 128 bits, then wrapped to the result's width
 * instead of DuckDB's overflow error; `/` truncates toward zero, `%` is never negative
 * (0 <= n % d < abs(d)), and both give null for a zero divisor.
 */
export function integerArithmetic(
  op: string,
  x: string,
  y: string,
  type: 'int' | 'long'
): string {
  const [modulus, sqlType] = WRAP[type];
  const half = modulus / 2n;
  const a = `CAST(${x} AS HUGEINT)`;
  const b = `CAST(${y} AS HUGEINT)`;
  if (op === '%') {
    return `CAST(((${a} % ${b}) + abs(${b})) % abs(${b}) AS ${sqlType})`;
  }
  const exact = `(${a} ${op === '/' ? '//' : op} ${b})`;
  return `CAST(((${exact} % ${modulus}) + ${modulus + half}) % ${modulus} - ${half} AS ${sqlType})`;
}

function logical(op: 'AND' | 'OR'): Emit {
  return (call, ctx) =>
    `(${call.args.map(a => (ctx.inPredicate ? ctx.predicate(a) : ctx.as(a, 'bool'))).join(` ${op} `)})`;
}

const COMPARISONS: ReadonlySet<string> = new Set([
  '==',
  '!=',
  '<>',
  '<',
  '<=',
  '>',
  '>='
]);

function between(negate: boolean): Emit {
  return (call, ctx) => {
    const [x, lo, hi] = call.args;
    const type = ctx.comparable(x, lo);
    const upper =
      x.type === 'datetime' && hi.type === 'timespan'
        ? `(${ctx.sql(lo)} + ${ctx.sql(hi)})`
        : ctx.as(hi, type);
    const test = `(${ctx.as(x, type)} BETWEEN ${ctx.as(lo, type)} AND ${upper})`;
    return negate ? `(NOT coalesce(${test}, FALSE))` : test;
  };
}

// -------------------------------------------------------------------------------------------------
// Functions

/** A plain SQL function over the converted arguments. */
function fn(name: string, types?: ScalarType[]): Emit {
  return (call, ctx) =>
    `${name}(${call.args.map((a, i) => (types && types[i] ? ctx.as(a, types[i]) : ctx.sql(a))).join(', ')})`;
}

/** Kusto's NaN and infinities as DuckDB doubles. */
const NAN = "CAST('nan' AS DOUBLE)";
const MINUS_INFINITY = "CAST('-inf' AS DOUBLE)";

/** A real function that is NaN outside its domain, as in .NET, where DuckDB stops the query. */
function outsideDomain(name: string, outside: (x: string) => string): Emit {
  return (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    return `CASE WHEN ${outside(x)} THEN ${NAN} ELSE ${name}(${x}) END`;
  };
}

/** A logarithm: -inf at 0, NaN below, as in .NET. */
function logarithm(name: string): Emit {
  return (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    return `CASE WHEN ${x} = 0 THEN ${MINUS_INFINITY} WHEN ${x} < 0 THEN ${NAN} ELSE ${name}(${x}) END`;
  };
}

function convert(type: ScalarType): Emit {
  return (call, ctx) => {
    const arg = call.args[0];
    if (type === 'string') {
      return ctx.str(arg);
    }
    if (type === 'guid' && arg.type !== 'guid') {
      // The first 32 hex digits, hyphens anywhere ignored, written in Kusto's form.
      const hex = `lower(left(replace(${ctx.str(arg)}, '-', ''), 32))`;
      const part = (from: number, length: number) =>
        `substr(${hex}, ${from}, ${length})`;
      return `CASE WHEN regexp_matches(${hex}, '^[0-9a-f]{32}$') THEN concat_ws('-', ${part(1, 8)}, ${part(9, 4)}, ${part(13, 4)}, ${part(17, 4)}, ${part(21, 12)}) END`;
    }
    if (type === 'dynamic') {
      if (arg.type === 'string') {
        const s = ctx.sql(arg);
        return `CASE WHEN json_valid(${s}) THEN CAST(${s} AS JSON) ELSE to_json(${s}) END`;
      }
      return ctx.as(arg, 'dynamic');
    }
    if (type === 'bool' && (arg.type === 'string' || arg.type === 'dynamic')) {
      const s = `lower(${ctx.str(arg)})`;
      return `CASE WHEN ${s} IN ('true', '1') THEN TRUE WHEN ${s} IN ('false', '0') THEN FALSE END`;
    }
    if (
      type === 'datetime' &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      return parseDatetime(ctx.str(arg));
    }
    if (
      type === 'timespan' &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      return parseTimespan(ctx.str(arg));
    }
    if (type === 'long' && arg.type === 'real') {
      // Kusto truncates the fraction (tolong(2.7) is 2; DuckDB's cast rounds) and saturates
      // beyond a long's range (DuckDB's cast fails); NaN has no long.
      const x = ctx.sql(arg);
      return `CASE WHEN isnan(${x}) THEN NULL WHEN ${x} >= 9223372036854775807 THEN 9223372036854775807 WHEN ${x} <= -9223372036854775808 THEN -9223372036854775808 ELSE CAST(trunc(${x}) AS BIGINT) END`;
    }
    if ((type === 'int' || type === 'long') && isFractional(arg.type)) {
      // Kusto truncates the fraction (toint(2.7) is 2); DuckDB's cast rounds.
      return `TRY_CAST(trunc(${ctx.sql(arg)}) AS ${ctx.ctx.dialect.type(type)})`;
    }
    if (
      (type === 'int' || type === 'long') &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      // Kusto reads integers in decimal or hex (`0xFF`); anything else, "4.2" too, is null.
      const s = `trim(${ctx.str(arg)})`;
      return `CASE WHEN regexp_matches(${s}, '^([-+]?[0-9]+|0[xX][0-9a-fA-F]+)$') THEN TRY_CAST(${s} AS ${ctx.ctx.dialect.type(type)}) END`;
    }
    return ctx.as(arg, type);
  };
}

function isFractional(type: ScalarType): boolean {
  return type === 'real' || type === 'decimal';
}

/**
 * Text to datetime, in the forms Kusto reads: ISO 8601 (with `T`/`Z` or not), US `MM/dd/yyyy
 * HH:mm:ss` and RFC 822 (`Sat, 8 Nov 2014 15:05:02 GMT`). Anything else is null.
 */
export function parseDatetime(text: string): string {
  return `coalesce(TRY_CAST(replace(regexp_replace(${text}, '([0-9])T([0-9])', '\\1 \\2'), 'Z', '') AS TIMESTAMP), try_strptime(${text}, '%m/%d/%Y %H:%M:%S'), try_strptime(${text}, '%m/%d/%Y'), try_strptime(${text}, '%a, %d %b %Y %H:%M:%S GMT'), try_strptime(${text}, '%d %b %Y %H:%M:%S GMT'))`;
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
        ? `(date_trunc('week', ${ctx.sql(d)} + INTERVAL 1 DAY) - INTERVAL 1 DAY)`
        : `date_trunc('${unit}', ${ctx.sql(d)})`;
    const shifted = offset
      ? `(${base} + ${ctx.as(offset, 'long')} * INTERVAL 1 ${unit})`
      : base;
    const start = `CAST(${shifted} AS TIMESTAMP)`;
    // The end is the period's last 100-ns tick (…23:59:59.9999999), a nanosecond timestamp.
    return end
      ? `make_timestamp_ns(epoch_ns(CAST(${start} + INTERVAL 1 ${unit} AS TIMESTAMP)) - 100)`
      : start;
  };
}

/** `bin`/`floor`: rounds down to a multiple of the bin size (datetimes from 0001-01-01). */
const bin: Emit = (call, ctx) => {
  const [x, size] = call.args;
  if (x.type === 'datetime') {
    return `time_bucket(${ctx.as(size, 'timespan')}, ${ctx.sql(x)}, TIMESTAMP '0001-01-01 00:00:00')`;
  }
  if (x.type === 'timespan') {
    const us = (e: string) => `epoch_us(TIMESTAMP 'epoch' + ${e})`;
    return `to_microseconds(CAST(floor(${us(ctx.sql(x))} / ${us(ctx.sql(size))}) * ${us(ctx.sql(size))} AS BIGINT))`;
  }
  const type = ctx.ctx.dialect.type(
    call.type === 'unknown' ? 'real' : call.type
  );
  return `CAST(floor(${ctx.as(x, 'real')} / ${ctx.as(size, 'real')}) * ${ctx.as(size, 'real')} AS ${type})`;
};

/**
 * SQL for a .NET-style format (`yyyy-MM-dd HH:mm:ss.fffffff`) of a datetime or timespan: each run
 * of one specifier letter becomes its field, other characters are copied. `fields` gives the SQL
 * of each field by its letter (or by the whole run, as `yyyy`); `f`/`F` are the 100-ns ticks of
 * the second.
 */
function customFormat(
  format: string,
  fields: Record<string, string>,
  widths: Record<string, number[]>,
  span: ISpan,
  what: string
): string {
  const parts: string[] = [];
  let literal = '';
  const text = (sql: string) => `CAST(${sql} AS VARCHAR)`;
  // At least `width` digits: lpad alone would cut longer numbers.
  const padded = (sql: string, width: number) =>
    width > 1
      ? `CASE WHEN length(${text(sql)}) >= ${width} THEN ${text(sql)} ELSE lpad(${text(sql)}, ${width}, '0') END`
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
      const digits = `lpad(${text(`${field} // ${10 ** (7 - run)}`)}, ${run}, '0')`;
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
        `CASE WHEN ${field} // ${10 ** (7 - run)} = 0 THEN '' ELSE ${dot ? "'.' || " : ''}rtrim(${digits}, '0') END`
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

/** IPv4 text to its number, null when the text is not an address. */
export function ipv4(sql: string): string {
  const part = (i: number) =>
    `TRY_CAST(split_part(split_part(${sql}, '/', 1), '.', ${i}) AS BIGINT)`;
  return `CASE WHEN regexp_matches(${sql}, '^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$') THEN ((${part(1)} * 256 + ${part(2)}) * 256 + ${part(3)}) * 256 + ${part(4)} END`;
}

const ipv4InRange: Emit = (call, ctx) => {
  const ip = ctx.str(call.args[0]);
  const range = ctx.str(call.args[1]);
  const bits = `coalesce(TRY_CAST(nullif(split_part(${range}, '/', 2), '') AS INTEGER), 32)`;
  return `((${ipv4(ip)} >> (32 - ${bits})) = (${ipv4(range)} >> (32 - ${bits})))`;
};

const ipv4Private: Emit = (call, ctx) => {
  const ip = ipv4(ctx.str(call.args[0]));
  const within = (base: number, bits: number) =>
    `((${ip} >> ${32 - bits}) = ${base >>> (32 - bits)})`;
  return `(${within(0x0a000000, 8)} OR ${within(0xac100000, 12)} OR ${within(0xc0a80000, 16)})`;
};

const caseFn: Emit = (call, ctx) => {
  const args = call.args;
  const parts: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    parts.push(
      `WHEN ${ctx.as(args[i], 'bool')} THEN ${ctx.as(args[i + 1], call.type)}`
    );
  }
  return `CASE ${parts.join(' ')} ELSE ${ctx.as(args[args.length - 1], call.type)} END`;
};

const iff: Emit = (call, ctx) => {
  const [c, a, b] = call.args;
  return `CASE WHEN ${ctx.as(c, 'bool')} THEN ${ctx.as(a, call.type)} ELSE ${ctx.as(b, call.type)} END`;
};

const strcat: Emit = (call, ctx) =>
  `concat(${call.args.map(a => ctx.str(a)).join(', ')})`;

const isEmpty =
  (negate: boolean): Emit =>
  (call, ctx) => {
    const arg = call.args[0];
    const sql = ctx.sql(arg);
    if (arg.type === 'string' || arg.type === 'guid') {
      return negate
        ? `(${sql} IS NOT NULL AND ${sql} <> '')`
        : `(${sql} IS NULL OR ${sql} = '')`;
    }
    if (arg.type === 'dynamic' || arg.type === 'unknown') {
      const text = `json_extract_string(${sql}, '$')`;
      return negate
        ? `coalesce(${text} <> '', FALSE)`
        : `coalesce(${text} = '', TRUE)`;
    }
    return negate ? `(${sql} IS NOT NULL)` : `(${sql} IS NULL)`;
  };

const isNull =
  (negate: boolean): Emit =>
  (call, ctx) => {
    const arg = call.args[0];
    const sql = ctx.sql(arg);
    if (arg.type === 'dynamic' || arg.type === 'unknown') {
      return negate
        ? `coalesce(json_type(${sql}) <> 'NULL', FALSE)`
        : `coalesce(json_type(${sql}) = 'NULL', TRUE)`;
    }
    if (arg.type === 'string') {
      // A Kusto string is never null.
      return negate ? 'TRUE' : 'FALSE';
    }
    return `(${sql} IS ${negate ? 'NOT ' : ''}NULL)`;
  };

const coalesce: Emit = (call, ctx) =>
  call.type === 'string'
    ? `coalesce(${call.args.map(a => `nullif(${ctx.str(a)}, '')`).join(', ')}, '')`
    : `coalesce(${call.args.map(a => ctx.as(a, call.type)).join(', ')})`;

const arrayLength: Emit = (call, ctx) => {
  const sql = ctx.as(call.args[0], 'dynamic');
  return `CASE WHEN json_type(${sql}) = 'ARRAY' THEN CAST(json_array_length(${sql}) AS BIGINT) END`;
};

const split: Emit = (call, ctx) => {
  const [s, delimiter, index] = call.args;
  const parts = `to_json(string_split(${ctx.str(s)}, ${ctx.str(delimiter)}))`;
  if (!index) {
    return parts;
  }
  // Kusto returns an array holding the requested part, or an empty array when there is none.
  const list = `string_split(${ctx.str(s)}, ${ctx.str(delimiter)})`;
  const i = ctx.as(index, 'long');
  return `to_json(CASE WHEN ${i} >= 0 AND ${i} < len(${list}) THEN [${list}[${i} + 1]] ELSE CAST([] AS VARCHAR[]) END)`;
};

/** `substring`: a negative start counts from the end; a negative length gives "". */
const substring: Emit = (call, ctx) => {
  const [s, start, length] = call.args;
  const text = ctx.str(s);
  const at = ctx.as(start, 'long');
  const from = `CASE WHEN ${at} < 0 THEN greatest(length(${text}) + ${at}, 0) ELSE ${at} END + 1`;
  if (!length) {
    return `substr(${text}, ${from})`;
  }
  const n = ctx.as(length, 'long');
  return `CASE WHEN ${n} < 0 THEN '' ELSE substr(${text}, ${from}, ${n}) END`;
};

/**
 * SQL for a regular expression argument: a literal is translated from .NET's dialect to RE2's
 * (or refused); a computed one is passed as it is.
 */
export function regexArg(
  ctx: ScalarEmitter,
  e: Expr,
  options?: IRegexOptions
): string {
  return e.kind === 'literal' && typeof e.value === 'string'
    ? ctx.ctx.dialect.string(translateRegex(e.value, e.span, options))
    : ctx.str(e);
}

/** `extract`: RE2 numbers at most 9 groups, so a later group is made the only capturing one. */
const extract: Emit = (call, ctx) => {
  const [pattern, group, s, type] = call.args;
  const index =
    group.kind === 'literal' && group.value !== null ? Number(group.value) : -1;
  const text =
    index > 9
      ? `regexp_extract(${ctx.str(s)}, ${regexArg(ctx, pattern, { keepGroup: index })}, 1)`
      : `regexp_extract(${ctx.str(s)}, ${regexArg(ctx, pattern)}, ${ctx.as(group, 'int')})`;
  const target = call.type;
  if (type || (target !== 'string' && target !== 'unknown')) {
    return `TRY_CAST(nullif(${text}, '') AS ${ctx.ctx.dialect.type(target)})`;
  }
  return text;
};

/**
 * `extract_all`: with no capture group, the whole matches; with one, that group's values; with
 * several, one array of the groups' values per match.
 */
const extractAll: Emit = (call, ctx) => {
  const [pattern, second, third] = call.args;
  if (third) {
    return extractAllGroups(call, ctx);
  }
  if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') {
    throw new UnsupportedError(
      'extract_all of a pattern that is not a literal without a group list',
      call.span,
      'list the groups to extract: extract_all(pattern, dynamic([1]), text)'
    );
  }
  const text = ctx.str(second);
  const regex = regexArg(ctx, pattern);
  const groups = groupCount(pattern.value);
  if (groups <= 1) {
    return `to_json(regexp_extract_all(${text}, ${regex}, ${groups}))`;
  }
  const lists = Array.from(
    { length: groups },
    (_, i) => `regexp_extract_all(${text}, ${regex}, ${i + 1})`
  );
  return `to_json(list_transform(range(len(${lists[0]})), i -> [${lists.map(l => `${l}[i + 1]`).join(', ')}]))`;
};

const replaceRegex: Emit = (call, ctx) => {
  const [s, pattern, replacement] = call.args;
  return `regexp_replace(${ctx.str(s)}, ${regexArg(ctx, pattern)}, ${ctx.str(replacement)}, 'g')`;
};

/** `trim`, `trim_start`, `trim_end`: one match of the expression at each end, not repetitions. */
const trim =
  (where: 'both' | 'start' | 'end'): Emit =>
  (call, ctx) => {
    const [pattern, s] = call.args;
    const p = regexArg(ctx, pattern);
    const left = `'^(?:' || ${p} || ')'`;
    const right = `'(?:' || ${p} || ')$'`;
    let out = ctx.str(s);
    if (where !== 'end') {
      out = `regexp_replace(${out}, ${left}, '')`;
    }
    if (where !== 'start') {
      out = `regexp_replace(${out}, ${right}, '')`;
    }
    return out;
  };

// Datetimes are kept to the microsecond: nanoseconds are microseconds times 1000.
const datetimeDiff: Emit = (call, ctx) => {
  const [unit, a, b] = call.args;
  const name = timeUnit(unit);
  if (name === 'week') {
    // Kusto counts the Sundays crossed; DuckDB's weeks start on Monday.
    const sunday = (d: Expr) =>
      `(date_trunc('week', ${ctx.sql(d)} + INTERVAL 1 DAY) - INTERVAL 1 DAY)`;
    return `(date_diff('day', ${sunday(b)}, ${sunday(a)}) // 7)`;
  }
  if (name === 'nanosecond') {
    return `((${datetimeTicks(ctx.sql(a))} - ${datetimeTicks(ctx.sql(b))}) * 100)`;
  }
  return `date_diff('${name}', ${ctx.sql(b)}, ${ctx.sql(a)})`;
};

const datetimeAdd: Emit = (call, ctx) => {
  const [unit, amount, d] = call.args;
  const name = timeUnit(unit);
  const step =
    name === 'nanosecond'
      ? `to_microseconds(${ctx.as(amount, 'long')} // 1000)`
      : `${ctx.as(amount, 'long')} * INTERVAL 1 ${name}`;
  return `CAST(${ctx.sql(d)} + ${step} AS TIMESTAMP)`;
};

/** `datetime_part`: the sub-second parts are the fraction of the second, as Kusto counts them. */
const datetimePart: Emit = (call, ctx) => {
  const [unit, d] = call.args;
  const name = timeUnit(unit);
  const fraction = `(date_part('microsecond', ${ctx.sql(d)}) % 1000000)`;
  switch (name) {
    case 'millisecond':
      return `CAST(${fraction} // 1000 AS INTEGER)`;
    case 'microsecond':
      return `CAST(${fraction} AS INTEGER)`;
    case 'nanosecond':
      return `CAST(${fraction} * 1000 AS INTEGER)`;
    default:
      return `CAST(date_part('${name}', ${ctx.sql(d)}) AS INTEGER)`;
  }
};

/** `range(start, stop, step)` of numbers: at most 1,048,576 elements, as Kusto caps it. */
const rangeArray: Emit = (call, ctx) => {
  const [start, stop, step] = call.args;
  if (![start, stop].every(a => isNumeric(a.type))) {
    return rangeOfTimes(call, ctx);
  }
  const type = call.args.some(a => a.type === 'real') ? 'real' : 'long';
  const [from, to] = [ctx.as(start, type), ctx.as(stop, type)];
  const by = step
    ? ctx.as(step, type)
    : ctx.literal(type, type === 'long' ? '1' : 1);
  // Stop at the cap before the series is built, not after.
  const last = `${from} + ${by} * 1048575`;
  const capped = `CASE WHEN ${by} > 0 THEN least(${to}, ${last}) ELSE greatest(${to}, ${last}) END`;
  return `to_json(generate_series(${from}, ${capped}, ${by}))`;
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
function parseTimespan(text: string): string {
  const re =
    "'^(-)?(?:([0-9]+)\\.)?([0-9]+):([0-9]+)(?::([0-9]+(?:\\.[0-9]+)?))?$'";
  const part = (i: number) =>
    `coalesce(TRY_CAST(nullif(regexp_extract(${text}, ${re}, ${i}), '') AS DOUBLE), 0)`;
  const micros = `((${part(2)} * 86400 + ${part(3)} * 3600 + ${part(4)} * 60 + ${part(5)}) * 1000000)`;
  const units = SPAN_UNITS.map(([names]) => names).join('|');
  const unitRe = `'^(-?[0-9]+(?:\\.[0-9]+)?)(${units})$'`;
  const amount = `TRY_CAST(regexp_extract(${text}, ${unitRe}, 1) AS DOUBLE)`;
  const unit = `regexp_extract(${text}, ${unitRe}, 2)`;
  const factor = `CASE ${SPAN_UNITS.map(([names, us]) => `WHEN regexp_matches(${unit}, '^(${names})$') THEN ${us}`).join(' ')} END`;
  return `CASE WHEN regexp_matches(${text}, ${re}) THEN to_microseconds(CAST(CASE WHEN regexp_extract(${text}, ${re}, 1) = '-' THEN -${micros} ELSE ${micros} END AS BIGINT)) WHEN regexp_matches(${text}, ${unitRe}) THEN to_microseconds(CAST(trunc(${amount} * ${factor}) AS BIGINT)) END`;
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
  const sql = customFormat(
    format.value,
    {
      y: `(year(${t}) % 100)`,
      yyyy: `year(${t})`,
      M: `month(${t})`,
      d: `day(${t})`,
      H: `hour(${t})`,
      h: `((hour(${t}) + 11) % 12 + 1)`,
      m: `minute(${t})`,
      s: `second(${t})`,
      f: fractionTicks(t),
      F: fractionTicks(t),
      t: `CASE WHEN hour(${t}) < 12 THEN 'AM' ELSE 'PM' END`
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
  const ticks = `abs(${ctx.as(span, 'long')})`;
  const sql = customFormat(
    format.value,
    {
      d: `(${ticks} // 864000000000)`,
      H: `(${ticks} // 36000000000 % 24)`,
      h: `(${ticks} // 36000000000 % 24)`,
      m: `(${ticks} // 600000000 % 60)`,
      s: `(${ticks} // 10000000 % 60)`,
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

const pack: Emit = (call, ctx) => {
  const parts: string[] = [];
  for (let i = 0; i + 1 < call.args.length; i += 2) {
    parts.push(`${ctx.str(call.args[i])}, ${ctx.sql(call.args[i + 1])}`);
  }
  return `json_object(${parts.join(', ')})`;
};

const packArray: Emit = (call, ctx) =>
  `json_array(${call.args.map(a => ctx.sql(a)).join(', ')})`;

const setHasElement: Emit = (call, ctx) => {
  const [array, value] = call.args;
  return `coalesce(list_contains(json_extract_string(${ctx.as(array, 'dynamic')}, '$[*]'), ${ctx.str(value)}), FALSE)`;
};

const arrayIndexOf: Emit = (call, ctx) => {
  const [array, value] = call.args;
  if (call.args.length > 2) {
    throw new UnsupportedError(
      'array_index_of with start, length or occurrence',
      call.span
    );
  }
  return `CAST(coalesce(list_position(json_extract_string(${ctx.as(array, 'dynamic')}, '$[*]'), ${ctx.str(value)}), 0) - 1 AS BIGINT)`;
};

const bagKeys: Emit = (call, ctx) => {
  const bag = ctx.as(call.args[0], 'dynamic');
  return `CASE WHEN json_type(${bag}) = 'OBJECT' THEN to_json(json_keys(${bag})) END`;
};

/** `countof`: plain matches may overlap (`countof("aaaa", "aa")` is 3); regex matches do not. */
const countof: Emit = (call, ctx) => {
  const [s, sub, kind] = call.args;
  const text = ctx.str(s);
  if (kind) {
    if (kind.kind !== 'literal' || typeof kind.value !== 'string') {
      throw new UnsupportedError('countof with a computed kind', kind.span);
    }
    if (kind.value === 'regex') {
      return `CAST(len(regexp_extract_all(${text}, ${regexArg(ctx, sub)})) AS BIGINT)`;
    }
  }
  const needle = ctx.str(sub);
  return `CAST(CASE WHEN length(${needle}) = 0 THEN 0 ELSE len(list_filter(range(1, length(${text}) - length(${needle}) + 2), i -> substr(${text}, i, length(${needle})) = ${needle})) END AS BIGINT)`;
};

const ago: Emit = (call, ctx) =>
  `(${ctx.ctx.now} - ${ctx.as(call.args[0], 'timespan')})`;

const unixtime =
  (factor: number): Emit =>
  (call, ctx) =>
    `make_timestamp(CAST(${ctx.as(call.args[0], 'real')} * ${factor} AS BIGINT))`;

const dayofweek: Emit = (call, ctx) =>
  `to_days(CAST(dayofweek(${ctx.sql(call.args[0])}) AS INTEGER))`;

const round: Emit = (call, ctx) => {
  const [x, digits] = call.args;
  return digits
    ? `round(${ctx.as(x, 'real')}, ${ctx.as(digits, 'int')})`
    : `round(${ctx.as(x, 'real')})`;
};

const aggregate =
  (name: string, type?: ScalarType): Emit =>
  (call, ctx) =>
    `${name}(${call.args.map(a => (type ? ctx.as(a, type) : ctx.sql(a))).join(', ')})`;

const conditional =
  (name: string, valueType?: ScalarType): Emit =>
  (call, ctx) => {
    const [value, predicate] = call.args;
    return `${name}(${valueType ? ctx.as(value, valueType) : ctx.sql(value)}) FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
  };

/** Kusto's sum of no values (an empty input, or only nulls) is 0, not null. */
const zeroWhenEmpty =
  (emit: Emit): Emit =>
  (call, ctx) =>
    isNumeric(call.args[0]?.type ?? 'unknown')
      ? `coalesce(${emit(call, ctx)}, 0)`
      : emit(call, ctx);

/** Kusto's average of no values is NaN (0 / 0), not null. */
const nanWhenEmpty =
  (emit: Emit): Emit =>
  (call, ctx) =>
    `coalesce(${emit(call, ctx)}, ${NAN})`;

/**
 * Standard deviation and variance: NaN when a value is infinite or NaN, as .NET's arithmetic
 * gives, where DuckDB stops the query.
 */
const spread =
  (name: string): Emit =>
  (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    return `CASE WHEN bool_or(NOT isfinite(${x})) THEN ${NAN} ELSE ${name}(${x}) FILTER (WHERE isfinite(${x})) END`;
  };

/** `make_list`/`make_set` (and `_if`): JSON arrays of the non-null values. */
const makeList =
  (distinct: boolean, conditionalArg: boolean): Emit =>
  (call, ctx) => {
    const [value, second, third] = call.args;
    const predicate = conditionalArg ? second : undefined;
    const limit = conditionalArg ? third : second;
    const v = ctx.sql(value);
    const filters = [`${v} IS NOT NULL`];
    if (predicate) {
      filters.push(ctx.as(predicate, 'bool'));
    }
    if (value.type === 'dynamic') {
      filters.push(`json_type(${v}) <> 'NULL'`);
    }
    const where = ` FILTER (WHERE ${filters.join(' AND ')})`;
    // Arrays contribute their elements, as Kusto's make_set page shows.
    const list =
      value.type === 'dynamic'
        ? `${distinct ? 'list_distinct' : ''}(flatten(list(CASE WHEN json_type(${v}) = 'ARRAY' THEN CAST(${v} AS JSON[]) ELSE [${v}] END)${where}))`
        : `list(${distinct ? 'DISTINCT ' : ''}${v})${where}`;
    const limited = limit
      ? `list_slice(${list}, 1, ${ctx.as(limit, 'long')})`
      : list;
    return `coalesce(to_json(${limited}), CAST('[]' AS JSON))`;
  };

const dcount: Emit = (call, ctx) => `count(DISTINCT ${ctx.sql(call.args[0])})`;
const dcountif: Emit = (call, ctx) => {
  const [value, predicate] = call.args;
  return `count(DISTINCT ${ctx.sql(value)}) FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
};

const percentile: Emit = (call, ctx) => {
  const [value, p] = call.args;
  return `quantile_disc(${ctx.sql(value)}, ${ctx.as(p, 'real')} / 100.0)`;
};

const countFn: Emit = (call, ctx) =>
  call.args.length === 0 ? 'count(*)' : `count(${ctx.sql(call.args[0])})`;

/** `parse_url`: the parts of a URL as Kusto's property bag names them. */
const parseUrl: Emit = (call, ctx) => {
  const url = ctx.str(call.args[0]);
  const re = ctx.ctx.dialect.string(
    '^(?:([^:/?#]+):)?(?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::(\\d+))?)?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$'
  );
  const part = (i: number) => `regexp_extract(${url}, ${re}, ${i})`;
  const query = part(7);
  const parameters = `CASE WHEN ${query} = '' THEN CAST('{}' AS JSON) ELSE to_json(map_from_entries(list_transform(string_split(${query}, '&'), kv -> {'k': url_decode(split_part(kv, '=', 1)), 'v': url_decode(split_part(kv, '=', 2))}))) END`;
  return `json_object('Scheme', ${part(1)}, 'Host', ${part(4)}, 'Port', ${part(5)}, 'Path', regexp_replace(${part(6)}, '^/', ''), 'Username', ${part(2)}, 'Password', ${part(3)}, 'Query Parameters', ${parameters}, 'Fragment', ${part(8)})`;
};

/**
 * `geo_info_from_ip_address`: a lookup in the IP geolocation table the runner provides
 * (`__geoip`: first and last address of each IPv4 range as numbers, country, state, city,
 * latitude, longitude). Addresses in no range — private ones, IPv6 — give null, as in Kusto.
 */
const geoInfo: Emit = (call, ctx) => {
  ctx.ctx.useGeoIp();
  const ip = ipv4(ctx.str(call.args[0]));
  return `(SELECT json_object('country', g.country, 'state', g.state, 'city', g.city, 'latitude', g.latitude, 'longitude', g.longitude) FROM "__geoip" g WHERE ${ip} BETWEEN g.first AND g.last LIMIT 1)`;
};

/** `bin_at`: bins aligned to a fixed point instead of zero. */
const binAt: Emit = (call, ctx) => {
  const [x, size, fixed] = call.args;
  if (x.type === 'datetime') {
    return `time_bucket(${ctx.as(size, 'timespan')}, ${ctx.sql(x)}, ${ctx.as(fixed, 'datetime')})`;
  }
  if (x.type === 'timespan') {
    const us = (e: string) => `epoch_us(TIMESTAMP 'epoch' + ${e})`;
    const [v, s, f] = [
      us(ctx.sql(x)),
      us(ctx.as(size, 'timespan')),
      us(ctx.as(fixed, 'timespan'))
    ];
    return `to_microseconds(CAST(floor((${v} - ${f}) / ${s}) * ${s} + ${f} AS BIGINT))`;
  }
  const type = ctx.ctx.dialect.type(
    call.type === 'unknown' ? 'real' : call.type
  );
  const [v, s, f] = [
    ctx.as(x, 'real'),
    ctx.as(size, 'real'),
    ctx.as(fixed, 'real')
  ];
  return `CAST(floor((${v} - ${f}) / ${s}) * ${s} + ${f} AS ${type})`;
};

/** A dynamic array as a DuckDB list of JSON values (null for anything else). */
export function jsonList(ctx: ScalarEmitter, e: Expr): string {
  const json = ctx.as(e, 'dynamic');
  return `CASE WHEN json_type(${json}) = 'ARRAY' THEN CAST(${json} AS JSON[]) END`;
}

/** `array_slice(a, start, end)`: inclusive bounds, negative ones counted from the end. */
const arraySlice: Emit = (call, ctx) => {
  const [array, start, end] = call.args;
  const list = jsonList(ctx, array);
  const bound = (e: Expr) =>
    `CASE WHEN ${ctx.as(e, 'long')} < 0 THEN len(${list}) + ${ctx.as(e, 'long')} + 1 ELSE ${ctx.as(e, 'long')} + 1 END`;
  return `to_json(list_slice(${list}, greatest(${bound(start)}, 1), ${bound(end)}))`;
};

/** `bag_merge`: the first bag's value wins when several have a key. */
const bagMerge: Emit = (call, ctx) =>
  call.args
    .map(a => ctx.as(a, 'dynamic'))
    .reduce((merged, bag) => `json_merge_patch(${bag}, ${merged})`);

/** One entry per KQL operator and function that runs locally. */
const FUNCTIONS: Record<string, Emit> = {
  // comparison
  '==': compare('='),
  '!=': compare('<>'),
  '<>': compare('<>'),
  '<': compare('<'),
  '<=': compare('<='),
  '>': compare('>'),
  '>=': compare('>='),
  '=~': caselessEquals(false),
  '!~': caselessEquals(true),
  and: logical('AND'),
  or: logical('OR'),
  not: (call, ctx) => {
    // Inside `where` too, `x == 1` must be false, not null, for a null x, or not() drops the row.
    const outer = ctx.inPredicate;
    ctx.inPredicate = false;
    try {
      return `(NOT ${ctx.as(call.args[0], 'bool')})`;
    } finally {
      ctx.inPredicate = outer;
    }
  },
  '+': arithmetic('+'),
  '-': arithmetic('-'),
  '*': arithmetic('*'),
  '/': arithmetic('/'),
  '%': arithmetic('%'),
  negate: (call, ctx) => {
    const [x] = call.args;
    if (x.type === 'timespan') {
      return `(INTERVAL 0 SECOND - ${ctx.sql(x)})`;
    }
    if (x.kind === 'literal' && x.value !== null && isNumeric(x.type)) {
      const text = String(x.value);
      return ctx.literal(
        x.type,
        x.type === 'real'
          ? -Number(x.value)
          : text.startsWith('-')
            ? text.slice(1)
            : `-${text}`
      );
    }
    // -long.MinValue wraps to itself, as in Kusto.
    return x.type === 'long' || x.type === 'int'
      ? integerArithmetic('-', '0', ctx.sql(x), x.type)
      : `(-${ctx.sql(x)})`;
  },
  between: between(false),
  '!between': between(true),
  // strings
  contains: stringOp((a, b) => `contains(${a}, ${b})`, false, false),
  '!contains': stringOp((a, b) => `contains(${a}, ${b})`, false, true),
  contains_cs: stringOp((a, b) => `contains(${a}, ${b})`, true, false),
  '!contains_cs': stringOp((a, b) => `contains(${a}, ${b})`, true, true),
  startswith: stringOp((a, b) => `starts_with(${a}, ${b})`, false, false),
  '!startswith': stringOp((a, b) => `starts_with(${a}, ${b})`, false, true),
  startswith_cs: stringOp((a, b) => `starts_with(${a}, ${b})`, true, false),
  '!startswith_cs': stringOp((a, b) => `starts_with(${a}, ${b})`, true, true),
  endswith: stringOp((a, b) => `suffix(${a}, ${b})`, false, false),
  '!endswith': stringOp((a, b) => `suffix(${a}, ${b})`, false, true),
  endswith_cs: stringOp((a, b) => `suffix(${a}, ${b})`, true, false),
  '!endswith_cs': stringOp((a, b) => `suffix(${a}, ${b})`, true, true),
  has: hasOp('term', false, false),
  '!has': hasOp('term', false, true),
  has_cs: hasOp('term', true, false),
  '!has_cs': hasOp('term', true, true),
  hasprefix: hasOp('prefix', false, false),
  '!hasprefix': hasOp('prefix', false, true),
  hasprefix_cs: hasOp('prefix', true, false),
  hassuffix: hasOp('suffix', false, false),
  '!hassuffix': hasOp('suffix', false, true),
  hassuffix_cs: hasOp('suffix', true, false),
  'matches regex': (call, ctx) =>
    `regexp_matches(${ctx.str(call.args[0])}, ${regexArg(ctx, call.args[1])})`,
  in: inOp(false, false),
  '!in': inOp(false, true),
  'in~': inOp(true, false),
  '!in~': inOp(true, true),
  has_any: hasList(false),
  has_all: hasList(true),
  strcat,
  unicode_codepoints_from_string: (call, ctx) =>
    `to_json(list_transform(string_split(${ctx.str(call.args[0])}, ''), c -> unicode(c)))`,
  strcat_delim: (call, ctx) =>
    `concat_ws(${ctx.str(call.args[0])}, ${call.args
      .slice(1)
      .map(a => ctx.str(a))
      .join(', ')})`,
  strlen: (call, ctx) => `CAST(length(${ctx.str(call.args[0])}) AS BIGINT)`,
  tolower: (call, ctx) => `lower(${ctx.str(call.args[0])})`,
  toupper: (call, ctx) => `upper(${ctx.str(call.args[0])})`,
  substring,
  split,
  extract,
  extract_all: extractAll,
  replace_string: (call, ctx) =>
    `replace(${ctx.str(call.args[0])}, ${ctx.str(call.args[1])}, ${ctx.str(call.args[2])})`,
  replace_regex: replaceRegex,
  trim: trim('both'),
  trim_start: trim('start'),
  trim_end: trim('end'),
  countof,
  reverse: (call, ctx) => `reverse(${ctx.str(call.args[0])})`,
  // At most 1024 copies, joined by the delimiter (Kusto's strrep page).
  strrep: (call, ctx) => {
    const [value, times, delimiter] = call.args;
    const n = `least(${ctx.as(times, 'long')}, 1024)`;
    const v = ctx.str(value);
    const d = delimiter ? ctx.str(delimiter) : "''";
    return `CASE WHEN ${n} >= 1 THEN repeat(${v} || ${d}, ${n} - 1) || ${v} ELSE '' END`;
  },
  base64_decode_tostring: (call, ctx) =>
    `TRY_CAST(from_base64(${ctx.str(call.args[0])}) AS VARCHAR)`,
  base64_encode_tostring: (call, ctx) =>
    `to_base64(encode(${ctx.str(call.args[0])}))`,
  hash_sha256: (call, ctx) => `sha256(${ctx.str(call.args[0])})`,
  hash_md5: (call, ctx) => `md5(${ctx.str(call.args[0])})`,
  isempty: isEmpty(false),
  isnotempty: isEmpty(true),
  isnull: isNull(false),
  isnotnull: isNull(true),
  // conversion
  tostring: convert('string'),
  toint: convert('int'),
  tolong: convert('long'),
  todouble: convert('real'),
  toreal: convert('real'),
  todecimal: convert('decimal'),
  tobool: convert('bool'),
  toboolean: convert('bool'),
  todatetime: convert('datetime'),
  totimespan: convert('timespan'),
  toguid: convert('guid'),
  todynamic: convert('dynamic'),
  parse_json: convert('dynamic'),
  // dynamic
  array_length: arrayLength,
  pack,
  bag_pack: pack,
  pack_array: packArray,
  bag_keys: bagKeys,
  set_has_element: setHasElement,
  array_index_of: arrayIndexOf,
  // logic
  iff,
  iif: iff,
  case: caseFn,
  coalesce,
  max_of: (call, ctx) =>
    `greatest(${call.args.map(a => ctx.as(a, call.type)).join(', ')})`,
  min_of: (call, ctx) =>
    `least(${call.args.map(a => ctx.as(a, call.type)).join(', ')})`,
  // numbers
  round,
  abs: (call, ctx) =>
    call.args[0].type === 'timespan'
      ? `to_microseconds(abs(epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(call.args[0])})))`
      : `abs(${ctx.sql(call.args[0])})`,
  ceiling: fn('ceil', ['real']),
  sqrt: outsideDomain('sqrt', x => `${x} < 0`),
  log: logarithm('ln'),
  log10: logarithm('log10'),
  log2: logarithm('log2'),
  exp: fn('exp', ['real']),
  pow: fn('power', ['real', 'real']),
  sign: fn('sign'),
  isnan: fn('isnan', ['real']),
  isinf: fn('isinf', ['real']),
  isfinite: fn('isfinite', ['real']),
  bin,
  floor: bin,
  // time
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
  hourofday: (call, ctx) => `CAST(hour(${ctx.sql(call.args[0])}) AS INTEGER)`,
  dayofmonth: (call, ctx) => `CAST(day(${ctx.sql(call.args[0])}) AS INTEGER)`,
  dayofyear: (call, ctx) =>
    `CAST(dayofyear(${ctx.sql(call.args[0])}) AS INTEGER)`,
  monthofyear: (call, ctx) =>
    `CAST(month(${ctx.sql(call.args[0])}) AS INTEGER)`,
  getmonth: (call, ctx) => `CAST(month(${ctx.sql(call.args[0])}) AS INTEGER)`,
  getyear: (call, ctx) => `CAST(year(${ctx.sql(call.args[0])}) AS INTEGER)`,
  week_of_year: (call, ctx) =>
    `CAST(weekofyear(${ctx.sql(call.args[0])}) AS INTEGER)`,
  dayofweek,
  unixtime_seconds_todatetime: unixtime(1e6),
  unixtime_milliseconds_todatetime: unixtime(1e3),
  unixtime_microseconds_todatetime: unixtime(1),
  // Local workspace files carry no ingestion time: Kusto's value for a table without an
  // IngestionTime policy is null too.
  ingestion_time: () => 'CAST(NULL AS TIMESTAMP)',
  string_size: (call, ctx) =>
    `CAST(octet_length(encode(${ctx.str(call.args[0])})) AS BIGINT)`,
  pack_dictionary: pack,
  count_distinct: dcount,
  extractjson: (call, ctx) => {
    const [path, text] = call.args;
    const json = `TRY_CAST(${ctx.str(text)} AS JSON)`;
    return call.type === 'string'
      ? `coalesce(json_extract_string(${json}, ${ctx.str(path)}), '')`
      : `json_extract(${json}, ${ctx.str(path)})`;
  },
  parse_url: parseUrl,
  range: rangeArray,
  binary_and: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} & ${ctx.as(call.args[1], 'long')})`,
  binary_or: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} | ${ctx.as(call.args[1], 'long')})`,
  binary_xor: (call, ctx) =>
    `xor(${ctx.as(call.args[0], 'long')}, ${ctx.as(call.args[1], 'long')})`,
  binary_not: (call, ctx) => `(~${ctx.as(call.args[0], 'long')})`,
  binary_shift_left: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} << ${ctx.as(call.args[1], 'long')})`,
  binary_shift_right: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} >> ${ctx.as(call.args[1], 'long')})`,
  bin_at: binAt,
  array_slice: arraySlice,
  array_concat: (call, ctx) =>
    `to_json(flatten([${call.args.map(a => jsonList(ctx, a)).join(', ')}]))`,
  array_reverse: (call, ctx) =>
    `to_json(list_reverse(${jsonList(ctx, call.args[0])}))`,
  array_sum: (call, ctx) =>
    `list_sum(list_transform(${jsonList(ctx, call.args[0])}, v -> TRY_CAST(json_extract_string(v, '$') AS DOUBLE)))`,
  // A null element is an empty string between delimiters.
  strcat_array: (call, ctx) =>
    `coalesce(array_to_string(list_transform(json_extract_string(${ctx.as(call.args[0], 'dynamic')}, '$[*]'), v -> coalesce(v, '')), ${ctx.str(call.args[1])}), '')`,
  bag_merge: bagMerge,
  tohex: (call, ctx) => {
    const [n, width] = call.args;
    const hex = `lower(hex(${ctx.as(n, 'long')}))`;
    return width
      ? `lpad(${hex}, greatest(${ctx.as(width, 'long')}, length(${hex})), '0')`
      : hex;
  },
  degrees: fn('degrees', ['real']),
  radians: fn('radians', ['real']),
  acos: outsideDomain('acos', x => `abs(${x}) > 1`),
  asin: outsideDomain('asin', x => `abs(${x}) > 1`),
  atan: fn('atan', ['real']),
  atan2: fn('atan2', ['real', 'real']),
  cos: fn('cos', ['real']),
  sin: fn('sin', ['real']),
  tan: fn('tan', ['real']),
  cot: fn('cot', ['real']),
  pi: () => 'pi()',
  geo_info_from_ip_address: geoInfo,
  // network
  parse_ipv4: (call, ctx) => ipv4(ctx.str(call.args[0])),
  // The fewest bits of the two addresses' own prefixes (`/24`) and the prefix argument count.
  ipv4_is_match: (call, ctx) => {
    const [a, b, prefix] = call.args;
    const [x, y] = [ctx.str(a), ctx.str(b)];
    const own = (ip: string) =>
      `coalesce(TRY_CAST(nullif(split_part(${ip}, '/', 2), '') AS BIGINT), 32)`;
    const bits = `least(${own(x)}, ${own(y)}, ${prefix ? ctx.as(prefix, 'long') : '32'})`;
    return `((${ipv4(x)} >> (32 - ${bits})) = (${ipv4(y)} >> (32 - ${bits})))`;
  },
  ipv4_is_in_range: ipv4InRange,
  ipv4_is_private: ipv4Private,
  // aggregates
  count: countFn,
  countif: (call, ctx) =>
    `coalesce(count_if(${ctx.as(call.args[0], 'bool')}), 0)`,
  dcount,
  dcountif,
  sum: zeroWhenEmpty(aggregate('sum')),
  sumif: zeroWhenEmpty(conditional('sum')),
  avg: nanWhenEmpty(aggregate('avg', 'real')),
  avgif: nanWhenEmpty(conditional('avg', 'real')),
  min: aggregate('min'),
  max: aggregate('max'),
  minif: conditional('min'),
  maxif: conditional('max'),
  stdev: spread('stddev_samp'),
  stdevp: spread('stddev_pop'),
  variance: spread('var_samp'),
  variancep: spread('var_pop'),
  take_any: aggregate('any_value'),
  any: aggregate('any_value'),
  make_list: makeList(false, false),
  make_set: makeList(true, false),
  make_list_if: makeList(false, true),
  make_set_if: makeList(true, true),
  percentile,
  ...libraryFunctions(),
  ...geoFunctions()
};

/** Aggregate functions (they make `summarize` group). */
export const AGGREGATES: ReadonlySet<string> = new Set([
  'count',
  'countif',
  'dcount',
  'dcountif',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'min',
  'max',
  'minif',
  'maxif',
  'stdev',
  'stdevp',
  'variance',
  'variancep',
  'take_any',
  'any',
  'make_list',
  'make_set',
  'make_list_if',
  'make_set_if',
  'percentile',
  'percentiles',
  'arg_max',
  'arg_min',
  ...LIBRARY_AGGREGATES
]);
