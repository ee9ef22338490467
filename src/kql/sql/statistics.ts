/**
 * Kusto's statistical functions beyond `scalar.ts` and `library.ts`: the beta distribution's
 * density and cumulative function, Welch's t-test, the error function, and weighted nearest-rank percentiles (`percentilew`,
 * `percentilesw`, `percentilesw_array`), as Kusto's documentation defines them.
 */
import type { Expr } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { IDialect } from './dialect';
import type { Emit, IScalarEmitter } from './functions/emit';
import { bind } from './series';

const NAN = "CAST('nan' AS DOUBLE)";

/** ln B(a, b), the logarithm of the beta function. */
function logBeta(d: IDialect, a: string, b: string): string {
  return `(${d.fn('lgamma')}(${a}) + ${d.fn('lgamma')}(${b}) - ${d.fn('lgamma')}(${a} + ${b}))`;
}

/**
 * `beta_pdf(x, alpha, beta)`: the beta density; NaN for x outside (0, 1) or a parameter that is
 * not positive.
 */
const betaPdf: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    call.args.map(a => ctx.as(a, 'real')),
    (x, a, b) =>
      `CASE WHEN ${x} IS NULL OR ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${x} <= 0 OR ${x} >= 1 OR ${a} <= 0 OR ${b} <= 0 THEN ${NAN} ELSE ${d.fn('exp')}((${a} - 1) * ${d.fn('ln')}(${x}) + (${b} - 1) * ${d.fn('ln')}(1 - ${x}) - ${logBeta(d, a, b)}) END`
  );
};

/** Lentz's guard against a zero denominator in the continued fraction. */
function guard(d: IDialect, v: string): string {
  return `CASE WHEN ${d.fn('abs')}(${v}) < 1e-300 THEN 1e-300 ELSE ${v} END`;
}

/** Steps of the continued fraction: ample for parameters up to 10000 at double precision. */
const FRACTION_TERMS = 300;

/**
 * The continued fraction of the regularized incomplete beta function (Numerical Recipes'
 * `betacf`), by Lentz's method: a fold over its terms carrying [c, d, h], each term a step of
 * even (`[m, 0]`) or odd (`[m, 1]`) index.
 */
function betaFraction(d: IDialect, a: string, b: string, x: string): string {
  const qab = `(${a} + ${b})`;
  const qap = `(${a} + 1)`;
  const qam = `(${a} - 1)`;
  const d0 = `1 / ${guard(d, `1 - ${qab} * ${x} / ${qap}`)}`;
  const aa = (e: string) =>
    `CASE WHEN ${e}[2] = 0 THEN ${e}[1] * (${b} - ${e}[1]) * ${x} / ((${qam} + 2 * ${e}[1]) * (${a} + 2 * ${e}[1])) ELSE -(${a} + ${e}[1]) * (${qab} + ${e}[1]) * ${x} / ((${a} + 2 * ${e}[1]) * (${qap} + 2 * ${e}[1])) END`;
  const terms = `${d.fn('list_transform')}(${d.call('range', [`0`, String(2 * FRACTION_TERMS)])}, __t -> [CAST(__t // 2 + 1 AS DOUBLE), CAST(__t % 2 AS DOUBLE)])`;
  const step = `(__acc, __e) -> [${guard(d, `1 + (${aa('__e')}) / __acc[1]`)}, 1 / ${guard(d, `1 + (${aa('__e')}) * __acc[2]`)}, __acc[3] * (1 / ${guard(d, `1 + (${aa('__e')}) * __acc[2]`)}) * ${guard(d, `1 + (${aa('__e')}) / __acc[1]`)}]`;
  return `${d.call('list_reduce', [`${d.call('list_prepend', [`[1.0::DOUBLE, ${d0}, ${d0}]`, terms])}`, step])}[3]`;
}

/** I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1 and a, b > 0. */
function regularizedBeta(d: IDialect, x: string, a: string, b: string): string {
  const front = `${d.fn('exp')}(${a} * ${d.fn('ln')}(${x}) + ${b} * ${d.fn('ln')}(1 - ${x}) - ${logBeta(d, a, b)})`;
  return `CASE WHEN ${x} = 0 THEN 0.0 WHEN ${x} = 1 THEN 1.0 WHEN ${x} < (${a} + 1) / (${a} + ${b} + 2) THEN ${front} * ${betaFraction(d, a, b, x)} / ${a} ELSE 1 - ${front} * ${betaFraction(d, b, a, `(1 - ${x})`)} / ${b} END`;
}

