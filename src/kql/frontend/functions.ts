// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Calls of user-defined functions and tabular functions: each call site is bound by Kusto's binder
 * (`GetExpansion()`) and inlined here with its arguments; `table(name)` of a value.
 */
import type { Expr, ITableRef, Tabular } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import type { ScalarType } from '../types';
import type { IConverter } from './converter';
import {
  bindArguments,
  type Binding,
  elementAt,
  isTabular,
  kindOf,
  schemaOf,
  type Scope,
  textOf
} from './syntax';

import Syntax = Kusto.Language.Syntax;
import Symbols = Kusto.Language.Symbols;

/** A call in tabular position: a user function (inlined), `table()`, `materialize()`… */
export function tabularCall(
  cx: IConverter,
  node: Syntax.FunctionCallExpression,
  scope: Scope
): Tabular {
  const symbol = node.ReferencedSymbol as Symbols.FunctionSymbol | null;
  const name = node.Name!.SimpleName!;
  if (node.GetExpansion()) {
    return expand(cx, node, [], scope);
  }
  if (name === 'materialize') {
    return cx.tabular(elementAt(node.ArgumentList!.Expressions!, 0)!, scope);
  }
  if (name === 'table' || name === 'view') {
    const symbolName =
      node.ResultType && 'Name' in node.ResultType
        ? node.ResultType.Name
        : null;
    if (symbol === null && symbolName) {
      return {
        kind: 'table',
        name: symbolName,
        span: cx.span(node),
        schema: schemaOf(node)
      };
    }
    const named = tableByValue(cx, node, scope);
    if (named) {
      return named;
    }
  }
  throw new UnsupportedError(`${name}()`, cx.span(node));
}

/**
 * `table(name)` whose name is a `let` value, a query parameter or a function's argument: the
 * workspace table the string names, with the schema's columns.
 */
function tableByValue(
  cx: IConverter,
  node: Syntax.FunctionCallExpression,
  scope: Scope
): ITableRef | null {
  const arg = elementAt(node.ArgumentList!.Expressions!, 0);
  if (!arg || isTabular(arg)) {
    return null;
  }
  const value = cx.expr(arg, scope);
  if (value.kind !== 'literal' || typeof value.value !== 'string') {
    return null;
  }
  const table = cx.schema.tables.find(t => t.name === value.value);
  return table
    ? {
        kind: 'table',
        name: table.name,
        span: cx.span(node),
        schema: table.columns
      }
    : null;
}

/**
 * Expands a call of a user-defined function (a `let` lambda or `invoke`). Kusto.Language binds
 * a copy of the body for each call with the arguments' types; its parameters appear in it as
 * variables, bound here to the converted arguments.
 */
export function expand(
  cx: IConverter,
  node: Syntax.Expression,
  leading: Tabular[],
  scope: Scope
): Tabular {
  const call = node as Syntax.FunctionCallExpression;
  const expansion = call.GetExpansion() as Syntax.FunctionBody | null;
  const symbol = call.ReferencedSymbol as Symbols.FunctionSymbol | null;
  const span = cx.span(node);
  if (!expansion || !symbol) {
    throw new UnsupportedError(`the function ${textOf(call).trim()}`, span);
  }
  const signature = symbol.Signatures!.getItem(0);
  const parameters = signature.Parameters!;
  const args: Syntax.Expression[] = [];
  const list =
    kindOf(node) === 'FunctionCallExpression'
      ? call.ArgumentList?.Expressions
      : null;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    args.push(elementAt(list!, i)!);
  }
  let inner: Map<string, Binding> = new Map(scope);
  const bound = bindArguments(args, parameters, leading.length);
  for (let i = 0; i < parameters.Count; i++) {
    const parameter = parameters.getItem(i);
    const name = parameter.Name!;
    if (i < leading.length) {
      inner.set(name, { kind: 'tabular', value: leading[i] });
      continue;
    }
    const arg = bound.get(name) ?? parameter.DefaultValue;
    if (!arg) {
      throw new UnsupportedError(
        `a call of ${symbol.Name} without its parameter ${name}`,
        span
      );
    }
    inner.set(
      name,
      isTabular(arg)
        ? { kind: 'tabular', value: cx.tabular(arg, scope) }
        : { kind: 'scalar', expr: cx.expr(arg, scope) }
    );
  }
  cx.expansionSpans.push(span);
  try {
    const statements = expansion.Statements;
    for (let i = 0; i < (statements?.Count ?? 0); i++) {
      const statement = elementAt(statements!, i)!;
      if (kindOf(statement) === 'LetStatement') {
        inner = new Map(
          cx.letStatement(statement as Syntax.LetStatement, inner)
        );
      }
    }
    return cx.tabular(expansion.Expression!, inner);
  } finally {
    cx.expansionSpans.pop();
  }
}

/** A call of a user-defined scalar function: its body with the arguments bound. */
export function scalarExpansion(
  cx: IConverter,
  node: Syntax.FunctionCallExpression,
  scope: Scope,
  type: ScalarType,
  span: ISpan
): Expr {
  const expansion = node.GetExpansion() as Syntax.FunctionBody;
  const symbol = node.ReferencedSymbol as Symbols.FunctionSymbol;
  const parameters = symbol.Signatures!.getItem(0).Parameters!;
  const list = node.ArgumentList!.Expressions!;
  let inner: Map<string, Binding> = new Map(scope);
  const args: Syntax.Expression[] = [];
  for (let i = 0; i < list.Count; i++) {
    args.push(elementAt(list, i)!);
  }
  const bound = bindArguments(args, parameters, 0);
  for (let i = 0; i < parameters.Count; i++) {
    const parameter = parameters.getItem(i);
    const arg = bound.get(parameter.Name!) ?? parameter.DefaultValue;
    if (!arg) {
      throw new UnsupportedError(
        `a call of ${symbol.Name} without its parameter ${parameter.Name}`,
        span
      );
    }
    inner.set(parameter.Name!, {
      kind: 'scalar',
      expr: cx.expr(arg, scope)
    });
  }
  const statements = expansion.Statements;
  for (let i = 0; i < (statements?.Count ?? 0); i++) {
    const statement = elementAt(statements!, i)!;
    if (kindOf(statement) === 'LetStatement') {
      inner = new Map(cx.letStatement(statement as Syntax.LetStatement, inner));
    }
  }
  cx.expansionSpans.push(span);
  try {
    const body = cx.expr(expansion.Expression!, inner);
    return body.type === 'unknown' ? { ...body, type } : body;
  } finally {
    cx.expansionSpans.pop();
  }
}
