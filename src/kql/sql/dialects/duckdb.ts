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
  abs: 'abs',
  acos: 'acos',
  any_value: 'any_value',
  arg_max: 'arg_max',
  arg_min: 'arg_min',
  array_to_string: 'array_to_string',
  asin: 'asin',
  atan: 'atan',
  atan2: 'atan2',
  avg: 'avg',
  bit_and: 'bit_and',
  bit_count: 'bit_count',
  bit_or: 'bit_or',
  bit_xor: 'bit_xor',
  bool_or: 'bool_or',
  ceil: 'ceil',
  chr: 'chr',
  coalesce: 'coalesce',
  concat: 'concat',
  concat_ws: 'concat_ws',
  contains: 'contains',
  cos: 'cos',
  cot: 'cot',
  count: 'count',
  count_if: 'count_if',
  covar_pop: 'covar_pop',
  covar_samp: 'covar_samp',
  date_diff: 'date_diff',
  date_part: 'date_part',
  date_trunc: 'date_trunc',
  day: 'day',
  dayofweek: 'dayofweek',
  dayofyear: 'dayofyear',
  decode: 'decode',
  degrees: 'degrees',
  encode: 'encode',
  ends_with: 'ends_with',
  epoch_ns: 'epoch_ns',
  epoch_us: 'epoch_us',
  error: 'error',
  exp: 'exp',
  flatten: 'flatten',
  floor: 'floor',
  from_base64: 'from_base64',
  gamma: 'gamma',
  generate_series: 'generate_series',
  greatest: 'greatest',
  hex: 'hex',
  hour: 'hour',
  isfinite: 'isfinite',
  isinf: 'isinf',
  isnan: 'isnan',
  json_array: 'json_array',
  json_array_length: 'json_array_length',
  json_each: 'json_each',
  json_exists: 'json_exists',
  json_extract: 'json_extract',
  json_extract_string: 'json_extract_string',
  json_keys: 'json_keys',
  json_merge_patch: 'json_merge_patch',
  json_object: 'json_object',
  json_type: 'json_type',
  json_valid: 'json_valid',
  lag: 'lag',
  lead: 'lead',
  least: 'least',
  left: 'left',
  len: 'len',
  length: 'length',
  lgamma: 'lgamma',
  list: 'list',
  list_aggregate: 'list_aggregate',
  list_append: 'list_append',
  list_avg: 'list_avg',
  list_bool_and: 'list_bool_and',
  list_bool_or: 'list_bool_or',
  list_concat: 'list_concat',
  list_contains: 'list_contains',
  list_distinct: 'list_distinct',
  list_filter: 'list_filter',
  list_max: 'list_max',
  list_min: 'list_min',
  list_position: 'list_position',
  list_prepend: 'list_prepend',
  list_reduce: 'list_reduce',
  list_reverse: 'list_reverse',
  list_slice: 'list_slice',
  list_sort: 'list_sort',
  list_sum: 'list_sum',
  list_transform: 'list_transform',
  ln: 'ln',
  log: 'log',
  log10: 'log10',
  log2: 'log2',
  lower: 'lower',
  lpad: 'lpad',
  ltrim: 'ltrim',
  make_timestamp: 'make_timestamp',
  make_timestamp_ns: 'make_timestamp_ns',
  map_from_entries: 'map_from_entries',
  max: 'max',
  md5: 'md5',
  min: 'min',
  minute: 'minute',
  month: 'month',
  nanosecond: 'nanosecond',
  nullif: 'nullif',
  octet_length: 'octet_length',
  pi: 'pi',
  power: 'power',
  printf: 'printf',
  quantile_disc: 'quantile_disc',
  radians: 'radians',
  range: 'range',
  regexp_extract: 'regexp_extract',
  regexp_extract_all: 'regexp_extract_all',
  regexp_full_match: 'regexp_full_match',
  regexp_matches: 'regexp_matches',
  regexp_replace: 'regexp_replace',
  regexp_split_to_array: 'regexp_split_to_array',
  repeat: 'repeat',
  replace: 'replace',
  reverse: 'reverse',
  right: 'right',
  round: 'round',
  round_even: 'round_even',
  row_number: 'row_number',
  rpad: 'rpad',
  rtrim: 'rtrim',
  second: 'second',
  sha1: 'sha1',
  sha256: 'sha256',
  sign: 'sign',
  sin: 'sin',
  split_part: 'split_part',
  sqrt: 'sqrt',
  starts_with: 'starts_with',
  stddev_pop: 'stddev_pop',
  stddev_samp: 'stddev_samp',
  strftime: 'strftime',
  string_split: 'string_split',
  strpos: 'strpos',
  struct_insert: 'struct_insert',
  struct_update: 'struct_update',
  substr: 'substr',
  suffix: 'suffix',
  sum: 'sum',
  tan: 'tan',
  time_bucket: 'time_bucket',
  timezone: 'timezone',
  to_base64: 'to_base64',
  to_days: 'to_days',
  to_json: 'to_json',
  to_microseconds: 'to_microseconds',
  translate: 'translate',
  trim: 'trim',
  trunc: 'trunc',
  try: 'try',
  try_strptime: 'try_strptime',
  unhex: 'unhex',
  unicode: 'unicode',
  unnest: 'unnest',
  upper: 'upper',
  url_decode: 'url_decode',
  url_encode: 'url_encode',
  uuid: 'uuid',
  var_pop: 'var_pop',
  var_samp: 'var_samp',
  weekofyear: 'weekofyear',
  xor: 'xor',
  year: 'year'
};

