// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Reading facts off Kusto.Language's bound syntax nodes: kinds, text, types, columns, named
 * parameters, the arguments of a call. No conversion state: every function here is pure.
 */
import type { Expr, INamedExpr, Tabular } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import { type RowSchema, type ScalarType, scalarType } from '../types';

import Syntax = Kusto.Language.Syntax;
import Symbols = Kusto.Language.Symbols;

/** Any syntax node. */
export type Node = Syntax.SyntaxNode;

/** A comma-separated list of syntax elements. */
export type SeparatedList<T extends Syntax.SyntaxElement> = Syntax.SyntaxList$1<
  Syntax.SeparatedElement$1<T>
>;

/** The i-th element of a comma-separated list (the library types the item loosely). */
export function elementAt<T extends Syntax.SyntaxElement>(
  list: SeparatedList<T>,
  i: number
): T | null {
  return (list.getItem(i) as unknown as Syntax.SeparatedElement$1<T>)
    .Element as T | null;
}

/** What a name bound by `let`, a function parameter or `as` stands for. */
export type Binding =
  { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; value: Tabular };

/** Names in scope: `let`s and the parameters of the function being expanded. */
export type Scope = ReadonlyMap<string, Binding>;

/**
 * The argument of each parameter of a user-defined function: `name=value` arguments by name, then
 * positional arguments in order over the remaining parameters (after `skip` parameters bound
 * otherwise).
 */
export function bindArguments(
  args: Syntax.Expression[],
  parameters: System.Collections.Generic.IReadOnlyList$1<Symbols.Parameter>,
  skip: number
): Map<string, Syntax.Expression> {
  const bound = new Map<string, Syntax.Expression>();
  const positional: Syntax.Expression[] = [];
  for (const arg of args) {
    if (kindOf(arg) === 'SimpleNamedExpression') {
      const named = arg as Syntax.SimpleNamedExpression;
      bound.set(named.Name!.SimpleName!, named.Expression!);
    } else {
      positional.push(arg);
    }
  }
  // Positional arguments fill the parameters no argument names, in order (`f(len=3, input)`
  // binds `input` to the second parameter, as the documented assert example shows).
  let next = skip;
  for (const arg of positional) {
    while (
      next < parameters.Count &&
      bound.has(parameters.getItem(next).Name!)
    ) {
      next++;
    }
    if (next < parameters.Count) {
      bound.set(parameters.getItem(next++).Name!, arg);
    }
  }
  return bound;
}

/**
 * The function a call means: a deprecated name Kusto still accepts (`makeset`, `parsejson`,
 * `argmax`, …) is its modern function, as Kusto's catalogue names it. Kusto names two alternatives
 * for `replace`; its arguments are those of `replace_regex` in another order.
 */
export function modernName(
  symbol: Symbols.FunctionSymbol | null,
  name: string
): string {
  if (!symbol?.IsObsolete || !symbol.Alternative) {
    return name;
  }
  const alternative = /^[a-z_0-9]+/.exec(symbol.Alternative)?.[0];
  return alternative ?? name;
}

/** True for a call by a deprecated name (`argmax`), whose result Kusto names its own way. */
export function isDeprecatedCall(node: Syntax.Expression): boolean {
  return (
    kindOf(node) === 'FunctionCallExpression' &&
    !!(
      (node as Syntax.FunctionCallExpression)
        .ReferencedSymbol as Symbols.FunctionSymbol | null
    )?.IsObsolete
  );
}

/**
 * The columns the deprecated `argmax(x, c1, c2)` carries: its arguments after the first (its
 * result columns are named `max_x_c1`…, not after the columns they carry).
 */
export function deprecatedCarried(expr: Expr, span: ISpan): string[] {
  const args = expr.kind === 'call' ? expr.args.slice(1) : [];
  return args.map(a => {
    if (a.kind !== 'column') {
      throw new UnsupportedError('argmax/argmin returning an expression', span);
    }
    return a.name;
  });
}

/** The source text of a node, without surrounding trivia. */
export function textOf(node: Syntax.SyntaxElement): string {
  return node.ToString(Syntax.IncludeTrivia.Minimal) ?? '';
}

