/**
 * Kusto's `series_*` functions: dynamic arrays of numbers (what `make-series` and `make_list`
 * produce) computed element by element, summarised, filled and fitted, each as Kusto's
 * documentation defines it. `library.ts` merges these entries into the function table.
 *
 * A series is a DuckDB `JSON` array; its elements are read as JSON values (so that a fill keeps
 * each element's own type) or as doubles (`null` for anything that is not a number). A value used
 * several times is bound once by a lambda (`bind`), so nested series calls do not repeat their SQL.
 */
import type { Expr, ICall } from '../ast';
import { UnsupportedError } from '../diagnostics';
import { isNumeric } from '../types';
import type { IDialect, SqlFunction } from './dialect';
import { datetimeJsonText, timespanText } from './functions/datetime';
import { jsonList, rangeArray } from './functions/dynamic';
import type { Emit } from './functions/emit';
import { integerArithmetic } from './functions/operators';

/** The parameter names of the lambdas that are open while a body is built. */
let depth = 0;

/**
 * SQL that evaluates each of `values` once and gives `body` names for them: a one-element list
 * mapped by a lambda. Names carry the nesting depth, so an inner binding never hides an outer one.
 */
export function bind(
  d: IDialect,
  values: string[],
  body: (...names: string[]) => string
): string {
  const level = depth++;
  try {
    const names = values.map((_, i) => `__s${level}_${i}`);
    const inner = body(...names);
    return values.reduceRight(
      (sql, value, i) =>
        d.at(
          `(${d.fn('list_transform')}(${d.list([value])}, ${names[i]} -> ${sql}))`,
          '1'
        ),
      inner
    );
  } finally {
    depth--;
  }
}

/** A fresh name for an element index inside `body`. */
function index(body: (i: string) => string): string {
  const level = depth++;
  try {
    return body(`__i${level}`);
  } finally {
    depth--;
  }
}

/** A fresh lambda parameter name for `body`. */
function param(body: (v: string) => string): string {
  const level = depth++;
  try {
    return body(`__v${level}`);
  } finally {
    depth--;
  }
}

function isArray(e: Expr): boolean {
  return e.type === 'dynamic' || e.type === 'unknown';
}

/** True for a JSON element that is a number. */
function isNumber(d: IDialect, v: string): string {
  return `${d.fn('coalesce')}(${d.fn('json_type')}(${v}) IN ('BIGINT', 'UBIGINT', 'DOUBLE'), FALSE)`;
}

function isInteger(d: IDialect, v: string): string {
  return `${d.fn('coalesce')}(${d.fn('json_type')}(${v}) IN ('BIGINT', 'UBIGINT'), FALSE)`;
}

/** A JSON element as a double, null when it is not a number. */
function asDouble(d: IDialect, v: string): string {
  return `CASE WHEN ${isNumber(d, v)} THEN CAST(${v} AS DOUBLE) END`;
}

/** A series' numbers as a DOUBLE list (null elements for non-numbers; null for a non-array). */
function doubles(d: IDialect, list: string): string {
  return param(
    v => `${d.fn('list_transform')}(${list}, ${v} -> ${asDouble(d, v)})`
  );
}

/** An argument as JSON elements: the array's, or the scalar's JSON value for every index. */
function operand(
  call: ICall,
  e: Expr,
  ctx: Parameters<Emit>[1]
): { sql: string; array: boolean } {
  if (isArray(e)) {
    return { sql: jsonList(ctx, e), array: true };
  }
  if (e.type === 'string' || e.type === 'bool') {
    throw new UnsupportedError(
      `${call.name}() of a ${e.type}`,
      e.span,
      'pass a numeric array or number'
    );
  }
  return { sql: ctx.fn('to_json', ctx.sql(e)), array: false };
}

/**
 * A function of two series (or a series and a number) element by element, as long as the longer
 * series; `element` gives the result's JSON element from the two JSON elements.
 */
function elementwise(
  element: (a: string, b: string, d: IDialect) => string
): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    return twoSeries(call, ctx, 'greatest', (n, at) =>
      index(
        i =>
          `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${n} + 1`])}, ${i} -> ${element(...at(i), d)})`])}`
      )
    );
  };
}

/**
 * The two operands of a series function, bound once: `n` is the length of the array operands
 * (`span` `greatest` runs to the longer one, `least` stops at the shorter), and `at(i)` gives each
 * operand's i-th element (a number stands for every element).
 */
function twoSeries(
  call: ICall,
  ctx: Parameters<Emit>[1],
  span: 'greatest' | 'least',
  body: (n: string, at: (i: string) => [string, string]) => string
): string {
  const d = ctx.ctx.dialect;
  const [x, y] = [
    operand(call, call.args[0], ctx),
    operand(call, call.args[1], ctx)
  ];
  return bind(d, [x.sql, y.sql], (a, b) => {
    const lengths = [
      x.array ? `${d.fn('len')}(${a})` : null,
      y.array ? `${d.fn('len')}(${b})` : null
    ].filter((l): l is string => l !== null);
    const n =
      lengths.length === 1
        ? lengths[0]
        : `${d.fn(span)}(${lengths.join(', ')})`;
    return body(n, i => [
      x.array ? `${a}[${i}]` : a,
      y.array ? `${b}[${i}]` : b
    ]);
  });
}

