/**
 * The compiler's own syntax tree: what Kusto.Language parsed and bound, converted into plain,
 * typed data. Every node keeps its source span; scalar nodes carry their KQL type and tabular nodes
 * the columns they produce, as Kusto's binder computed them. Nothing after `frontend/` sees a
 * Kusto.Language object.
 */
import type { ISpan, RowSchema, ScalarType } from './types';

/** A literal value: numbers as JS numbers except `long` (decimal text, to keep 64 bits). */
export interface ILiteral {
  kind: 'literal';
  span: ISpan;
  type: ScalarType;
  /**
   * `string`/`guid`: the text; `long`/`decimal`: decimal text; `int`/`real`: a number; `bool`;
   * `datetime`: ISO 8601 text with up to 7 fractional digits; `timespan`: 100-ns ticks as decimal
   * text; `dynamic`: JSON text; `null` for a typed null such as `long(null)`.
   */
  value: string | number | boolean | null;
}

/** A reference to a column of the operator's input row. */
export interface IColumnRef {
  kind: 'column';
  span: ISpan;
  type: ScalarType;
  name: string;
}

/**
 * A built-in operator (`==`, `has`, `in~`, `between`, `and`, unary `-`, `not`…) or function call
 * (`strcat`, `bin`, `count`…). Operators and functions share one lookup table in the emitter.
 */
export interface ICall {
  kind: 'call';
  span: ISpan;
  type: ScalarType;
  /** Lower-case operator text or function name. */
  name: string;
  args: Expr[];
}

/** Member access on a dynamic value: `d.a`, `d["a"]`, `d[0]`. */
export interface IMember {
  kind: 'member';
  span: ISpan;
  type: ScalarType;
  target: Expr;
  key: Expr;
}

/** `*` as an argument, as in `arg_max(TimeGenerated, *)`. */
export interface IStar {
  kind: 'star';
  span: ISpan;
  type: ScalarType;
}

/** A tabular expression used as a scalar or a list: `toscalar(T | …)`, `x in (T | project y)`. */
export interface ISubquery {
  kind: 'subquery';
  span: ISpan;
  type: ScalarType;
  query: Tabular;
  /** A tabular argument of `in`/`has_any`: its first column's values, not its first value. */
  rows?: true;
}

/** A scalar expression. */
export type Expr = ILiteral | IColumnRef | ICall | IMember | IStar | ISubquery;

/** An output column and the expression that computes it. */
export interface INamedExpr {
  name: string;
  expr: Expr;
}

/** A sort key. */
export interface ISortKey {
  expr: Expr;
  descending: boolean;
  nullsFirst: boolean;
}

/** The columns produced by one aggregate of `summarize`: usually one, several for `arg_max(x, *)`. */
export interface IAggregate {
  /** The aggregate expression, e.g. `count()`, `round(avg(x), 2)`, `arg_max(TimeGenerated, *)`. */
  expr: Expr;
  /** Output column names in order; for `arg_max`/`arg_min` the first is the maximised value. */
  names: string[];
  /** For `arg_max`/`arg_min`: the input columns carried along, matching `names` after the first. */
  carried?: string[];
}

/** Kusto's join flavours. */
export type JoinKind =
  | 'innerunique'
  | 'inner'
  | 'leftouter'
  | 'rightouter'
  | 'fullouter'
  | 'leftanti'
  | 'rightanti'
  | 'leftsemi'
  | 'rightsemi';

/** One element of a `parse` pattern: a literal to match or a column to capture. */
export type ParsePart =
  | { kind: 'text'; text: string }
  | { kind: 'capture'; name: string; type: ScalarType }
  | { kind: 'skip' };

interface ITabularBase {
  span: ISpan;
  /** The columns this expression produces. */
  schema: RowSchema;
}

/** A workspace table. */
export interface ITableRef extends ITabularBase {
  kind: 'table';
  name: string;
}

/** A reference to a tabular `let` (emitted once, as a common table expression). */
export interface ILetRef extends ITabularBase {
  kind: 'let';
  name: string;
}

export interface IDataTable extends ITabularBase {
  kind: 'datatable';
  rows: Expr[][];
}

export interface IRange extends ITabularBase {
  kind: 'range';
  from: Expr;
  to: Expr;
  step: Expr;
}

/**
 * `externaldata`: rows read from files named by URI. The compiled SQL reads them from a relation
 * the runner provides (`IExternalData` in the compile result): a local workspace never reaches
 * the internet, so the runner binds it to a local copy or refuses with a message.
 */
export interface IExternalDataRef extends ITabularBase {
  kind: 'externaldata';
  uris: string[];
  /** `csv`, `tsv`, `txt` (one column per line), `json`/`multijson`… as the query says. */
  format: string;
  /** `ignoreFirstRecord=true`: the first line is a header. */
  ignoreFirstRecord: boolean;
}

