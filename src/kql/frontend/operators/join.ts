// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `join` and `lookup`: kinds and equality keys.
 */
import type { JoinKind, Tabular } from '../../ast';
import { type ISpan, UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import type { IConverter } from '../converter';
import {
  elementAt,
  kindOf,
  parameter,
  type Scope,
  type SeparatedList,
  sideColumn
} from '../syntax';

import Syntax = Kusto.Language.Syntax;

const JOIN_KINDS: ReadonlySet<string> = new Set<JoinKind>([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi'
]);

const JOIN_ALIASES: Record<string, JoinKind> = {
  anti: 'leftanti',
  leftantisemi: 'leftanti',
  rightantisemi: 'rightanti',
  semi: 'leftsemi'
};

/** `join kind=…`: its kind (Kusto's default `innerunique`) and its equality keys. */
export function join(
  cx: IConverter,
  op: Syntax.JoinOperator,
  left: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(left, op);
  const kind = parameter(op.Parameters, 'kind')?.toLowerCase() ?? 'innerunique';
  const joinKind = (JOIN_ALIASES[kind] ?? kind) as JoinKind;
  if (!JOIN_KINDS.has(joinKind)) {
    throw new UnsupportedError(`join kind=${kind}`, span);
  }
  const right = cx.tabular(op.Expression!, scope);
  const clause = op.ConditionClause;
  if (!clause || kindOf(clause) !== 'JoinOnClause') {
    throw new UnsupportedError('join … where', span);
  }
  const on = joinKeys(cx, (clause as Syntax.JoinOnClause).Expressions!, span);
  return { kind: 'join', span, schema, joinKind, left, right, on };
}

/** `lookup kind=…`: a join whose right side's key columns are dropped. */
export function lookup(
  cx: IConverter,
  op: Syntax.LookupOperator,
  left: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(left, op);
  const kind = parameter(op.Parameters, 'kind')?.toLowerCase() ?? 'leftouter';
  const right = cx.tabular(op.Expression!, scope);
  const clause = op.LookupClause as Syntax.JoinOnClause;
  const on = joinKeys(cx, clause.Expressions!, span);
  // lookup keeps one copy of each key column and the right side's other columns.
  const joinKind: JoinKind = kind === 'inner' ? 'inner' : 'leftouter';
  return { kind: 'join', span, schema, joinKind, left, right, on };
}

function joinKeys(
  cx: IConverter,
  list: SeparatedList<Syntax.Expression>,
  span: ISpan
): { left: string; right: string }[] {
  const keys: { left: string; right: string }[] = [];
  const add = (element: Syntax.Expression): void => {
    if (kindOf(element) === 'NameReference') {
      const name = (element as Syntax.NameReference).SimpleName!;
      keys.push({ left: name, right: name });
      return;
    }
    if (kindOf(element) === 'ParenthesizedExpression') {
      return add((element as Syntax.ParenthesizedExpression).Expression!);
    }
    if (kindOf(element) === 'BinaryExpression') {
      const binary = element as Syntax.BinaryExpression;
      // Kusto joins equalities with `and` as with commas.
      if (binary.Operator?.Text?.toLowerCase() === 'and') {
        add(binary.Left!);
        return add(binary.Right!);
      }
      const a = sideColumn(binary.Left!);
      const b = sideColumn(binary.Right!);
      if (binary.Operator?.Text === '==' && a && b && a.side !== b.side) {
        keys.push(
          a.side === 'left'
            ? { left: a.name, right: b.name }
            : { left: b.name, right: a.name }
        );
        return;
      }
    }
    throw new UnsupportedError(
      'join condition other than equality of columns',
      span
    );
  };
  for (let i = 0; i < list.Count; i++) {
    add(elementAt(list, i)!);
  }
  return keys;
}