/** `+`, `-`, `*`: integers stay integers (wrapped to 64 bits as Kusto does), else doubles. */
function arithmetic(op: '+' | '-' | '*'): Emit {
  return elementwise(
    (a, b, d) =>
      `CASE WHEN ${isInteger(d, a)} AND ${isInteger(d, b)} THEN ${d.call('to_json', [integerArithmetic(d, op, `CAST(${a} AS BIGINT)`, `CAST(${b} AS BIGINT)`, 'long')])} WHEN ${isNumber(d, a)} AND ${isNumber(d, b)} THEN ${d.call('to_json', [`CAST(${a} AS DOUBLE) ${op} CAST(${b} AS DOUBLE)`])} END`
  );
}

/** A double-valued function of two numbers, null unless both are numbers. */
function real2(sql: (a: string, b: string, d: IDialect) => string): Emit {
  return elementwise(
    (a, b, d) =>
      `CASE WHEN ${isNumber(d, a)} AND ${isNumber(d, b)} THEN ${d.call('to_json', [sql(`CAST(${a} AS DOUBLE)`, `CAST(${b} AS DOUBLE)`, d)])} END`
  );
}

/** A comparison of two numbers, null unless both are numbers. */
function comparison(op: string): Emit {
  return elementwise(
    (a, b, d) =>
      `CASE WHEN ${isNumber(d, a)} AND ${isNumber(d, b)} THEN ${d.call('to_json', [`CAST(${a} AS DOUBLE) ${op} CAST(${b} AS DOUBLE)`])} END`
  );
}

const NAN = "CAST('nan' AS DOUBLE)";
const INFINITY = "CAST('inf' AS DOUBLE)";

/** .NET's double division: a zero divisor gives an infinity or NaN, not DuckDB's null. */
function divide(a: string, b: string): string {
  return `CASE WHEN ${b} <> 0 THEN ${a} / ${b} WHEN ${a} > 0 THEN ${INFINITY} WHEN ${a} < 0 THEN -${INFINITY} ELSE ${NAN} END`;
}

/** A function of each element; `integer` keeps an integer element an integer. */
function unary(
  sql: (x: string, d: IDialect) => string,
  integer?: (x: string, d: IDialect) => string
): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    return bind(d, [jsonList(ctx, call.args[0])], s =>
      param(
        v =>
          `${d.call('to_json', [`${d.fn('list_transform')}(${s}, ${v} -> CASE ${integer ? `WHEN ${isInteger(d, v)} THEN ${d.call('to_json', [integer(`CAST(${v} AS BIGINT)`, d)])} ` : ''}WHEN ${isNumber(d, v)} THEN ${d.call('to_json', [sql(`CAST(${v} AS DOUBLE)`, d)])} END)`])}`
      )
    );
  };
}

/** Kusto's (.NET's) answers outside a function's domain: NaN, and -inf for log(0). */
const UNARY: Record<string, Emit> = {
  series_abs: unary(
    (x, d) => `${d.fn('abs')}(${x})`,
    (x, d) => `${d.fn('abs')}(${x})`
  ),
  series_sign: unary(
    (x, d) => `${d.fn('sign')}(${x})`,
    (x, d) => `${d.fn('sign')}(${x})`
  ),
  series_ceiling: unary((x, d) => `${d.fn('ceil')}(${x})`),
  series_floor: unary((x, d) => `${d.fn('floor')}(${x})`),
  series_exp: unary((x, d) => `${d.fn('exp')}(${x})`),
  series_log: unary(
    (x, d) =>
      `CASE WHEN ${x} = 0 THEN -${INFINITY} WHEN ${x} < 0 THEN ${NAN} ELSE ${d.fn('ln')}(${x}) END`
  ),
  series_sin: unary((x, d) => `${d.fn('sin')}(${x})`),
  series_cos: unary((x, d) => `${d.fn('cos')}(${x})`),
  series_tan: unary((x, d) => `${d.fn('tan')}(${x})`),
  series_asin: unary(
    (x, d) =>
      `CASE WHEN ${d.fn('abs')}(${x}) > 1 THEN ${NAN} ELSE ${d.fn('asin')}(${x}) END`
  ),
  series_acos: unary(
    (x, d) =>
      `CASE WHEN ${d.fn('abs')}(${x}) > 1 THEN ${NAN} ELSE ${d.fn('acos')}(${x}) END`
  ),
  series_atan: unary((x, d) => `${d.fn('atan')}(${x})`)
};

