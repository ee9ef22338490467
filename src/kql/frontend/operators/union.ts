// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `union` (its inputs, `withsource=`, wildcards over the workspace's tables) and `search`.
 */
import type { Expr, ITableRef, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { ISpan, RowSchema } from '../../types';
import type { IConverter } from '../converter';
import {
  elementAt,
  kindOf,
  parameter,
  schemaOf,
  type Scope,
  textOf,
  unionName,
  wildcardMatch
} from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `union`: its inputs (tables, wildcards, `let`s, subqueries), `kind=` and `withsource=`. */
export function union(
  cx: IConverter,
  op: Syntax.UnionOperator,
  first: Tabular[],
  scope: Scope
): Tabular {
  const span = cx.span(op);
  const schema = schemaOf(op);
  const inputs = [...first];
  const names: string[] = first.map(() => 'union_arg0');
  const list = op.Expressions;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const element = elementAt(list!, i)!;
    // Only a name is a pattern: a subquery's `*` (`(print n = 2 * 3)`) multiplies.
    if (kindOf(element) === 'NameReference' && textOf(element).includes('*')) {
      for (const table of wildcard(cx, textOf(element).trim())) {
        inputs.push(table);
        names.push(table.name);
      }
      continue;
    }
    inputs.push(cx.tabular(element, scope));
    names.push(unionName(element) ?? `union_arg${inputs.length - 1}`);
  }
  if (parameter(op.Parameters, 'kind')?.toLowerCase() === 'inner') {
    throw new UnsupportedError('union kind=inner', span);
  }
  const sourceColumn = parameter(op.Parameters, 'withsource');
  return {
    kind: 'union',
    span,
    schema,
    inputs,
    sourceColumn: sourceColumn ?? null,
    sourceNames: names
  };
}

/** The workspace tables a name pattern such as `Device*` or `*` matches, in schema order. */
export function wildcard(cx: IConverter, pattern: string): ITableRef[] {
  return cx.schema.tables
    .filter(t => wildcardMatch(pattern, t.name))
    .map(t => ({
      kind: 'table',
      name: t.name,
      span: { start: 0, end: 0 },
      schema: t.columns
    }));
}

/**
 * `search`: rows of the input (or of the tables named with `in (…)`, or of every table) where a
 * term occurs in any column, or where a condition holds. Several tables are unioned with their
 * name in `$table`, as Kusto does.
 */
export function search(
  cx: IConverter,
  op: Syntax.SearchOperator,
  piped: Tabular | null,
  scope: Scope
): Tabular {
  const span = cx.span(op);
  const schema = schemaOf(op);
  if (op.DataScope || parameter(op.Parameters, 'kind')) {
    throw new UnsupportedError('search with kind= or datascope=', span);
  }
  let sources: Tabular[];
  if (piped) {
    sources = [piped];
  } else if (op.InClause) {
    const list = op.InClause.Expressions!;
    sources = [];
    for (let i = 0; i < list.Count; i++) {
      const element = elementAt(list, i)!;
      const name = textOf(element).trim();
      // A name without a wildcard may be a `let` as well as a table.
      sources.push(
        ...(name.includes('*')
          ? wildcard(cx, name)
          : [cx.tabular(element, scope)])
      );
    }
  } else {
    sources = wildcard(cx, '*');
  }
  const condition = op.Condition!;
  if (sources.length > 1 && onlyTerms(condition)) {
    return searchText(cx, condition, sources, schema, scope, span);
  }
  const filtered = sources.map(source => {
    const predicate = searchCondition(cx, condition, source.schema, scope);
    return {
      kind: 'where',
      span,
      schema: source.schema,
      input: source,
      predicate
    } as const;
  });
  if (filtered.length === 1 && !schema.some(c => c.name === '$table')) {
    return { ...filtered[0], schema };
  }
  return {
    kind: 'union',
    span,
    schema,
    inputs: filtered,
    sourceColumn: '$table',
    sourceNames: searchSourceNames(sources)
  };
}

/** The `$table` of each source: Kusto names one that is not a table by its place (`search_arg0`). */
function searchSourceNames(sources: Tabular[]): string[] {
  return sources.map((s, i) =>
    s.kind === 'table' ? s.name : `search_arg${i}`
  );
}

/** The column `searchText` puts each row's text in: a name no table can have. */
const SEARCH_TEXT = '$search_text';

/**
 * `search` for terms over several tables: each table's row text (`anyColumn`) is computed below
 * the union and the terms are tested once above it, so a search of a workspace's 200 tables is
 * one test, not one per table. Each regular expression of a term takes DuckDB milliseconds to
 * compile, which made such a search seconds to plan. The rows are those of a test per table.
 */
function searchText(
  cx: IConverter,
  condition: Syntax.Expression,
  sources: Tabular[],
  schema: RowSchema,
  scope: Scope,
  span: ISpan
): Tabular {
  const text = { name: SEARCH_TEXT, type: 'string' as const };
  const inputs = sources.map((source): Tabular => ({
    kind: 'extend',
    span,
    schema: [...source.schema, text],
    input: source,
    columns: [
      {
        name: SEARCH_TEXT,
        expr: source.schema.length
          ? anyColumn(span, source.schema)
          : { kind: 'literal', span, type: 'string', value: '' }
      }
    ]
  }));
  const union: Tabular = {
    kind: 'union',
    span,
    schema: [...schema, text],
    inputs,
    sourceColumn: '$table',
    sourceNames: searchSourceNames(sources)
  };
  const column: Expr = {
    kind: 'column',
    span,
    type: 'string',
    name: SEARCH_TEXT
  };
  return {
    kind: 'project',
    span,
    schema,
    input: {
      kind: 'where',
      span,
      schema: union.schema,
      input: union,
      predicate: searchCondition(cx, condition, [text], scope, column)
    },
    columns: schema.map(c => ({
      name: c.name,
      expr: { kind: 'column', span, type: c.type, name: c.name }
    }))
  };
}

