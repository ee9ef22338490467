/**
 * Comparison, arithmetic and logic: Kusto's `==` with nulls and NaN, 64-bit integer arithmetic that
 * wraps as .NET does, `%` whose sign follows the divisor, `iff`/`case`/`coalesce`, `isempty`/`isnull`.
 */
import type { Expr, ICall } from '../../ast';
import { isNumeric } from '../../types';
import type { IDialect } from '../dialect';
import type { Emit, IScalarEmitter } from './emit';

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
function nanTests(ctx: IScalarEmitter, a: Expr, b: Expr): string[] {
  return [a, b]
    .filter(
      e =>
        e.type === 'real' &&
        !(e.kind === 'literal' && Number.isFinite(Number(e.value)))
    )
    .map(e => ctx.fn('isnan', ctx.sql(e)));
}

function comparison(op: string, call: ICall, ctx: IScalarEmitter): string {
  {
    const [a, b] = call.args;
    const type = ctx.comparable(a, b);
    if (type === 'string' || type === 'guid') {
      // Kusto strings are never null: a missing value equals "".
      const left = type === 'guid' ? ctx.fn('lower', ctx.str(a)) : ctx.str(a);
      const right = type === 'guid' ? ctx.fn('lower', ctx.str(b)) : ctx.str(b);
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
    return `(${ctx.fn('lower', ctx.str(a))} ${negate ? '<>' : '='} ${ctx.fn('lower', ctx.str(b))})`;
  };
}

function arithmetic(op: string): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    const type = call.type;
    const us = (e: Expr) =>
      ctx.fn('epoch_us', `${ctx.ctx.dialect.epoch} + ${ctx.sql(e)}`);
    if (a.type === 'timespan' && b.type === 'timespan' && op === '/') {
      return `(${us(a)} / ${us(b)})`;
    }
    if (type === 'timespan' && (op === '*' || op === '/')) {
      const [span, factor] = a.type === 'timespan' ? [a, b] : [b, a];
      return ctx.fn(
        'to_microseconds',
        `CAST(${us(span)} ${op} ${ctx.as(factor, 'real')} AS BIGINT)`
      );
    }
    if (op === '%' && type === 'timespan') {
      return ctx.fn('to_microseconds', `${us(a)} % ${us(b)}`);
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
      return integerArithmetic(
        ctx.ctx.dialect,
        op,
        ctx.as(a, type),
        ctx.as(b, type),
        type
      );
    }
    const x = ctx.as(a, operandType(a));
    const y = ctx.as(b, operandType(b));
    if (op === '%' && type === 'real') {
      // Kusto's modulo is never negative: 0 <= n % d < abs(d).
      const abs = ctx.fn('abs', y);
      return `(((${x} % ${y}) + ${abs}) % ${abs})`;
    }
    if (op === '/' && type === 'real') {
      return ctx.ctx.dialect.divideReal(x, y);
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
 * instead of DuckDB's overflow error, when the native width overflows; `/` truncates toward zero,
 * `%` is never negative (0 <= n % d < abs(d)), and both give null for a zero divisor.
 */
export function integerArithmetic(
  d: IDialect,
  op: string,
  x: string,
  y: string,
  type: 'int' | 'long'
): string {
  const [modulus, sqlType] = WRAP[type];
  if (d.capabilities.wrappingIntegers) {
    const abs = `${d.fn('abs')}(${y})`;
    return op === '%'
      ? `CAST(((${x} % ${y}) + ${abs}) % ${abs} AS ${sqlType})`
      : `CAST((${op === '/' ? d.divide(x, y) : `${x} ${op} ${y}`}) AS ${sqlType})`;
  }
  const half = modulus / 2n;
  const a = `CAST(${x} AS HUGEINT)`;
  const b = `CAST(${y} AS HUGEINT)`;
  const wide = (n: string) => `${d.fn('abs')}(${n})`;
  const native =
    op === '%'
      ? `((${x} % ${y}) + ${wide(y)}) % ${wide(y)}`
      : `${x} ${op === '/' ? '//' : op} ${y}`;
  const exact =
    op === '%'
      ? `CAST(((${a} % ${b}) + ${wide(b)}) % ${wide(b)} AS ${sqlType})`
      : `CAST((((${a} ${op === '/' ? '//' : op} ${b}) % ${modulus}) + ${modulus + half}) % ${modulus} - ${half} AS ${sqlType})`;
  // 128-bit arithmetic costs DuckDB fifty times the native kind: it is only the fallback for a
  // row whose native result overflows (or is null, when it gives null again).
  return `${d.fn('coalesce')}(${d.fn('try')}(CAST(${native} AS ${sqlType})), ${exact})`;
}

function logical(op: 'AND' | 'OR'): Emit {
  return (call, ctx) =>
    `(${call.args.map(a => (ctx.inPredicate ? ctx.predicate(a) : ctx.as(a, 'bool'))).join(` ${op} `)})`;
}

/** The comparison operators (a `where` of one stays a plain SQL comparison). */
export const COMPARISONS: ReadonlySet<string> = new Set([
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
    const value = ctx.as(x, type);
    const lower = ctx.as(lo, type);
    // Two comparisons, which DuckDB pushes into a table's scan (the files outside the range are
    // skipped) and makes join conditions when a bound is read from the other side of a join.
    const test = `(${value} >= ${lower} AND ${value} <= ${upper})`;
    return negate ? `(NOT ${ctx.fn('coalesce', test, 'FALSE')})` : test;
  };
}

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
      const text = ctx.fn('json_extract_string', sql, "'$'");
      return negate
        ? ctx.fn('coalesce', `${text} <> ''`, 'FALSE')
        : ctx.fn('coalesce', `${text} = ''`, 'TRUE');
    }
    return negate ? `(${sql} IS NOT NULL)` : `(${sql} IS NULL)`;
  };

const isNull =
  (negate: boolean): Emit =>
  (call, ctx) => {
    const arg = call.args[0];
    const sql = ctx.sql(arg);
    if (arg.type === 'dynamic' || arg.type === 'unknown') {
      const type = ctx.fn('json_type', sql);
      return negate
        ? ctx.fn('coalesce', `${type} <> 'NULL'`, 'FALSE')
        : ctx.fn('coalesce', `${type} = 'NULL'`, 'TRUE');
    }
    if (arg.type === 'string') {
      // A Kusto string is never null.
      return negate ? 'TRUE' : 'FALSE';
    }
    return `(${sql} IS ${negate ? 'NOT ' : ''}NULL)`;
  };

const coalesce: Emit = (call, ctx) =>
  call.type === 'string'
    ? ctx.fn(
        'coalesce',
        ...call.args.map(a => ctx.fn('nullif', ctx.str(a), "''")),
        "''"
      )
    : ctx.fn('coalesce', ...call.args.map(a => ctx.as(a, call.type)));

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const OPERATOR_FUNCTIONS: Record<string, Emit> = {
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
      ? integerArithmetic(ctx.ctx.dialect, '-', '0', ctx.sql(x), x.type)
      : `(-${ctx.sql(x)})`;
  },
  between: between(false),
  '!between': between(true),
  isempty: isEmpty(false),
  isnotempty: isEmpty(true),
  isnull: isNull(false),
  isnotnull: isNull(true),
  iff,
  iif: iff,
  case: caseFn,
  coalesce,
  max_of: (call, ctx) =>
    ctx.fn('greatest', ...call.args.map(a => ctx.as(a, call.type))),
  min_of: (call, ctx) =>
    ctx.fn('least', ...call.args.map(a => ctx.as(a, call.type)))
};
