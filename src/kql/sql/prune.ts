/**
 * Which columns of each table, `union`, `join` and `project` the rest of the query reads. A
 * `union *` over a whole workspace has thousands of columns; DuckDB takes seconds just to bind
 * them all, while a hunt usually reads a handful. A Sentinel table has about a hundred, and each
 * query level that carries them all costs DuckDB about a millisecond to bind. The analysis is
 * conservative: anything it does not understand needs every column.
 */
import type {
  Expr,
  IJoin,
  IProject,
  IQuery,
  ITableRef,
  IUnion,
  Tabular
} from '../ast';

/** The columns a node's consumers read, or `all`. */
export type Needed = ReadonlySet<string> | 'all';

/** A node whose columns nobody reads can be left out of its SQL. */
export type Prunable = IUnion | IProject | ITableRef | IJoin;

/** Where an output column of a join comes from: its side and its name there. */
export interface IJoinSource {
  side: 'left' | 'right';
  name: string;
}

/**
 * The output columns of a join as Kusto names them, each with the side's column it is: the left
 * side's, then the right side's, a clashing right-side name taking a number (`TimeGenerated1`).
 * For `lookup`, the right side's key columns are not repeated. `null` when the columns do not
 * match either shape.
 */
export function joinSources(node: IJoin): Map<string, IJoinSource> | null {
  const out = node.schema;
  const left = node.left.schema;
  const sameName = new Set(
    node.on.filter(k => k.left === k.right).map(k => k.right)
  );
  const allKeys = new Set(node.on.map(k => k.right));
  let right = node.right.schema;
  if (out.length === left.length + right.length - sameName.size) {
    right = right.filter(c => !sameName.has(c.name));
  } else if (out.length === left.length + right.length - allKeys.size) {
    // lookup keeps the left side's key columns only.
    right = right.filter(c => !allKeys.has(c.name));
  } else if (out.length !== left.length + right.length) {
    return null;
  }
  return new Map(
    out.map((c, i) => [
      c.name,
      i < left.length
        ? { side: 'left', name: left[i].name }
        : { side: 'right', name: right[i - left.length].name }
    ])
  );
}

/**
 * The columns read of each union and projection of a query; a node not in the map needs all of
 * them.
 */
export function columnNeeds(query: IQuery): Map<Prunable, Needed> {
  return new Pruner(query).run();
}

class Pruner {
  constructor(private readonly _query: IQuery) {}

  run(): Map<Prunable, Needed> {
    this.need(this._query.body, 'all');
    // A `let` is read by each of its references: analyse its value once, with what they all need,
    // later lets first (they may read earlier ones).
    for (const { name, value } of [...this._query.lets].reverse()) {
      this.need(value, this._letNeeds.get(name) ?? 'all');
    }
    return this._nodes;
  }

  private need(node: Tabular, cols: Needed): void {
    switch (node.kind) {
      case 'table':
        this._nodes.set(node, merge(this._nodes.get(node), cols));
        return;
      case 'join':
        return this.join(node, cols);
      case 'let':
        this._letNeeds.set(
          node.name,
          merge(this._letNeeds.get(node.name), cols)
        );
        return;
      case 'union': {
        const needed = merge(this._nodes.get(node), cols);
        this._nodes.set(node, needed);
        // Inputs are read through the union's (possibly renamed) columns: all of theirs.
        node.inputs.forEach(input => this.need(input, 'all'));
        return;
      }
      case 'where':
        this.exprs([node.predicate]);
        return this.need(node.input, plus(cols, reads([node.predicate])));
      case 'extend': {
        this.exprs(node.columns.map(c => c.expr));
        const defined = new Set(node.columns.map(c => c.name));
        const passed =
          cols === 'all'
            ? 'all'
            : new Set([...cols].filter(c => !defined.has(c)));
        return this.need(
          node.input,
          plus(passed, reads(node.columns.map(c => c.expr)))
        );
      }
      case 'project': {
        this.exprs(node.columns.map(c => c.expr));
        const kept =
          cols === 'all'
            ? node.columns
            : node.columns.filter(c => cols.has(c.name));
        if (kept.length === 0 || kept.length === node.columns.length) {
          return this.need(
            node.input,
            needed(reads(node.columns.map(c => c.expr)))
          );
        }
        this._nodes.set(node, new Set(kept.map(c => c.name)));
        return this.need(node.input, needed(reads(kept.map(c => c.expr))));
      }
      case 'distinct':
        this.exprs(node.columns.map(c => c.expr));
        return this.need(
          node.input,
          needed(reads(node.columns.map(c => c.expr)))
        );
      case 'summarize': {
        const exprs = [
          ...node.by.map(b => b.expr),
          ...node.aggregates.map(a => a.expr)
        ];
        this.exprs(exprs);
        if (exprs.some(e => reads([e]).includes('*'))) {
          return this.need(node.input, 'all');
        }
        const carried = node.aggregates.flatMap(a => a.carried ?? []);
        return this.need(node.input, new Set([...reads(exprs), ...carried]));
      }
      case 'sort':
      case 'take':
        this.exprs(node.keys.map(k => k.expr));
        return this.need(
          node.input,
          plus(cols, reads(node.keys.map(k => k.expr)))
        );
      case 'count':
        return this.need(node.input, new Set());
      default:
        this.others(node);
    }
  }