/**
 * `beta_cdf(x, alpha, beta)`: the regularized incomplete beta function I_x(alpha, beta); NaN
 * for x outside [0, 1] or a parameter outside (0, 10000].
 */
const betaCdf: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    call.args.map(a => ctx.as(a, 'real')),
    (x, a, b) =>
      `CASE WHEN ${x} IS NULL OR ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${x} < 0 OR ${x} > 1 OR ${a} <= 0 OR ${a} > 10000 OR ${b} <= 0 OR ${b} > 10000 THEN ${NAN} ELSE ${regularizedBeta(d, x, a, b)} END`
  );
};

/**
 * `welch_test(mean1, variance1, count1, mean2, variance2, count2)`: the two-tailed p-value of
 * Welch's t-test, t = (m1 - m2) / sqrt(v1/n1 + v2/n2) with the Welch–Satterthwaite degrees of
 * freedom df, p = I_{df/(df + t²)}(df/2, 1/2).
 */
const welchTest: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    call.args.map(a => ctx.as(a, 'real')),
    (m1, v1, n1, m2, v2, n2) =>
      bind(d, [`${v1} / ${n1}`, `${v2} / ${n2}`], (s1, s2) =>
        bind(
          d,
          [
            `(${m1} - ${m2}) / ${d.fn('sqrt')}(${s1} + ${s2})`,
            `(${s1} + ${s2}) * (${s1} + ${s2}) / (${s1} * ${s1} / (${n1} - 1) + ${s2} * ${s2} / (${n2} - 1))`
          ],
          (t, df) =>
            bind(d, [`${df} / (${df} + ${t} * ${t})`, `${df} / 2`], (x, a) =>
              regularizedBeta(d, x, a, '0.5')
            )
        )
      )
  );
};

// -------------------------------------------------------------------------------------------------
// The error function

/** erf(x) for |x| <= 2 by its Taylor series (40 terms: below 1e-16 there). */
function erfSeries(d: IDialect, x: string): string {
  return `2 / ${d.fn('sqrt')}(${d.fn('pi')}()) * ${d.call('list_sum', [`${d.fn('list_transform')}(${d.call('range', [`0`, `40`])}, __n -> CASE WHEN __n % 2 = 0 THEN 1 ELSE -1 END * ${d.fn('sign')}(${x}) * ${d.fn('exp')}((2 * __n + 1) * ${d.fn('ln')}(${d.fn('greatest')}(${d.fn('abs')}(${x}), 1e-300)) - ${d.fn('lgamma')}(__n + 1)) / (2 * __n + 1))`])}`;
}

/**
 * erfc(x) for x > 2: Q(1/2, x²), the regularized upper incomplete gamma function, by its
 * continued fraction (Numerical Recipes' `gcf`, Lentz's method, 100 terms) folded over
 * [b, c, d, h].
 */
function erfcFraction(d: IDialect, x: string): string {
  const b0 = `(${x} * ${x} + 0.5)`;
  const step = `(__acc, __e) -> [__acc[1] + 2, ${guard(d, `(__acc[1] + 2) + (-__e[1] * (__e[1] - 0.5)) / __acc[2]`)}, 1 / ${guard(d, `(-__e[1] * (__e[1] - 0.5)) * __acc[3] + (__acc[1] + 2)`)}, __acc[4] * (1 / ${guard(d, `(-__e[1] * (__e[1] - 0.5)) * __acc[3] + (__acc[1] + 2)`)}) * ${guard(d, `(__acc[1] + 2) + (-__e[1] * (__e[1] - 0.5)) / __acc[2]`)}]`;
  const fraction = `${d.call('list_reduce', [`${d.call('list_prepend', [`[${b0}, 1e300, 1 / ${b0}, 1 / ${b0}]`, `${d.fn('list_transform')}(${d.call('range', [`1`, `101`])}, __i -> [CAST(__i AS DOUBLE)])`])}`, step])}[4]`;
  return `${d.fn('exp')}(-${x} * ${x} + 0.5 * ${d.fn('ln')}(${x} * ${x}) - ${d.fn('lgamma')}(0.5)) * ${fraction}`;
}

/** `erf(x)`: the series near 0, 1 - erfc(|x|) (signed) beyond 2. */
const erf: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [ctx.as(call.args[0], 'real')], x =>
    bind(
      d,
      [`${d.fn('abs')}(${x})`],
      a =>
        `CASE WHEN ${x} IS NULL THEN NULL WHEN ${d.fn('isnan')}(${x}) THEN ${x} WHEN ${a} <= 2 THEN ${erfSeries(d, x)} WHEN ${d.call('isinf', [x])} THEN ${d.fn('sign')}(${x}) ELSE ${d.fn('sign')}(${x}) * (1 - ${erfcFraction(d, a)}) END`
    )
  );
};

