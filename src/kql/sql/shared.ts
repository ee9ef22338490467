/**
 * Reads of one table that several parts of a query filter alike. `let known = T | where User ==
 * "x" and Time < ago(7d) | …; T | where User == "x" and Time > ago(7d) | …` reads T twice; DuckDB
 * then binds and scans the table's files twice, where SQL written by hand reads it once into a
 * common table expression and filters that twice. Such reads share one read of the table with
 * the conditions they have in common; each keeps its own.
 *
 * Only conditions that pick out values (`==`, `in`, `has`, …) make a read worth sharing: the shared
 * rows are held once for their readers, and a condition such as a time range alone may keep most
 * of a large table.
 */
import type { Expr, IQuery, ITableRef, IWhere, Tabular } from '../ast';
import { isTabular } from './prune';

/** One read of a table shared by several parts of a query. */
export interface ISharedRead {
  /** The table nodes of its readers, whose columns it carries. */
  tables: ITableRef[];
  /** The conditions every reader has, in the first reader's order. */
  common: Expr[];
}

/** How one part of a query reads a shared read: its own conditions on the shared rows. */
export interface ISharedUse {
  shared: ISharedRead;
  rest: Expr[];
}

/**
 * The shared reads of a query, by the node that reads the table: the top of a chain of `where`s
 * over the table (as `chained` says). A read of the table without a filter shares nothing.
 */
export function sharedReads(
  query: IQuery,
  chained: (node: Tabular) => node is IWhere
): Map<Tabular, ISharedUse> {
  const nodes = new Set<Tabular>();
  collect([query.lets.map(l => l.value), query.body], nodes);
  const filtered = new Set<Tabular>();
  const inner = new Set<Tabular>();
  for (const node of nodes) {
    if (chained(node)) {
      filtered.add(node.input);
      if (chained(node.input)) {
        inner.add(node.input);
      }
    }
  }
  const byTable = new Map<string, IRead[]>();
  const add = (read: IRead) =>
    byTable.set(read.table.name, [
      ...(byTable.get(read.table.name) ?? []),
      read
    ]);
  for (const node of nodes) {
    if (node.kind === 'table' && !filtered.has(node)) {
      add({ top: node, table: node, conditions: [] });
    } else if (chained(node) && !inner.has(node)) {
      const conditions: Expr[] = [];
      let input: Tabular = node;
      while (chained(input)) {
        conditions.unshift(...conjuncts(input.predicate));
        input = input.input;
      }
      if (input.kind === 'table') {
        add({ top: node, table: input, conditions });
      }
    }
  }
  const uses = new Map<Tabular, ISharedUse>();
  for (const reads of byTable.values()) {
    if (reads.length < 2) {
      continue;
    }
    const keys = reads.map(r => new Set(r.conditions.map(key)));
    const common = reads[0].conditions.filter(
      c => shareable(c) && keys.every(k => k.has(key(c)))
    );
    if (!common.some(selective)) {
      continue;
    }
    const shared: ISharedRead = { tables: reads.map(r => r.table), common };
    const commonKeys = new Set(common.map(key));
    for (const read of reads) {
      const rest = read.conditions.filter(c => !commonKeys.has(key(c)));
      uses.set(read.top, { shared, rest });
    }
  }
  return uses;
}

interface IRead {
  top: Tabular;
  table: ITableRef;
  conditions: Expr[];
}

/** Every tabular node under `value`, subqueries inside expressions included. */
function collect(value: unknown, into: Set<Tabular>): void {
  if (Array.isArray(value)) {
    value.forEach(v => collect(v, into));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    return;
  }
  if (isTabular(value)) {
    if (into.has(value)) {
      return;
    }
    into.add(value);
  }
  for (const [name, field] of Object.entries(value)) {
    if (name !== 'span' && name !== 'schema') {
      collect(field, into);
    }
  }
}

/** The conditions of a `where`, split at its top-level `and`s. */
export function conjuncts(e: Expr): Expr[] {
  return e.kind === 'call' && e.name === 'and'
    ? e.args.flatMap(conjuncts)
    : [e];
}

/** What makes two conditions the same: everything but where they were written. */
function key(e: Expr): string {
  return JSON.stringify(e, (name, value: unknown) =>
    name === 'span' ? undefined : value
  );
}

/** A condition that gives the same answer whether it is read once or once per reader. */
function shareable(e: Expr): boolean {
  switch (e.kind) {
    case 'subquery':
      return false;
    case 'call':
      return !VOLATILE.has(e.name) && e.args.every(shareable);
    case 'member':
      return shareable(e.target) && shareable(e.key);
    default:
      return true;
  }
}

/** Functions whose value changes from one call to the next. */
const VOLATILE = new Set(['new_guid']);

/** A condition that keeps the rows with given values of a column: usually few of them. */
function selective(e: Expr): boolean {
  return (
    e.kind === 'call' &&
    SELECTIVE.has(e.name) &&
    e.args.some(a => a.kind === 'column') &&
    e.args.every(a => a.kind === 'column' || a.kind === 'literal')
  );
}

const SELECTIVE = new Set([
  '==',
  '=~',
  'in',
  'in~',
  'has',
  'has_cs',
  'has_any',
  'has_all',
  'hasprefix',
  'hasprefix_cs',
  'hassuffix',
  'hassuffix_cs',
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs'
]);
