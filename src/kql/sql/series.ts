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
import type { IDialect } from './dialect';
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
  values: string[],
  body: (...names: string[]) => string
): string {
  const level = depth++;
  try {
    const names = values.map((_, i) => `__s${level}_${i}`);
    const inner = body(...names);
    return values.reduceRight(
      (sql, value, i) =>
        `(list_transform([${value}], ${names[i]} -> ${sql}))[1]`,
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
function isNumber(v: string): string {
  return `coalesce(json_type(${v}) IN ('BIGINT', 'UBIGINT', 'DOUBLE'), FALSE)`;
}

function isInteger(v: string): string {
  return `coalesce(json_type(${v}) IN ('BIGINT', 'UBIGINT'), FALSE)`;
}

/** A JSON element as a double, null when it is not a number. */
function asDouble(v: string): string {
  return `CASE WHEN ${isNumber(v)} THEN CAST(${v} AS DOUBLE) END`;
}

/** A series' numbers as a DOUBLE list (null elements for non-numbers; null for a non-array). */
function doubles(list: string): string {
  return param(v => `list_transform(${list}, ${v} -> ${asDouble(v)})`);
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
  return { sql: `to_json(${ctx.sql(e)})`, array: false };
}

/**
 * A function of two series (or a series and a number) element by element, as long as the longer
 * series; `element` gives the result's JSON element from the two JSON elements.
 */
function elementwise(
  element: (a: string, b: string, d: IDialect) => string
): Emit {
  return (call, ctx) => {
    const [x, y] = [
      operand(call, call.args[0], ctx),
      operand(call, call.args[1], ctx)
    ];
    return bind([x.sql, y.sql], (a, b) => {
      const lengths = [
        x.array ? `len(${a})` : null,
        y.array ? `len(${b})` : null
      ].filter((l): l is string => l !== null);
      const n =
        lengths.length === 1 ? lengths[0] : `greatest(${lengths.join(', ')})`;
      return index(
        i =>
          `to_json(list_transform(range(1, ${n} + 1), ${i} -> ${element(x.array ? `${a}[${i}]` : a, y.array ? `${b}[${i}]` : b, ctx.ctx.dialect)}))`
      );
    });
  };
}

/** `+`, `-`, `*`: integers stay integers (wrapped to 64 bits as Kusto does), else doubles. */
function arithmetic(op: '+' | '-' | '*'): Emit {
  return elementwise(
    (a, b, d) =>
      `CASE WHEN ${isInteger(a)} AND ${isInteger(b)} THEN to_json(${integerArithmetic(d, op, `CAST(${a} AS BIGINT)`, `CAST(${b} AS BIGINT)`, 'long')}) WHEN ${isNumber(a)} AND ${isNumber(b)} THEN to_json(CAST(${a} AS DOUBLE) ${op} CAST(${b} AS DOUBLE)) END`
  );
}

/** A double-valued function of two numbers, null unless both are numbers. */
function real2(sql: (a: string, b: string) => string): Emit {
  return elementwise(
    (a, b) =>
      `CASE WHEN ${isNumber(a)} AND ${isNumber(b)} THEN to_json(${sql(`CAST(${a} AS DOUBLE)`, `CAST(${b} AS DOUBLE)`)}) END`
  );
}

/** A comparison of two numbers, null unless both are numbers. */
function comparison(op: string): Emit {
  return elementwise(
    (a, b) =>
      `CASE WHEN ${isNumber(a)} AND ${isNumber(b)} THEN to_json(CAST(${a} AS DOUBLE) ${op} CAST(${b} AS DOUBLE)) END`
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
  sql: (x: string) => string,
  integer?: (x: string) => string
): Emit {
  return (call, ctx) =>
    bind([jsonList(ctx, call.args[0])], s =>
      param(
        v =>
          `to_json(list_transform(${s}, ${v} -> CASE ${integer ? `WHEN ${isInteger(v)} THEN to_json(${integer(`CAST(${v} AS BIGINT)`)}) ` : ''}WHEN ${isNumber(v)} THEN to_json(${sql(`CAST(${v} AS DOUBLE)`)}) END))`
      )
    );
}

/** Kusto's (.NET's) answers outside a function's domain: NaN, and -inf for log(0). */
const UNARY: Record<string, Emit> = {
  series_abs: unary(
    x => `abs(${x})`,
    x => `abs(${x})`
  ),
  series_sign: unary(
    x => `sign(${x})`,
    x => `sign(${x})`
  ),
  series_ceiling: unary(x => `ceil(${x})`),
  series_floor: unary(x => `floor(${x})`),
  series_exp: unary(x => `exp(${x})`),
  series_log: unary(
    x =>
      `CASE WHEN ${x} = 0 THEN -${INFINITY} WHEN ${x} < 0 THEN ${NAN} ELSE ln(${x}) END`
  ),
  series_sin: unary(x => `sin(${x})`),
  series_cos: unary(x => `cos(${x})`),
  series_tan: unary(x => `tan(${x})`),
  series_asin: unary(
    x => `CASE WHEN abs(${x}) > 1 THEN ${NAN} ELSE asin(${x}) END`
  ),
  series_acos: unary(
    x => `CASE WHEN abs(${x}) > 1 THEN ${NAN} ELSE acos(${x}) END`
  ),
  series_atan: unary(x => `atan(${x})`)
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
  const [x, y] = [
    operand(call, call.args[0], ctx),
    operand(call, call.args[1], ctx)
  ];
  return bind([x.sql, y.sql], (a, b) => {
    const lengths = [
      x.array ? `len(${a})` : null,
      y.array ? `len(${b})` : null
    ].filter((l): l is string => l !== null);
    const n =
      lengths.length === 1 ? lengths[0] : `least(${lengths.join(', ')})`;
    const list = index(i => {
      const ea = x.array ? `${a}[${i}]` : a;
      const eb = y.array ? `${b}[${i}]` : b;
      return param(
        p =>
          `list_filter(list_transform(range(1, ${n} + 1), ${i} -> {'a': ${asDouble(ea)}, 'b': ${asDouble(eb)}}), ${p} -> ${p}.a IS NOT NULL AND ${p}.b IS NOT NULL)`
      );
    });
    return bind([list], p => `CASE WHEN ${n} > 0 THEN ${body(p)} END`);
  });
}

/** The sum of a list of doubles computed by `term` from each element `e`. */
function sumOf(list: string, term: (e: string) => string): string {
  return param(
    e => `coalesce(list_sum(list_transform(${list}, ${e} -> ${term(e)})), 0)`
  );
}

const dotProduct: Emit = (call, ctx) =>
  pairs(call, ctx, p => sumOf(p, e => `${e}.a * ${e}.b`));

const cosineSimilarity: Emit = (call, ctx) =>
  pairs(call, ctx, p => {
    const [, , m1, m2] = call.args;
    const magnitude1 = m1
      ? ctx.as(m1, 'real')
      : `sqrt(${sumOf(p, e => `${e}.a * ${e}.a`)})`;
    const magnitude2 = m2
      ? ctx.as(m2, 'real')
      : `sqrt(${sumOf(p, e => `${e}.b * ${e}.b`)})`;
    return divide(
      sumOf(p, e => `${e}.a * ${e}.b`),
      `(${magnitude1} * ${magnitude2})`
    );
  });

/** `series_pearson_correlation`: null when an element is not a number or the lengths differ. */
const pearson: Emit = (call, ctx) =>
  bind(
    [
      doubles(jsonList(ctx, call.args[0])),
      doubles(jsonList(ctx, call.args[1]))
    ],
    (a, b) =>
      index(i => {
        const ma = `list_avg(${a})`;
        const mb = `list_avg(${b})`;
        const terms = (f: (i: string) => string) =>
          `list_sum(list_transform(range(1, len(${a}) + 1), ${i} -> ${f(i)}))`;
        const covariance = terms(
          k => `(${a}[${k}] - ${ma}) * (${b}[${k}] - ${mb})`
        );
        const spread = terms(
          k => `(${a}[${k}] - ${ma}) * (${a}[${k}] - ${ma})`
        );
        const spreadB = terms(
          k => `(${b}[${k}] - ${mb}) * (${b}[${k}] - ${mb})`
        );
        return `CASE WHEN len(${a}) = len(${b}) AND ${complete(a)} AND ${complete(b)} THEN ${covariance} / sqrt(${spread} * ${spreadB}) END`;
      })
  );

/** True when a list of doubles has no null (a non-number in the series). */
function complete(list: string): string {
  return `list_position(${list}, NULL) IS NULL`;
}

const product: Emit = (call, ctx) =>
  bind([doubles(jsonList(ctx, call.args[0]))], s =>
    param(
      v =>
        `CASE WHEN ${s} IS NOT NULL THEN list_reduce(list_prepend(1.0::DOUBLE, ${s}), (__p, ${v}) -> __p * ${v}) END`
    )
  );

const magnitude: Emit = (call, ctx) =>
  bind(
    [doubles(jsonList(ctx, call.args[0]))],
    s => `sqrt(${sumOf(s, e => `${e} * ${e}`)})`
  );

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
  const [series, ignore] = call.args;
  const skip = ignore ? ctx.as(ignore, 'bool') : 'FALSE';
  return bind([doubles(jsonList(ctx, series)), skip], (all, skipping) =>
    param(v =>
      bind(
        [
          `list_filter(${all}, ${v} -> isfinite(${v}))`,
          `len(list_filter(${all}, ${v} -> ${v} IS NULL OR NOT isfinite(${v}))) > 0 AND NOT coalesce(${skipping}, FALSE)`
        ],
        (s, spoilt) => {
          const value = (sql: string) =>
            `CASE WHEN NOT ${spoilt} THEN ${sql} END`;
          const min = `list_min(${s})`;
          const max = `list_max(${s})`;
          const entries: [string, string][] = [
            ['min', value(min)],
            ['min_idx', value(`list_position(${all}, ${min}) - 1`)],
            ['max', value(max)],
            ['max_idx', value(`list_position(${all}, ${max}) - 1`)],
            ['avg', value(`list_avg(${s})`)],
            ['stdev', value(`list_aggregate(${s}, 'stddev_samp')`)],
            ['variance', value(`list_aggregate(${s}, 'var_samp')`)]
          ];
          if (dynamic) {
            entries.push(
              ['sum', value(`list_sum(${s})`)],
              ['len', `len(${all})`]
            );
          }
          return `CASE WHEN ${all} IS NOT NULL THEN json_object(${entries.map(([k, sql]) => `'${k}', ${sql}`).join(', ')}) END`;
        }
      )
    )
  );
}

// -------------------------------------------------------------------------------------------------
// Filling missing values

/** True for an element that stands for a missing value: null, or equal to the placeholder. */
function missing(v: string, placeholder: string | null): string {
  return placeholder === null
    ? `(${v} IS NULL OR json_type(${v}) = 'NULL')`
    : `(${v} IS NULL OR json_type(${v}) = 'NULL' OR (${isNumber(v)} AND CAST(${v} AS DOUBLE) = ${placeholder}))`;
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
    const placeholder = placeholderOf(call.args[1], ctx);
    return bind([jsonList(ctx, call.args[0])], s =>
      index(i =>
        param(j => {
          const present = (k: string) =>
            `NOT ${missing(`${s}[${k}]`, placeholder)}`;
          const source = forward
            ? `list_max(list_filter(range(1, ${i} + 1), ${j} -> ${present(j)}))`
            : `list_min(list_filter(range(${i}, len(${s}) + 1), ${j} -> ${present(j)}))`;
          return `to_json(list_transform(range(1, len(${s}) + 1), ${i} -> CASE WHEN ${present(i)} THEN ${s}[${i}] ELSE coalesce(${s}[${source}], ${s}[${i}]) END))`;
        })
      )
    );
  };
}

/** `series_fill_const(series, value[, placeholder])`. */
const fillConst: Emit = (call, ctx) => {
  const placeholder = placeholderOf(call.args[2], ctx);
  return bind(
    [jsonList(ctx, call.args[0]), `to_json(${ctx.sql(call.args[1])})`],
    (s, c) =>
      param(
        v =>
          `to_json(list_transform(${s}, ${v} -> CASE WHEN ${missing(v, placeholder)} THEN ${c} ELSE ${v} END))`
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
  const [series, placeholderArg, edgesArg, constantArg] = call.args;
  const placeholder = placeholderOf(placeholderArg, ctx);
  const edges = edgesArg ? ctx.as(edgesArg, 'bool') : 'TRUE';
  const constant = constantArg
    ? `to_json(${ctx.as(constantArg, 'real')})`
    : `to_json(0.0::DOUBLE)`;
  return bind([jsonList(ctx, series), edges, constant], (s, fillEdges, c) =>
    index(i =>
      param(j => {
        const present = (k: string) =>
          `NOT ${missing(`${s}[${k}]`, placeholder)}`;
        return bind(
          [
            `list_filter(range(1, len(${s}) + 1), ${j} -> ${present(j)})`,
            `NOT list_contains(list_transform(list_filter(${s}, ${j} -> NOT ${missing(j, placeholder)}), ${j} -> ${isInteger(j)}), FALSE)`
          ],
          (at, integers) => {
            const before = `list_max(list_filter(${at}, ${j} -> ${j} < ${i}))`;
            const after = `list_min(list_filter(${at}, ${j} -> ${j} > ${i}))`;
            const y = (k: string) => `CAST(${s}[${k}] AS DOUBLE)`;
            const line = `${y(before)} + (${y(after)} - ${y(before)}) * (${i} - ${before}) / (${after} - ${before})`;
            const interpolated = `CASE WHEN ${integers} THEN to_json(CAST(trunc(${line}) AS BIGINT)) ELSE to_json(${line}) END`;
            return `CASE WHEN len(${at}) = 0 THEN to_json(list_transform(${s}, ${j} -> ${c})) ELSE to_json(list_transform(range(1, len(${s}) + 1), ${i} -> CASE WHEN ${present(i)} THEN ${s}[${i}] WHEN ${before} IS NOT NULL AND ${after} IS NOT NULL THEN ${interpolated} WHEN NOT ${fillEdges} THEN ${s}[${i}] ELSE ${s}[coalesce(${before}, ${after})] END)) END`;
          }
        );
      })
    )
  );
};

// -------------------------------------------------------------------------------------------------
// Regression and decomposition

/**
 * The least-squares line through a series' numbers at x = 1, 2, … (`series_fit_line`): r-square
 * (1 - residual / total sum of squares), slope, the sample variance of the data and of the
 * residuals, the interception and the fitted values, as a JSON object (null when an element is
 * not a number). The line is fitted on the first `learn` points and drawn over all of them.
 */
function fitLine(series: string, learn?: (n: string) => string): string {
  return bind([series], all =>
    bind([learn ? `list_slice(${all}, 1, ${learn(`len(${all})`)})` : all], ys =>
      index(i => {
        const m = `len(${ys})`;
        const mean = `list_avg(${ys})`;
        const centre = `((${m} + 1) / 2.0)`;
        const sxy = sumOf(
          `list_transform(range(1, ${m} + 1), ${i} -> (${i} - ${centre}) * (${ys}[${i}] - ${mean}))`,
          e => e
        );
        const sxx = `((${m}::DOUBLE * ${m} * ${m} - ${m}) / 12.0)`;
        return bind([`${sxy} / ${sxx}`], slope =>
          bind([`${mean} - ${slope} * ${centre}`], interception =>
            bind(
              [
                `list_transform(range(1, len(${all}) + 1), ${i} -> ${slope} * ${i} + ${interception})`
              ],
              fitted =>
                bind(
                  [
                    `list_transform(range(1, ${m} + 1), ${i} -> ${ys}[${i}] - ${fitted}[${i}])`
                  ],
                  residuals => {
                    const total = sumOf(
                      ys,
                      e => `(${e} - ${mean}) * (${e} - ${mean})`
                    );
                    const residual = sumOf(residuals, e => `${e} * ${e}`);
                    return `CASE WHEN ${complete(all)} THEN json_object('rsquare', 1 - ${residual} / ${total}, 'slope', ${slope}, 'variance', list_aggregate(${ys}, 'var_samp'), 'rvariance', list_aggregate(${residuals}, 'var_samp'), 'interception', ${interception}, 'line_fit', to_json(${fitted})) END`;
                  }
                )
            )
          )
        );
      })
    )
  );
}

const seriesFitLine: Emit = (call, ctx) =>
  fitLine(doubles(jsonList(ctx, call.args[0])));

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
  return bind([doubles(jsonList(ctx, call.args[0]))], ys => {
    let baseline: string;
    switch (trend) {
      case 'avg':
        baseline = index(
          i =>
            `list_transform(range(1, len(${ys}) + 1), ${i} -> list_avg(list_slice(${ys}, 1, ${learn(`len(${ys})`)})))`
        );
        break;
      case 'linefit':
        baseline = `CAST(json_extract(${fitLine(ys, learn)}, '$.line_fit') AS DOUBLE[])`;
        break;
      case 'none':
        baseline = `list_transform(${ys}, __x -> 0.0::DOUBLE)`;
        break;
      default:
        throw new UnsupportedError(
          `${call.name}() with trend '${trend}'`,
          call.span
        );
    }
    return bind([baseline], b =>
      index(
        i =>
          `json_object('baseline', to_json(${b}), 'seasonal', to_json(list_transform(${ys}, __x -> 0.0::DOUBLE)), 'trend', to_json(${b}), 'residual', to_json(list_transform(range(1, len(${ys}) + 1), ${i} -> ${ys}[${i}] - ${b}[${i}])))`
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
  series_fit_2lines:
    'the split points tried and the combined r-square are not documented',
  series_fit_2lines_dynamic:
    'the split points tried and the combined r-square are not documented',
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
    series_pow: real2((a, b) => `power(${a}, ${b})`),
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
  const [start, stop, step] = call.args;
  if (!step) {
    throw new UnsupportedError(
      `range() of ${start.type} values without a step`,
      call.span
    );
  }
  const micros = (e: Expr) => `epoch_us(TIMESTAMP 'epoch' + ${ctx.sql(e)})`;
  if (start.type === 'timespan') {
    return bind([micros(start), micros(stop), micros(step)], (from, to, by) => {
      const last = `${from} + ${by} * 1048575`;
      const capped = `CASE WHEN ${by} > 0 THEN least(${to}, ${last}) ELSE greatest(${to}, ${last}) END`;
      return `to_json(list_transform(generate_series(${from}, ${capped}, ${by}), __t -> to_microseconds(__t)))`;
    });
  }
  return bind(
    [ctx.as(start, 'datetime'), ctx.as(stop, 'datetime'), ctx.sql(step)],
    (from, to, by) => {
      const last = `${from} + ${by} * 1048575`;
      const capped = `CASE WHEN ${by} > INTERVAL 0 SECOND THEN least(${to}, ${last}) ELSE greatest(${to}, ${last}) END`;
      return `to_json(generate_series(${from}, ${capped}, ${by}))`;
    }
  );
};
