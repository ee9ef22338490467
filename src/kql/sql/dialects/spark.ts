/**
 * Spark SQL (Apache Spark 4, through Spark Connect or a local session): its type names both ways,
 * quoting, literals, capabilities, the spelling of the functions the emitter names by table, and the
 * prelude of settings and SQL functions the runner executes before a query. Only SQL: no Python
 * or JVM function has to be installed on the cluster. See ARCHITECTURE.md, "The Spark dialect".
 */
import type { KqlTypeName, ScalarType } from '../../types';
import { scalarType } from '../../types';
import type { IDialect, SqlFunction } from '../dialect';
import sessionSettings from './spark-session.json';

/** KQL type ↔ Spark type: the SQL type that holds each KQL type, and the others it reads back from. */
const TYPES: Record<ScalarType, { sql: string; reads: readonly string[] }> = {
  string: { sql: 'STRING', reads: ['VARCHAR', 'CHAR'] },
  int: {
    sql: 'INT',
    reads: ['INTEGER', 'SMALLINT', 'TINYINT', 'BYTE', 'SHORT']
  },
  long: { sql: 'BIGINT', reads: ['LONG'] },
  real: { sql: 'DOUBLE', reads: ['FLOAT', 'REAL'] },
  bool: { sql: 'BOOLEAN', reads: [] },
  datetime: {
    sql: 'TIMESTAMP',
    reads: ['TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'DATE']
  },
  timespan: { sql: 'INTERVAL DAY TO SECOND', reads: ['INTERVAL'] },
  // Spark 4's VARIANT keeps each member's JSON type (a string is not the number it spells), which
  // Kusto's dynamic needs; see ARCHITECTURE.md for why not JSON text.
  dynamic: { sql: 'VARIANT', reads: [] },
  guid: { sql: 'STRING', reads: [] },
  decimal: { sql: 'DECIMAL(38, 10)', reads: ['DECIMAL'] },
  unknown: { sql: 'VARIANT', reads: [] }
};

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

/** Spark's name of each function that takes the arguments DuckDB's does. */
const NAMES: Partial<Record<SqlFunction, string>> = {
  arg_max: 'max_by',
  arg_min: 'min_by',
  array_to_string: 'array_join',
  ends_with: 'endswith',
  epoch_us: 'unix_micros',
  error: 'raise_error',
  generate_series: 'sequence',
  len: 'size',
  length: 'char_length',
  list: 'collect_list',
  list_append: 'array_append',
  list_concat: 'concat',
  list_contains: 'array_contains',
  list_distinct: 'array_distinct',
  list_filter: 'filter',
  list_max: 'array_max',
  list_min: 'array_min',
  list_reverse: 'reverse',
  list_sort: 'array_sort',
  list_transform: 'transform',
  log: 'log10',
  printf: 'format_string',
  regexp_split_to_array: 'split',
  round_even: 'bround',
  sign: 'signum',
  starts_with: 'startswith',
  strpos: 'instr',
  suffix: 'endswith',
  to_base64: 'base64',
  unicode: 'ascii',
  unnest: 'explode'
};

/** The SQL text of a string literal's value, or null when the argument is not a literal. */
function literalText(sql: string): string | null {
  const match = /^'([^']*)'$/.exec(sql);
  return match ? match[1] : null;
}

/** DuckDB's `strftime` directives as Java's `DateTimeFormatter` patterns. */
const DIRECTIVES: Record<string, string> = {
  Y: 'yyyy',
  y: 'yy',
  m: 'MM',
  d: 'dd',
  H: 'HH',
  I: 'hh',
  M: 'mm',
  S: 'ss',
  f: 'SSSSSS',
  j: 'DDD',
  b: 'MMM',
  B: 'MMMM',
  a: 'EEE',
  A: 'EEEE',
  p: 'a',
  '-d': 'd',
  '-m': 'M',
  '-H': 'H',
  '%': '%'
};

/**
 * A `strftime` format as a `date_format` pattern: letters outside directives quoted. A quote
 * cannot stand in a Spark string literal here (see `sparkString`), so the pattern is a concatenation.
 */
