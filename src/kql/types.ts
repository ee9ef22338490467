import type { IColumnInfo, KqlTypeName } from '../tokens';

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
