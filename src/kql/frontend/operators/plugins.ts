// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `evaluate` plugins whose output columns do not depend on the data: `rows_near`,
 * `ipv4_lookup`, `ipv6_lookup`.
 */
import type { Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import { elementAt, kindOf, textOf } from '../syntax';
import { type IConvertContext, literalValue } from './context';

import Syntax = Kusto.Language.Syntax;

/** Converts an `evaluate` of one of the plugins here, or returns null for another plugin. */
export function convertPlugin(
  ctx: IConvertContext,
  op: Syntax.EvaluateOperator,
  input: Tabular,
  schema: RowSchema
): Tabular | null {
  const span = { start: input.span.start, end: ctx.span(op).end };
  const call = op.FunctionCall!;
  const name = call.Name!.SimpleName!;
  const list = call.ArgumentList!.Expressions!;
  const args = Array.from({ length: list.Count }, (_, i) =>
    elementAt(list, i)!
  );
  switch (name) {
    case 'rows_near': {
      const before = ctx.expr(args[1]);
      return {
        kind: 'rows-near',
        span,
        schema,
        input,
        condition: ctx.expr(args[0]),
        before,
        after: args[2] ? ctx.expr(args[2]) : before
      };
    }
    case 'ipv4_lookup':
    case 'ipv6_lookup': {
      const names = args.slice(1).map(a => {
        if (kindOf(a) === 'NameReference' || kindOf(a) === 'BracketedName') {
          return textOf(a)
            .trim()
            .replace(/^\[['"](.*)['"]\]$/, '$1');
        }
        const value = literalValue(
          kindOf(a) === 'SimpleNamedExpression'
            ? (a as Syntax.SimpleNamedExpression).Expression!
            : a
        );
        if (typeof value !== 'boolean') {
          throw new UnsupportedError(
            `evaluate ${name} with a key that is not a column`,
            ctx.span(a)
          );
        }
        return value;
      });
      const unmatched = names[names.length - 1] === true;
      const keys = names.filter((n): n is string => typeof n === 'string');
      return {
        kind: 'ip-lookup',
        span,
        schema,
        input,
        lookup: ctx.tabular(args[0]),
        family: name === 'ipv4_lookup' ? 4 : 6,
        sourceKey: keys[0],
        lookupKey: keys[1],
        extraKeys: keys.slice(2),
        unmatched
      };
    }
    default:
      return null;
  }
}