  /** A join reads its keys, and its consumers' columns from the side each comes from. */
  private join(node: IJoin, needed: Needed): void {
    const left = new Set(node.on.map(k => k.left));
    const right = new Set(node.on.map(k => k.right));
    const kind = node.joinKind;
    // A join none of whose columns is read (under `count`) still needs some: its keys.
    const cols =
      needed !== 'all' && needed.size === 0
        ? kind === 'rightsemi' || kind === 'rightanti'
          ? right
          : left
        : needed;
    let known = cols !== 'all';
    if (cols !== 'all') {
      if (kind === 'leftsemi' || kind === 'leftanti') {
        cols.forEach(c => left.add(c));
      } else if (kind === 'rightsemi' || kind === 'rightanti') {
        cols.forEach(c => right.add(c));
      } else {
        const sources = joinSources(node);
        for (const c of cols) {
          const source = sources?.get(c);
          if (!source) {
            known = false;
            break;
          }
          (source.side === 'left' ? left : right).add(source.name);
        }
      }
    }
    this._nodes.set(node, merge(this._nodes.get(node), known ? cols : 'all'));
    this.need(node.left, known ? left : 'all');
    this.need(node.right, known ? right : 'all');
  }

  /** Operators not analysed: every input column is needed. */
  private others(node: Tabular): void {
    for (const value of Object.values(node)) {
      if (isTabular(value)) {
        this.need(value, 'all');
      } else if (Array.isArray(value)) {
        for (const item of value) {
          if (isTabular(item)) {
            this.need(item, 'all');
          }
        }
      }
    }
  }

  /** Subqueries inside expressions (`toscalar`, `in (…)`) are analysed as whole queries. */
  private exprs(exprs: Expr[]): void {
    for (const e of exprs) {
      walk(e, sub => this.need(sub, 'all'));
    }
  }

  private readonly _nodes = new Map<Prunable, Needed>();
  private readonly _letNeeds = new Map<string, Needed>();
}

/** Whether a value of a node's fields is a tabular node. */
export function isTabular(value: unknown): value is Tabular {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    'schema' in value &&
    Array.isArray((value as { schema: unknown }).schema)
  );
}

/** The columns either of two consumers reads. */
export function merge(a: Needed | undefined, b: Needed): Needed {
  if (a === undefined) {
    return b;
  }
  return a === 'all' || b === 'all' ? 'all' : new Set([...a, ...b]);
}

function needed(columns: string[]): Needed {
  return columns.includes('*') ? 'all' : new Set(columns);
}

function plus(cols: Needed, more: string[]): Needed {
  return cols === 'all' || more.includes('*')
    ? 'all'
    : new Set([...cols, ...more]);
}

/** The columns expressions read; `*` for a star argument. */
function reads(exprs: Expr[]): string[] {
  const out: string[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'column':
        out.push(e.name);
        break;
      case 'star':
        out.push('*');
        break;
      case 'call':
        e.args.forEach(visit);
        break;
      case 'member':
        visit(e.target);
        visit(e.key);
        break;
      default:
        break;
    }
  };
  exprs.forEach(visit);
  return out;
}

/** Calls `onSubquery` for each tabular subquery inside an expression. */
function walk(e: Expr, onSubquery: (query: Tabular) => void): void {
  switch (e.kind) {
    case 'subquery':
      onSubquery(e.query);
      break;
    case 'call':
      e.args.forEach(a => walk(a, onSubquery));
      break;
    case 'member':
      walk(e.target, onSubquery);
      walk(e.key, onSubquery);
      break;
    default:
      break;
  }
}
