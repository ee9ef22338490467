/**
 * What differs between SQL engines, as data. A dialect is one file in `dialects/` exporting one
 * object of this shape (`dialects/duckdb.ts`); the emitter (`emitter.ts`, `scalar.ts`,
 * `functions/`, `library.ts`) asks it for type names, quoting, literals, the spelling of the
 * functions it names by table, and what the engine can do. See ARCHITECTURE.md, "Dialects".
 */
import type { KqlTypeName, ScalarType } from '../types';

/**
 * The SQL functions the emitter names through the dialect (`fn('power')`, `aggregate('sum')`,
 * `ctx.fn('lower', …)`…), by their canonical (DuckDB) name; each dialect spells every one.
 */
export type SqlFunction =
  | 'acos'
  | 'any_value'
  | 'asin'
  | 'atan'
  | 'atan2'
  | 'avg'
  | 'ceil'
  | 'cos'
  | 'cot'
  | 'day'
  | 'dayofyear'
  | 'degrees'
  | 'exp'
  | 'greatest'
  | 'hour'
  | 'isfinite'
  | 'isinf'
  | 'isnan'
  | 'least'
  | 'length'
  | 'ln'
  | 'log10'
  | 'log2'
  | 'lower'
  | 'max'
  | 'md5'
  | 'min'
  | 'month'
  | 'power'
  | 'radians'
  | 'reverse'
  | 'sha256'
  | 'sign'
  | 'sin'
  | 'sqrt'
  | 'stddev_pop'
  | 'stddev_samp'
  | 'sum'
  | 'tan'
  | 'upper'
  | 'var_pop'
  | 'var_samp'
  | 'weekofyear'
  | 'year';

/** What an engine can do that the emitter relies on where Kusto needs it. */
export interface IDialectCapabilities {
  /**
   * Timestamps of nanoseconds (DuckDB's `TIMESTAMP_NS`), which keep the 7th fractional digit of
   * Kusto's 100-ns ticks; without them such a datetime literal is refused.
   */
  nanosecondTimestamps: boolean;
}

/** The SQL spelling of one engine. */
export interface IDialect {
  /** The engine's name, for messages. */
  readonly name: string;
  /** What the engine can do. */
  readonly capabilities: IDialectCapabilities;
  /** The SQL type that holds values of a KQL type (the engine's half of the one type table). */
  type(type: ScalarType): string;
  /** The KQL type of a column the engine reports with a SQL type (result columns, files). */
  kqlType(sqlType: string): KqlTypeName;
  /** The engine's name for a function the emitter names by table. */
  fn(name: SqlFunction): string;
  /** A quoted identifier. */
  identifier(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** A timestamp literal of an instant, in UTC. */
  timestamp(instant: Date): string;
}