export interface IPrint extends ITabularBase {
  kind: 'print';
  columns: INamedExpr[];
}

export interface IUnion extends ITabularBase {
  kind: 'union';
  inputs: Tabular[];
  /** Column that receives each row's source name (`withsource=`). */
  sourceColumn: string | null;
  /** Names written into `sourceColumn`, one per input. */
  sourceNames: string[];
}

export interface IWhere extends ITabularBase {
  kind: 'where';
  input: Tabular;
  predicate: Expr;
}

/** `extend`: new or replaced columns computed from the input row. */
export interface IExtend extends ITabularBase {
  kind: 'extend';
  input: Tabular;
  columns: INamedExpr[];
}

/** Any projection (`project`, `-away`, `-keep`, `-rename`, `-reorder`): the output columns. */
export interface IProject extends ITabularBase {
  kind: 'project';
  input: Tabular;
  columns: INamedExpr[];
}

export interface ISummarize extends ITabularBase {
  kind: 'summarize';
  input: Tabular;
  by: INamedExpr[];
  aggregates: IAggregate[];
}

export interface IDistinct extends ITabularBase {
  kind: 'distinct';
  input: Tabular;
  columns: INamedExpr[];
}

export interface ISort extends ITabularBase {
  kind: 'sort';
  input: Tabular;
  keys: ISortKey[];
}

/** `take`/`limit`, and `top` (with keys). */
export interface ITake extends ITabularBase {
  kind: 'take';
  input: Tabular;
  count: Expr;
  keys: ISortKey[];
}

export interface ISample extends ITabularBase {
  kind: 'sample';
  input: Tabular;
  count: Expr;
}

export interface ICount extends ITabularBase {
  kind: 'count';
  input: Tabular;
}

export interface IJoin extends ITabularBase {
  kind: 'join';
  joinKind: JoinKind;
  left: Tabular;
  right: Tabular;
  /** Equality conditions: a column of the left side equals one of the right side. */
  on: { left: string; right: string }[];
}

export interface IMvExpand extends ITabularBase {
  kind: 'mv-expand';
  input: Tabular;
  /** Expanded columns: the output name, the array expression and the element type. */
  items: { name: string; expr: Expr; type: ScalarType }[];
  limit: Expr | null;
  /** Column receiving the element index (`with_itemindex=`). */
  indexColumn: string | null;
  /** `bagexpansion=array`: a property bag expands to `[key, value]` arrays, not `{key: value}` bags. */
  bagsAsArrays?: boolean;
}

export interface IParse extends ITabularBase {
  kind: 'parse';
  input: Tabular;
  source: Expr;
  parts: ParsePart[];
  /** `regex` when the pattern's literals are regular expressions (`kind=regex`). */
  mode: 'simple' | 'regex' | 'relaxed';
  /** `parse-where`: drop rows that do not match. */
  filter: boolean;
  /** `kind=regex`'s `flags=`: letters of `U` (ungreedy), `i`, `m`, `s`; "" for none. */
  flags: string;
}

export interface IMakeSeries extends ITabularBase {
  kind: 'make-series';
  input: Tabular;
  aggregates: { name: string; expr: Expr; fill: Expr | null }[];
  axis: { name: string; expr: Expr };
  from: Expr | null;
  to: Expr | null;
  step: Expr;
  by: INamedExpr[];
}

/** `mv-apply`: a subquery run over each row's expanded arrays, joined back to the row. */
export interface IMvApply extends ITabularBase {
  kind: 'mv-apply';
  input: Tabular;
  items: { name: string; expr: Expr; type: ScalarType }[];
  /** The subquery; its input is `IMvApplyRow`. */
  body: Tabular;
}

/** Inside an `mv-apply` subquery: the rows expanded from one input row. */
export interface IMvApplyRow extends ITabularBase {
  kind: 'mv-apply-row';
}

/**
 * `evaluate bag_unpack(column [, prefix]) : (schema)`: the input's other columns and one column
 * per slot of the bag, as the output schema (written or discovered from the data) names them.
 */
export interface IBagUnpack extends ITabularBase {
  kind: 'bag-unpack';
  input: Tabular;
  column: string;
  /** The output columns read from the bag: the slot's key and the column it fills. */
  slots: { key: string; name: string }[];
}

/**
 * `evaluate pivot(column [, aggregate] [, by…]) : (schema)`: one row per value of the `by`
 * columns, one column per value of the pivot column (written or discovered from the data), each
 * cell the aggregate over the rows with that value.
 */