/**
 * True when a search condition tests nothing but terms (`"x"`, `"x*"`, `* has "x"`) joined by
 * `and`/`or`: it reads no column by name, so it can test the text of any table's row.
 */
function onlyTerms(node: Syntax.Expression): boolean {
  switch (kindOf(node)) {
    case 'StarExpression':
      return true;
    case 'LiteralExpression':
      return (
        typeof (node as Syntax.LiteralExpression).LiteralValueInfo?.Value ===
        'string'
      );
    case 'ParenthesizedExpression':
      return onlyTerms((node as Syntax.ParenthesizedExpression).Expression!);
    case 'BinaryExpression': {
      const binary = node as Syntax.BinaryExpression;
      const op = binary.Operator!.Text!.toLowerCase();
      if (op === 'and' || op === 'or') {
        return onlyTerms(binary.Left!) && onlyTerms(binary.Right!);
      }
      return (
        kindOf(binary.Left!) === 'StarExpression' &&
        ANY_COLUMN.has(op) &&
        kindOf(binary.Right!) === 'LiteralExpression'
      );
    }
    default:
      return false;
  }
}

/**
 * A search condition: a bare string is a term looked for in every column, or in `haystack` when
 * given (the row's text, computed below).
 */
export function searchCondition(
  cx: IConverter,
  node: Syntax.Expression,
  columns: RowSchema,
  scope: Scope,
  haystack: Expr = anyColumn(cx.span(node), columns)
): Expr {
  const span = cx.span(node);
  if (kindOf(node) === 'StarExpression') {
    return { kind: 'literal', span, type: 'bool', value: true };
  }
  if (kindOf(node) === 'ParenthesizedExpression') {
    return searchCondition(
      cx,
      (node as Syntax.ParenthesizedExpression).Expression!,
      columns,
      scope,
      haystack
    );
  }
  if (kindOf(node) === 'BinaryExpression') {
    // `search "a" or "b"`: each bare term is looked for on its own.
    const binary = node as Syntax.BinaryExpression;
    const op = binary.Operator!.Text!.toLowerCase();
    if (op === 'and' || op === 'or') {
      return {
        kind: 'call',
        span,
        type: 'bool',
        name: op,
        args: [
          searchCondition(cx, binary.Left!, columns, scope, haystack),
          searchCondition(cx, binary.Right!, columns, scope, haystack)
        ]
      };
    }
    if (kindOf(binary.Left!) === 'StarExpression' && ANY_COLUMN.has(op)) {
      // `* has "x"`: true when any column has it (where-operator.md, search-operator.md).
      return {
        kind: 'call',
        span,
        type: 'bool',
        name: op,
        args: [haystack, cx.expr(binary.Right!, scope)]
      };
    }
  }
  const literal = (node as Syntax.LiteralExpression).LiteralValueInfo;
  if (
    kindOf(node) !== 'LiteralExpression' ||
    typeof literal?.Value !== 'string'
  ) {
    return cx.expr(node, scope);
  }
  const text = literal.Value;
  const prefix = text.endsWith('*');
  const suffix = text.startsWith('*');
  const needle = text.replace(/^\*|\*$/g, '');
  const name =
    prefix && suffix
      ? 'contains'
      : prefix
        ? 'hasprefix'
        : suffix
          ? 'hassuffix'
          : 'has';
  const value: Expr = {
    kind: 'literal',
    span,
    type: 'string',
    value: needle
  };
  if (!columns.length) {
    return { kind: 'literal', span, type: 'bool', value: false };
  }
  return {
    kind: 'call',
    span,
    type: 'bool',
    name,
    args: [haystack, value]
  };
}

/**
 * The operators `* op "x"` applies to every column at once: a match of theirs never spans the
 * separator `anyColumn` puts between columns.
 */
const ANY_COLUMN: ReadonlySet<string> = new Set(
  ['has', 'hasprefix', 'hassuffix', 'contains'].flatMap(op => [op, `${op}_cs`])
);

/**
 * The row's columns joined by a control character, which is a term break and in no needle: one
 * test over it stands for a test of each column (a regular expression per column made a search
 * over a workspace's thousands of columns take DuckDB minutes to prepare).
 */
function anyColumn(span: ISpan, columns: RowSchema): Expr {
  return {
    kind: 'call',
    span,
    type: 'string',
    name: 'strcat_delim',
    args: [
      { kind: 'literal', span, type: 'string', value: '\u0001' },
      ...columns.map((c): Expr => ({
        kind: 'column',
        span,
        type: c.type,
        name: c.name
      }))
    ]
  };
}

/** True when a `where` condition tests `*` (any column), which `searchCondition` reads. */
export function testsAnyColumn(node: Syntax.Expression): boolean {
  switch (kindOf(node)) {
    case 'ParenthesizedExpression':
      return testsAnyColumn(
        (node as Syntax.ParenthesizedExpression).Expression!
      );
    case 'BinaryExpression': {
      const binary = node as Syntax.BinaryExpression;
      return (
        kindOf(binary.Left!) === 'StarExpression' ||
        testsAnyColumn(binary.Left!) ||
        testsAnyColumn(binary.Right!)
      );
    }
    default:
      return false;
  }
}
