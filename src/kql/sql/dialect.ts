/**
 * What differs between SQL engines, as data. A dialect is one file in `dialects/` exporting one
 * object of this shape (`dialects/duckdb.ts`); the emitter (every file of `sql/` outside
 * `dialects/`) asks it for type names, quoting, literals, the spelling of the
 * functions it names by table, and what the engine can do. See ARCHITECTURE.md, "Dialects".
 */
import type { KqlTypeName, ScalarType } from '../types';

/**
 * The SQL functions the emitter names through the dialect (`fn('power')`, `aggregate('sum')`,
 * `ctx.fn('lower', …)`…), by their canonical (DuckDB) name; each dialect spells every one.
 */
export type SqlFunction =
  | 'abs'
  | 'acos'
  | 'any_value'
  | 'arg_max'
  | 'arg_min'
  | 'array_to_string'
  | 'asin'
  | 'atan'
  | 'atan2'
  | 'avg'
  | 'bit_and'
  | 'bit_count'
  | 'bit_or'
  | 'bit_xor'
  | 'bool_or'
  | 'ceil'
  | 'chr'
  | 'coalesce'
  | 'concat'
  | 'concat_ws'
  | 'contains'
  | 'cos'
  | 'cot'
  | 'count'
  | 'count_if'
  | 'covar_pop'
  | 'covar_samp'
  | 'date_diff'
  | 'date_part'
  | 'date_trunc'
  | 'day'
  | 'dayofweek'
  | 'dayofyear'
  | 'decode'
  | 'degrees'
  | 'encode'
  | 'ends_with'
  | 'epoch_ns'
  | 'epoch_us'
  | 'error'
  | 'exp'
  | 'flatten'
  | 'floor'
  | 'from_base64'
  | 'gamma'
  | 'generate_series'
  | 'greatest'
  | 'hex'
  | 'hour'
  | 'isfinite'
  | 'isinf'
  | 'isnan'
  | 'json_array'
  | 'json_array_length'
  | 'json_each'
  | 'json_exists'
  | 'json_extract'
  | 'json_extract_string'
  | 'json_keys'
  | 'json_merge_patch'
  | 'json_object'
  | 'json_type'
  | 'json_valid'
  | 'lag'
  | 'lead'
  | 'least'
  | 'left'
  | 'len'
  | 'length'
  | 'lgamma'
  | 'list'
  | 'list_aggregate'
  | 'list_append'
  | 'list_avg'
  | 'list_bool_and'
  | 'list_bool_or'
  | 'list_concat'
  | 'list_contains'
  | 'list_distinct'
  | 'list_filter'
  | 'list_max'
  | 'list_min'
  | 'list_position'
  | 'list_prepend'
  | 'list_reduce'
  | 'list_reverse'
  | 'list_slice'
  | 'list_sort'
  | 'list_sum'
  | 'list_transform'
  | 'ln'
  | 'log'
  | 'log10'
  | 'log2'
  | 'lower'
  | 'lpad'
  | 'ltrim'
  | 'make_timestamp'
  | 'make_timestamp_ns'
  | 'map_from_entries'
  | 'max'
  | 'md5'
  | 'min'
  | 'minute'
  | 'month'
  | 'nanosecond'
  | 'nullif'
  | 'octet_length'
  | 'pi'
  | 'power'
  | 'printf'
  | 'quantile_disc'
  | 'radians'
  | 'range'
  | 'regexp_extract'
  | 'regexp_extract_all'
  | 'regexp_full_match'
  | 'regexp_matches'
  | 'regexp_replace'
  | 'regexp_split_to_array'
  | 'repeat'
  | 'replace'
  | 'reverse'
  | 'right'
  | 'round'
  | 'round_even'
  | 'row_number'
  | 'rpad'
  | 'rtrim'
  | 'second'
  | 'sha1'
  | 'sha256'
  | 'sign'
  | 'sin'
  | 'split_part'
  | 'sqrt'
  | 'starts_with'
  | 'stddev_pop'
  | 'stddev_samp'
  | 'strftime'
  | 'string_split'
  | 'strpos'
  | 'struct_insert'
  | 'struct_update'
  | 'substr'
  | 'suffix'
  | 'sum'
  | 'tan'
  | 'time_bucket'
  | 'timezone'
  | 'to_base64'
  | 'to_days'
  | 'to_json'
  | 'to_microseconds'
  | 'translate'
  | 'trim'
  | 'trunc'
  | 'try'
  | 'try_strptime'
  | 'unhex'
  | 'unicode'
  | 'unnest'
  | 'upper'
  | 'url_decode'
  | 'url_encode'
  | 'uuid'
  | 'var_pop'
  | 'var_samp'
  | 'weekofyear'
  | 'xor'
  | 'year';