// -------------------------------------------------------------------------------------------------
// Whole-series values

/**
 * The pairs of two series' numbers up to the shorter one's length, pairs with a non-number left
 * out (`series_dot_product`, `series_cosine_similarity`); a number instead of a series pairs with
 * every element. Null when either array is empty.
 */
function pairs(
  call: ICall,
  ctx: Parameters<Emit>[1],
  body: (p: string) => string
): string {
  const d = ctx.ctx.dialect;
  return twoSeries(call, ctx, 'least', (n, at) => {
    const list = index(i => {
      const [ea, eb] = at(i);
      return param(
        p =>
          `${d.fn('list_filter')}(${d.fn('list_transform')}(${d.call('range', [`1`, `${n} + 1`])}, ${i} -> {'a': ${asDouble(d, ea)}, 'b': ${asDouble(d, eb)}}), ${p} -> ${p}.a IS NOT NULL AND ${p}.b IS NOT NULL)`
      );
    });
    return bind(d, [list], p => `CASE WHEN ${n} > 0 THEN ${body(p)} END`);
  });
}

/** The sum of a list of doubles computed by `term` from each element `e`. */
function sumOf(d: IDialect, list: string, term: (e: string) => string): string {
  return param(
    e =>
      `${d.fn('coalesce')}(${d.call('list_sum', [`${d.fn('list_transform')}(${list}, ${e} -> ${term(e)})`])}, 0)`
  );
}

const dotProduct: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return pairs(call, ctx, p => sumOf(d, p, e => `${e}.a * ${e}.b`));
};

const cosineSimilarity: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return pairs(call, ctx, p => {
    const [, , m1, m2] = call.args;
    const magnitude1 = m1
      ? ctx.as(m1, 'real')
      : `${d.fn('sqrt')}(${sumOf(d, p, e => `${e}.a * ${e}.a`)})`;
    const magnitude2 = m2
      ? ctx.as(m2, 'real')
      : `${d.fn('sqrt')}(${sumOf(d, p, e => `${e}.b * ${e}.b`)})`;
    return divide(
      sumOf(d, p, e => `${e}.a * ${e}.b`),
      `(${magnitude1} * ${magnitude2})`
    );
  });
};

/** `series_pearson_correlation`: null when an element is not a number or the lengths differ. */
const pearson: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    [
      doubles(d, jsonList(ctx, call.args[0])),
      doubles(d, jsonList(ctx, call.args[1]))
    ],
    (a, b) =>
      index(i => {
        const ma = `${d.fn('list_avg')}(${a})`;
        const mb = `${d.fn('list_avg')}(${b})`;
        const terms = (f: (i: string) => string) =>
          `${d.call('list_sum', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${a}) + 1`])}, ${i} -> ${f(i)})`])}`;
        const covariance = terms(
          k => `(${a}[${k}] - ${ma}) * (${b}[${k}] - ${mb})`
        );
        const spread = terms(
          k => `(${a}[${k}] - ${ma}) * (${a}[${k}] - ${ma})`
        );
        const spreadB = terms(
          k => `(${b}[${k}] - ${mb}) * (${b}[${k}] - ${mb})`
        );
        return `CASE WHEN ${d.fn('len')}(${a}) = ${d.fn('len')}(${b}) AND ${complete(d, a)} AND ${complete(d, b)} THEN ${covariance} / ${d.fn('sqrt')}(${spread} * ${spreadB}) END`;
      })
  );
};

/** A list's aggregate, the aggregate function named by the dialect (`list_aggregate(l, 'var_samp')`). */
function listAggregate(d: IDialect, list: string, name: SqlFunction): string {
  return `${d.fn('list_aggregate')}(${list}, ${d.string(d.fn(name))})`;
}

/** True when a list of doubles has no null (a non-number in the series). */
function complete(d: IDialect, list: string): string {
  return `${d.call('list_position', [list, `NULL`])} IS NULL`;
}

const product: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [doubles(d, jsonList(ctx, call.args[0]))], s =>
    param(
      v =>
        `CASE WHEN ${s} IS NOT NULL THEN ${d.call('list_reduce', [`${d.call('list_prepend', [`1.0::DOUBLE`, s])}`, `(__p, ${v}) -> __p * ${v}`])} END`
    )
  );
};

const magnitude: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    [doubles(d, jsonList(ctx, call.args[0]))],
    s => `${d.fn('sqrt')}(${sumOf(d, s, e => `${e} * ${e}`)})`
  );
};

// -------------------------------------------------------------------------------------------------
// Statistics

/**
 * The statistics of `series_stats`/`series_stats_dynamic` as a JSON object: min and max with
 * their first zero-based positions, avg, sample stdev and variance, sum and len. A non-finite
 * element (null, NaN, an infinity) makes them null unless `ignore_nonfinite`.
 */