function javaPattern(format: string): string | null {
  const parts: string[] = [];
  let literal = '';
  const flush = () => {
    if (literal) {
      parts.push(
        /[A-Za-z]/.test(literal)
          ? `chr(39) || '${literal}' || chr(39)`
          : `'${literal}'`
      );
      literal = '';
    }
  };
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      literal += format[i];
      continue;
    }
    const directive =
      format[i + 1] === '-' ? format.slice(i + 1, i + 3) : format[i + 1];
    const java = DIRECTIVES[directive];
    if (java === undefined) {
      return null;
    }
    flush();
    parts.push(`'${java}'`);
    i += directive.length;
  }
  flush();
  return parts.join(' || ') || "''";
}

/** `strftime`/`strptime` with a literal format; another format keeps DuckDB's name (Spark names it). */
function formatted(
  name: string,
  value: string,
  format: string,
  fallback: string
): string {
  const text = literalText(format);
  const pattern = text === null ? null : javaPattern(text);
  return pattern === null ? fallback : `${name}(${value}, ${pattern})`;
}

/** A regular expression's replacement: DuckDB's `\1` back-references are Spark's `$1`. */
function replacement(sql: string, shift: number): string {
  return sql.replace(/\\(\d)/g, (_, n: string) => `$${Number(n) + shift}`);
}

/**
 * A member or element of a dynamic value as a VARIANT or STRING: DuckDB's `$[*]` (every element)
 * and `$[#-1]` (from the end) are not Spark paths, so they read the value as an array.
 */
function extract(v: string, path: string, type: 'VARIANT' | 'STRING'): string {
  if (path === "'$[*]'") {
    return `try_variant_get(${v}, '$', 'ARRAY<${type}>')`;
  }
  const fromEnd = /^'\$\[#(-\d+)\]'$/.exec(path);
  if (fromEnd) {
    return `element_at(try_variant_get(${v}, '$', 'ARRAY<${type}>'), ${fromEnd[1]})`;
  }
  return type === 'STRING'
    ? `try_variant_get(${v}, ${path}, 'STRING')`
    : `try_variant_get(${v}, ${path})`;
}

/** DuckDB's `json_type` name of a VARIANT's kind (as the prelude's `json_type`). */
function jsonType(v: string): string {
  const kind = `schema_of_variant(${v})`;
  return `CASE WHEN ${v} IS NULL THEN NULL WHEN ${kind} LIKE 'OBJECT%' THEN 'OBJECT' WHEN ${kind} LIKE 'ARRAY%' THEN 'ARRAY' WHEN ${kind} = 'STRING' THEN 'VARCHAR' WHEN ${kind} = 'VOID' THEN 'NULL' WHEN ${kind} IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN 'BIGINT' WHEN ${kind} LIKE 'DECIMAL%' OR ${kind} IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE' ELSE ${kind} END`;
}

