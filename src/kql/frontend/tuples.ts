/**
 * Functions that return several columns (`series_stats`, `series_fit_line`, `series_fit_2lines`,
 * `series_decompose`):
 * `extend (a, b) = f(x)` and `extend f(x)` give one column per value, named by the query or by
 * Kusto's binder. The call itself computes a JSON object of all its values; each column reads
 * its key, converted to the column's type.
 */
import type { Expr, ICall, INamedExpr, Tabular } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import type { ScalarType } from '../types';

/**
 * The columns a function returning several values gives (`extend (a, b) = f(x)` or
 * `extend f(x)`), in Kusto's order: each reads the key of that name, of that type, from the JSON
 * object `sql/series.ts` computes for the call.
 */
export const TUPLE_FUNCTIONS: Record<string, readonly [string, ScalarType][]> =
  {
    series_stats: [
      ['min', 'real'],
      ['min_idx', 'long'],
      ['max', 'real'],
      ['max_idx', 'long'],
      ['avg', 'real'],
      ['stdev', 'real'],
      ['variance', 'real']
    ],
    series_fit_line: [
      ['rsquare', 'real'],
      ['slope', 'real'],
      ['variance', 'real'],
      ['rvariance', 'real'],
      ['interception', 'real'],
      ['line_fit', 'dynamic']
    ],
    series_decompose: [
      ['baseline', 'dynamic'],
      ['seasonal', 'dynamic'],
      ['trend', 'dynamic'],
      ['residual', 'dynamic']
    ],
    series_fit_2lines: [
      ['rsquare', 'real'],
      ['split_idx', 'long'],
      ['variance', 'real'],
      ['rvariance', 'real'],
      ['line_fit', 'dynamic'],
      ...(['right', 'left'] as const).flatMap(side =>
        (
          ['rsquare', 'slope', 'interception', 'variance', 'rvariance'] as const
        ).map((key): [string, ScalarType] => [`${side}_${key}`, 'real'])
      )
    ],
    // Refused by `sql/series.ts`, each with why; listed so that a column list names the function.
    series_decompose_anomalies: [
      ['ad_flag', 'dynamic'],
      ['ad_score', 'dynamic'],
      ['baseline', 'dynamic']
    ],
    series_periods_detect: [
      ['periods', 'dynamic'],
      ['scores', 'dynamic']
    ],
    series_periods_validate: [
      ['periods', 'dynamic'],
      ['scores', 'dynamic']
    ]
  };

/** The conversion that turns a JSON value into a column of each type. */
const CONVERSIONS: Partial<Record<ScalarType, string>> = {
  real: 'toreal',
  long: 'tolong',
  int: 'toint',
  string: 'tostring',
  bool: 'tobool'
};

/**
 * The values a call returns as columns, each as its key (a name, or an index into the array the
 * call computes) and type; null when the call returns one value. `array_sort_asc`/`_desc` of
 * several arrays give one sorted array each.
 */
function tupleColumns(expr: Expr): [string | number, ScalarType][] | null {
  if (expr.kind !== 'call') {
    return null;
  }
  if (expr.name === 'array_sort_asc' || expr.name === 'array_sort_desc') {
    const arrays = expr.args.filter(
      a => a.type === 'dynamic' || a.type === 'unknown'
    ).length;
    return arrays > 1
      ? Array.from({ length: arrays }, (_, i) => [i, 'dynamic'])
      : null;
  }
  return expr.name in TUPLE_FUNCTIONS
    ? TUPLE_FUNCTIONS[expr.name].map(([key, type]) => [key, type])
    : null;
}

/** True for a call of a function that returns several columns. */
export function isTupleCall(expr: Expr): boolean {
  return tupleColumns(expr) !== null;
}

/**
 * The columns of a call returning several values: the first `names.length` named as given, the
 * others `''` (Kusto's binder names them, `f_x_min`…, in `extend` as in `project`).
 */
export function tupleItems(
  expr: Expr,
  names: string[],
  span: ISpan
): INamedExpr[] {
  const columns = tupleColumns(expr);
  if (!columns) {
    throw new UnsupportedError(
      `(a, b) = … column lists of ${expr.kind === 'call' ? `${expr.name}()` : 'this expression'}`,
      span
    );
  }
  const call = { ...expr, type: 'dynamic' as const };
  TUPLE_CALLS.add(call);
  return columns.map(([key, type], i) => {
    const member: Expr = {
      kind: 'member',
      span,
      type: 'dynamic',
      target: call,
      key:
        typeof key === 'number'
          ? { kind: 'literal', span, type: 'long', value: String(key) }
          : { kind: 'literal', span, type: 'string', value: key }
    };
    const conversion = CONVERSIONS[type];
    return {
      name: names[i] ?? '',
      expr: conversion
        ? { kind: 'call', span, type, name: conversion, args: [member] }
        : member
    };
  });
}

/** The calls whose columns `tupleItems` made: each is read by several columns. */
const TUPLE_CALLS = new WeakSet<Expr>();

/** The call a column made by `tupleItems` reads its key from. */
function tupleCall(expr: Expr): ICall | null {
  const member =
    expr.kind === 'call' && expr.args.length === 1 ? expr.args[0] : expr;
  return member.kind === 'member' &&
    member.target.kind === 'call' &&
    TUPLE_CALLS.has(member.target)
    ? member.target
    : null;
}

/**
 * `columns` over `input` with each call returning several columns computed once, in a column of
 * an `extend` before them (`__tuple1`…, not in the result): each of their columns reads its key
 * from that column rather than computing the call again (15 times for `series_fit_2lines`).
 * Kusto binds the expressions of one `extend` or `project` to the input's columns only, so the
 * calls can move before it.
 */
export function hoistTupleCalls(
  input: Tabular,
  columns: INamedExpr[]
): { input: Tabular; columns: INamedExpr[] } {
  const calls = new Map<ICall, string>();
  const taken = new Set(input.schema.map(c => c.name));
  const hidden = (call: ICall): Expr => {
    let name = calls.get(call);
    if (!name) {
      let n = calls.size + 1;
      while (taken.has(`__tuple${n}`)) {
        n++;
      }
      name = `__tuple${n}`;
      taken.add(name);
      calls.set(call, name);
    }
    return { kind: 'column', span: call.span, type: 'dynamic', name };
  };
  const rewritten = columns.map(c => {
    const call = tupleCall(c.expr);
    if (!call) {
      return c;
    }
    const read = (e: Expr): Expr =>
      e.kind === 'member' ? { ...e, target: hidden(call) } : e;
    return {
      ...c,
      expr:
        c.expr.kind === 'call'
          ? { ...c.expr, args: [read(c.expr.args[0])] }
          : read(c.expr)
    };
  });
  if (calls.size === 0) {
    return { input, columns };
  }
  const computed = [...calls].map(([call, name]) => ({ name, expr: call }));
  return {
    input: {
      kind: 'extend',
      span: input.span,
      schema: [
        ...input.schema,
        ...computed.map(c => ({ name: c.name, type: 'dynamic' as const }))
      ],
      input,
      columns: computed
    },
    columns: rewritten
  };
}
