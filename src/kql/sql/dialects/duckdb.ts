/**
 * DuckDB, the engine of local workspaces (the Jupyter server's Python duckdb, and `@duckdb/node-api`
 * for `bin/kql` and the tests): its type names both ways, quoting, literals, capabilities and the
 * spelling of the functions the emitter names by table. Only built-in functions, macros and SQL:
 * no extension can be downloaded where the server runs.
 */
import type { KqlTypeName, ScalarType } from '../../types';
import { scalarType } from '../../types';
import type { IDialect, SqlFunction } from '../dialect';

/**
 * KQL type ↔ DuckDB type, the one table: the SQL type that holds each KQL type (casts, typed nulls,
 * empty tables, external data), and the other DuckDB types each KQL type reads back from (result
 * columns, the columns of files).
 */
const TYPES: Record<ScalarType, { sql: string; reads: readonly string[] }> = {
  string: { sql: 'VARCHAR', reads: ['UUID'] },
  int: {
    sql: 'INTEGER',
    reads: ['SMALLINT', 'TINYINT', 'UTINYINT', 'USMALLINT']
  },
  long: { sql: 'BIGINT', reads: ['UINTEGER', 'HUGEINT', 'UBIGINT'] },
  real: { sql: 'DOUBLE', reads: ['FLOAT', 'REAL'] },
  bool: { sql: 'BOOLEAN', reads: [] },
  datetime: {
    sql: 'TIMESTAMP',
    reads: [
      'TIMESTAMP_NS',
      'TIMESTAMP_US',
      'TIMESTAMP_MS',
      'TIMESTAMP_S',
      'TIMESTAMPTZ',
      'TIMESTAMP WITH TIME ZONE',
      'DATE'
    ]
  },
  timespan: { sql: 'INTERVAL', reads: [] },
  dynamic: { sql: 'JSON', reads: [] },
  // Log files hold GUIDs as text; comparing them as text keeps Kusto's case-insensitive equality
  // simple (`tolower` on both sides) and reads Parquet/CSV without a conversion.
  guid: { sql: 'VARCHAR', reads: [] },
  decimal: { sql: 'DECIMAL(38, 10)', reads: [] },
  unknown: { sql: 'JSON', reads: [] }
};

/** The KQL type each DuckDB type name reads as (the first KQL type naming it wins: VARCHAR is a string). */
const READS: ReadonlyMap<string, KqlTypeName> = new Map(
  (Object.keys(TYPES) as ScalarType[])
    .filter((kql): kql is KqlTypeName => kql !== 'unknown')
    .flatMap(kql =>
      [TYPES[kql].sql, ...TYPES[kql].reads].map(
        sql => [sql.replace(/\(.*$/, ''), kql] as const
      )
    )
    .reverse()
);

/** DuckDB spells every function the emitter names through the dialect as the emitter does. */
const FUNCTIONS: Record<SqlFunction, string> = {
  acos: 'acos',
  any_value: 'any_value',
  asin: 'asin',
  atan: 'atan',
  atan2: 'atan2',
  avg: 'avg',
  ceil: 'ceil',
  cos: 'cos',
  cot: 'cot',
  day: 'day',
  dayofyear: 'dayofyear',
  degrees: 'degrees',
  exp: 'exp',
  greatest: 'greatest',
  hour: 'hour',
  isfinite: 'isfinite',
  isinf: 'isinf',
  isnan: 'isnan',
  least: 'least',
  length: 'length',
  ln: 'ln',
  log10: 'log10',
  log2: 'log2',
  lower: 'lower',
  max: 'max',
  md5: 'md5',
  min: 'min',
  month: 'month',
  power: 'power',
  radians: 'radians',
  reverse: 'reverse',
  sha256: 'sha256',
  sign: 'sign',
  sin: 'sin',
  sqrt: 'sqrt',
  stddev_pop: 'stddev_pop',
  stddev_samp: 'stddev_samp',
  sum: 'sum',
  tan: 'tan',
  upper: 'upper',
  var_pop: 'var_pop',
  var_samp: 'var_samp',
  weekofyear: 'weekofyear',
  year: 'year'
};

/** DuckDB. */
export const duckdb: IDialect = {
  name: 'duckdb',
  capabilities: { nanosecondTimestamps: true },
  type: type => TYPES[type].sql,
  kqlType: sqlType => {
    const t = sqlType.toUpperCase();
    const read = READS.get(t.replace(/\(.*$/, ''));
    if (read) {
      return read;
    }
    const kql = scalarType(t);
    return kql === 'unknown' ? 'dynamic' : kql;
  },
  fn: name => FUNCTIONS[name],
  identifier: name => `"${name.replace(/"/g, '""')}"`,
  // Control characters (a NUL, say) cannot stand inside a SQL string literal: spell them with chr().
  string: value =>
    `'${Array.from(value.replace(/'/g, "''"), c => {
      const code = c.charCodeAt(0);
      return code < 32 && c !== '\n' && c !== '\r' && c !== '\t'
        ? `' || chr(${code}) || '`
        : c;
    }).join('')}'`,
  timestamp: instant =>
    `CAST('${instant.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP)`
};