/** What an engine can do that the emitter relies on where Kusto needs it. */
export interface IDialectCapabilities {
  /**
   * Timestamps of nanoseconds (DuckDB's `TIMESTAMP_NS`), which keep the 7th fractional digit of
   * Kusto's 100-ns ticks; without them such a datetime literal is refused.
   */
  nanosecondTimestamps: boolean;
  /** `QUALIFY` filters on window functions; without it the window is computed in a subquery. */
  qualify: boolean;
  /** `UNION ALL BY NAME`; without it each side lists the union's columns, null where it lacks one. */
  unionByName: boolean;
  /** `AS NOT MATERIALIZED` on a common table expression (an engine that inlines them needs none). */
  notMaterialized: boolean;
  /**
   * Integer `+ - * /` wrap around at 32 and 64 bits as .NET's do (Spark without ANSI mode); without
   * it they are computed wider and wrapped by the emitter.
   */
  wrappingIntegers: boolean;
  /**
   * A subquery may stand in the arguments of a lambda function (`list_transform((SELECT …), …)`);
   * without it a test over a subquery's rows is an `EXISTS` over them.
   */
  subqueriesInLambdas: boolean;
}

/** The SQL spelling of one engine. */
export interface IDialect {
  /** The engine's name, for messages. */
  readonly name: string;
  /** What the engine can do. */
  readonly capabilities: IDialectCapabilities;
  /**
   * Statements the runner executes once per session before any compiled query: settings and the
   * SQL functions the dialect defines for Kusto semantics the engine lacks.
   */
  readonly prelude: readonly string[];
  /** The SQL type that holds values of a KQL type (the engine's half of the one type table). */
  type(type: ScalarType): string;
  /** The KQL type of a column the engine reports with a SQL type (result columns, files). */
  kqlType(sqlType: string): KqlTypeName;
  /** The engine's name for a function the emitter names by table. */
  fn(name: SqlFunction): string;
  /**
   * A call of a function the emitter names by table, its arguments given as DuckDB takes them:
   * the engine's spelling, which may reorder or wrap them.
   */
  call(name: SqlFunction, args: readonly string[]): string;
  /**
   * What the engine cannot do exactly, by the name the refusal gives it (`name()` for a KQL
   * function, the operator's name), with the reason: the compiler refuses it before any SQL.
   */
  readonly refusals: Readonly<Record<string, string>>;
  /**
   * The first construct of SQL text that the engine does not read as written (another engine's
   * syntax an emitter template still writes), named for a refusal; null when there is none.
   */
  foreign(sql: string): string | null;
  /** A quoted identifier. */
  identifier(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** A timestamp literal of an instant, in UTC. */
  timestamp(instant: Date): string;
  /** A dynamic value from the literal text of its JSON. */
  json(text: string): string;
  /**
   * A dynamic value parsed from text that holds JSON; with `orNull`, null for text that does not
   * (else the engine may stop the query: the caller checked the text).
   */
  parseJson(text: string, orNull: boolean): string;
  /** The path (a SQL string literal) of a bag's member of a constant name. */
  memberPath(key: string): string;
  /** The path (SQL) of a bag's member whose name is the text of an expression. */
  memberPathOf(key: string): string;
  /** The instant 1970-01-01 00:00:00, to which a timespan is added to read its microseconds. */
  readonly epoch: string;
  /** `SELECT *` without some columns: the keyword that follows the star (`EXCLUDE`, `EXCEPT`). */
  readonly starExcept: string;
  /** The SQL type of a list of values of a SQL type. */
  listType(element: string): string;
  /** A list of values. */
  list(elements: readonly string[]): string;
  /** The element of a list at a 1-based position. */
  at(list: string, position: string): string;
  /** A struct of named fields (read back as `s.name`). */
  struct(fields: readonly (readonly [name: string, value: string])[]): string;
  /**
   * A query of one column, `column` (quoted), of the values from `from` up to `to` inclusive by
   * `step`; no rows when the step points away from `to`.
   */
  series(from: string, to: string, step: string, column: string): string;
  /** A list of dynamic values without repeats. */
  distinctDynamic(list: string): string;
  /** The aggregate list of a group's values in an order (null values kept). */
  orderedList(value: string, order: string): string;
  /**
   * What a window orders rows by when the query set no order and the engine requires one for
   * `row_number()` and `lag()` (the order rows are read in); null when a window may be unordered.
   */
  readonly inputOrder: string | null;
  /** The count of a `LIMIT` given as a BIGINT expression. */
  limit(count: string): string;
  /** An expression whose error (bad input) is null instead of stopping the query. */
  attempt(sql: string): string;
  /** Division of reals, parenthesized: by zero an infinity or NaN, as .NET's. */
  divideReal(a: string, b: string): string;
  /** Integer division, truncating. */
  divide(a: string, b: string): string;
  /** A result column as the runner reads it: the engine's column of a KQL type. */
  resultColumn(sql: string, type: ScalarType): string;
}
