/**
 * Numbers: rounding, logarithms and roots with Kusto's NaN/-inf for values outside the domain,
 * trigonometry, binary (bitwise) functions, `tohex`.
 */
import type { ScalarType } from '../../types';
import type { SqlFunction } from '../dialect';
import type { Emit, IScalarEmitter } from './emit';

/** A plain SQL function over the converted arguments. */
function fn(name: SqlFunction, types?: ScalarType[]): Emit {
  return (call, ctx) =>
    ctx.fn(
      name,
      ...call.args.map((a, i) =>
        types && types[i] ? ctx.as(a, types[i]) : ctx.sql(a)
      )
    );
}

/** Kusto's NaN and infinities as DuckDB doubles. */
export const NAN = "CAST('nan' AS DOUBLE)";

const MINUS_INFINITY = "CAST('-inf' AS DOUBLE)";

/** A real function that is NaN outside its domain, as in .NET, where DuckDB stops the query. */
function outsideDomain(
  name: SqlFunction,
  outside: (x: string, ctx: IScalarEmitter) => string
): Emit {
  return (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    return `CASE WHEN ${outside(x, ctx)} THEN ${NAN} ELSE ${ctx.fn(name, x)} END`;
  };
}

/** A logarithm: -inf at 0, NaN below, as in .NET. */
function logarithm(name: SqlFunction): Emit {
  return (call, ctx) => {
    const x = ctx.as(call.args[0], 'real');
    return `CASE WHEN ${x} = 0 THEN ${MINUS_INFINITY} WHEN ${x} < 0 THEN ${NAN} ELSE ${ctx.fn(name, x)} END`;
  };
}

const round: Emit = (call, ctx) => {
  const [x, digits] = call.args;
  return digits
    ? ctx.fn('round', ctx.as(x, 'real'), ctx.as(digits, 'int'))
    : ctx.fn('round', ctx.as(x, 'real'));
};

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const MATH_FUNCTIONS: Record<string, Emit> = {
  round,
  abs: (call, ctx) =>
    call.args[0].type === 'timespan'
      ? ctx.fn(
          'to_microseconds',
          ctx.fn(
            'abs',
            ctx.fn(
              'epoch_us',
              `${ctx.ctx.dialect.epoch} + ${ctx.sql(call.args[0])}`
            )
          )
        )
      : ctx.fn('abs', ctx.sql(call.args[0])),
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
  binary_and: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} & ${ctx.as(call.args[1], 'long')})`,
  binary_or: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} | ${ctx.as(call.args[1], 'long')})`,
  binary_xor: (call, ctx) =>
    ctx.fn('xor', ctx.as(call.args[0], 'long'), ctx.as(call.args[1], 'long')),
  binary_not: (call, ctx) => `(~${ctx.as(call.args[0], 'long')})`,
  binary_shift_left: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} << ${ctx.as(call.args[1], 'long')})`,
  binary_shift_right: (call, ctx) =>
    `(${ctx.as(call.args[0], 'long')} >> ${ctx.as(call.args[1], 'long')})`,
  tohex: (call, ctx) => {
    const [n, width] = call.args;
    const hex = ctx.fn('lower', ctx.fn('hex', ctx.as(n, 'long')));
    return width
      ? ctx.fn(
          'lpad',
          hex,
          ctx.fn('greatest', ctx.as(width, 'long'), ctx.fn('length', hex)),
          "'0'"
        )
      : hex;
  },
  degrees: fn('degrees', ['real']),
  radians: fn('radians', ['real']),
  acos: outsideDomain('acos', (x, ctx) => `${ctx.fn('abs', x)} > 1`),
  asin: outsideDomain('asin', (x, ctx) => `${ctx.fn('abs', x)} > 1`),
  atan: fn('atan', ['real']),
  atan2: fn('atan2', ['real', 'real']),
  cos: fn('cos', ['real']),
  sin: fn('sin', ['real']),
  tan: fn('tan', ['real']),
  cot: fn('cot', ['real']),
  pi: (_call, ctx) => ctx.fn('pi')
};
