// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `declare pattern` and its invocations: `P("a").b` (or `P("a").["b"]`, or `P("a")` for a
 * pattern without a path) stands for the body of the mapping declared for those values.
 */
import { type ISpan, UnsupportedError } from '../../diagnostics';
import { elementAt, kindOf, textOf } from '../syntax';
import { literalValue } from './context';

import Syntax = Kusto.Language.Syntax;

/** The patterns a query declares, by name. */
export type Patterns = Map<string, Syntax.PatternDeclaration>;

/**
 * The tabular expression a pattern invocation stands for, or null when `node` invokes no
 * declared pattern. An invocation with values no mapping has is refused (Kusto: SEM0036).
 */
export function patternBody(
  node: Syntax.Expression,
  patterns: Patterns,
  span: ISpan
): Syntax.Expression | null {
  let call: Syntax.Expression = node;
  let path: string | null = null;
  if (kindOf(node) === 'PathExpression') {
    const selector = (node as Syntax.PathExpression).Selector!;
    path = text(selector);
    call = (node as Syntax.PathExpression).Expression!;
  } else if (kindOf(node) === 'ElementExpression') {
    path = text((node as Syntax.ElementExpression).Selector!);
    call = (node as Syntax.ElementExpression).Expression!;
  }
  if (kindOf(call) !== 'FunctionCallExpression') {
    return null;
  }
  const name = (call as Syntax.FunctionCallExpression).Name!.SimpleName!;
  const declaration = patterns.get(name);
  if (!declaration) {
    return null;
  }
  const list = (call as Syntax.FunctionCallExpression).ArgumentList!
    .Expressions!;
  const values = Array.from({ length: list.Count }, (_, i) =>
    text(elementAt(list, i)!)
  );
  const matches = declaration.Patterns!;
  for (let i = 0; i < matches.Count; i++) {
    const match = matches.getItem(i) as unknown as Syntax.PatternMatch;
    const declared = match.ParameterValues!.Expressions!;
    const same =
      declared.Count === values.length &&
      values.every((v, j) => text(elementAt(declared, j)!) === v) &&
      (match.PathValue ? text(match.PathValue.Value!) : null) === path;
    if (same) {
      const body = match.Body!;
      if ((body.Statements?.Count ?? 0) > 0) {
        throw new UnsupportedError('a pattern body with statements', span);
      }
      return body.Expression;
    }
  }
  throw new UnsupportedError(
    `the pattern ${name} for these values`,
    span,
    'no mapping of the pattern has them'
  );
}

/** A value of a pattern: a string literal's text, or a name's. */
function text(node: Syntax.SyntaxNode): string {
  let inner: Syntax.SyntaxNode = node;
  if (kindOf(inner) === 'BracketedExpression') {
    inner = (inner as Syntax.BracketedExpression).Expression!;
  }
  const value = literalValue(inner as Syntax.Expression);
  return typeof value === 'string' ? value : textOf(inner).trim();
}
