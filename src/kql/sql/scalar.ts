/**
 * Scalar expressions to SQL, with Kusto's semantics: strings are never null (a missing string is
 * `""`), string operators follow Kusto's case rules and `has` matches whole terms, dynamic values
 * are JSON, timespans are intervals. One table, `FUNCTIONS`, holds an entry per KQL operator and
 * function, merged from one file per family in `functions/` (operators, strings, conversions,
 * datetime, dynamic, math, network, aggregates) and `library.ts`; anything not in it is reported
 * as not supported locally.
 */
import type { Expr, Tabular } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { IDialect, SqlFunction } from './dialect';
import { isNumeric, type ScalarType } from '../types';
import type {
  Emit,
  IScalarContext,
  IScalarEmitter,
  ISerializedRows
} from './functions/emit';
import {
  datetimeJsonText,
  datetimeText,
  datetimeTicks,
  interval,
  parseTimespan,
  timespanText,
  DATETIME_FUNCTIONS
} from './functions/datetime';
import { arrayPath, DYNAMIC_FUNCTIONS } from './functions/dynamic';
import { COMPARISONS, OPERATOR_FUNCTIONS } from './functions/operators';
import { STRING_FUNCTIONS } from './functions/strings';
import { CONVERSION_FUNCTIONS } from './functions/conversions';
import { MATH_FUNCTIONS } from './functions/math';
import { NETWORK_FUNCTIONS } from './functions/network';
import { AGGREGATE_FUNCTIONS } from './functions/aggregates';
import { LIBRARY_AGGREGATES, libraryFunctions } from './library';
import { geoFunctions } from './geo';
import { bind } from './series';
import { h3Functions } from './h3';

/** Emits scalar expressions of one query. */
export class ScalarEmitter implements IScalarEmitter {
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

