// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * What an operator's converter (one file per operator in this folder) may ask of the query's
 * converter (`../convert.ts`): expressions converted in the operator's scope, spans, and the
 * facts Kusto's binder put on the tree. The converter builds one per operator it hands over.
 */
import type { Expr, INamedExpr, ISortKey, ITableRef, Tabular } from '../../ast';
import type { ISpan } from '../../diagnostics';
import type { RowSchema } from '../../types';
import { textOf } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** The converter, as seen by one operator's conversion. */
export interface IConvertContext {
  /**
   * A scalar expression in the operator's scope; `names` binds more names (a `scan` step's
   * name, say) to expressions.
   */
  expr(node: Syntax.Expression, names?: ReadonlyMap<string, Expr>): Expr;
  /** An expression with the column name it declares (`''` where Kusto derives the name). */
  named(node: Syntax.Expression): INamedExpr[];
  /** A sort key (`x desc nulls first`). */
  sortKey(node: Syntax.Expression): ISortKey;
  /** A tabular expression in the operator's scope. */
  tabular(node: Syntax.Expression): Tabular;
  /** The workspace tables whose names match a pattern with `*` wildcards. */
  tables(pattern: string): ITableRef[];
  /** A `search`/`find` condition over `columns`: a bare term is looked for in each of them. */
  searchCondition(node: Syntax.Expression, columns: RowSchema): Expr;
  /** A pipeline whose leftmost operand is implicit: `rows` (as in `mv-apply`'s subquery). */
  subqueryOver(node: Syntax.Expression, rows: Tabular): Tabular;
  /** The span of a node (inside a function expansion, the call's). */
  span(node: Syntax.SyntaxElement): ISpan;
  /**
   * Leaves a column out of the query's result: one Kusto.Language's binder adds that Kusto's
   * engine does not return (the operators in between carry it as the binder typed them).
   */
  hide(name: string): void;
}

/** The value of a literal (`'x'`, `true`, `10`), or null when the node is not one. */
export function literalValue(
  node: Syntax.Expression
): string | number | boolean | null {
  const info = (node as Syntax.LiteralExpression).LiteralValueInfo;
  const value: unknown = info?.Value;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  // The library gives no value for `true`/`false`.
  const text = textOf(node).trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}
