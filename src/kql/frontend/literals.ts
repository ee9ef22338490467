// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Literals: the values of Kusto.Language's literal nodes, including the forms the library reads
 * wrongly (hexadecimal integers, clock-form timespans, datetimes with a 7th digit) and `dynamic(...)`.
 */
import type { Expr } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import { type ScalarType, scalarType } from '../types';
import { elementAt, kindOf, textOf, typeOf } from './syntax';

import Syntax = Kusto.Language.Syntax;

/** The type named by `typeof(long)`. */
export function typeOfLiteral(node: Syntax.Expression): ScalarType {
  return scalarType(/typeof\s*\(\s*([a-z]+)/i.exec(textOf(node))?.[1]);
}

/** The value of a literal node, with the forms the library reads wrongly read from their text. */
export function literal(
  node: Syntax.LiteralExpression,
  type: ScalarType,
  span: ISpan
): Expr {
  const info = node.LiteralValueInfo;
  const raw = info?.Value as unknown;
  const text = textOf(node).trim();
  const isNull =
    raw === null || raw === undefined || /\(\s*null\s*\)$/i.test(text);
  if (isNull && type !== 'string') {
    return { kind: 'literal', span, type, value: null };
  }
  switch (type) {
    case 'string':
      return {
        kind: 'literal',
        span,
        type,
        value: typeof raw === 'string' ? raw : String(raw ?? '')
      };
    case 'bool':
      return {
        kind: 'literal',
        span,
        type,
        value: raw === true || String(raw).toLowerCase() === 'true'
      };
    case 'int':
      checkRange(text, span);
      return {
        kind: 'literal',
        span,
        type,
        value: Number(hexValue(text, 32n) ?? String(raw))
      };
    case 'real': {
      // The library reads real(+inf), real(-inf) and real(nan) as 0: take them from the text.
      const special = /^real\(\s*([+-]?inf|nan)\s*\)$/i.exec(text)?.[1];
      // The library's value keeps 15 digits (1.2345678901234567e17 is 1.23456789012346E+17):
      // a number written out is read from its text, to the double it names.
      const written =
        /^(?:real\(\s*)?([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*\)?$/i.exec(
          text
        )?.[1];
      const value = special
        ? special.toLowerCase() === 'nan'
          ? NaN
          : special.startsWith('-')
            ? -Infinity
            : Infinity
        : Number(written ?? String(raw));
      return { kind: 'literal', span, type, value };
    }
    case 'long':
      checkRange(text, span);
      return {
        kind: 'literal',
        span,
        type,
        value: hexValue(text, 64n) ?? String(raw)
      };
    case 'decimal':
      return { kind: 'literal', span, type, value: String(raw) };
    case 'timespan':
      return {
        kind: 'literal',
        span,
        type,
        value:
          clockTicks(text) ?? (raw as System.TimeSpan).getTicks().toString()
      };
    case 'datetime':
      return {
        kind: 'literal',
        span,
        type,
        value: datetimeText(text, raw as Date)
      };
    case 'guid':
      return { kind: 'literal', span, type, value: String(raw) };
    default:
      return { kind: 'literal', span, type, value: String(raw) };
  }
}

/**
 * Refuses an integer literal whose digits are beyond a long, which the library reads as 0, rather
 * than guess its value (`-9223372036854775808`, long.MinValue, is read whole before this).
 */
function checkRange(text: string, span: ISpan): void {
  const digits = /^(?:(?:long|int)\(\s*)?([0-9]+)\s*\)?$/i.exec(text)?.[1];
  if (digits && BigInt(digits) > 9223372036854775807n) {
    throw new UnsupportedError(
      `the integer literal ${digits}, beyond a long's range`,
      span
    );
  }
}

/**
 * The 100-ns ticks of a timespan literal in clock form, `time([-][d.]hh:mm[:ss[.fffffff]])`, which
 * the library reads as 0; null for the other forms (`2d`, `time(1.5h)`).
 */
function clockTicks(text: string): string | null {
  const open = text.indexOf('(');
  const inner = open >= 0 ? text.slice(open + 1, text.lastIndexOf(')')) : text;
  const clock =
    /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*$/.exec(
      inner
    );
  if (!clock) {
    return null;
  }
  const [, minus, days, hours, minutes, seconds, fraction] = clock;
  const ticks =
    ((BigInt(days ?? 0) * 24n + BigInt(hours)) * 60n + BigInt(minutes)) *
      600000000n +
    BigInt(seconds ?? 0) * 10000000n +
    BigInt((fraction ?? '').padEnd(7, '0'));
  return String(minus ? -ticks : ticks);
}

/**
 * The ISO text of a datetime literal. The literal's own text keeps all 7 fractional digits; the
 * library's value (a JS Date) is used only for forms that are not ISO, such as RFC 822.
 */
function datetimeText(text: string, value: Date): string {
  // Cut by position: `^\w+\(\s*(.*?)\s*\)$` backtracks cubically on long runs of spaces.
  const open = text.indexOf('(');
  const inner =
    open > 0 && text.endsWith(')') && /^\w+$/.test(text.slice(0, open))
      ? text.slice(open + 1, -1).trim()
      : text;
  const iso =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?))?\s*(Z)?$/i.exec(
      inner
    );
  if (iso) {
    return `${iso[1]}T${iso[2] ?? '00:00:00'}`;
  }
  const ticks = (value as unknown as { ticks?: System.Int64 }).ticks;
  if (ticks) {
    const ms = Number(ticks.toString()) / 10000 - 62135596800000;
    return new Date(ms).toISOString().replace('Z', '');
  }
  return new Date(value).toISOString().replace('Z', '');
}

/**
 * A datetime as dynamic values hold it, whatever the literal left out: seconds always, the
 * fraction without trailing zeros, `Z` (`2024-01-01T10:00:00.5Z`), as `ScalarEmitter.as` writes
 * computed datetimes.
 */
function dynamicDatetime(iso: string): string {
  const parts =
    /^(\d{4}-\d{2}-\d{2})T(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(
      iso
    );
  if (!parts) {
    return iso;
  }
  const [, date, hours, minutes, seconds = '00', digits = ''] = parts;
  const fraction = digits.replace(/0+$/, '');
  return `${date}T${hours.padStart(2, '0')}:${minutes}:${seconds}${fraction ? `.${fraction}` : ''}Z`;
}

/** The JSON value of a `dynamic(...)` literal's body. */
/** A JSON number as JSON and KQL both write it. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The JSON text of a `dynamic(...)` literal. Numbers keep the digits the query wrote: a long
 * beyond 2^53, or beyond a long, would be rounded (or lost) on the way through a JS number.
 */
export function jsonText(node: Syntax.Expression): string {
  switch (kindOf(node)) {
    case 'DynamicExpression':
      // `dynamic({'a': dynamic({…})})`: the inner value is JSON too, not its text.
      return jsonText((node as Syntax.DynamicExpression).Expression!);
    case 'JsonArrayExpression': {
      const values = (node as Syntax.JsonArrayExpression).Values!;
      const items: string[] = [];
      for (let i = 0; i < values.Count; i++) {
        items.push(jsonText(elementAt(values, i)!));
      }
      return `[${items.join(',')}]`;
    }
    case 'JsonObjectExpression': {
      const pairs = (node as Syntax.JsonObjectExpression).Pairs!;
      // A later duplicate key wins, in the place of the first, as in a JSON object.
      const members = new Map<string, string>();
      for (let i = 0; i < pairs.Count; i++) {
        const pair = elementAt(pairs, i)!;
        const key = pair.Name!.Text!.replace(/^(['"])(.*)\1$/s, '$2');
        members.set(key, jsonText(pair.Value!));
      }
      const entries = [...members].map(
        ([key, value]) => `${JSON.stringify(key)}:${value}`
      );
      return `{${entries.join(',')}}`;
    }
    case 'PrefixUnaryExpression': {
      const unary = node as Syntax.PrefixUnaryExpression;
      const value = jsonText(unary.Expression!);
      if (unary.Operator!.Text !== '-') {
        return value;
      }
      return JSON_NUMBER.test(value)
        ? value.startsWith('-')
          ? value.slice(1)
          : `-${value}`
        : JSON.stringify(-Number(value));
    }
    default: {
      const literalNode = node as Syntax.LiteralExpression;
      const value = literalNode.LiteralValueInfo?.Value as unknown;
      const type = typeOf(node);
      const text = textOf(node).trim();
      if (value === null || value === undefined || text === 'null') {
        return 'null';
      }
      if (
        type === 'long' ||
        type === 'int' ||
        type === 'real' ||
        type === 'decimal'
      ) {
        return JSON_NUMBER.test(text)
          ? text
          : JSON.stringify(Number(String(value)));
      }
      if (type === 'bool') {
        // The library's value is a boxed .NET bool: its JSON is the runtime's object.
        return /\btrue\b/i.test(text) ? 'true' : 'false';
      }
      if (type === 'datetime') {
        return JSON.stringify(
          dynamicDatetime(datetimeText(text, value as Date))
        );
      }
      if (type === 'timespan') {
        return JSON.stringify(String(value));
      }
      return JSON.stringify(value);
    }
  }
}

/**
 * The value of a hexadecimal integer literal (`0xFF`, `long(0x10)`), which the library reads as 0;
 * digits beyond the sign bit wrap as in .NET (`0xFFFFFFFFFFFFFFFF` is -1). Null for other forms.
 */
function hexValue(text: string, bits: bigint): string | null {
  const hex = /^(?:(?:long|int)\(\s*)?0x([0-9a-f]{1,16})\s*\)?$/i.exec(
    text
  )?.[1];
  if (!hex) {
    return null;
  }
  const value = BigInt(`0x${hex}`);
  return String(value >= 1n << (bits - 1n) ? value - (1n << bits) : value);
}
