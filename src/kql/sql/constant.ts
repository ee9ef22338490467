/**
 * Values known before the query runs, for what Kusto evaluates while it analyses a query:
 * `assert(condition, message)`, whose condition must be constant then (assert-function.md).
 */
import type { Expr } from '../ast';
import { QueryFailed, UnsupportedError } from '../diagnostics';
import type { Emit } from './functions/emit';

type Value = string | number | boolean | null;

/** The value of an expression of literals and operators on them; `undefined` when not constant. */
export function constantValue(e: Expr): Value | undefined {
  if (e.kind === 'literal') {
    return e.type === 'long' || e.type === 'int'
      ? e.value === null
        ? null
        : Number(e.value)
      : e.value;
  }
  if (e.kind !== 'call') {
    return undefined;
  }
  const args = e.args.map(constantValue);
  if (args.some(a => a === undefined)) {
    return undefined;
  }
  const [a, b] = args;
  switch (e.name) {
    case 'and':
      return a === false || b === false
        ? false
        : a === null || b === null
          ? null
          : true;
    case 'or':
      return a === true || b === true
        ? true
        : a === null || b === null
          ? null
          : false;
    case 'not':
      return a === null ? null : !a;
    case 'negate':
      return typeof a === 'number' ? -a : undefined;
  }
  if (a === null || b === null || typeof a !== typeof b) {
    return undefined;
  }
  switch (e.name) {
    case '==':
      return a === b;
    case '!=':
    case '<>':
      return a !== b;
  }
  if (typeof a !== 'number') {
    return undefined;
  }
  switch (e.name) {
    case '<':
      return a < (b as number);
    case '<=':
      return a <= (b as number);
    case '>':
      return a > (b as number);
    case '>=':
      return a >= (b as number);
  }
  return undefined;
}

/**
 * `assert(condition, message)`: true, or the query fails before it runs — Kusto checks the
 * condition while analysing the query, so it fails even when no row would reach the assert.
 */
export const assert: Emit = call => {
  const [condition, message] = call.args;
  const ok = constantValue(condition);
  const text = constantValue(message);
  if (typeof ok !== 'boolean' || typeof text !== 'string') {
    throw new UnsupportedError(
      'assert() of a condition or message not known before the query runs',
      call.span,
      'Kusto requires both to be constant while it analyses the query'
    );
  }
  if (!ok) {
    throw new QueryFailed(
      `assert() has failed with message: '${text}'`,
      call.span
    );
  }
  return 'TRUE';
};
