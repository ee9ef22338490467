// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Scalar expressions: operators, names, calls of built-in functions (with Kusto's deprecated
 * names mapped to their modern functions), `where` conditions, named expression lists.
 */
import type { Expr, ICall, INamedExpr } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import type { RowSchema, ScalarType } from '../types';
import type { IConverter } from './converter';
import { jsonText, literal, typeOfLiteral } from './literals';
import { isTupleCall, tupleItems } from './tuples';
import {
  describe,
  elementAt,
  isTabular,
  kindOf,
  modernName,
  type Scope,
  type SeparatedList,
  textOf,
  typeOf
} from './syntax';

import Syntax = Kusto.Language.Syntax;
import Symbols = Kusto.Language.Symbols;

/** A `where` condition; Kusto still reads `where Column = value` as a comparison. */
export function condition(
  cx: IConverter,
  node: Syntax.Expression,
  scope: Scope
): Expr {
  if (kindOf(node) !== 'SimpleNamedExpression') {
    return cx.expr(node, scope);
  }
  const named = node as Syntax.SimpleNamedExpression;
  const name = named.Name!.SimpleName!;
  const column: Expr = {
    kind: 'column',
    span: cx.span(named.Name!),
    type: typeOf(named.Name!),
    name
  };
  return {
    kind: 'call',
    span: cx.span(node),
    type: 'bool',
    name: '==',
    args: [column, cx.expr(named.Expression!, scope)]
  };
}

/** The named columns of a list such as `project a, b = f(c)`; unnamed ones take schema names. */
export function namedList(
  cx: IConverter,
  list: SeparatedList<Syntax.Expression> | null,
  schema: RowSchema,
  scope: Scope
): INamedExpr[] {
  const result: INamedExpr[] = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    for (const named of cx.named(elementAt(list!, i)!, scope)) {
      named.name =
        named.name ||
        schema[result.length]?.name ||
        `Column${result.length + 1}`;
      result.push(named);
    }
  }
  return result;
}

/** One expression with the name it declares, or `''` where Kusto derives the name. */
export function named(
  cx: IConverter,
  node: Syntax.Expression,
  scope: Scope
): INamedExpr[] {
  switch (kindOf(node)) {
    case 'SimpleNamedExpression': {
      const named = node as Syntax.SimpleNamedExpression;
      const expr = cx.expr(named.Expression!, scope);
      if (isTupleCall(expr)) {
        return tupleItems(expr, [named.Name!.SimpleName!], cx.span(node));
      }
      return [{ name: named.Name!.SimpleName!, expr }];
    }
    case 'CompoundNamedExpression': {
      const compound = node as Syntax.CompoundNamedExpression;
      const list = compound.Names!.Names!;
      const names = Array.from(
        { length: list.Count },
        (_, i) => elementAt(list, i)!.SimpleName!
      );
      const expr = cx.expr(compound.Expression!, scope);
      return tupleItems(expr, names, cx.span(node));
    }
    default: {
      const expr = cx.expr(node, scope);
      if (isTupleCall(expr)) {
        return tupleItems(expr, [], cx.span(node));
      }
      return [{ name: expr.kind === 'column' ? expr.name : '', expr }];
    }
  }
}