function stats(
  call: ICall,
  ctx: Parameters<Emit>[1],
  dynamic: boolean
): string {
  const d = ctx.ctx.dialect;
  const [series, ignore] = call.args;
  const skip = ignore ? ctx.as(ignore, 'bool') : 'FALSE';
  return bind(d, [doubles(d, jsonList(ctx, series)), skip], (all, skipping) =>
    param(v =>
      bind(
        d,
        [
          `${d.fn('list_filter')}(${all}, ${v} -> ${d.call('isfinite', [v])})`,
          `${d.fn('len')}(${d.fn('list_filter')}(${all}, ${v} -> ${v} IS NULL OR NOT ${d.call('isfinite', [v])})) > 0 AND NOT ${d.fn('coalesce')}(${skipping}, FALSE)`
        ],
        (s, spoilt) => {
          const value = (sql: string) =>
            `CASE WHEN NOT ${spoilt} THEN ${sql} END`;
          const min = `${d.fn('list_min')}(${s})`;
          const max = `${d.fn('list_max')}(${s})`;
          const entries: [string, string][] = [
            ['min', value(min)],
            ['min_idx', value(`${d.call('list_position', [all, min])} - 1`)],
            ['max', value(max)],
            ['max_idx', value(`${d.call('list_position', [all, max])} - 1`)],
            ['avg', value(`${d.fn('list_avg')}(${s})`)],
            ['stdev', value(listAggregate(d, s, 'stddev_samp'))],
            ['variance', value(listAggregate(d, s, 'var_samp'))]
          ];
          if (dynamic) {
            entries.push(
              ['sum', value(`${d.call('list_sum', [s])}`)],
              ['len', `${d.fn('len')}(${all})`]
            );
          }
          return `CASE WHEN ${all} IS NOT NULL THEN ${d.call('json_object', [entries.map(([k, sql]) => `'${k}', ${sql}`).join(', ')])} END`;
        }
      )
    )
  );
}

// -------------------------------------------------------------------------------------------------
// Filling missing values

/** True for an element that stands for a missing value: null, or equal to the placeholder. */
function missing(d: IDialect, v: string, placeholder: string | null): string {
  return placeholder === null
    ? `(${v} IS NULL OR ${d.fn('json_type')}(${v}) = 'NULL')`
    : `(${v} IS NULL OR ${d.fn('json_type')}(${v}) = 'NULL' OR (${isNumber(d, v)} AND CAST(${v} AS DOUBLE) = ${placeholder}))`;
}

function placeholderOf(
  e: Expr | undefined,
  ctx: Parameters<Emit>[1]
): string | null {
  if (!e || (e.kind === 'literal' && e.value === null)) {
    return null;
  }
  return ctx.as(e, 'real');
}

/**
 * `series_fill_forward`/`series_fill_backward`: each missing element takes the nearest earlier
 * (later) present one; elements keep their own JSON type.
 */
