// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `find [withsource=Name] [in (Tables)] where Predicate [project-smart | project …]`: the rows
 * of each table that meet the predicate, in the columns Kusto's binder gives the result — the
 * source table's name, the projected (or common) columns, null where a table lacks one, and the
 * `pack_` bag of the table's other columns.
 */
import type { Expr, INamedExpr, ITableRef, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import { elementAt, kindOf, textOf } from '../syntax';
import type { IConvertContext } from './context';

import Syntax = Kusto.Language.Syntax;

/** The column `find` puts the other columns' bag in. */
const PACK = 'pack_';

/** Converts one `find`; `schema` is its output, as Kusto's binder gave it. */
export function convertFind(
  ctx: IConvertContext,
  op: Syntax.FindOperator,
  schema: RowSchema
): Tabular {
  const span = ctx.span(op);
  if (op.DataScope) {
    throw new UnsupportedError('find with datascope=', span);
  }
  let sourceColumn = 'source_';
  const parameters = op.Parameters;
  for (let i = 0; i < (parameters?.Count ?? 0); i++) {
    const parameter = parameters!.getItem(
      i
    ) as unknown as Syntax.NamedParameter;
    if (parameter.Name!.SimpleName!.toLowerCase() !== 'withsource') {
      throw new UnsupportedError(`find ${parameter.Name!.SimpleName}=`, span);
    }
    sourceColumn = textOf(parameter.Expression!).trim();
  }
  const tables: ITableRef[] = [];
  const list = op.InClause?.Expressions;
  for (let i = 0; i < (list?.Count ?? 1); i++) {
    const item = list ? elementAt(list, i)! : null;
    if (
      item &&
      kindOf(item) !== 'NameReference' &&
      kindOf(item) !== 'WildcardedNameReference'
    ) {
      // Kusto names such a source by its place; how is not documented.
      throw new UnsupportedError(
        'find in a tabular expression',
        ctx.span(item)
      );
    }
    tables.push(...ctx.tables(item ? textOf(item).trim() : '*'));
  }
  const outputs = schema.filter(c => c.name !== sourceColumn);
  const inputs: Tabular[] = [];
  for (const table of tables) {
    const has = new Map(table.schema.map(c => [c.name, c.type] as const));
    const read: string[] = [];
    // A column the table lacks reads as null, so a term on it is false there (the
    // documentation's `Version == … or EventName == …` filters each table by its own term).
    const predicate = nullMissing(
      ctx.searchCondition(op.Condition!, table.schema),
      has,
      read
    );
    if (read.length === 0) {
      // Tables with none of the predicate's columns are left out.
      continue;
    }
    const filtered: Tabular = {
      kind: 'where',
      span,
      schema: table.schema,
      input: table,
      predicate
    };
    const columns: INamedExpr[] = [
      {
        name: sourceColumn,
        expr: { kind: 'literal', span, type: 'string', value: table.name }
      }
    ];
    for (const c of outputs) {
      const type = has.get(c.name);
      if (type !== undefined && type !== c.type) {
        throw new UnsupportedError(
          'find over tables whose columns differ in type',
          span
        );
      }
      if (type === undefined && c.name === PACK) {
        const rest = table.schema.filter(
          t => !outputs.some(o => o.name === t.name)
        );
        columns.push({ name: PACK, expr: packed(rest, span) });
      } else if (
        type === undefined &&
        !tables.some(t => t.schema.some(x => x.name === c.name))
      ) {
        throw new UnsupportedError(
          `find's result column ${c.name}`,
          span,
          'Kusto names columns of clashing types in a way not reproduced yet'
        );
      } else {
        columns.push({
          name: c.name,
          expr:
            type === undefined
              ? { kind: 'literal', span, type: c.type, value: null }
              : { kind: 'column', span, type, name: c.name }
        });
      }
    }
    inputs.push({ kind: 'project', span, schema, input: filtered, columns });
  }
  if (inputs.length === 0) {
    return { kind: 'datatable', span, schema, rows: [] };
  }
  return inputs.length === 1
    ? inputs[0]
    : {
        kind: 'union',
        span,
        schema,
        inputs,
        sourceColumn: null,
        sourceNames: []
      };
}

/** `predicate` with the columns `has` lacks as typed nulls; the columns it reads go to `read`. */
function nullMissing(
  e: Expr,
  has: ReadonlyMap<string, unknown>,
  read: string[]
): Expr {
  switch (e.kind) {
    case 'column':
      if (has.has(e.name)) {
        read.push(e.name);
        return e;
      }
      return { kind: 'literal', span: e.span, type: e.type, value: null };
    case 'call':
      return { ...e, args: e.args.map(a => nullMissing(a, has, read)) };
    case 'member':
      return {
        ...e,
        target: nullMissing(e.target, has, read),
        key: nullMissing(e.key, has, read)
      };
    default:
      return e;
  }
}

/** A property bag of columns, as `pack_all()` builds it. */
function packed(columns: RowSchema, span: Expr['span']): Expr {
  return {
    kind: 'call',
    span,
    type: 'dynamic',
    name: 'pack_all',
    args: [
      { kind: 'literal', span, type: 'bool', value: false },
      ...columns.flatMap((c): Expr[] => [
        { kind: 'literal', span, type: 'string', value: c.name },
        { kind: 'column', span, type: c.type, name: c.name }
      ])
    ]
  };
}
