/**
 * Aggregate functions of `summarize`: `count`, `dcount`, `sum` (0 over no rows), `avg` (NaN over no
 * rows), `stdev`/`variance`, `make_list`/`make_set` (arrays contribute their elements), `percentile`.
 */
import { isNumeric, type ScalarType } from '../../types';
import type { SqlFunction } from '../dialect';
import type { Emit } from './emit';
import { NAN } from './math';

const aggregate =
  (name: SqlFunction, type?: ScalarType): Emit =>
  (call, ctx) =>
    ctx.fn(name, ...call.args.map(a => (type ? ctx.as(a, type) : ctx.sql(a))));

const conditional =
  (name: SqlFunction, valueType?: ScalarType): Emit =>
  (call, ctx) => {
    const [value, predicate] = call.args;
    return `${ctx.fn(name, valueType ? ctx.as(value, valueType) : ctx.sql(value))} FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
  };

/** Kusto's sum of no values (an empty input, or only nulls) is 0, not null. */
const zeroWhenEmpty =
  (emit: Emit): Emit =>
  (call, ctx) =>
    isNumeric(call.args[0]?.type ?? 'unknown')
      ? ctx.fn('coalesce', emit(call, ctx), '0')
      : emit(call, ctx);

/** Kusto's average of no values is NaN (0 / 0), not null. */
const nanWhenEmpty =
  (emit: Emit): Emit =>
  (call, ctx) =>
    ctx.fn('coalesce', emit(call, ctx), NAN);

/**
 * Standard deviation and variance: NaN when a value is infinite or NaN, as .NET's arithmetic
 * gives, where DuckDB stops the query. `stdev` and `variance` of no values are 0, their default
 * value in summarize-operator.md (`stdevp`, `variancep`: null, "all others").
 */
const spread =
  (name: SqlFunction, zeroWhenEmpty = false): Emit =>
  (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    const finite = ctx.fn('isfinite', x);
    const empty = zeroWhenEmpty ? `WHEN ${ctx.fn('count', x)} = 0 THEN 0 ` : '';
    return `CASE WHEN ${ctx.fn('bool_or', `NOT ${finite}`)} THEN ${NAN} ${empty}ELSE ${ctx.fn(name, x)} FILTER (WHERE ${finite}) END`;
  };

/** `make_list`/`make_set` (and `_if`): JSON arrays of the non-null values. */
const makeList =
  (distinct: boolean, conditionalArg: boolean): Emit =>
  (call, ctx) => {
    const [value, second, third] = call.args;
    const predicate = conditionalArg ? second : undefined;
    const limit = conditionalArg ? third : second;
    const d = ctx.ctx.dialect;
    const v = ctx.sql(value);
    const filters = [`${v} IS NOT NULL`];
    if (predicate) {
      filters.push(ctx.as(predicate, 'bool'));
    }
    if (value.type === 'dynamic') {
      filters.push(`${ctx.fn('json_type', v)} <> 'NULL'`);
    }
    const where = ` FILTER (WHERE ${filters.join(' AND ')})`;
    // Arrays contribute their elements, as Kusto's make_set page shows.
    // Datetimes and timespans as every dynamic value holds them (other scalars are the same).
    const element =
      value.type === 'datetime' || value.type === 'timespan'
        ? ctx.as(value, 'dynamic')
        : v;
    const elements = `CASE WHEN ${ctx.fn('json_type', v)} = 'ARRAY' THEN CAST(${v} AS ${d.listType(d.type('dynamic'))}) ELSE ${d.list([v])} END`;
    const flat = ctx.fn('flatten', `${ctx.fn('list', elements)}${where}`);
    const list =
      value.type === 'dynamic'
        ? distinct
          ? d.distinctDynamic(flat)
          : `(${flat})`
        : `${ctx.fn('list', `${distinct ? 'DISTINCT ' : ''}${element}`)}${where}`;
    const limited = limit
      ? ctx.fn('list_slice', list, '1', ctx.as(limit, 'long'))
      : list;
    return ctx.fn('coalesce', ctx.fn('to_json', limited), d.json('[]'));
  };

const dcount: Emit = (call, ctx) =>
  ctx.fn('count', `DISTINCT ${ctx.sql(call.args[0])}`);

const dcountif: Emit = (call, ctx) => {
  const [value, predicate] = call.args;
  return `${ctx.fn('count', `DISTINCT ${ctx.sql(value)}`)} FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
};

const percentile: Emit = (call, ctx) => {
  const [value, p] = call.args;
  return ctx.fn(
    'quantile_disc',
    ctx.sql(value),
    `${ctx.as(p, 'real')} / 100.0`
  );
};

const countFn: Emit = (call, ctx) =>
  ctx.fn('count', call.args.length === 0 ? '*' : ctx.sql(call.args[0]));

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const AGGREGATE_FUNCTIONS: Record<string, Emit> = {
  count_distinct: dcount,
  count: countFn,
  countif: (call, ctx) =>
    ctx.fn('coalesce', ctx.fn('count_if', ctx.as(call.args[0], 'bool')), '0'),
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
  stdev: spread('stddev_samp', true),
  stdevp: spread('stddev_pop'),
  variance: spread('var_samp', true),
  variancep: spread('var_pop'),
  take_any: aggregate('any_value'),
  any: aggregate('any_value'),
  make_list: makeList(false, false),
  make_set: makeList(true, false),
  make_list_if: makeList(false, true),
  make_set_if: makeList(true, true),
  percentile
};