function fillDirection(forward: boolean): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    const placeholder = placeholderOf(call.args[1], ctx);
    return bind(d, [jsonList(ctx, call.args[0])], s =>
      index(i =>
        param(j => {
          const present = (k: string) =>
            `NOT ${missing(d, `${s}[${k}]`, placeholder)}`;
          const source = forward
            ? `${d.fn('list_max')}(${d.fn('list_filter')}(${d.call('range', [`1`, `${i} + 1`])}, ${j} -> ${present(j)}))`
            : `${d.fn('list_min')}(${d.fn('list_filter')}(${d.call('range', [i, `${d.fn('len')}(${s}) + 1`])}, ${j} -> ${present(j)}))`;
          return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${s}) + 1`])}, ${i} -> CASE WHEN ${present(i)} THEN ${s}[${i}] ELSE ${d.fn('coalesce')}(${s}[${source}], ${s}[${i}]) END)`])}`;
        })
      )
    );
  };
}

/** `series_fill_const(series, value[, placeholder])`. */
const fillConst: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const placeholder = placeholderOf(call.args[2], ctx);
  return bind(
    d,
    [
      jsonList(ctx, call.args[0]),
      `${d.call('to_json', [ctx.sql(call.args[1])])}`
    ],
    (s, c) =>
      param(
        v =>
          `${d.call('to_json', [`${d.fn('list_transform')}(${s}, ${v} -> CASE WHEN ${missing(d, v, placeholder)} THEN ${c} ELSE ${v} END)`])}`
      )
  );
};

/**
 * `series_fill_linear(series[, placeholder[, fill_edges[, constant]]])`: missing elements between
 * two present ones on the line between them (truncated toward zero when every present element is
 * an integer, as Kusto rounds them); at the edges the nearest present value unless `fill_edges`
 * is false; a series with no present element is `constant` (0) throughout.
 */
const fillLinear: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [series, placeholderArg, edgesArg, constantArg] = call.args;
  const placeholder = placeholderOf(placeholderArg, ctx);
  const edges = edgesArg ? ctx.as(edgesArg, 'bool') : 'TRUE';
  const constant = constantArg
    ? `${d.call('to_json', [ctx.as(constantArg, 'real')])}`
    : `${d.call('to_json', [`0.0::DOUBLE`])}`;
  return bind(d, [jsonList(ctx, series), edges, constant], (s, fillEdges, c) =>
    index(i =>
      param(j => {
        const present = (k: string) =>
          `NOT ${missing(d, `${s}[${k}]`, placeholder)}`;
        return bind(
          d,
          [
            `${d.fn('list_filter')}(${d.call('range', [`1`, `${d.fn('len')}(${s}) + 1`])}, ${j} -> ${present(j)})`,
            `NOT ${d.fn('list_contains')}(${d.fn('list_transform')}(${d.fn('list_filter')}(${s}, ${j} -> NOT ${missing(d, j, placeholder)}), ${j} -> ${isInteger(d, j)}), FALSE)`
          ],
          (at, integers) => {
            const before = `${d.fn('list_max')}(${d.fn('list_filter')}(${at}, ${j} -> ${j} < ${i}))`;
            const after = `${d.fn('list_min')}(${d.fn('list_filter')}(${at}, ${j} -> ${j} > ${i}))`;
            const y = (k: string) => `CAST(${s}[${k}] AS DOUBLE)`;
            const line = `${y(before)} + (${y(after)} - ${y(before)}) * (${i} - ${before}) / (${after} - ${before})`;
            const interpolated = `CASE WHEN ${integers} THEN ${d.call('to_json', [`CAST(${d.call('trunc', [line])} AS BIGINT)`])} ELSE ${d.call('to_json', [line])} END`;
            return `CASE WHEN ${d.fn('len')}(${at}) = 0 THEN ${d.call('to_json', [`${d.fn('list_transform')}(${s}, ${j} -> ${c})`])} ELSE ${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${s}) + 1`])}, ${i} -> CASE WHEN ${present(i)} THEN ${s}[${i}] WHEN ${before} IS NOT NULL AND ${after} IS NOT NULL THEN ${interpolated} WHEN NOT ${fillEdges} THEN ${s}[${i}] ELSE ${s}[${d.fn('coalesce')}(${before}, ${after})] END)`])} END`;
          }
        );
      })
    )
  );
};

// -------------------------------------------------------------------------------------------------
// Regression and decomposition

/** The names `fittedLine` gives its body: the series, the line's parameters, values, residuals. */
interface ILine {
  ys: string;
  slope: string;
  interception: string;
  fitted: string;
  residuals: string;
}

/** The least-squares line through the numbers `ys` at x = 1, 2, …: its slope and interception. */
function lineOf(
  d: IDialect,
  ys: string,
  body: (slope: string, interception: string) => string
): string {
  const m = `${d.fn('len')}(${ys})`;
  const mean = `${d.fn('list_avg')}(${ys})`;
  const centre = `((${m} + 1) / 2.0)`;
  const sxy = index(i =>
    sumOf(
      d,
      `${d.fn('list_transform')}(${d.call('range', [`1`, `${m} + 1`])}, ${i} -> (${i} - ${centre}) * (${ys}[${i}] - ${mean}))`,
      e => e
    )
  );
  const sxx = `((${m}::DOUBLE * ${m} * ${m} - ${m}) / 12.0)`;
  return bind(d, [`${sxy} / ${sxx}`], slope =>
    bind(d, [`${mean} - ${slope} * ${centre}`], interception =>
      body(slope, interception)
    )
  );
}

/**
 * The least-squares line through the numbers `ys` (`series_fit_line`), drawn over the `over`
 * first positions (all of `ys` unless given), its residuals over `ys`.
 */
function fittedLine(
  d: IDialect,
  ys: string,
  body: (line: ILine) => string,
  over?: string
): string {
  const m = `${d.fn('len')}(${ys})`;
  return lineOf(d, ys, (slope, interception) =>
    index(i =>
      bind(
        d,
        [
          `${d.fn('list_transform')}(${d.call('range', [`1`, `${over ?? m} + 1`])}, ${i} -> ${slope} * ${i} + ${interception})`
        ],
        fitted =>
          bind(
            d,
            [
              `${d.fn('list_transform')}(${d.call('range', [`1`, `${m} + 1`])}, ${i} -> ${ys}[${i}] - ${fitted}[${i}])`
            ],
            residuals => body({ ys, slope, interception, fitted, residuals })
          )
      )
    )
  );
}

/**
 * The residual sum of squares of the line through `ys`, computed as `fittedLine` computes each
 * residual (so that equal fits compare equal) without building its lists.
 */
function residualSquares(d: IDialect, ys: string): string {
  return lineOf(d, ys, (slope, interception) =>
    index(i =>
      sumOf(
        d,
        `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${ys}) + 1`])}, ${i} -> ${ys}[${i}] - (${slope} * ${i} + ${interception}))`,
        e => `${e} * ${e}`
      )
    )
  );
}