/** Functions whose arguments Spark takes otherwise, or which it lacks and the prelude defines. */
const CALLS: Partial<Record<SqlFunction, (args: readonly string[]) => string>> =
  {
    // A map (a bag built from pairs) is no VARIANT by a cast.
    to_json: ([x]) =>
      /^map(_from_entries)?\(/.test(x)
        ? `to_variant_object(${x})`
        : `CAST(${x} AS VARIANT)`,
    json_extract: ([v, path]) => extract(v, path, 'VARIANT'),
    json_extract_string: ([v, path]) => extract(v, path, 'STRING'),
    // Written out, not the prelude's json_type: Spark refuses a SQL function inside explode().
    json_type: ([v, path]) =>
      jsonType(path === undefined ? v : `try_variant_get(${v}, ${path})`),
    json_array_length: ([v]) =>
      `array_size(try_variant_get(${v}, '$', 'ARRAY<VARIANT>'))`,
    // A table of a bag's members beside the row it is read from: Spark needs LATERAL for that.
    json_each: ([v]) => `LATERAL variant_explode(${v})`,
    json_keys: ([v]) => `json_object_keys(to_json(${v}))`,
    json_object: args => {
      if (!args.length) {
        return "parse_json('{}')";
      }
      // A map's values share one type (a number next to a string becomes text); a struct's
      // fields keep theirs, and its names must be constants, distinct as a bag's keys are.
      const keys = args.filter((_, i) => i % 2 === 0);
      const constant = keys.map(literalText);
      return constant.every(k => k !== null) &&
        new Set(constant).size === keys.length
        ? `to_variant_object(named_struct(${args.join(', ')}))`
        : `to_variant_object(map(${args.join(', ')}))`;
    },
    json_array: args =>
      args.length
        ? `CAST(array(${args.join(', ')}) AS VARIANT)`
        : "parse_json('[]')",
    json_valid: ([s]) => `(try_parse_json(${s}) IS NOT NULL)`,
    json_exists: ([v, path]) => `(try_variant_get(${v}, ${path}) IS NOT NULL)`,
    list_position: ([l, x]) => `nullif(array_position(${l}, ${x}), 0)`,
    list_prepend: ([x, l]) => `array_prepend(${l}, ${x})`,
    list_slice: ([l, from, to]) =>
      `slice(${l}, ${from}, greatest((${to}) - (${from}) + 1, 0))`,
    list_reduce: ([l, f, initial]) =>
      initial === undefined
        ? `aggregate(slice(${l}, 2, size(${l})), element_at(${l}, 1), ${f})`
        : `aggregate(${l}, ${initial}, ${f})`,
    // DuckDB's list_sum skips nulls and is null for a list of none.
    list_sum: ([l]) => {
      const f = `filter(${l}, __x -> __x IS NOT NULL)`;
      return `aggregate(slice(${f}, 2, size(${f})), element_at(${f}, 1), (__a, __x) -> __a + __x)`;
    },
    list_bool_or: ([l]) => `exists(${l}, x -> x)`,
    list_bool_and: ([l]) => `forall(${l}, x -> x)`,
    range: args => {
      const [from, to, step] =
        args.length === 1
          ? ['0', args[0], '1']
          : [args[0], args[1], args[2] ?? '1'];
      return `kql_range(${from}, ${to}, ${step})`;
    },
    regexp_matches: ([s, p]) => `regexp_like(${s}, ${p})`,
    regexp_full_match: ([s, p]) =>
      `regexp_like(${s}, concat('^(?:', ${p}, ')$'))`,
    regexp_replace: ([s, p, r, flags]) =>
      flags === "'g'"
        ? `regexp_replace(${s}, ${p}, ${replacement(r, 0)})`
        : // Spark replaces every match: the first alone is the shortest prefix, then the match.
          `regexp_replace(${s}, concat('^(?s)(.*?)(?:', ${p}, ')'), concat('$1', ${replacement(r, 1)}))`,
    // DuckDB splits on '' into characters ('' into ['']), where Spark's split ends with ''.
    string_split: ([s, separator]) => {
      const characters = `if(${s} = '', array(''), regexp_extract_all(${s}, '(?s)(.)', 1))`;
      const split = `split(${s}, concat('\\Q', ${separator}, '\\E'), -1)`;
      const literal = literalText(separator);
      if (literal !== null) {
        return literal === '' ? characters : split;
      }
      return `CASE WHEN ${separator} = '' THEN ${characters} ELSE ${split} END`;
    },
    strftime: ([t, format]) =>
      formatted('date_format', t, format, `strftime(${t}, ${format})`),
    try_strptime: ([s, format]) =>
      formatted('try_to_timestamp', s, format, `try_strptime(${s}, ${format})`),
    date_diff: ([unit, from, to]) => {
      // DuckDB counts the unit's boundaries crossed, as Kusto's datetime_diff does.
      const name = literalText(unit)?.toUpperCase() ?? unit;
      return `timestampdiff(${name}, date_trunc(${unit}, ${from}), date_trunc(${unit}, ${to}))`;
    },
    dayofweek: ([t]) => `(dayofweek(${t}) - 1)`,
    time_bucket: ([step, t, origin]) =>
      `kql_time_bucket(${step}, ${t}, ${origin ?? "TIMESTAMP '2000-01-03 00:00:00'"})`,
    to_microseconds: ([n]) => `(INTERVAL 1 MICROSECOND * (${n}))`,
    to_days: ([n]) => `(INTERVAL 1 DAY * (${n}))`,
    epoch_ns: ([t]) => `(unix_micros(${t}) * 1000)`,
    make_timestamp: args =>
      args.length === 1
        ? `timestamp_micros(${args[0]})`
        : `make_timestamp(${args.join(', ')})`,
    nanosecond: ([t]) =>
      `(CAST(date_format(${t}, 'ssSSSSSS') AS BIGINT) * 1000)`,
    sha256: ([s]) => `sha2(${s}, 256)`,
    from_base64: ([s]) => `try_to_binary(${s}, 'base64')`,
    encode: ([s]) => `encode(${s}, 'UTF-8')`,
    decode: ([b]) => `decode(${b}, 'UTF-8')`,
    trim: ([s, chars]) =>
      chars === undefined ? `trim(${s})` : `btrim(${s}, ${chars})`,
    ltrim: ([s, chars]) =>
      chars === undefined ? `ltrim(${s})` : `trim(LEADING ${chars} FROM ${s})`,
    rtrim: ([s, chars]) =>
      chars === undefined ? `rtrim(${s})` : `trim(TRAILING ${chars} FROM ${s})`,
    trunc: ([x]) => `((${x}) - (${x}) % 1)`,
    isinf: ([x]) => `(abs(${x}) = double('infinity'))`,
    isfinite: ([x]) => `(NOT isnan(${x}) AND abs(${x}) <> double('infinity'))`,
    xor: ([a, b]) => `((${a}) ^ (${b}))`,
    quantile_disc: ([x, p]) =>
      `percentile_disc(${p}) WITHIN GROUP (ORDER BY ${x})`
  };

/**
 * Settings a Spark session needs before a compiled query, kept in `spark-session.json`: the one
 * list, which the Jupyter server applies when it opens a workspace's session (a query never sends
 * `SET`) and `bin/kql check` and the execution test run as the prelude's first statements:
 * - ANSI mode off: a failed cast, a division by zero and a position past a list's end are null, as
 *   DuckDB's `TRY_CAST` and Kusto give; integers wrap as .NET's do.
 * - UTC: Kusto's datetimes are UTC.
 * - String literals as written (`'\d'` is two characters, as in DuckDB), so the emitter's regular
 *   expressions need no second escaping; a quote is `chr(39)` (see `sparkString`).
 * - A bag built with a repeated key keeps the last value.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> =
  sessionSettings;

/**
 * The SQL functions of the prelude: what a Spark workspace's query sends before it (the server
 * takes `CREATE TEMPORARY FUNCTION` and nothing else).
 */
export const FUNCTIONS: readonly string[] = [
  // DuckDB's json_type names, which the emitter compares with; json_type and the json_extract
  // functions, under DuckDB's names, serve the templates that spell them inline too.
  `CREATE OR REPLACE TEMPORARY FUNCTION json_type(v VARIANT) RETURNS STRING RETURN
  CASE WHEN v IS NULL THEN NULL
    WHEN schema_of_variant(v) LIKE 'OBJECT%' THEN 'OBJECT'
    WHEN schema_of_variant(v) LIKE 'ARRAY%' THEN 'ARRAY'
    WHEN schema_of_variant(v) = 'STRING' THEN 'VARCHAR'
    WHEN schema_of_variant(v) = 'VOID' THEN 'NULL'
    WHEN schema_of_variant(v) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT') THEN 'BIGINT'
    WHEN schema_of_variant(v) LIKE 'DECIMAL%' OR schema_of_variant(v) IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE'
    ELSE schema_of_variant(v) END`,
  // bin() on 100-ns ticks from an origin: floor division in whole microseconds (a double would
  // round the microseconds since 0001-01-01).
  `CREATE OR REPLACE TEMPORARY FUNCTION kql_time_bucket(step INTERVAL DAY TO SECOND, t TIMESTAMP, origin TIMESTAMP) RETURNS TIMESTAMP RETURN
  timestamp_micros(unix_micros(origin) + (
    (unix_micros(t) - unix_micros(origin)) div unix_micros(TIMESTAMP '1970-01-01 00:00:00' + step)
    - CASE WHEN (unix_micros(t) - unix_micros(origin)) % unix_micros(TIMESTAMP '1970-01-01 00:00:00' + step) < 0 THEN 1 ELSE 0 END
  ) * unix_micros(TIMESTAMP '1970-01-01 00:00:00' + step))`,
  `CREATE OR REPLACE TEMPORARY FUNCTION json_extract(v VARIANT, p STRING) RETURNS VARIANT RETURN try_variant_get(v, p)`,
  `CREATE OR REPLACE TEMPORARY FUNCTION json_extract_string(v VARIANT, p STRING) RETURNS STRING RETURN try_variant_get(v, p, 'STRING')`,
  // Functions the emitter also spells inside larger templates (`${d.fn('…')}(…)`), defined under
  // DuckDB's names where Spark has no function of that name.
  `CREATE OR REPLACE TEMPORARY FUNCTION to_microseconds(n BIGINT) RETURNS INTERVAL DAY TO SECOND RETURN INTERVAL 1 MICROSECOND * n`,
  `CREATE OR REPLACE TEMPORARY FUNCTION epoch_ns(t TIMESTAMP) RETURNS BIGINT RETURN unix_micros(t) * 1000`,
  `CREATE OR REPLACE TEMPORARY FUNCTION nanosecond(t TIMESTAMP) RETURNS BIGINT RETURN CAST(date_format(t, 'ssSSSSSS') AS BIGINT) * 1000`,
  `CREATE OR REPLACE TEMPORARY FUNCTION isinf(x DOUBLE) RETURNS BOOLEAN RETURN abs(x) = double('infinity')`,
  `CREATE OR REPLACE TEMPORARY FUNCTION isfinite(x DOUBLE) RETURNS BOOLEAN RETURN NOT isnan(x) AND abs(x) <> double('infinity')`,
  `CREATE OR REPLACE TEMPORARY FUNCTION regexp_matches(s STRING, p STRING) RETURNS BOOLEAN RETURN regexp_like(s, p)`,
  // DuckDB's strftime directives the emitter writes, as date_format's pattern (letters quoted).
  `CREATE OR REPLACE TEMPORARY FUNCTION strftime(t TIMESTAMP, f STRING) RETURNS STRING RETURN date_format(t,
    replace(replace(replace(replace(replace(replace(replace(replace(replace(
      regexp_replace(f, '(?<!%)([A-Za-z]+)', concat(chr(39), '$1', chr(39))),
      '%Y', 'yyyy'), '%m', 'MM'), '%d', 'dd'), '%H', 'HH'), '%M', 'mm'), '%S', 'ss'), '%f', 'SSSSSS'),
      '%j', 'DDD'), '%y', 'yy'))`,
  // DuckDB's range: the end excluded, empty when the step points away from it.
  `CREATE OR REPLACE TEMPORARY FUNCTION kql_range(a BIGINT, b BIGINT, s BIGINT) RETURNS ARRAY<BIGINT> RETURN
  CASE WHEN (s > 0 AND a < b) OR (s < 0 AND a > b) THEN sequence(a, b - CAST(signum(s) AS BIGINT), s)
    ELSE CAST(array() AS ARRAY<BIGINT>) END`
];

const PRELUDE: readonly string[] = [
  ...Object.entries(SESSION_SETTINGS).map(
    ([key, value]) => `SET ${key} = ${value}`
  ),
  ...FUNCTIONS
];

/** The name a prelude function is created under. */
function functionName(statement: string): string {
  return /FUNCTION\s+(\w+)\s*\(/.exec(statement)![1];
}

/**
 * The prelude functions a query calls, directly or through another of them, in the prelude's
 * order: what a Spark workspace's request puts before its query.
 */
export function functionsCalledBy(sql: string): string[] {
  const calls = (text: string, name: string) =>
    new RegExp(`\\b${name}\\s*\\(`, 'i').test(text);
  const needed = new Set<string>();
  let texts = [sql];
  while (texts.length) {
    const found = FUNCTIONS.filter(
      f => !needed.has(f) && texts.some(text => calls(text, functionName(f)))
    );
    found.forEach(f => needed.add(f));
    texts = found.map(f => f.slice(f.indexOf(')')));
  }
  return FUNCTIONS.filter(f => needed.has(f));
}

/**
 * A Spark string literal. With `escapedStringLiterals` the text between quotes is taken as is, so
 * a quote cannot stand inside one (Spark reads `''` as two literals), nor a backslash before the
 * closing quote: both are spelled with chr(), as are control characters.
 */
function sparkString(value: string): string {
  const parts: string[] = [];
  let run = '';
  const chars = Array.from(value);
  chars.forEach((c, i) => {
    const code = c.charCodeAt(0);
    const special =
      c === "'" ||
      (c === '\\' && (i + 1 === chars.length || chars[i + 1] === "'")) ||
      (code < 32 && c !== '\n' && c !== '\r' && c !== '\t');
    if (!special) {
      run += c;
      return;
    }
    if (run) {
      parts.push(`'${run}'`);
      run = '';
    }
    parts.push(`chr(${code})`);
  });
  if (run || !parts.length) {
    parts.push(`'${run}'`);
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

/** Why the end of a period cannot be given: its value is the period's last 100-ns tick. */
const LAST_TICK =
  "its value is the period's last 100-ns tick (…59.9999999), and Spark's timestamps hold microseconds";

/** What Spark cannot do exactly (see `IDialect.refusals`). */
const REFUSALS: Readonly<Record<string, string>> = {
  scan: 'Spark 4.0 has no recursive common table expressions, which scan steps through',
  'gamma()': 'Spark SQL has no gamma function',
  'loggamma()': 'Spark SQL has no gamma function',
  'endofday()': LAST_TICK,
  'endofweek()': LAST_TICK,
  'endofmonth()': LAST_TICK,
  'endofyear()': LAST_TICK
};

/** DuckDB's words Spark lacks, outside literals and quoted names. */
const DUCKDB_WORDS: readonly [RegExp, string][] = [
  [/\b(HUGEINT|UBIGINT|TIMESTAMP_NS)\b/, "DuckDB's type $1"],
  [/\bAS JSON\b/, "DuckDB's JSON type"],
  [/\bTRY\(/, "DuckDB's TRY()"],
  [/\bSTRUCT\(/, "DuckDB's STRUCT(…) types"],
  [/\bWITH RECURSIVE\b/, 'a recursive query'],
  [/\bUSING SAMPLE\b/, "DuckDB's USING SAMPLE"],
  [/\bjson_each\(/, "DuckDB's json_each()"],
  [/\bjson_merge_patch\(/, "DuckDB's json_merge_patch()"],
  [/\btimezone\(/, "DuckDB's timezone()"],
  [/\blgamma\(/, "DuckDB's lgamma()"],
  [/\blist_(\w+)\(/, "DuckDB's list_$1()"]
];

/**
 * The first DuckDB construct in SQL text that Spark would reject or read otherwise: list and
 * struct literals, 1-based indexing (Spark's `l[i]` counts from 0), `::` casts, `//`, double-quoted
 * names (Spark reads a string), named arguments, and DuckDB's words above. String literals hold no
 * escaped quote under `escapedStringLiterals`, so one scan skips them.
 */
function duckdbConstruct(sql: string): string | null {
  let outside = '';
  let previous = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '`') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end;
      outside += ' ';
      previous = c;
      continue;
    }
    const pair = sql.slice(i, i + 2);
    if (c === '"') {
      return "DuckDB's double-quoted names";
    }
    if (c === '{') {
      return "DuckDB's struct literals {'k': v}";
    }
    if (c === '[') {
      return /[\w)\]]/.test(previous)
        ? "DuckDB's 1-based list indexing l[i]"
        : "DuckDB's list literals [a, b]";
    }
    if (pair === '::' || pair === '//' || pair === ':=' || pair === '**') {
      return `DuckDB's ${pair}`;
    }
    outside += c;
    if (!/\s/.test(c)) {
      previous = c;
    }
  }
  for (const [word, name] of DUCKDB_WORDS) {
    const match = word.exec(outside);
    if (match) {
      return name.replace('$1', match[1]);
    }
  }
  return null;
}

/** Spark SQL. */
export const spark: IDialect = {
  name: 'spark',
  capabilities: {
    nanosecondTimestamps: false,
    qualify: false,
    unionByName: false,
    notMaterialized: false,
    wrappingIntegers: true,
    subqueriesInLambdas: false
  },
  prelude: PRELUDE,
  type: type => TYPES[type].sql,
  kqlType: sqlType => {
    const t = sqlType.toUpperCase();
    const read = READS.get(t.replace(/\(.*$/, ''));
    if (read) {
      return read;
    }
    if (t.startsWith('INTERVAL')) {
      return 'timespan';
    }
    const kql = scalarType(t);
    return kql === 'unknown' ? 'dynamic' : kql;
  },
  fn: name => NAMES[name] ?? name,
  call: (name, args) => {
    const call = CALLS[name];
    return call ? call(args) : `${NAMES[name] ?? name}(${args.join(', ')})`;
  },
  refusals: REFUSALS,
  foreign: duckdbConstruct,
  identifier: name => `\`${name.replace(/`/g, '``')}\``,
  string: sparkString,
  timestamp: instant =>
    `CAST('${instant.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP)`,
  json: text => `parse_json(${sparkString(text)})`,
  parseJson: text => `try_parse_json(${text})`,
  // Spark's paths take a name in single quotes (`$['a b']`), and no escape inside it.
  memberPath: key => sparkString(`$['${key}']`),
  memberPathOf: key => `('$[' || chr(39) || ${key} || chr(39) || ']')`,
  epoch: "TIMESTAMP '1970-01-01 00:00:00'",
  starExcept: 'EXCEPT',
  listType: element => `ARRAY<${element}>`,
  list: elements => `array(${elements.join(', ')})`,
  at: (list, position) => `element_at(${list}, ${position})`,
  struct: fields =>
    `named_struct(${fields.map(([name, value]) => `'${name}', ${value}`).join(', ')})`,
  // Spark has no ordered aggregate: the values collected with their order, sorted by it alone (a
  // VARIANT value is not orderable), and a struct keeps the nulls collect_list skips.
  // sequence() stops the query when the step points away from the end: then no rows, as Kusto's.
  series: (from, to, step, column) => {
    const [a, b, s] = [from, to, step].map(x => `(${x})`);
    return `SELECT explode(CASE WHEN (${a} + ${s} > ${a} AND ${a} <= ${b}) OR (${a} + ${s} < ${a} AND ${a} >= ${b}) THEN sequence(${from}, ${to}, ${step}) END) AS ${column}`;
  },
  // A VARIANT cannot be compared: values are told apart by their JSON text; without the nulls
  // (SQL's and JSON's), as DuckDB's list_distinct of JSON elements and Kusto's make_set.
  distinctDynamic: list =>
    `transform(array_distinct(filter(transform(${list}, __e -> to_json(__e)), __j -> __j IS NOT NULL AND __j <> 'null')), __j -> parse_json(__j))`,
  orderedList: (value, order) =>
    `transform(array_sort(collect_list(named_struct('o', ${order}, 'v', ${value})), (a, b) -> CASE WHEN a.o < b.o THEN -1 WHEN a.o > b.o THEN 1 ELSE 0 END), e -> e.v)`,
  // Spark's division by zero is null, even of doubles (and its NaN is greater than any number).
  divideReal: (a, b) =>
    `(CASE WHEN (${b}) = 0 THEN CASE WHEN isnan(${a}) OR (${a}) = 0 THEN double('NaN') WHEN (${a}) > 0 THEN double('infinity') ELSE double('-infinity') END ELSE (${a}) / (${b}) END)`,
  divide: (a, b) => `${a} div ${b}`,
  inputOrder: 'monotonically_increasing_id()',
  // Without ANSI mode Spark's casts and conversions give null on bad input; base64 is read with
  // try_to_binary (see CALLS).
  attempt: sql => sql,
  // Spark's LIMIT takes an INT.
  limit: count => `CAST(${count} AS INT)`,
  // Spark's VARIANT reaches pandas as bytes; Kusto's results carry dynamic values as JSON text.
  resultColumn: (sql, type) =>
    type === 'dynamic' || type === 'unknown' ? `to_json(${sql})` : sql
};
