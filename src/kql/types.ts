/** A KQL scalar type, as Log Analytics names it. */
export type KqlTypeName =
  | 'string'
  | 'int'
  | 'long'
  | 'real'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid'
  | 'decimal';

/** A column of a workspace table or of a query result. */
export interface IColumnInfo {
  /** Column name as the query language spells it. */
  name: string;
  /** KQL type of the column. */
  type: KqlTypeName;
}

/** Where in the query a diagnostic or syntax node lies: character offsets, end exclusive. */
export interface ISpan {
  start: number;
  end: number;
}

/** A scalar type as the compiler sees it: a KQL type, or `unknown` where the analyser found none. */
export type ScalarType = KqlTypeName | 'unknown';

/** The columns of a tabular expression, in order. */
export type RowSchema = IColumnInfo[];

const KQL_TYPES: ReadonlySet<string> = new Set<KqlTypeName>([
  'string',
  'int',
  'long',
  'real',
  'bool',
  'datetime',
  'timespan',
  'dynamic',
  'guid',
  'decimal'
]);

/**
 * The KQL type named by a type name as Kusto.Language or a schema spells it (`dynamic(array)`,
 * `double`, `boolean`, `date`, `time` are aliases).
 */
export function scalarType(name: string | null | undefined): ScalarType {
  if (!name) {
    return 'unknown';
  }
  const base = name.toLowerCase().replace(/\(.*$/, '');
  switch (base) {
    case 'double':
      return 'real';
    case 'boolean':
      return 'bool';
    case 'date':
      return 'datetime';
    case 'time':
      return 'timespan';
    case 'uniqueid':
      return 'guid';
    default:
      return KQL_TYPES.has(base) ? (base as KqlTypeName) : 'unknown';
  }
}

/** True for the types whose values are numbers. */
export function isNumeric(type: ScalarType): boolean {
  return (
    type === 'int' || type === 'long' || type === 'real' || type === 'decimal'
  );
}