/** The total and the residual sums of squares of a line. */
function squares(d: IDialect, line: ILine): [string, string] {
  const mean = `${d.fn('list_avg')}(${line.ys})`;
  return [
    sumOf(d, line.ys, e => `(${e} - ${mean}) * (${e} - ${mean})`),
    sumOf(d, line.residuals, e => `${e} * ${e}`)
  ];
}

/**
 * `series_fit_line`'s values as JSON object arguments: r-square (1 - residual / total sum of
 * squares), slope, the sample variance of the data and of the residuals, the interception and
 * the fitted values.
 */
function lineValues(d: IDialect, line: ILine): string {
  const [total, residual] = squares(d, line);
  return [
    `'rsquare', 1 - ${residual} / ${total}`,
    `'slope', ${line.slope}`,
    `'variance', ${listAggregate(d, line.ys, 'var_samp')}`,
    `'rvariance', ${listAggregate(d, line.residuals, 'var_samp')}`,
    `'interception', ${line.interception}`,
    `'line_fit', ${d.call('to_json', [line.fitted])}`
  ].join(', ');
}

/**
 * The least-squares line through a series' numbers at x = 1, 2, … (`series_fit_line`) as a JSON
 * object of `lineValues` (null when an element is not a number). The line is fitted on the first
 * `learn` points and drawn over all of them.
 */
function fitLine(
  d: IDialect,
  series: string,
  learn?: (n: string) => string
): string {
  return bind(d, [series], all =>
    bind(
      d,
      [
        learn
          ? `${d.call('list_slice', [all, `1`, learn(`${d.fn('len')}(${all})`)])}`
          : all
      ],
      ys =>
        fittedLine(
          d,
          ys,
          line =>
            `CASE WHEN ${complete(d, all)} THEN ${d.call('json_object', [lineValues(d, line)])} END`,
          `${d.fn('len')}(${all})`
        )
    )
  );
}

/**
 * `series_fit_2lines(_dynamic)`: as documented, each split of the series into two parts gets a
 * line per part (`series_fit_line`: x = 1, 2, … within the part), and the split with the largest
 * total r-square, 1 - (residual sums of squares of both parts) / (total sum of squares), wins;
 * among equal ones the first. `split_idx` is the zero-based index of the right part's first
 * point: `series_shapes_fl` in Kusto's function library reads the left line's last value at
 * x = split_idx and the right line's first at x = 1. Each part has at least two points, as a
 * line through one point has no slope. A series with no such split (fewer than 4 numbers) or
 * with no variance (every split fits: which one Kusto reports is not documented) stops the
 * query. `_dynamic` nests the sides' values in `left` and `right`, as its documentation and
 * `series_shapes_fl` read them; the columns of `series_fit_2lines` are `left_slope`…
 */
function fitTwoLines(d: IDialect, series: string, nested: boolean): string {
  const n = (ys: string) => `${d.fn('len')}(${ys})`;
  const left = (ys: string, at: string) =>
    `${d.call('list_slice', [ys, `1`, at])}`;
  const right = (ys: string, at: string) =>
    `${d.call('list_slice', [ys, `${at} + 1`, n(ys)])}`;
  const residual = (part: string) =>
    bind(d, [part], p => residualSquares(d, p));
  const refusal = `${d.fn('error')}('not supported locally: series_fit_2lines() of fewer than 4 numbers or of equal numbers (which split Kusto reports then is not documented)')`;
  return bind(d, [series], ys => {
    const mean = `${d.fn('list_avg')}(${ys})`;
    const total = sumOf(d, ys, e => `(${e} - ${mean}) * (${e} - ${mean})`);
    return bind(d, [total], sst => {
      const rsquares = param(
        k =>
          `${d.fn('list_transform')}(${d.call('range', [`2`, `${n(ys)} - 1`])}, ${k} -> 1 - (${residual(left(ys, k))} + ${residual(right(ys, k))}) / ${sst})`
      );
      return bind(d, [rsquares], r2 =>
        bind(
          d,
          [
            `${d.call('list_position', [r2, `${d.fn('list_max')}(${r2})`])} + 1`
          ],
          split =>
            bind(d, [left(ys, split), right(ys, split)], (l, r) =>
              fittedLine(d, l, leftLine =>
                fittedLine(d, r, rightLine =>
                  bind(
                    d,
                    [
                      `${d.fn('list_concat')}(${leftLine.fitted}, ${rightLine.fitted})`,
                      `${d.fn('list_concat')}(${leftLine.residuals}, ${rightLine.residuals})`
                    ],
                    (fitted, residuals) => {
                      const sides = nested
                        ? `'right', ${d.call('json_object', [sideValues(d, rightLine, '')])}, 'left', ${d.call('json_object', [sideValues(d, leftLine, '')])}`
                        : `${sideValues(d, rightLine, 'right_')}, ${sideValues(d, leftLine, 'left_')}`;
                      const values = `${d.call('json_object', [`'rsquare'`, `1 - ${sumOf(d, residuals, e => `${e} * ${e}`)} / ${sst}`, `'split_idx'`, split, `'variance'`, listAggregate(d, ys, 'var_samp'), `'rvariance'`, listAggregate(d, residuals, 'var_samp'), `'line_fit'`, `${d.call('to_json', [fitted])}`, sides])}`;
                      return `CASE WHEN NOT ${complete(d, ys)} THEN NULL WHEN ${split} IS NULL OR ${d.fn('isnan')}(${d.fn('list_max')}(${r2})) THEN ${refusal} ELSE ${values} END`;
                    }
                  )
                )
              )
            )
        )
      );
    });
  });
}

