/**
 * What is particular to DuckDB's SQL: type names, quoting, literals. A second dialect (Spark SQL)
 * would be another object of this shape; nothing else in the emitter names DuckDB.
 */
import type { ScalarType } from '../types';

/** The SQL spelling of one dialect. */
export interface IDialect {
  /** The SQL type that holds values of a KQL type. */
  type(type: ScalarType): string;
  /** A quoted identifier. */
  identifier(name: string): string;
  /** A string literal. */
  string(value: string): string;
}

const DUCKDB_TYPES: Record<ScalarType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'INTERVAL',
  dynamic: 'JSON',
  // Log files hold GUIDs as text; comparing them as text keeps Kusto's case-insensitive equality
  // simple (`tolower` on both sides) and reads Parquet/CSV without a conversion.
  guid: 'VARCHAR',
  decimal: 'DECIMAL(38, 10)',
  unknown: 'JSON'
};

/** DuckDB. */
export const duckdb: IDialect = {
  type: type => DUCKDB_TYPES[type],
  identifier: name => `"${name.replace(/"/g, '""')}"`,
  // Control characters (a NUL, say) cannot stand inside a SQL string literal: spell them with chr().
  string: value =>
    `'${Array.from(value.replace(/'/g, "''"), c => {
      const code = c.charCodeAt(0);
      return code < 32 && c !== '\n' && c !== '\r' && c !== '\t'
        ? `' || chr(${code}) || '`
        : c;
    }).join('')}'`
};
