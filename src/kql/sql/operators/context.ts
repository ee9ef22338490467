/**
 * What an operator's emitter (one file per operator in this folder) may ask of the query's
 * emitter (`../emitter.ts`): the relations of its inputs, new common table expressions, the order
 * rows follow, and the scalar emitter and dialect.
 */
import type { Expr, ISortKey, Tabular } from '../../ast';
import type { RowSchema } from '../../types';
import type { IDialect, SqlFunction } from '../dialect';
import type { IScalarEmitter } from '../functions/emit';

/** The ORDER BY a relation's rows follow and the columns it reads. */
export interface IOrder {
  sql: string;
  columns: string[];
}

/** The emitter, as seen by one operator's emission. */
export interface IEmitContext {
  readonly scalar: IScalarEmitter;
  readonly dialect: IDialect;
  /** The relation (CTE name) of a tabular expression, emitted once. */
  relation(node: Tabular): string;
  /** Adds a common table expression and returns its name; `order` is the order its rows keep. */
  cte(sql: string, order?: IOrder): string;
  /** The order a relation's rows follow, if the columns it reads are `kept`. */
  orderOf(
    node: Tabular,
    kept?: (column: string) => boolean
  ): IOrder | undefined;
  /** An ORDER BY over sort keys. */
  orderBy(keys: ISortKey[]): IOrder;
  /** An expression converted to the SQL type of a KQL type. */
  castTo(expr: Expr, type: RowSchema[number]['type']): string;
  /** A call of a function, spelled by the dialect. */
  fn(name: SqlFunction, ...args: string[]): string;
  /** A quoted identifier. */
  id(name: string): string;
  /**
   * The columns numbering the groups an enclosing `applyTo` works per (innermost last): an
   * operator that keeps state across rows keeps it per group, and keeps these columns.
   */
  groupColumns(): string[];
  /**
   * Emits `body`, a subquery applied to each group of rows (as `mv-apply`'s): `rows` (its implicit
   * input node) reads the relation `group` makes, which numbers each row's group in the column it
   * is given; the subquery's operators work per group, and its relation keeps that column.
   * `nonEmpty`: every group has rows (an aggregate without `by` then gives one row per group).
   */
  applyTo(
    rows: Tabular,
    body: Tabular,
    group: (column: string) => string,
    nonEmpty: boolean
  ): { relation: string; column: string };
}