/** One side's values in `series_fit_2lines`, in the order Kusto's binder lists them. */
function sideValues(d: IDialect, line: ILine, prefix: string): string {
  const [total, residual] = squares(d, line);
  return [
    `'${prefix}rsquare', 1 - ${residual} / ${total}`,
    `'${prefix}slope', ${line.slope}`,
    `'${prefix}interception', ${line.interception}`,
    `'${prefix}variance', ${listAggregate(d, line.ys, 'var_samp')}`,
    `'${prefix}rvariance', ${listAggregate(d, line.residuals, 'var_samp')}`
  ].join(', ');
}

const seriesFitLine: Emit = (call, ctx) =>
  fitLine(
    ctx.ctx.dialect,
    doubles(ctx.ctx.dialect, jsonList(ctx, call.args[0]))
  );

/** A string argument's literal value, lower case, or the default when it is absent. */
function literalText(call: ICall, at: number, fallback: string): string {
  const arg = call.args[at];
  if (!arg) {
    return fallback;
  }
  if (arg.kind !== 'literal' || typeof arg.value !== 'string') {
    throw new UnsupportedError(
      `${call.name}() with a computed argument ${at + 1}`,
      arg.span
    );
  }
  return arg.value.toLowerCase();
}

/** An integer argument's literal value, or the default when it is absent. */
function literalNumber(call: ICall, at: number, fallback: number): number {
  const arg = call.args[at];
  if (!arg) {
    return fallback;
  }
  if (
    arg.kind !== 'literal' ||
    arg.value === null ||
    Number.isNaN(Number(arg.value))
  ) {
    throw new UnsupportedError(
      `${call.name}() with a computed argument ${at + 1}`,
      arg.span
    );
  }
  return Number(arg.value);
}

/**
 * `series_decompose(series, seasonality, trend, test_points)` without a seasonal component
 * (seasonality 0): the trend is the average (`avg`), the least-squares line (`linefit`) or 0
 * (`none`) of the first n - test_points points; baseline = trend, residual = series - baseline.
 * Seasonality found by Kusto's own period detection (-1, the default) or a phase median over a
 * given period are refused: their exact computation is not documented.
 */
