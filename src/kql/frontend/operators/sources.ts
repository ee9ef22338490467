// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Tabular sources written in the query: `externaldata` and `datatable`.
 */
import type { Expr, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import type { IConverter } from '../converter';
import { elementAt, type Scope, textOf } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `externaldata`: the columns, URIs and format of a relation the runner provides. */
export function externalData(
  cx: IConverter,
  node: Syntax.ExternalDataExpression,
  schema: RowSchema
): Tabular {
  const span = cx.span(node);
  const uris: string[] = [];
  const list = node.URIs!;
  for (let i = 0; i < list.Count; i++) {
    const uri = elementAt(list, i)! as Syntax.LiteralExpression;
    const value = uri.LiteralValueInfo?.Value as unknown;
    if (typeof value !== 'string') {
      throw new UnsupportedError(
        'externaldata with a URI that is not a string literal',
        span
      );
    }
    uris.push(value);
  }
  const properties = new Map<string, string>();
  const withList = node.WithClause?.Properties;
  for (let i = 0; i < (withList?.Count ?? 0); i++) {
    const property = elementAt(withList!, i)!;
    const value = property.Expression!;
    const literal = (value as Syntax.LiteralExpression).LiteralValueInfo
      ?.Value as unknown;
    properties.set(
      property.Name!.SimpleName!.toLowerCase(),
      String(literal ?? textOf(value)).toLowerCase()
    );
  }
  return {
    kind: 'externaldata',
    span,
    schema,
    uris,
    format: properties.get('format') ?? 'csv',
    ignoreFirstRecord: properties.get('ignorefirstrecord') === 'true'
  };
}

/** `datatable`: its rows of literal values. */
export function datatable(
  cx: IConverter,
  node: Syntax.DataTableExpression,
  schema: RowSchema
): Tabular {
  const span = cx.span(node);
  const values = node.Values!;
  const width = schema.length;
  const rows: Expr[][] = [];
  const empty: Scope = new Map();
  for (let i = 0; i < values.Count; i += width) {
    const row: Expr[] = [];
    for (let j = 0; j < width && i + j < values.Count; j++) {
      row.push(cx.expr(elementAt(values, i + j)!, empty));
    }
    rows.push(row);
  }
  return { kind: 'datatable', span, schema, rows };
}