/** The class name of a syntax node, e.g. `FilterOperator`. */
export function kindOf(node: Syntax.SyntaxElement): string {
  const name = (node.constructor as unknown as { $$name: string }).$$name;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** How a node is named in an "unsupported" message. */
export function describe(node: Syntax.SyntaxElement): string {
  const text = textOf(node).trim();
  const keyword = /^[a-z][a-z0-9_-]*/i.exec(text);
  const kind = kindOf(node).replace(/(Operator|Expression)$/, '');
  return keyword ? `${keyword[0]} (${kind})` : kind;
}

/** True when an expression's result is a table. */
export function isTabular(node: Syntax.Expression): boolean {
  const type = node.ResultType;
  return !!type && type.Kind === Symbols.SymbolKind.Table;
}

/** The KQL type Kusto's binder gave an expression. */
export function typeOf(node: Syntax.Expression): ScalarType {
  const type = node.ResultType;
  return type ? scalarType(type.Name) : 'unknown';
}

function columnsOf(
  list: System.Collections.Generic.IReadOnlyList$1<Symbols.ColumnSymbol> | null
): RowSchema {
  const columns: RowSchema = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const column = list!.getItem(i);
    const type = scalarType(column.Type?.Name);
    columns.push({
      name: column.Name!,
      type: type === 'unknown' ? 'dynamic' : type
    });
  }
  return columns;
}

/** The columns Kusto's binder gave a tabular node, in order. */
export function schemaOf(node: Syntax.SyntaxNode): RowSchema {
  const type = (node as Syntax.Expression)
    .ResultType as Symbols.TableSymbol | null;
  return type && type.Kind === Symbols.SymbolKind.Table
    ? columnsOf(type.Columns)
    : [];
}

/** For `arg_max(x, …)`-like aggregates that return several columns: their input names. */
export function tupleColumns(node: Syntax.Expression): string[] | null {
  const type = node.ResultType as Symbols.TupleSymbol | null;
  if (!type || type.Kind !== Symbols.SymbolKind.Tuple) {
    return null;
  }
  return columnsOf(type.Columns).map(c => c.name);
}

/** The value of `name = value`, or the node itself. */
export function namedValue(node: Syntax.Expression): Syntax.Expression {
  const kind = kindOf(node);
  if (kind === 'SimpleNamedExpression' || kind === 'CompoundNamedExpression') {
    return (node as Syntax.SimpleNamedExpression).Expression!;
  }
  return node;
}

/** The text of a named parameter such as `kind=leftouter` or `withsource=Table`. */
export function parameter(
  list: Syntax.SyntaxList$1<Syntax.NamedParameter> | null,
  name: string
): string | undefined {
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const item = list!.getItem(i) as unknown as Syntax.NamedParameter;
    if (item.Name?.SimpleName?.toLowerCase() === name) {
      const value = item.Expression!;
      const literal = (value as Syntax.LiteralExpression).LiteralValueInfo;
      if (literal && typeof literal.Value === 'string') {
        return literal.Value;
      }
      return textOf(value).trim();
    }
  }
  return undefined;
}

/** The name `union withsource=` gives an input written as a name or ending in `as Name`. */
export function unionName(node: Syntax.Expression): string | null {
  let inner: Syntax.Expression = node;
  while (kindOf(inner) === 'ParenthesizedExpression') {
    inner = (inner as Syntax.ParenthesizedExpression).Expression!;
  }
  // A let-bound tabular value is named by its place (union_arg1), only a table by its name.
  if (
    kindOf(inner) === 'NameReference' &&
    inner.ReferencedSymbol?.Kind === Symbols.SymbolKind.Table
  ) {
    return (inner as Syntax.NameReference).SimpleName;
  }
  if (kindOf(inner) === 'PipeExpression') {
    const op = (inner as Syntax.PipeExpression).Operator!;
    if (kindOf(op) === 'AsOperator') {
      return (op as Syntax.AsOperator).Name!.SimpleName;
    }
  }
  return null;
}

/** `$left.Name` or `$right.Name` in a join condition. */
export function sideColumn(
  node: Syntax.Expression
): { side: 'left' | 'right'; name: string } | null {
  if (kindOf(node) !== 'PathExpression') {
    return null;
  }
  const path = node as Syntax.PathExpression;
  const side = textOf(path.Expression!).trim().toLowerCase();
  const name = (path.Selector as Syntax.NameReference).SimpleName!;
  if (side === '$left' || side === '$right') {
    return { side: side === '$left' ? 'left' : 'right', name };
  }
  return null;
}

/** Columns passed through unchanged, by name. */
export function passThrough(schema: RowSchema, span: ISpan): INamedExpr[] {
  return schema.map(c => ({
    name: c.name,
    expr: { kind: 'column', span, type: c.type, name: c.name }
  }));
}

/**
 * True when `text` matches `pattern`, where `*` stands for any run of characters. Matched in time
 * proportional to their lengths' product: the regular expression `^a.*b.*c$` backtracks
 * combinatorially in the number of stars when it fails.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  // The last star seen and the text position its run currently ends at.
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}
