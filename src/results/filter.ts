import { stringLiteral } from '../cells/variables';
import type { IColumnInfo } from '../tokens';
import type { ResultValue } from './server';

/** A column name as KQL reads it: bare when it is an identifier, bracketed and quoted otherwise. */
export function kqlColumn(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
    ? name
    : `[${stringLiteral(name)}]`;
}

/** A number as a KQL literal of its type, or null when the value is not one. */
function numberLiteral(value: ResultValue, type: string): string | null {
  const text = String(value);
  if (typeof value === 'number' || /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) {
    return type === 'real' || type === 'decimal' ? `${type}(${text})` : text;
  }
  if (type === 'real' && (text === 'NaN' || /^-?Infinity$/.test(text))) {
    return text === 'NaN'
      ? 'real(nan)'
      : `real(${text.startsWith('-') ? '-' : '+'}inf)`;
  }
  return null;
}

/**
 * The `where` clause that keeps (`include`) or drops the rows whose `column` holds `value`, as
 * the grid shows it (see `json_value` on the server): strings quoted with escapes, datetimes,
 * timespans and guids as their literals, numbers and booleans bare, dynamic values compared as
 * their JSON text, and a missing value tested with `isempty`/`isnull`.
 */
export function whereClause(
  column: IColumnInfo,
  value: ResultValue,
  include: boolean
): string {
  const name = kqlColumn(column.name);
  const type = column.type as string;
  if (value === null) {
    // A Kusto string is never null: an empty one is how a missing string arrives.
    const test = type === 'string' ? 'empty' : 'null';
    return `| where ${include ? 'is' : 'isnot'}${test}(${name})`;
  }
  const op = include ? '==' : '!=';
  let literal: string | null = null;
  switch (type) {
    case 'bool':
    case 'boolean':
      literal = value === true || value === 'true' ? 'true' : 'false';
      break;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      literal = numberLiteral(value, type);
      break;
    case 'datetime':
    case 'timespan':
    case 'guid':
      literal = `${type}(${String(value)})`;
      break;
    case 'dynamic':
      return `| where tostring(${name}) ${op} ${stringLiteral(JSON.stringify(value))}`;
  }
  return `| where ${name} ${op} ${literal ?? stringLiteral(String(value))}`;
}

/**
 * The query with `clause` appended as its last operator, before a final `render` (which must
 * stay last), on a line of its own (a trailing comment would swallow it otherwise).
 */
export function appendClause(query: string, clause: string): string {
  const text = query.replace(/[\s;]+$/, '');
  const render = /\n?[ \t]*\|\s*render\b[^|]*$/.exec(text);
  if (render) {
    const head = text.slice(0, render.index).replace(/\s+$/, '');
    return `${head}\n${clause}\n${text.slice(render.index).replace(/^\n/, '')}`;
  }
  return `${text}\n${clause}`;
}
