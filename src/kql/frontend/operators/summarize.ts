// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * The aggregating operators: `summarize`, `make-series`, `top-nested`.
 */
import type { Expr, IAggregate, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import type { IConverter } from '../converter';
import {
  deprecatedCarried,
  elementAt,
  isDeprecatedCall,
  kindOf,
  namedValue,
  type Scope,
  tupleColumns
} from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `summarize`: the aggregates and the `by` columns (deprecated `argmax`/`argmin` too). */
export function summarize(
  cx: IConverter,
  op: Syntax.SummarizeOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  if (op.ByClause?.BinClause) {
    throw new UnsupportedError('summarize by … bin=', span);
  }
  const byList = op.ByClause?.Expressions ?? null;
  const by = cx.namedList(byList, schema, scope);
  let position = by.length;
  const aggregates: IAggregate[] = [];
  const list = op.Aggregates;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const element = elementAt(list!, i)!;
    const value = namedValue(element);
    const tuple = tupleColumns(value);
    const width = tuple ? tuple.length : 1;
    const names = schema.slice(position, position + width).map(c => c.name);
    position += width;
    const expr = cx.expr(value, scope);
    const extreme =
      expr.kind === 'call' &&
      (expr.name === 'arg_max' || expr.name === 'arg_min');
    // arg_max over a one-column row has no tuple type: it carries nothing but the value.
    const carried = tuple
      ? extreme && isDeprecatedCall(value)
        ? deprecatedCarried(expr, span)
        : tuple.slice(1)
      : extreme
        ? []
        : undefined;
    aggregates.push(carried ? { expr, names, carried } : { expr, names });
  }
  return { kind: 'summarize', span, schema, input, by, aggregates };
}

/** `make-series`: aggregates over a datetime axis, `default=`, `from`/`to`/`step`. */
export function makeSeries(
  cx: IConverter,
  op: Syntax.MakeSeriesOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  const aggregates: { name: string; expr: Expr; fill: Expr | null }[] = [];
  const list = op.Aggregates!;
  let position = 0;
  for (let i = 0; i < list.Count; i++) {
    const element = elementAt(list, i)!;
    const [named] = cx.named(element.Expression!, scope);
    const fill = element.DefaultExpression?.Expression
      ? cx.expr(element.DefaultExpression.Expression, scope)
      : null;
    aggregates.push({
      name: named.name || schema[position].name,
      expr: named.expr,
      fill
    });
    position++;
  }
  const [axis] = cx.named(op.OnClause!.Expression!, scope);
  const range = op.RangeClause!;
  let from: Expr | null = null;
  let to: Expr | null = null;
  let step: Expr;
  if (kindOf(range) === 'MakeSeriesFromToStepClause') {
    const clause = range as Syntax.MakeSeriesFromToStepClause;
    from = clause.MakeSeriesFromClause
      ? cx.expr(clause.MakeSeriesFromClause.Expression!, scope)
      : null;
    to = clause.MakeSeriesToClause
      ? cx.expr(clause.MakeSeriesToClause.Expression!, scope)
      : null;
    step = cx.expr(clause.MakeSeriesStepClause!.Expression!, scope);
  } else {
    const args = (range as Syntax.MakeSeriesInRangeClause).Arguments!
      .Expressions!;
    from = cx.expr(elementAt(args, 0)!, scope);
    to = cx.expr(elementAt(args, 1)!, scope);
    step = cx.expr(elementAt(args, 2)!, scope);
  }
  const by = cx.namedList(
    op.ByClause?.Expressions ?? null,
    schema.slice(aggregates.length + 1),
    scope
  );
  const axisName = axis.name || schema[aggregates.length].name;
  return {
    kind: 'make-series',
    span,
    schema,
    input,
    aggregates,
    axis: { name: axisName, expr: axis.expr },
    from,
    to,
    step,
    by
  };
}

/** `top-nested`: each level's count, column and aggregate. */
export function topNested(
  cx: IConverter,
  op: Syntax.TopNestedOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  const levels = [];
  const clauses = op.Clauses!;
  let position = 0;
  for (let i = 0; i < clauses.Count; i++) {
    const clause = elementAt(clauses, i)!;
    let byNode: Syntax.Expression = clause.ByExpression!;
    let descending = true;
    if (kindOf(byNode) === 'OrderedExpression') {
      const ordered = byNode as Syntax.OrderedExpression;
      descending =
        ordered.Ordering?.AscOrDescKeyword?.Text?.toLowerCase() !== 'asc';
      byNode = ordered.Expression!;
    }
    const [key] = cx.named(clause.OfExpression!, scope);
    key.name = key.name || schema[position].name;
    const [aggregate] = cx.named(byNode, scope);
    aggregate.name = aggregate.name || schema[position + 1].name;
    position += 2;
    levels.push({
      count: clause.Expression ? cx.expr(clause.Expression, scope) : null,
      key,
      aggregate,
      descending,
      others: clause.WithOthersClause
        ? cx.expr(clause.WithOthersClause.Expression!, scope)
        : null
    });
  }
  return { kind: 'top-nested', span, schema, input, levels };
}
