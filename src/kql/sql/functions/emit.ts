/**
 * What an entry of the scalar function table (`FUNCTIONS` in `../scalar.ts`, one file per family in
 * this folder and `../library.ts`) is given: the call and the emitter of the query's scalars. The
 * family files depend on this interface only, never on each other's emitter, so no import cycle
 * arises.
 */
import type { Expr, ICall, Tabular } from '../../ast';
import type { ScalarType } from '../../types';
import type { IDialect, SqlFunction } from '../dialect';

/** What scalar emission needs from the statement being built. */
export interface IScalarContext {
  dialect: IDialect;
  /** SQL for "now": one instant for the whole query, as Kusto does. */
  now: string;
  /** Emits a tabular expression and returns the name of the relation that holds it. */
  relation(query: Tabular): string;
  /** Notes that the SQL reads the IP geolocation table `__geoip` the runner provides. */
  useGeoIp(): void;
}

/** The serialized rows a window function of Kusto numbers, sums or looks across. */
export interface ISerializedRows {
  /** The ORDER BY of the rows, null when they follow no order the query set. */
  order: string | null;
  /**
   * Flags (SQL over the input row) whose running count splits the rows into groups: group `i`
   * is read as the column `__group{i + 1}`, which the emitter computes before the row's columns.
   */
  restarts: string[];
}

/** The emitter of one query's scalar expressions (`ScalarEmitter` in `../scalar.ts`). */
export interface IScalarEmitter {
  /** The statement being built. */
  readonly ctx: IScalarContext;
  /** True while emitting a filter, where null and false mean the same. */
  inPredicate: boolean;
  /**
   * The rows an `extend`, `project` or `serialize` computes over, for Kusto's functions of
   * serialized rows (`row_number`, `prev`, `row_cumsum`…); undefined where none may appear.
   */
  rows: ISerializedRows | undefined;
  /** SQL for a `where` condition. */
  predicate(e: Expr): string;
  /** SQL for an expression, of the SQL type that holds its KQL type. */
  sql(e: Expr): string;
  /** SQL for a literal of a KQL type. */
  literal(type: ScalarType, value: string | number | boolean | null): string;
  /** SQL for an expression as a Kusto string: never null, dynamic strings unquoted. */
  str(e: Expr): string;
  /** SQL for an expression converted to a KQL type (dynamic values are unpacked first). */
  as(e: Expr, type: ScalarType): string;
  /** The common type two operands are compared in. */
  comparable(a: Expr, b: Expr): ScalarType;
  /** A call of a function the dialect spells: `name(args…)`. */
  fn(name: SqlFunction, ...args: string[]): string;
  /** Emits a tabular expression on its own, outside the expression being built; its relation. */
  relation(query: Tabular): string;
}

/** Emits the SQL of one call. */
export type Emit = (call: ICall, ctx: IScalarEmitter) => string;
