// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Sort keys of `sort`, `top` and `top-nested`.
 */
import type { ISortKey } from '../../ast';
import type { IConverter } from '../converter';
import { elementAt, kindOf, type Scope, type SeparatedList } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** The keys of `sort by`. */
export function sortKeys(
  cx: IConverter,
  list: SeparatedList<Syntax.Expression>,
  scope: Scope
): ISortKey[] {
  const keys: ISortKey[] = [];
  for (let i = 0; i < list.Count; i++) {
    keys.push(sortKey(cx, elementAt(list, i)!, scope));
  }
  return keys;
}

/** One sort key: its expression, `asc`/`desc` (Kusto's default `desc`) and where nulls go. */
export function sortKey(
  cx: IConverter,
  node: Syntax.Expression,
  scope: Scope
): ISortKey {
  let expr: Syntax.Expression = node;
  let descending = true;
  let nullsFirst: boolean | null = null;
  if (kindOf(node) === 'OrderedExpression') {
    const ordered = node as Syntax.OrderedExpression;
    expr = ordered.Expression!;
    const ordering = ordered.Ordering;
    const direction = ordering?.AscOrDescKeyword?.Text?.toLowerCase();
    if (direction === 'asc') {
      descending = false;
    }
    const nulls =
      ordering?.NullsClause?.FirstOrLastKeyword?.Text?.toLowerCase();
    if (nulls) {
      nullsFirst = nulls === 'first';
    }
  }
  // Kusto sorts descending by default, with nulls last when descending and first when ascending.
  return {
    expr: cx.expr(expr, scope),
    descending,
    nullsFirst: nullsFirst ?? !descending
  };
}