/** A scalar expression: literals, names, operators, calls, member access, subqueries. */
export function expr(
  cx: IConverter,
  node: Syntax.Expression,
  scope: Scope
): Expr {
  const span = cx.span(node);
  const type = typeOf(node);
  switch (kindOf(node)) {
    case 'LiteralExpression':
    case 'CompoundStringLiteralExpression':
      return literal(node as Syntax.LiteralExpression, type, span);
    case 'DynamicExpression': {
      const inner = (node as Syntax.DynamicExpression).Expression!;
      return {
        kind: 'literal',
        span,
        type: 'dynamic',
        value: jsonText(inner)
      };
    }
    case 'ParenthesizedExpression':
      return cx.expr(
        (node as Syntax.ParenthesizedExpression).Expression!,
        scope
      );
    case 'NameReference':
      return nameReference(cx, node as Syntax.NameReference, scope, type, span);
    case 'BracketedExpression':
      return cx.expr((node as Syntax.BracketedExpression).Expression!, scope);
    case 'BinaryExpression': {
      const binary = node as Syntax.BinaryExpression;
      return {
        kind: 'call',
        span,
        type,
        name: binary.Operator!.Text!.toLowerCase(),
        args: [cx.expr(binary.Left!, scope), cx.expr(binary.Right!, scope)]
      };
    }
    case 'PrefixUnaryExpression': {
      const unary = node as Syntax.PrefixUnaryExpression;
      if (
        unary.Operator!.Text === '-' &&
        /^(long\(\s*)?9223372036854775808\s*\)?$/.test(
          textOf(unary.Expression!).trim()
        )
      ) {
        // long.MinValue: its digits alone are beyond a long.
        return {
          kind: 'literal',
          span,
          type: 'long',
          value: '-9223372036854775808'
        };
      }
      const operand = cx.expr(unary.Expression!, scope);
      if (unary.Operator!.Text === '+') {
        return operand;
      }
      return { kind: 'call', span, type, name: 'negate', args: [operand] };
    }
    case 'InExpression':
    case 'HasAnyExpression':
    case 'HasAllExpression': {
      const inExpr = node as Syntax.InExpression;
      const args = [cx.expr(inExpr.Left!, scope)];
      const list = inExpr.Right!.Expressions!;
      for (let i = 0; i < list.Count; i++) {
        const element = elementAt(list, i)!;
        args.push(
          isTabular(element)
            ? {
                kind: 'subquery',
                span: cx.span(element),
                type: 'dynamic',
                query: cx.tabular(element, scope),
                rows: true
              }
            : cx.expr(element, scope)
        );
      }
      return {
        kind: 'call',
        span,
        type,
        name: inExpr.Operator!.Text!.toLowerCase(),
        args
      };
    }
    case 'BetweenExpression': {
      const between = node as Syntax.BetweenExpression;
      return {
        kind: 'call',
        span,
        type,
        name: between.Operator!.Text!.toLowerCase().replace(/\s+/g, ''),
        args: [
          cx.expr(between.Left!, scope),
          cx.expr(between.Right!.First!, scope),
          cx.expr(between.Right!.Second!, scope)
        ]
      };
    }
    case 'FunctionCallExpression':
      return functionCall(
        cx,
        node as Syntax.FunctionCallExpression,
        scope,
        type,
        span
      );
    case 'PathExpression': {
      const path = node as Syntax.PathExpression;
      const selector = path.Selector!;
      if (kindOf(selector) === 'BracketedExpression') {
        // `x.[p]`: the key is the value of the expression in brackets, as `x[p]`.
        return {
          kind: 'member',
          span,
          type,
          target: cx.expr(path.Expression!, scope),
          key: cx.expr(
            (selector as Syntax.BracketedExpression).Expression!,
            scope
          )
        };
      }
      const key =
        kindOf(selector) === 'NameReference'
          ? (selector as Syntax.NameReference).SimpleName!
          : textOf(selector).trim();
      return {
        kind: 'member',
        span,
        type,
        target: cx.expr(path.Expression!, scope),
        key: {
          kind: 'literal',
          span: cx.span(selector),
          type: 'string',
          value: key
        }
      };
    }
    case 'ElementExpression': {
      const element = node as Syntax.ElementExpression;
      return {
        kind: 'member',
        span,
        type,
        target: cx.expr(element.Expression!, scope),
        key: cx.expr(element.Selector!, scope)
      };
    }
    case 'StarExpression':
      return { kind: 'star', span, type: 'unknown' };
    case 'TypeOfLiteralExpression':
      return {
        kind: 'literal',
        span,
        type: 'string',
        value: typeOfLiteral(node)
      };
    case 'SimpleNamedExpression':
      // A name given to an argument (`case(p, strcat=x, …)`) does not change its value.
      return cx.expr((node as Syntax.SimpleNamedExpression).Expression!, scope);
    case 'ToScalarExpression': {
      const inner = (node as Syntax.ToScalarExpression).Expression!;
      return {
        kind: 'subquery',
        span,
        type,
        query: cx.tabular(inner, scope)
      };
    }
    default:
      if (isTabular(node)) {
        return {
          kind: 'subquery',
          span,
          type,
          query: cx.tabular(node, scope)
        };
      }
      throw new UnsupportedError(describe(node), span);
  }
}

