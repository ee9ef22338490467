// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Statements: `let` (scalar and tabular values) and `declare query_parameters`.
 */
import type { Tabular } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { IConverter } from './converter';
import { elementAt, isTabular, kindOf, type Scope } from './syntax';

import Syntax = Kusto.Language.Syntax;

/**
 * `declare query_parameters(name:type = default, …)`: locally no caller passes values, so each
 * parameter is its default; one without a default cannot run.
 */
export function queryParameters(
  cx: IConverter,
  statement: Syntax.QueryParametersStatement,
  scope: Scope
): Scope {
  const next = new Map(scope);
  const list = statement.Parameters!;
  for (let i = 0; i < list.Count; i++) {
    const parameter = elementAt(list, i)!;
    const name = parameter.NameAndType!.Name!.SimpleName!;
    const value = parameter.DefaultValue?.Value;
    if (!value) {
      throw new UnsupportedError(
        `the query parameter ${name} without a default value`,
        cx.span(parameter),
        'give it a default (name:type = value) or write the value in the query'
      );
    }
    next.set(name, { kind: 'scalar', expr: cx.expr(value, scope) });
  }
  return next;
}

/** A `let` statement: the scope after it (a scalar value, a tabular value or a function). */
export function letStatement(
  cx: IConverter,
  statement: Syntax.LetStatement,
  scope: Scope
): Scope {
  const name = statement.Name!.SimpleName!;
  const value = statement.Expression!;
  const next = new Map(scope);
  if (kindOf(value) === 'FunctionDeclaration') {
    // Calls are expanded where they are made (Kusto.Language binds each expansion).
    next.delete(name);
  } else if (isTabular(value)) {
    next.set(name, {
      kind: 'tabular',
      value: letTable(cx, name, value, scope)
    });
  } else {
    next.set(name, { kind: 'scalar', expr: cx.expr(value, scope) });
  }
  return next;
}

/** A tabular `let` becomes a common table expression referenced by name. */
function letTable(
  cx: IConverter,
  name: string,
  value: Syntax.Expression,
  scope: Scope
): Tabular {
  const converted = cx.tabular(value, scope);
  const cte = `${name}_${cx.lets.length + 1}`;
  cx.lets.push({ name: cte, value: converted });
  return {
    kind: 'let',
    name: cte,
    span: converted.span,
    schema: converted.schema
  };
}
