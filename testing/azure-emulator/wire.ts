/**
 * Log Analytics' JSON encoding of result values, from the cells DuckDB's Node API returns
 * (`getRowsJson`): datetimes with 7 fractional digits and `Z`, timespans as
 * `[-][d.]hh:mm:ss[.fffffff]`, dynamic values as JSON text in a string, longs with every digit,
 * decimals as strings (as Kusto sends them: the Kusto SDKs' recorded responses carry
 * `"2.00000000000001"` for a decimal column).
 */
import { type Cell, timespanText } from '../../src/kql/node/duckdb';
import type { KqlTypeName } from '../../src/tokens';
import { RawNumber } from './http';

/** One cell as Log Analytics writes it in `rows`. */
export function wireValue(cell: Cell, type: KqlTypeName): unknown {
  if (cell === null || cell === undefined) {
    // Kusto strings are never null: an empty string stands for a missing value.
    return type === 'string' ? '' : null;
  }
  switch (type) {
    case 'datetime':
      return datetimeText(String(cell));
    case 'timespan':
      return typeof cell === 'object' && !Array.isArray(cell)
        ? timespanText(cell as { months: number; days: number; micros: string })
        : String(cell);
    case 'int':
    case 'long':
      return integer(cell);
    case 'real':
      return real(cell);
    case 'decimal':
      return decimalText(cell);
    case 'bool':
      return typeof cell === 'boolean' ? cell : Boolean(cell);
    case 'dynamic':
      // DuckDB's JSON type comes back as its text; lists and structs as JS values.
      return typeof cell === 'string' ? cell : JSON.stringify(cell);
    case 'guid':
    case 'string':
      return typeof cell === 'string' ? cell : JSON.stringify(cell);
    default:
      return cell;
  }
}

function integer(cell: Cell): unknown {
  const text = String(cell);
  return /^-?\d+$/.test(text) ? new RawNumber(text) : real(cell);
}

function real(cell: Cell): unknown {
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? cell : String(cell);
  }
  const text = String(cell);
  if (/^-?inf/i.test(text)) {
    return text.startsWith('-') ? '-Infinity' : 'Infinity';
  }
  if (/^-?nan$/i.test(text)) {
    return 'NaN';
  }
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)
    ? new RawNumber(text)
    : text;
}

/**
 * A decimal as Kusto writes it: a JSON string, so no client's JSON parser rounds it, without the
 * zeros DuckDB's fixed scale adds (`1.2500000000` is `1.25`).
 */
function decimalText(cell: Cell): string {
  const text = String(cell);
  return /^-?\d+\.\d+$/.test(text)
    ? text.replace(/0+$/, '').replace(/\.$/, '')
    : text;
}

/** `2024-01-02 03:04:05.123` (DuckDB's text of a timestamp) → `2024-01-02T03:04:05.1230000Z`. */
export function datetimeText(text: string): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text.trim()
    );
  if (!match) {
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime())
      ? text
      : datetimeText(parsed.toISOString());
  }
  const [, date, clock = '00:00:00', fraction = '', zone] = match;
  let result = `${date}T${clock}.${fraction.padEnd(7, '0').slice(0, 7)}Z`;
  if (zone && zone !== 'Z' && !/^[+-]00(:?00)?$/.test(zone)) {
    // A time zone other than UTC: let Date shift it, then keep the sub-millisecond digits.
    const shifted = new Date(`${date}T${clock}${normaliseZone(zone)}`);
    result = `${shifted.toISOString().slice(0, 19)}.${fraction.padEnd(7, '0').slice(0, 7)}Z`;
  }
  return result;
}

function normaliseZone(zone: string): string {
  const digits = zone.replace(':', '');
  return `${digits.slice(0, 3)}:${(digits.slice(3) || '00').padEnd(2, '0')}`;
}