/** `erfc(x)`: 1 - erf(x) near 0, the continued fraction beyond 2, 2 - erfc(-x) below -2. */
const erfc: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [ctx.as(call.args[0], 'real')], x =>
    bind(
      d,
      [`${d.fn('abs')}(${x})`],
      a =>
        `CASE WHEN ${x} IS NULL THEN NULL WHEN ${d.fn('isnan')}(${x}) THEN ${x} WHEN ${a} <= 2 THEN 1 - ${erfSeries(d, x)} WHEN ${d.call('isinf', [x])} THEN 1 - ${d.fn('sign')}(${x}) WHEN ${x} > 0 THEN ${erfcFraction(d, a)} ELSE 2 - ${erfcFraction(d, a)} END`
    )
  );
};

// -------------------------------------------------------------------------------------------------
// Weighted percentiles

/**
 * SQL of an aggregate giving, for each percentile, the smallest value whose cumulative weight
 * reaches that share of the total weight (the nearest rank of each value repeated weight times);
 * rows with a null value or a weight below 1 count for nothing.
 */
function weightedPercentiles(
  d: IDialect,
  value: string,
  weight: string,
  percentiles: string[]
): string {
  const pairs = `${d.fn('list_sort')}(${d.fn('list')}({'v': ${value}, 'w': CAST(${weight} AS DOUBLE)}) FILTER (WHERE ${value} IS NOT NULL AND ${weight} >= 1))`;
  return bind(d, [pairs], sorted =>
    bind(
      d,
      [
        `${d.call('list_reduce', [`${d.call('list_prepend', [`[0.0::DOUBLE]`, `${d.fn('list_transform')}(${sorted}, __p -> [__p.w])`])}`, `(__acc, __w) -> ${d.fn('list_append')}(__acc, __acc[-1] + __w[1])`])}`
      ],
      cumulative =>
        `[${percentiles
          .map(
            p =>
              `${sorted}[${d.fn('greatest')}(${d.call('list_position', [`${d.fn('list_transform')}(${d.call('list_slice', [cumulative, `2`, `${d.fn('len')}(${cumulative})`])}, __c -> __c >= ${p} / 100.0 * ${cumulative}[-1])`, `TRUE`])}, 1)].v`
          )
          .join(', ')}]`
    )
  );
}

/** The percentiles of a call from its third argument on: numbers, or one literal array. */
function percentileArgs(args: Expr[], ctx: IScalarEmitter): string[] {
  return args.flatMap(p => {
    if (p.type === 'dynamic' || p.type === 'unknown') {
      if (p.kind !== 'literal' || typeof p.value !== 'string') {
        throw new UnsupportedError('computed weighted percentiles', p.span);
      }
      return (JSON.parse(p.value) as unknown[]).map(
        x => `CAST(${Number(x)} AS DOUBLE)`
      );
    }
    return [ctx.as(p, 'real')];
  });
}

/** `percentilesw(x, w, p1, p2, …)`: one column per percentile, for the emitter's `summarize`. */
export function weightedPercentileColumns(
  args: Expr[],
  ctx: IScalarEmitter
): string[] {
  const [value, weight, ...rest] = args;
  return percentileArgs(rest, ctx).map(
    p =>
      `(${weightedPercentiles(ctx.ctx.dialect, ctx.sql(value), ctx.as(weight, 'long'), [p])})[1]`
  );
}

/** Aggregates of this file (they make `summarize` group). */
export const STATISTICS_AGGREGATES: readonly string[] = [
  'percentilew',
  'percentilesw',
  'percentilesw_array'
];

/** The statistical functions, merged into the function table. */
export function statisticsFunctions(): Record<string, Emit> {
  return {
    beta_pdf: betaPdf,
    welch_test: welchTest,
    erf,
    erfc,
    beta_cdf: betaCdf,
    beta_inv: call => {
      throw new UnsupportedError(
        'beta_inv()',
        call.span,
        'its documentation gives null in its notes and NaN in its example for the same inputs'
      );
    },
    percentilew: (call, ctx) => weightedPercentileColumns(call.args, ctx)[0],
    percentilesw_array: (call, ctx) => {
      const d = ctx.ctx.dialect;
      const [value, weight, ...rest] = call.args;
      return `${d.call('to_json', [weightedPercentiles(d, ctx.sql(value), ctx.as(weight, 'long'), percentileArgs(rest, ctx))])}`;
    }
  };
}