export interface IPivot extends ITabularBase {
  kind: 'pivot';
  input: Tabular;
  pivot: Expr;
  /** The aggregate's function (`count`, `sum`, `dcount`) and its argument. */
  aggregate: { name: string; arg: Expr | null };
  by: string[];
  /** Each pivoted output column and the pivot value it counts. */
  values: { value: string; name: string }[];
}

export interface IGetSchema extends ITabularBase {
  kind: 'getschema';
  input: Tabular;
}

export interface ITopNested extends ITabularBase {
  kind: 'top-nested';
  input: Tabular;
  levels: {
    count: Expr | null;
    key: INamedExpr;
    aggregate: INamedExpr;
    descending: boolean;
    others: Expr | null;
  }[];
}

/**
 * `parse-kv`: the input's columns and one column per listed key, the value of the key's first
 * pair in the text. How pairs are found is the `with (…)` clause's mode.
 */
export interface IParseKv extends ITabularBase {
  kind: 'parse-kv';
  input: Tabular;
  source: Expr;
  keys: { name: string; type: ScalarType }[];
  mode: ParseKvMode;
}

/**
 * How `parse-kv` finds pairs: by delimiters (`pair_delimiter`, `kv_delimiter`, `greedy`), by
 * words (no delimiter given: any character but a letter or digit delimits), or by a regular
 * expression whose two groups are the key and the value. `quotes` are opening/closing pairs.
 */
export type ParseKvMode =
  | {
      kind: 'delimiters' | 'words';
      pair: string;
      kv: string;
      quotes: [string, string][];
      escapes: string[];
      greedy: boolean;
    }
  | { kind: 'regex'; pattern: string };

/**
 * `scan`: Kusto's state machine over the rows in order (per partition). Inside a step's
 * condition and assignments, `step.column` (the value the named step's state holds) is a column
 * reference whose name is {@link scanStateName}.
 */
export interface IScan extends ITabularBase {
  kind: 'scan';
  input: Tabular;
  /** `with_match_id=`: the column receiving each output row's 0-based sequence number. */
  matchId: string | null;
  declared: { name: string; type: ScalarType; initial: Expr | null }[];
  steps: {
    name: string;
    /** `output=none` keeps the step's matches out of the result. */
    output: 'all' | 'none';
    condition: Expr;
    assignments: { name: string; expr: Expr }[];
  }[];
  partitionBy: Expr[];
  orderBy: ISortKey[];
}

/**
 * `partition by Column (subquery)` (the native and shuffle strategies, and the legacy one with an
 * implicit source): the subquery run on the rows of each value of the key, the results unioned.
 * The subquery's input is an `IMvApplyRow` node standing for one partition's rows.
 */
export interface IPartition extends ITabularBase {
  kind: 'partition';
  input: Tabular;
  key: Expr;
  body: Tabular;
}

/** `evaluate rows_near(Condition, NumRows [, RowsAfter])`: the rows near a row that meets it. */
export interface IRowsNear extends ITabularBase {
  kind: 'rows-near';
  input: Tabular;
  condition: Expr;
  before: Expr;
  after: Expr;
}

/**
 * `evaluate ipv4_lookup(…)`/`ipv6_lookup(…)`: the input joined to the lookup table's rows whose
 * key (an address or a prefix) contains the input's address, and whose extra keys are equal.
 */
export interface IIpLookup extends ITabularBase {
  kind: 'ip-lookup';
  input: Tabular;
  lookup: Tabular;
  family: 4 | 6;
  sourceKey: string;
  lookupKey: string;
  extraKeys: string[];
  /** `return_unmatched=true`: input rows without a match are kept, the lookup's columns null. */
  unmatched: boolean;
}

/** How a `scan` step's reference to `step.column` is named in the AST (no KQL name has a NUL). */
export function scanStateName(step: string, column: string): string {
  return `${step}\u0000${column}`;
}

/** A tabular expression. */
export type Tabular =
  | ITableRef
  | ILetRef
  | IDataTable
  | IRange
  | IExternalDataRef
  | IPrint
  | IUnion
  | IWhere
  | IExtend
  | IProject
  | ISummarize
  | IDistinct
  | ISort
  | ITake
  | ISample
  | ICount
  | IJoin
  | IMvExpand
  | IParse
  | IMakeSeries
  | IMvApply
  | IMvApplyRow
  | IBagUnpack
  | IPivot
  | IGetSchema
  | ITopNested
  | IParseKv
  | IScan
  | IPartition
  | IRowsNear
  | IIpLookup;

/** Chart metadata from `render`, for the frontend. */
export interface IRenderSpec {
  visualization: string;
  properties: Record<string, string | string[]>;
}

/** A whole query: its tabular `let`s in order of declaration, then the result expression. */
export interface IQuery {
  lets: { name: string; value: Tabular }[];
  body: Tabular;
  render: IRenderSpec | null;
}
