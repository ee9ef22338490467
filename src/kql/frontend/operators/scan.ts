// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `scan [with_match_id=Id] [declare (…)] [partition by …] [order by …] with (step …; …)`.
 */
import { type Expr, type IScan, scanStateName, type Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema, ScalarType } from '../../types';
import { elementAt, textOf } from '../syntax';
import { type IConvertContext, literalValue } from './context';

import Syntax = Kusto.Language.Syntax;

/** Converts one `scan` applied to `input`; `schema` is its output, as Kusto's binder gave it. */
export function convertScan(
  ctx: IConvertContext,
  op: Syntax.ScanOperator,
  input: Tabular,
  bound: RowSchema
): IScan {
  const schema = distinctNames(bound);
  const span = { start: input.span.start, end: ctx.span(op).end };
  let matchId: string | null = null;
  const parameters = op.Parameters;
  for (let i = 0; i < (parameters?.Count ?? 0); i++) {
    const parameter = parameters!.getItem(
      i
    ) as unknown as Syntax.NamedParameter;
    const name = parameter.Name!.SimpleName!.toLowerCase();
    if (name !== 'with_match_id') {
      throw new UnsupportedError(`scan ${name}=`, span);
    }
    matchId = textOf(parameter.Expression!)
      .trim()
      .replace(/^\[['"](.*)['"]\]$/, '$1');
  }
  if (matchId === null) {
    // Kusto.Language gives a scan without with_match_id a match_id column; Kusto's engine
    // returns none (the documented examples). The column is kept for the operators after the
    // scan, which the binder typed with it, and left out of the result.
    const own = new Set([
      ...input.schema.map(c => c.name),
      ...declaredColumns(op)
    ]);
    const phantom = schema.find(c => !own.has(c.name));
    if (phantom) {
      matchId = phantom.name;
      ctx.hide(phantom.name);
    }
  }
  const declared: IScan['declared'] = [];
  const declarations = op.DeclareClause?.Declarations;
  for (let i = 0; i < (declarations?.Count ?? 0); i++) {
    const declaration = elementAt(declarations!, i)!;
    const name = declaration.NameAndType!.Name!.SimpleName!;
    const initial = declaration.DefaultValue?.Value;
    const type = schema.find(c => c.name === name)?.type ?? 'dynamic';
    declared.push({
      name,
      type,
      initial: initial ? defaultValue(ctx, initial, type) : null
    });
  }
  const stepNodes: Syntax.ScanStep[] = [];
  for (let i = 0; i < (op.Steps?.Count ?? 0); i++) {
    stepNodes.push(op.Steps!.getItem(i) as unknown as Syntax.ScanStep);
  }
  const stepNames = stepNodes.map(s => s.Name!.SimpleName!);
  // Each step name stands for its state: `s1.x` converts to a member of this marker, which
  // `stateRefs` then turns into a reference to the state's value.
  const markers = new Map<string, Expr>(
    stepNames.map(name => [
      name,
      { kind: 'column', span, type: 'dynamic', name: `${MARKER}${name}` }
    ])
  );
  const declaredNames = new Set(declared.map(d => d.name));
  const steps: IScan['steps'] = stepNodes.map((step, k) => {
    const output =
      step.ScanStepOutput?.OutputKind?.Text?.toLowerCase() ?? 'all';
    if (output !== 'all' && output !== 'none') {
      throw new UnsupportedError(`scan step output=${output}`, ctx.span(step));
    }
    // A step reads its own and earlier steps' states; later steps are not in its state, and its
    // own values are not in the previous step's state it is first matched against.
    const readable = new Set(stepNames.slice(0, k === 0 ? 1 : k));
    const convert = (node: Syntax.Expression) =>
      stateRefs(ctx.expr(node, markers), readable, declaredNames);
    const assignments: { name: string; expr: Expr }[] = [];
    const list = step.ComputationClause?.Assignments;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const assignment = elementAt(list!, i)!;
      assignments.push({
        name: assignment.Name!.SimpleName!,
        expr: convert(assignment.Expression!)
      });
    }
    return {
      name: stepNames[k],
      output,
      condition: convert(step.Condition!),
      assignments
    };
  });
  const partitionBy: Expr[] = [];
  const partitions = op.PartitionByClause?.Expressions;
  for (let i = 0; i < (partitions?.Count ?? 0); i++) {
    partitionBy.push(ctx.expr(elementAt(partitions!, i)!));
  }
  const orderBy = [];
  const order = op.OrderByClause?.Expressions;
  for (let i = 0; i < (order?.Count ?? 0); i++) {
    orderBy.push(ctx.sortKey(elementAt(order!, i)!));
  }
  return {
    kind: 'scan',
    span,
    schema,
    input,
    matchId,
    declared,
    steps,
    partitionBy,
    orderBy
  };
}

/** The prefix of a step's marker column (no KQL name has a NUL). */
const MARKER = '\u0000scan-step:';

/**
 * `step.column` as a reference to the state's value ({@link scanStateName}); refuses what the
 * state cannot give: a step not in `readable`, a declared column read without its step's name.
 */
function stateRefs(
  expr: Expr,
  readable: ReadonlySet<string>,
  declared: ReadonlySet<string>
): Expr {
  const map = (e: Expr): Expr => {
    switch (e.kind) {
      case 'member': {
        const target = e.target;
        if (target.kind === 'column' && target.name.startsWith(MARKER)) {
          const step = target.name.slice(MARKER.length);
          if (!readable.has(step) || e.key.kind !== 'literal') {
            throw new UnsupportedError(
              `scan reading ${step} in this step`,
              e.span,
              'a step reads the steps before it, and the first step itself; what a later step would read of its own state is not documented'
            );
          }
          return {
            kind: 'column',
            span: e.span,
            type: e.type,
            name: scanStateName(step, String(e.key.value))
          };
        }
        return { ...e, target: map(target), key: map(e.key) };
      }
      case 'column':
        if (e.name.startsWith(MARKER)) {
          throw new UnsupportedError('a scan step as a value', e.span);
        }
        if (declared.has(e.name)) {
          throw new UnsupportedError(
            `scan reading the declared column ${e.name} without a step name`,
            e.span,
            `write step.${e.name} for the value a step holds`
          );
        }
        return e;
      case 'call':
        return { ...e, args: e.args.map(map) };
      default:
        return e;
    }
  };
  return map(expr);
}

/** The names a `declare (…)` clause adds. */
function declaredColumns(op: Syntax.ScanOperator): string[] {
  const list = op.DeclareClause?.Declarations;
  return Array.from(
    { length: list?.Count ?? 0 },
    (_, i) => elementAt(list!, i)!.NameAndType!.Name!.SimpleName!
  );
}

/**
 * A declared column's default. The binder leaves a literal default untyped: it takes the
 * column's type here.
 */
function defaultValue(
  ctx: IConvertContext,
  node: Syntax.Expression,
  type: ScalarType
): Expr {
  const expr = ctx.expr(node);
  if (expr.type !== 'unknown') {
    return expr;
  }
  const value = literalValue(node);
  const span = ctx.span(node);
  switch (type) {
    case 'string':
      return { kind: 'literal', span, type, value: String(value ?? '') };
    case 'long':
    case 'int':
    case 'real': {
      const text = textOf(node).trim();
      if (/^-?\d+(\.\d+)?$/.test(text)) {
        return {
          kind: 'literal',
          span,
          type,
          value: type === 'long' ? text : Number(text)
        };
      }
      break;
    }
    case 'bool':
      if (typeof value === 'boolean') {
        return { kind: 'literal', span, type, value };
      }
      break;
  }
  throw new UnsupportedError(`a scan declare default of type ${type}`, span);
}

/**
 * The binder names a later scan's `match_id` as the input's (`match_id` twice); the operators
 * after it read `match_id1`, as Kusto names a clash: the repeated name takes the next free number.
 */
function distinctNames(schema: RowSchema): RowSchema {
  const names = new Set<string>();
  return schema.map(c => {
    let name = c.name;
    for (let k = 1; names.has(name); k++) {
      name = `${c.name}${k}`;
    }
    names.add(name);
    return name === c.name ? c : { ...c, name };
  });
}
