// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `evaluate` plugins: `bag_unpack` and `pivot`, whose columns depend on the data (see
 * `DiscoveryNeeded`), and the output schemas the compiler writes into a query once they are found.
 */
import type { Expr, Tabular } from '../../ast';
import {
  DiscoveryNeeded,
  type ISpan,
  UnsupportedError
} from '../../diagnostics';
import type { RowSchema, ScalarType } from '../../types';
import type { IConverter } from '../converter';
import {
  elementAt,
  kindOf,
  namedValue,
  type Node,
  type Scope
} from '../syntax';
import { convertPlugin } from './plugins';

import Syntax = Kusto.Language.Syntax;

/** `evaluate` of a plugin: `bag_unpack` and `pivot` run locally; others are refused by name. */
export function evaluate(
  cx: IConverter,
  op: Syntax.EvaluateOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
  const call = op.FunctionCall!;
  const name = call.Name!.SimpleName!;
  if (name === 'bag_unpack') {
    return bagUnpack(cx, op, input, schema, span);
  }
  if (name === 'pivot') {
    return pivot(cx, op, input, schema, scope, span);
  }
  const plugin = convertPlugin(cx.context(scope), op, input, schema);
  if (plugin) {
    return plugin;
  }
  throw new UnsupportedError(`evaluate ${name}`, span);
}

/**
 * `evaluate bag_unpack(column [, prefix])`: with an output schema (written in the query, or
 * added by the compiler from the slots the data has), the input's other columns and the slots.
 */
function bagUnpack(
  cx: IConverter,
  op: Syntax.EvaluateOperator,
  input: Tabular,
  schema: RowSchema,
  span: ISpan
): Tabular {
  const args = op.FunctionCall!.ArgumentList!.Expressions!;
  const column = elementAt(args, 0) as Syntax.NameReference;
  if (kindOf(column) !== 'NameReference') {
    throw new UnsupportedError('bag_unpack of an expression', span);
  }
  let prefix = '';
  let conflict = 'error';
  for (let i = 1; i < args.Count; i++) {
    const arg = elementAt(args, i)!;
    const named = kindOf(arg) === 'SimpleNamedExpression';
    const name = named
      ? (arg as Syntax.SimpleNamedExpression).Name!.SimpleName!.toLowerCase()
      : 'prefix';
    const value = (namedValue(arg) as Syntax.LiteralExpression).LiteralValueInfo
      ?.Value;
    if (
      typeof value !== 'string' ||
      !['prefix', 'outputcolumnprefix', 'columnsconflict'].includes(name)
    ) {
      throw new UnsupportedError(
        `bag_unpack with ${named ? name : 'a computed prefix'}`,
        span
      );
    }
    if (name === 'columnsconflict') {
      conflict = value;
    } else {
      prefix = value;
    }
  }
  if (!['error', 'replace_source', 'keep_source'].includes(conflict)) {
    throw new UnsupportedError(
      `bag_unpack with columnsConflict='${conflict}'`,
      span
    );
  }
  const bag = column.SimpleName!;
  if (!op.Schema) {
    checkDiscoverable(cx, span);
    throw new DiscoveryNeeded(
      discoveryKey(op),
      'bag_unpack',
      input,
      [...cx.lets],
      { kind: 'column', span, type: 'dynamic', name: bag },
      span,
      [],
      'dynamic',
      prefix
    );
  }
  const sources = new Set(input.schema.map(c => c.name).filter(c => c !== bag));
  const declared = op.Schema.GetDescendants(Syntax.NameAndTypeDeclaration);
  const names = new Set<string>();
  for (let i = 0; i < (declared?.Count ?? 0); i++) {
    names.add(declared!.getItem(i).Name!.SimpleName!);
  }
  const clashes = [...names].filter(n => sources.has(n));
  if (clashes.length && conflict === 'error') {
    // Kusto stops such a query; the local engine has no error of its own for it.
    throw new UnsupportedError(
      `bag_unpack whose slot ${clashes.join(', ')} is also a column of its input`,
      span,
      "Kusto stops the query: columnsConflict='replace_source' or 'keep_source' decides"
    );
  }
  // Kusto's documented output keeps a kept or replaced column where the input has it; the binder
  // lists it after the input's other columns. Where the two orders differ, Kusto's is unknown.
  const inPlace = [
    ...input.schema.map(c => c.name).filter(c => sources.has(c)),
    ...schema.map(c => c.name).filter(c => !sources.has(c))
  ];
  if (
    clashes.length &&
    inPlace.join('\n') !== schema.map(c => c.name).join('\n')
  ) {
    throw new UnsupportedError(
      'bag_unpack whose kept or replaced column is followed by other input columns',
      span,
      'where Kusto places it then is not documented'
    );
  }
  const slots = schema
    .filter(c =>
      conflict === 'replace_source' ? names.has(c.name) : !sources.has(c.name)
    )
    .map(c => ({
      key: c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name,
      name: c.name
    }));
  return { kind: 'bag-unpack', span, schema, input, column: bag, slots };
}