  /**
   * SQL for a `where` condition read in a join's `ON` clause: each column as `columns` names it on
   * the join's sides (`l."AlertTime"`, `r."TimeGenerated"` for Kusto's `TimeGenerated1`…).
   */
  predicateOver(e: Expr, columns: ReadonlyMap<string, string>): string {
    const outer = this._columns;
    this._columns = columns;
    try {
      return this.predicate(e);
    } finally {
      this._columns = outer;
    }
  }

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
          if (!this.ctx.dialect.capabilities.nanosecondTimestamps) {
            throw new UnsupportedError(
              `a datetime with 100-ns ticks on ${this.ctx.dialect.name}`,
              e.span
            );
          }
          if (year < 1678 || year > 2261) {
            throw new UnsupportedError(
              'a datetime with 100-ns ticks outside the years 1678-2261',
              e.span
            );
          }
        }
        return this.literal(e.type, e.value);
      case 'column':
        return (
          this._columns?.get(e.name) ?? this.ctx.dialect.identifier(e.name)
        );
      case 'member':
        return this.member(e.target, e.key);
      case 'star':
        throw new UnsupportedError('* here', e.span);
      case 'subquery': {
        const hoist = this._hoist;
        const relation = this.relation(e.query);
        const first = e.query.schema[0];
        if (!first) {
          throw new UnsupportedError('a subquery with no columns', e.span);
        }
        const sql = `(SELECT ${this.ctx.dialect.identifier(first.name)} FROM ${relation} LIMIT 1)`;
        if (!hoist) {
          return sql;
        }
        hoist.values.push(sql);
        return `${hoist.name}.${this.ctx.dialect.identifier(`v${hoist.values.length}`)}`;
      }
      case 'call': {
        const refusal = this.ctx.dialect.refusals[`${e.name}()`];
        if (refusal) {
          throw new UnsupportedError(
            `${e.name}() on ${this.ctx.dialect.name}`,
            e.span,
            refusal
          );
        }
        const emit = FUNCTIONS[e.name];
        if (!emit) {
          throw new UnsupportedError(
            `${e.name}${/^[a-z_]/.test(e.name) ? '()' : ''}`,
            e.span
          );
        }
        const sql = AGGREGATES.has(e.name)
          ? emit(e, this)
          : this.hoisting(() => emit(e, this), hasAggregate(e));
        const foreign = this.ctx.dialect.foreign(sql);
        if (foreign) {
          throw new UnsupportedError(
            `${e.name}() on ${this.ctx.dialect.name}`,
            e.span,
            `its SQL is still written with ${foreign}`
          );
        }
        return sql;
      }
    }
  }

  /**
   * SQL built with the values of the subqueries in it (`toscalar()`) bound first, outside it, when
   * it has a lambda or `TRY`: DuckDB rejects a subquery inside either, and function entries and
   * operators place their arguments in both. `aggregates` (or a window in the SQL) keeps the
   * subqueries in place, since neither may sit inside a lambda.
   */
  hoisting(build: () => string, aggregates = false): string {
    if (this._hoist) {
      return build();
    }
    const hoist = {
      name: `__scalars${++this._hoists}`,
      values: [] as string[]
    };
    this._hoist = hoist;
    let body: string;
    try {
      body = build();
    } finally {
      this._hoist = null;
    }
    const references = hoist.values.map(
      (_, i) => `${hoist.name}.${this.ctx.dialect.identifier(`v${i + 1}`)}`
    );
    if (
      !hoist.values.length ||
      aggregates ||
      / OVER \(/.test(body) ||
      !/->|\bTRY\(/i.test(body)
    ) {
      return references.reduce(
        (sql, reference, i) => sql.split(reference).join(hoist.values[i]),
        body
      );
    }
    const fields = hoist.values.map((sql, i) => `'v${i + 1}': ${sql}`);
    return `${this.fn('list_transform', `[{${fields.join(', ')}}]`, `${hoist.name} -> ${body}`)}[1]`;
  }

  /**
   * A tabular expression's relation. Its own expressions are emitted outside any binding of the
   * expression being built: its CTEs stand on their own, so a `toscalar()` in them is not bound by
   * a name they cannot see.
   */
  relation(query: Tabular): string {
    const hoist = this._hoist;
    this._hoist = null;
    try {
      return this.ctx.relation(query);
    } finally {
      this._hoist = hoist;
    }
  }

  /** The SQL of each column while `predicateOver` emits a condition over a join's sides. */
  private _columns: ReadonlyMap<string, string> | undefined = undefined;
  /** The subqueries of the expression being built by `hoisting`, and the name that binds them. */
  private _hoist: { name: string; values: string[] } | null = null;
  private _hoists = 0;

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
        return interval(d, String(value));
      case 'dynamic':
      case 'unknown':
        return d.json(String(value));
    }
  }

  /** SQL for an expression as a Kusto string: never null, dynamic strings unquoted. */
  str(e: Expr): string {
    const sql = this.sql(e);
    const d = this.ctx.dialect;
    const orEmpty = (text: string) => this.fn('coalesce', text, "''");
    switch (e.type) {
      case 'string':
      case 'guid':
        return e.kind === 'literal' ? sql : orEmpty(sql);
      case 'dynamic':
      case 'unknown':
        return orEmpty(this.fn('json_extract_string', sql, "'$'"));
      case 'datetime':
        return orEmpty(datetimeText(d, sql));
      case 'timespan':
        return orEmpty(timespanText(d, sql));
      case 'bool':
        // Kusto writes a bool as .NET does: tostring(false) is "False".
        return orEmpty(`CASE WHEN ${sql} THEN 'True' ELSE 'False' END`);
      case 'real':
        return orEmpty(bind(d, [sql], x => realText(d, x)));
      case 'decimal':
        // The local decimal has a fixed scale; Kusto writes `tostring(todecimal(1.5))` as "1.5".
        return orEmpty(
          this.fn(
            'regexp_replace',
            `CAST(${sql} AS ${d.type('string')})`,
            "'(\\.[0-9]*[1-9])0+$|\\.0+$'",
            "'\\1'"
          )
        );
      default:
        return orEmpty(`CAST(${sql} AS ${d.type('string')})`);
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
      return this.fromDynamic(this.sql(e), type);
    }
    if (type === 'dynamic') {
      // One rule for every dynamic value: datetimes and timespans as Kusto's JSON writes them.
      const d = this.ctx.dialect;
      const sql = this.sql(e);
      if (e.type === 'datetime') {
        return this.fn('to_json', datetimeJsonText(d, sql));
      }
      if (e.type === 'timespan') {
        return this.fn('to_json', timespanText(d, sql));
      }
      return this.fn('to_json', sql);
    }
    if (isNumeric(type) && (e.type === 'timespan' || e.type === 'datetime')) {
      // Kusto converts datetimes and timespans to numbers as 100-ns ticks, a datetime's since
      // 0001-01-01.
      const ticks =
        e.type === 'timespan'
          ? `${this.fn('epoch_us', `${this.ctx.dialect.epoch} + ${this.sql(e)}`)} * 10`
          : datetimeTicks(this.ctx.dialect, this.sql(e));
      return `TRY_CAST(${ticks} AS ${target})`;
    }
    return `TRY_CAST(${this.sql(e)} AS ${target})`;
  }

  /**
   * A dynamic value (JSON) as a scalar of a KQL type; a timespan as dynamic values hold it
   * (`2.00:00:00`, which no SQL cast reads).
   */
  fromDynamic(json: string, type: ScalarType): string {
    const text = this.fn('json_extract_string', json, "'$'");
    return type === 'timespan'
      ? parseTimespan(this.ctx.dialect, text)
      : `TRY_CAST(${text} AS ${this.ctx.dialect.type(type)})`;
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

  /** A call of a function the dialect spells: `name(args…)`. */
  fn(name: SqlFunction, ...args: string[]): string {
    return this.ctx.dialect.call(name, args);
  }

  private member(target: Expr, key: Expr): string {
    const json = this.as(target, 'dynamic');
    if (key.kind === 'literal' && key.value !== null) {
      const path =
        typeof key.value === 'number' ||
        key.type === 'long' ||
        key.type === 'int'
          ? arrayPath(Number(key.value))
          : null;
      return this.fn(
        'json_extract',
        json,
        path === null
          ? this.ctx.dialect.memberPath(String(key.value))
          : this.ctx.dialect.string(path)
      );
    }
    const index = this.sql(key);
    const path = isNumeric(key.type)
      ? `CASE WHEN ${index} < 0 THEN '$[#' || ${index} || ']' ELSE '$[' || ${index} || ']' END`
      : this.ctx.dialect.memberPathOf(this.str(key));
    return this.fn('json_extract', json, path);
  }
}

