// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * The converter as the conversion functions of each family (`expressions.ts`, `operators/*.ts`…)
 * see it: the state of one query's conversion and the recursive entry points. Only `convert.ts`
 * implements it, so the family files import no other family and no cycle arises.
 */
import type { Expr, INamedExpr, IRenderSpec, Tabular } from '../ast';
import type { ISpan } from '../diagnostics';
import type { RowSchema, ScalarType } from '../types';
import type { ICompilerSchema } from './kusto';
import type { IConvertContext } from './operators/context';
import type { Binding, Scope, SeparatedList } from './syntax';

import Syntax = Kusto.Language.Syntax;

/** The state of one query's conversion and the entry points each family's functions call back into. */
export interface IConverter {
  /** The workspace schema the query is bound against. */
  readonly schema: ICompilerSchema;
  /** The columns of the row the operator being converted reads (`column_ifexists`, `pack_all`). */
  row: RowSchema;
  /** The tabular `let`s of the query, in order, each emitted once. */
  readonly lets: { name: string; value: Tabular }[];
  /** Names given by `as`, for the rest of the query. */
  readonly bindings: Map<string, Binding>;
  /** The chart of the query's `render`, if any. */
  renderSpec: IRenderSpec | null;
  /** The spans of the user-function calls being expanded, innermost last. */
  readonly expansionSpans: ISpan[];
  /** The values of the query's `set query_bin_auto_…` statements (read by `bin_auto`), by name. */
  readonly options: Map<string, Expr>;
  /** The converter as an operator's converter in `operators/` sees it, in `scope`. */
  context(scope: Scope): IConvertContext;
  /** A scalar expression. */
  expr(node: Syntax.Expression, scope: Scope): Expr;
  /** A `let` statement: the scope after it. */
  letStatement(statement: Syntax.LetStatement, scope: Scope): Scope;
  /** One expression with the name it declares, or `''` where Kusto derives the name. */
  named(node: Syntax.Expression, scope: Scope): INamedExpr[];
  /** The named columns of a list such as `project a, b = f(c)`; unnamed ones take schema names. */
  namedList(
    list: SeparatedList<Syntax.Expression> | null,
    schema: RowSchema,
    scope: Scope
  ): INamedExpr[];
  /** One operator applied to the rows of `input` (the operator's row is `input`'s while converting). */
  operator(op: Syntax.QueryOperator, input: Tabular, scope: Scope): Tabular;
  /** A call of a user-defined scalar function: its body with the arguments bound. */
  scalarExpansion(
    node: Syntax.FunctionCallExpression,
    scope: Scope,
    type: ScalarType,
    span: ISpan
  ): Expr;
  /** The span of a node; inside an expansion, the span of the call being expanded. */
  span(node: Syntax.SyntaxElement): ISpan;
  /** The span of an operator together with the rows it reads, `T | where …` as a whole. */
  spanFrom(input: Tabular, op: Syntax.SyntaxElement): ISpan;
  /** A tabular expression. */
  tabular(node: Syntax.Expression, scope: Scope): Tabular;
}
