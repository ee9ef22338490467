// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `extend` (and `serialize`, which extends) and `project-rename`.
 */
import type { INamedExpr, Tabular } from '../../ast';
import type { ISpan } from '../../diagnostics';
import type { RowSchema } from '../../types';
import type { IConverter } from '../converter';
import { elementAt, type Scope } from '../syntax';
import { hoistTupleCalls } from '../tuples';

import Syntax = Kusto.Language.Syntax;

/** `extend` (and `serialize` with columns): the new columns over the input row. */
export function extend(
  cx: IConverter,
  op: Syntax.ExtendOperator | Syntax.SerializeOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  const existing = new Set(input.schema.map(c => c.name));
  const added = schema.filter(c => !existing.has(c.name)).map(c => c.name);
  const columns: INamedExpr[] = [];
  const list = op.Expressions;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const element = elementAt(list!, i)!;
    const named = cx.named(element, scope);
    for (const n of named) {
      if (n.name === '') {
        n.name = added.shift() ?? `Column${i + 1}`;
      } else {
        const at = added.indexOf(n.name);
        if (at >= 0) {
          added.splice(at, 1);
        }
      }
    }
    columns.push(...named);
  }
  return { kind: 'extend', span, schema, ...hoistTupleCalls(input, columns) };
}

/** `project-rename`: every column kept, some under new names. */
export function rename(
  cx: IConverter,
  op: Syntax.ProjectRenameOperator,
  input: Tabular,
  schema: RowSchema,
  span: ISpan
): Tabular {
  const renamed = new Map<string, string>();
  const list = op.Expressions;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const element = elementAt(list!, i) as Syntax.SimpleNamedExpression;
    renamed.set(
      element.Name!.SimpleName!,
      (element.Expression as Syntax.NameReference).SimpleName!
    );
  }
  return {
    kind: 'project',
    span,
    schema,
    input,
    columns: schema.map(c => ({
      name: c.name,
      expr: {
        kind: 'column',
        span,
        type: c.type,
        name: renamed.get(c.name) ?? c.name
      }
    }))
  };
}