/**
 * `evaluate pivot(column [, aggregate] [, by…])`: with an output schema (written in the query, or
 * added by the compiler from the values the data has), one column per pivot value.
 */
function pivot(
  cx: IConverter,
  op: Syntax.EvaluateOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope,
  span: ISpan
): Tabular {
  const args = op.FunctionCall!.ArgumentList!.Expressions!;
  const pivot = cx.expr(elementAt(args, 0)!, scope);
  let aggregate: { name: string; arg: Expr | null; type: ScalarType } = {
    name: 'count',
    arg: null,
    type: 'long'
  };
  const by: string[] = [];
  for (let i = 1; i < args.Count; i++) {
    const arg = cx.expr(elementAt(args, i)!, scope);
    if (arg.kind === 'call' && i === 1) {
      if (!['count', 'sum', 'dcount'].includes(arg.name)) {
        throw new UnsupportedError(`evaluate pivot with ${arg.name}()`, span);
      }
      aggregate = {
        name: arg.name,
        arg: arg.args[0] ?? null,
        type: arg.type === 'unknown' ? 'long' : arg.type
      };
    } else if (arg.kind === 'column') {
      by.push(arg.name);
    } else {
      throw new UnsupportedError('evaluate pivot by an expression', span);
    }
  }
  const read = new Set(
    [pivot, aggregate.arg].flatMap(e =>
      e && e.kind === 'column' ? [e.name] : []
    )
  );
  const keys = by.length
    ? by
    : input.schema.map(c => c.name).filter(c => !read.has(c));
  if (!op.Schema) {
    checkDiscoverable(cx, span);
    throw new DiscoveryNeeded(
      discoveryKey(op),
      'pivot',
      input,
      [...cx.lets],
      pivot,
      span,
      input.schema.filter(c => keys.includes(c.name)),
      aggregate.type
    );
  }
  const values = schema
    .filter(c => !keys.includes(c.name))
    .map(c => ({ value: c.name, name: c.name }));
  return {
    kind: 'pivot',
    span,
    schema,
    input,
    pivot,
    aggregate: { name: aggregate.name, arg: aggregate.arg },
    by: keys,
    values
  };
}

/**
 * Columns found in the data are written into the query text as the operator's output schema,
 * which a function's body (bound per call) does not take.
 */
function checkDiscoverable(cx: IConverter, span: ISpan): void {
  if (cx.expansionSpans.length) {
    throw new UnsupportedError(
      'evaluate bag_unpack or pivot inside a function without an output schema',
      span,
      'write the output schema: evaluate pivot(…) : (Column:type, …)'
    );
  }
}

/** The key of an `evaluate` whose columns are found in the data: the plugin and its offset. */
function discoveryKey(op: Syntax.EvaluateOperator): string {
  return `${op.FunctionCall!.Name!.SimpleName}@${op.TextStart}`;
}

/**
 * Where to write the output schemas found in the data (`discovered`: the rows of each discovery
 * query by key, `[name, type]`) into the query text: after each `evaluate bag_unpack(…)` or
 * `evaluate pivot(…)` that has none, `: (*, ['Age']:long, …)` (bag_unpack keeps the input's
 * other columns) or `: (['State']:string, ['ALASKA']:long, …)`.
 */
export function outputSchemaSplices(
  root: Node,
  discovered: Record<string, string[][]>
): { at: number; text: string }[] {
  const splices: { at: number; text: string }[] = [];
  const operators = root.GetDescendants(Syntax.EvaluateOperator);
  for (let i = 0; i < (operators?.Count ?? 0); i++) {
    const op = operators!.getItem(i);
    const rows = discovered[discoveryKey(op)];
    if (op.Schema || !rows) {
      continue;
    }
    const columns = rows.map(
      ([name, type]) => `['${name.replace(/['\\]/g, c => `\\${c}`)}']:${type}`
    );
    const all =
      op.FunctionCall!.Name!.SimpleName === 'bag_unpack'
        ? ['*', ...columns]
        : columns;
    splices.push({ at: op.End, text: ` : (${all.join(', ')})` });
  }
  return splices;
}
