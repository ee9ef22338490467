// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `partition [hint.strategy=…] by Column (subquery)`.
 */
import type { IPartition, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import { kindOf } from '../syntax';
import type { IConvertContext } from './context';

import Syntax = Kusto.Language.Syntax;

/** Converts one `partition` applied to `input`; `schema` is its output, as Kusto's binder gave it. */
export function convertPartition(
  ctx: IConvertContext,
  op: Syntax.PartitionOperator,
  input: Tabular,
  schema: RowSchema
): IPartition {
  const span = { start: input.span.start, end: ctx.span(op).end };
  const operand = op.Operand!;
  if (op.Scope || kindOf(operand) !== 'PartitionSubquery') {
    // `{ … }` subqueries name their own source and read the key with toscalar(): one query per
    // key value, which one SQL statement does not express.
    throw new UnsupportedError(
      'partition with a subquery that has its own source',
      span
    );
  }
  const rows: Tabular = { kind: 'mv-apply-row', span, schema: input.schema };
  return {
    kind: 'partition',
    span,
    schema,
    input,
    key: ctx.expr(op.ByExpression!),
    body: ctx.subqueryOver(
      (operand as Syntax.PartitionSubquery).Subquery!,
      rows
    )
  };
}