const decompose: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const seasonality = literalNumber(call, 1, -1);
  if (seasonality !== 0) {
    throw new UnsupportedError(
      `${call.name}() with seasonality ${seasonality === -1 ? 'detection (-1, the default)' : seasonality}`,
      call.span,
      "Kusto's seasonality detection and seasonal component are its own algorithms; pass 0 for none"
    );
  }
  const trend = literalText(call, 2, 'avg');
  const test = literalNumber(call, 3, 0);
  const learn = (n: string) => `${n} - ${Math.max(0, Math.trunc(test))}`;
  return bind(d, [doubles(d, jsonList(ctx, call.args[0]))], ys => {
    let baseline: string;
    switch (trend) {
      case 'avg':
        baseline = index(
          i =>
            `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${ys}) + 1`])}, ${i} -> ${d.fn('list_avg')}(${d.call('list_slice', [ys, `1`, learn(`${d.fn('len')}(${ys})`)])}))`
        );
        break;
      case 'linefit':
        baseline = `CAST(${d.fn('json_extract')}(${fitLine(d, ys, learn)}, '$.line_fit') AS DOUBLE[])`;
        break;
      case 'none':
        baseline = `${d.fn('list_transform')}(${ys}, __x -> 0.0::DOUBLE)`;
        break;
      default:
        throw new UnsupportedError(
          `${call.name}() with trend '${trend}'`,
          call.span
        );
    }
    return bind(d, [baseline], b =>
      index(
        i =>
          `${d.call('json_object', [`'baseline'`, `${d.call('to_json', [b])}`, `'seasonal'`, `${d.call('to_json', [`${d.fn('list_transform')}(${ys}, __x -> 0.0::DOUBLE)`])}`, `'trend'`, `${d.call('to_json', [b])}`, `'residual'`, `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${ys}) + 1`])}, ${i} -> ${ys}[${i}] - ${b}[${i}])`])}`])}`
      )
    );
  });
};

/**
 * Functions whose computation Kusto does not document closely enough to reproduce: each refusal
 * says why rather than give other numbers.
 */
const UNDOCUMENTED: Record<string, string> = {
  series_decompose_anomalies:
    "the default seasonality is found by Kusto's own period detection, and the anomaly score's percentile and scaling are not documented",
  series_decompose_forecast:
    "the default seasonality is found by Kusto's own period detection",
  series_outliers:
    "the percentile interpolation and the score's scaling of Kusto's Tukey test are not documented",
  series_periods_detect:
    "Kusto's period detection and its scores are its own algorithm",
  series_periods_validate: "Kusto's period scores are its own algorithm",
  series_seasonal: "Kusto's seasonality detection is its own algorithm",
  series_fft: 'DuckDB has no Fourier transform',
  series_ifft: 'DuckDB has no Fourier transform'
};

/** The series functions, merged into the function table. */
export function seriesFunctions(): Record<string, Emit> {
  const refusals = Object.fromEntries(
    Object.entries(UNDOCUMENTED).map(([name, why]): [string, Emit] => [
      name,
      call => {
        throw new UnsupportedError(`${name}()`, call.span, why);
      }
    ])
  );
  return {
    ...refusals,
    ...UNARY,
    series_add: arithmetic('+'),
    series_subtract: arithmetic('-'),
    series_multiply: arithmetic('*'),
    series_divide: real2(divide),
    series_pow: real2((a, b, d) => `${d.fn('power')}(${a}, ${b})`),
    series_equals: comparison('='),
    series_not_equals: comparison('<>'),
    series_greater: comparison('>'),
    series_greater_equals: comparison('>='),
    series_less: comparison('<'),
    series_less_equals: comparison('<='),
    series_dot_product: dotProduct,
    series_cosine_similarity: cosineSimilarity,
    series_pearson_correlation: pearson,
    series_product: product,
    series_magnitude: magnitude,
    series_stats: (call, ctx) => stats(call, ctx, false),
    series_stats_dynamic: (call, ctx) => stats(call, ctx, true),
    series_fill_forward: fillDirection(true),
    series_fill_backward: fillDirection(false),
    series_fill_const: fillConst,
    series_fill_linear: fillLinear,
    series_fit_line: seriesFitLine,
    series_fit_line_dynamic: seriesFitLine,
    series_fit_2lines: (call, ctx) =>
      fitTwoLines(
        ctx.ctx.dialect,
        doubles(ctx.ctx.dialect, jsonList(ctx, call.args[0])),
        false
      ),
    series_fit_2lines_dynamic: (call, ctx) =>
      fitTwoLines(
        ctx.ctx.dialect,
        doubles(ctx.ctx.dialect, jsonList(ctx, call.args[0])),
        true
      ),
    series_decompose: decompose,
    range: (call, ctx) =>
      call.args.slice(0, 2).every(a => isNumeric(a.type))
        ? rangeArray(call, ctx)
        : rangeOfTimes(call, ctx)
  };
}

/**
 * `range(start, stop, step)` of datetimes or timespans: at most 1,048,576 elements, as Kusto caps
 * `range()`; timespans are counted in microseconds (DuckDB's `generate_series` has no interval
 * form).
 */
export const rangeOfTimes: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [start, stop, step] = call.args;
  if (!step) {
    throw new UnsupportedError(
      `${d.call('range', [])} of ${start.type} values without a step`,
      call.span
    );
  }
  const micros = (e: Expr) => `${d.fn('epoch_us')}(${d.epoch} + ${ctx.sql(e)})`;
  if (start.type === 'timespan') {
    return bind(
      d,
      [micros(start), micros(stop), micros(step)],
      (from, to, by) => {
        const last = `${from} + ${by} * 1048575`;
        const capped = `CASE WHEN ${by} > 0 THEN ${d.fn('least')}(${to}, ${last}) ELSE ${d.fn('greatest')}(${to}, ${last}) END`;
        return `${d.call('to_json', [`${d.fn('list_transform')}(${d.fn('generate_series')}(${from}, ${capped}, ${by}), __t -> ${timespanText(d, `${d.call('to_microseconds', [`__t`])}`)})`])}`;
      }
    );
  }
  return bind(
    d,
    [ctx.as(start, 'datetime'), ctx.as(stop, 'datetime'), ctx.sql(step)],
    (from, to, by) => {
      const last = `${from} + ${by} * 1048575`;
      const capped = `CASE WHEN ${by} > INTERVAL 0 SECOND THEN ${d.fn('least')}(${to}, ${last}) ELSE ${d.fn('greatest')}(${to}, ${last}) END`;
      return `${d.call('to_json', [`${d.fn('list_transform')}(${d.fn('generate_series')}(${from}, ${capped}, ${by}), __t -> ${datetimeJsonText(d, '__t')})`])}`;
    }
  );
};