function nameReference(
  cx: IConverter,
  node: Syntax.NameReference,
  scope: Scope,
  type: ScalarType,
  span: ISpan
): Expr {
  const name = node.SimpleName!;
  const symbol = node.ReferencedSymbol;
  const symbolKind = symbol?.Kind;
  if (symbolKind === Symbols.SymbolKind.Column) {
    return { kind: 'column', span, type, name: symbol!.Name! };
  }
  const bound = scope.get(name);
  if (bound?.kind === 'scalar') {
    return bound.expr;
  }
  if (bound?.kind === 'tabular') {
    return { kind: 'subquery', span, type, query: bound.value };
  }
  if (symbolKind === Symbols.SymbolKind.Table) {
    return { kind: 'subquery', span, type, query: cx.tabular(node, scope) };
  }
  if (!symbol) {
    throw new UnsupportedError(`the unknown name '${name}'`, span);
  }
  throw new UnsupportedError(`the name '${name}'`, span);
}

function functionCall(
  cx: IConverter,
  node: Syntax.FunctionCallExpression,
  scope: Scope,
  type: ScalarType,
  span: ISpan
): Expr {
  const name = node.Name!.SimpleName!;
  if (node.GetExpansion()) {
    return cx.scalarExpansion(node, scope, type, span);
  }
  const args: Expr[] = [];
  const list = node.ArgumentList!.Expressions!;
  for (let i = 0; i < list.Count; i++) {
    args.push(cx.expr(elementAt(list, i)!, scope));
  }
  const modern = modernName(
    node.ReferencedSymbol as Symbols.FunctionSymbol | null,
    name
  );
  if (modern === 'replace_regex' && name.toLowerCase() === 'replace') {
    // The deprecated replace(regex, rewrite, text) takes the text last.
    const [regex, rewrite, text] = args;
    return {
      kind: 'call',
      span,
      type,
      name: modern,
      args: [text, regex, rewrite]
    };
  }
  if (modern === 'column_ifexists') {
    return columnIfExists(cx, args, span);
  }
  if (modern === 'pack_all') {
    return packAll(cx, args, span);
  }
  if (modern === 'bin_auto') {
    return binAuto(cx, args[0], type, span);
  }
  const call: ICall = { kind: 'call', span, type, name: modern, args };
  return call;
}

/**
 * `bin_auto(value)`: `bin_at(value, size, at)` with the query's `set query_bin_auto_size` and
 * `query_bin_auto_at` (whose default, 0, is `bin`'s fixed point).
 */
function binAuto(
  cx: IConverter,
  value: Expr,
  type: ScalarType,
  span: ISpan
): Expr {
  const size = cx.options.get('query_bin_auto_size');
  if (!size) {
    throw new UnsupportedError(
      'bin_auto() without set query_bin_auto_size',
      span,
      'Kusto requires the bin size'
    );
  }
  const at = cx.options.get('query_bin_auto_at');
  return at
    ? { kind: 'call', span, type, name: 'bin_at', args: [value, size, at] }
    : { kind: 'call', span, type, name: 'bin', args: [value, size] };
}

/** `column_ifexists(name, default)`: the column when the row has it, else the default. */
function columnIfExists(cx: IConverter, args: Expr[], span: ISpan): Expr {
  const [name, fallback] = args;
  if (name.kind !== 'literal' || typeof name.value !== 'string') {
    throw new UnsupportedError('column_ifexists of a computed name', span);
  }
  const column = cx.row.find(c => c.name === name.value);
  return column
    ? { kind: 'column', span, type: column.type, name: column.name }
    : fallback;
}

/**
 * `pack_all([ignore_null_empty])`: a bag of every column of the row, by name; the call carries
 * the flag and the name and value of each column.
 */
function packAll(cx: IConverter, args: Expr[], span: ISpan): Expr {
  const ignore: Expr = args[0] ?? {
    kind: 'literal',
    span,
    type: 'bool',
    value: false
  };
  return {
    kind: 'call',
    span,
    type: 'dynamic',
    name: 'pack_all',
    args: [
      ignore,
      ...cx.row.flatMap((c): Expr[] => [
        { kind: 'literal', span, type: 'string', value: c.name },
        { kind: 'column', span, type: c.type, name: c.name }
      ])
    ]
  };
}
