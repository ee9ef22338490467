// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `render`: the chart metadata a query ends with.
 */
import type { IRenderSpec } from '../../ast';
import type { IConverter } from '../converter';
import { elementAt, kindOf, textOf } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `render`: the chart type and its `with (…)` properties. */
export function renderOperator(
  cx: IConverter,
  op: Syntax.RenderOperator
): IRenderSpec {
  const properties: Record<string, string | string[]> = {};
  const list = op.WithClause?.Properties;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const property = elementAt(list!, i)!;
    const value = property.Expression!;
    const name = property.Name!.SimpleName!;
    if (
      kindOf(value) === 'ParenthesizedExpression' ||
      kindOf(value) === 'ExpressionList'
    ) {
      properties[name] = textOf(value)
        .replace(/[()\s]/g, '')
        .split(',');
    } else {
      const literal = (value as Syntax.LiteralExpression).LiteralValueInfo;
      properties[name] = literal ? String(literal.Value) : textOf(value).trim();
    }
  }
  return { visualization: op.ChartType!.Text!, properties };
}
