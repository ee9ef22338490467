// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `mv-expand` and `mv-apply` (with its subquery over each row's expanded values).
 */
import type { Expr, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema, ScalarType } from '../../types';
import type { IConverter } from '../converter';
import { typeOfLiteral } from '../literals';
import { describe, elementAt, kindOf, parameter, type Scope } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `mv-expand`: the expanded expressions, their types (`to typeof(…)`) and `kind=`. */
export function mvExpand(
  cx: IConverter,
  op: Syntax.MvExpandOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  // `kind=array` and `bagexpansion=array` are the same parameter.
  const bagsAsArrays =
    (
      parameter(op.Parameters, 'bagexpansion') ??
      parameter(op.Parameters, 'kind')
    )?.toLowerCase() === 'array';
  const items: { name: string; expr: Expr; type: ScalarType }[] = [];
  const list = op.Expressions!;
  for (let i = 0; i < list.Count; i++) {
    const item = elementAt(list, i)!;
    const [named] = cx.named(item.Expression!, scope);
    // Kusto names an expanded expression as a projection would (`todynamic(Tags)` is `Tags`,
    // replacing the column), or gives it a new column of the output.
    const name =
      named.name ||
      Kusto.Language.KustoFacts.GetExpressionResultName(item.Expression, '') ||
      (schema.find(
        c =>
          !input.schema.some(d => d.name === c.name) &&
          !items.some(d => d.name === c.name)
      )?.name ??
        'Column1');
    const column = schema.find(c => c.name === name);
    items.push({ name, expr: named.expr, type: column?.type ?? 'dynamic' });
  }
  const limit = op.RowLimitClause?.RowLimit
    ? cx.expr(op.RowLimitClause.RowLimit, scope)
    : null;
  return {
    kind: 'mv-expand',
    span,
    schema,
    input,
    items,
    limit,
    indexColumn: parameter(op.Parameters, 'with_itemindex') ?? null,
    bagsAsArrays
  };
}

/** `mv-apply`: the values expanded per row and the subquery run over them. */
export function mvApply(
  cx: IConverter,
  op: Syntax.MvApplyOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  if (op.ContextIdClause || op.RowLimitClause) {
    throw new UnsupportedError('mv-apply with id= or limit', span);
  }
  const items: { name: string; expr: Expr; type: ScalarType }[] = [];
  const list = op.Expressions!;
  for (let i = 0; i < list.Count; i++) {
    const item = elementAt(list, i)!;
    const [named] = cx.named(item.Expression!, scope);
    const typed = item.ToTypeOf?.TypeOf
      ? typeOfLiteral(item.ToTypeOf.TypeOf)
      : 'dynamic';
    items.push({
      name:
        named.name ||
        Kusto.Language.KustoFacts.GetExpressionResultName(
          item.Expression,
          ''
        ) ||
        `Column${i + 1}`,
      expr: named.expr,
      type: typed === 'unknown' ? 'dynamic' : typed
    });
  }
  // The subquery starts from the input row with each array replaced by one of its elements.
  const rowSchema: RowSchema = input.schema.map(c => {
    const item = items.find(i => i.name === c.name);
    return item
      ? {
          name: c.name,
          type: item.type === 'unknown' ? 'dynamic' : item.type
        }
      : c;
  });
  for (const item of items) {
    if (!rowSchema.some(c => c.name === item.name)) {
      rowSchema.push({
        name: item.name,
        type: item.type === 'unknown' ? 'dynamic' : item.type
      });
    }
  }
  const row: Tabular = { kind: 'mv-apply-row', span, schema: rowSchema };
  const body = subqueryOver(cx, op.Subquery!.Expression!, row, scope);
  return { kind: 'mv-apply', span, schema, input, items, body };
}

/** Converts a pipeline whose leftmost operand is the implicit input row set of `mv-apply`. */
export function subqueryOver(
  cx: IConverter,
  node: Syntax.Expression,
  row: Tabular,
  scope: Scope
): Tabular {
  if (kindOf(node) === 'PipeExpression') {
    const pipe = node as Syntax.PipeExpression;
    return cx.operator(
      pipe.Operator!,
      subqueryOver(cx, pipe.Expression!, row, scope),
      scope
    );
  }
  if (kindOf(node).endsWith('Operator')) {
    return cx.operator(node as Syntax.QueryOperator, row, scope);
  }
  throw new UnsupportedError(describe(node), cx.span(node));
}