// Control characters (a NUL, say) cannot stand inside a SQL string literal: spell them with chr().
function duckdbString(value: string): string {
  return `'${Array.from(value.replace(/'/g, "''"), c => {
    const code = c.charCodeAt(0);
    return code < 32 && c !== '\n' && c !== '\r' && c !== '\t'
      ? `' || chr(${code}) || '`
      : c;
  }).join('')}'`;
}

/** DuckDB. */
export const duckdb: IDialect = {
  name: 'duckdb',
  capabilities: {
    nanosecondTimestamps: true,
    qualify: true,
    unionByName: true,
    notMaterialized: true,
    wrappingIntegers: false,
    subqueriesInLambdas: true
  },
  prelude: [],
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
  call: (name, args) => `${FUNCTIONS[name]}(${args.join(', ')})`,
  refusals: {},
  foreign: () => null,
  identifier: name => `"${name.replace(/"/g, '""')}"`,
  string: duckdbString,
  timestamp: instant =>
    `CAST('${instant.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP)`,
  json: text => `CAST(${duckdbString(text)} AS JSON)`,
  parseJson: (text, orNull) =>
    `${orNull ? 'TRY_CAST' : 'CAST'}(${text} AS JSON)`,
  memberPath: key =>
    duckdbString(`$."${key.replace(/["\\]/g, c => `\\${c}`)}"`),
  memberPathOf: key => `'$."' || replace(${key}, '"', '\\"') || '"'`,
  epoch: "TIMESTAMP 'epoch'",
  starExcept: 'EXCLUDE',
  listType: element => `${element}[]`,
  list: elements => `[${elements.join(', ')}]`,
  at: (list, position) => `${list}[${position}]`,
  struct: fields =>
    `{${fields.map(([name, value]) => `'${name}': ${value}`).join(', ')}}`,
  // The table function's one column is named after the function.
  series: (from, to, step, column) =>
    `SELECT generate_series AS ${column} FROM generate_series(${from}, ${to}, ${step})`,
  distinctDynamic: list => `list_distinct(${list})`,
  orderedList: (value, order) => `list(${value} ORDER BY ${order})`,
  divideReal: (a, b) => `(${a} / ${b})`,
  divide: (a, b) => `${a} // ${b}`,
  inputOrder: null,
  attempt: sql => `TRY(${sql})`,
  limit: count => count,
  // pandas holds datetimes in nanoseconds (as Azure's results come), and Kusto's 7th fractional
  // digit survives; instants outside what 64-bit nanoseconds hold (1677-09-22 to 2262-04-11) are null.
  resultColumn: (sql, type) =>
    type === 'datetime'
      ? `CASE WHEN ${sql} BETWEEN TIMESTAMP '1677-09-22 00:00:00' AND TIMESTAMP '2262-04-11 00:00:00' THEN CAST(${sql} AS TIMESTAMP_NS) END`
      : sql
};