/**
 * One entry per KQL operator and function that runs locally: the families of `functions/`, then
 * Kusto's wider library (`library.ts`).
 */
const FUNCTIONS: Record<string, Emit> = {
  ...OPERATOR_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...NETWORK_FUNCTIONS,
  ...AGGREGATE_FUNCTIONS,
  ...libraryFunctions(),
  ...geoFunctions(),
  ...h3Functions()
};

/**
 * A real as .NET writes it (`Double.ToString()`): the shortest digits that read back (DuckDB's
 * too), positional from 1E-05 up to 1E+15 — whole numbers without a fraction (`1`) — scientific
 * outside (`1.5E+15`, `1E-05`), `NaN`, `Infinity`, `-Infinity`. `x` is a bound name.
 */
function realText(d: IDialect, x: string): string {
  const text = `CAST(${x} AS ${d.type('string')})`;
  // DuckDB writes 1E+15 up to 1E+16 positionally (`1500000000000000.0`): its digits, E+15.
  const digits = `${d.call('rtrim', [`${d.fn('replace')}(CAST(${d.fn('abs')}(${x}) AS ${d.type('string')}), '.', '')`, `'0'`])}`;
  const mantissa = `${d.fn('left')}(${digits}, 1) || CASE WHEN ${d.fn('len')}(${digits}) > 1 THEN '.' || ${d.fn('substr')}(${digits}, 2) ELSE '' END`;
  return `CASE WHEN ${d.fn('isnan')}(${x}) THEN 'NaN' WHEN ${d.call('isinf', [x])} THEN CASE WHEN ${x} > 0 THEN 'Infinity' ELSE '-Infinity' END WHEN ${x} = ${d.call('trunc', [x])} AND ${d.fn('abs')}(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS ${d.type('string')}) WHEN ${d.fn('abs')}(${x}) < 1e16 AND ${d.fn('abs')}(${x}) >= 1e15 THEN CASE WHEN ${x} < 0 THEN '-' ELSE '' END || ${mantissa} || 'E+15' ELSE ${d.fn('replace')}(${text}, 'e', 'E') END`;
}

/** True when an expression calls an aggregate function (outside its subqueries). */
function hasAggregate(e: Expr): boolean {
  switch (e.kind) {
    case 'call':
      return AGGREGATES.has(e.name) || e.args.some(hasAggregate);
    case 'member':
      return hasAggregate(e.target) || hasAggregate(e.key);
    default:
      return false;
  }
}

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
