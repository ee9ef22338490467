/**
 * Conversions: `tostring`, `toint`, `tolong`, `todouble`, `tobool`, `todatetime`, `totimespan`,
 * `toguid`, `todynamic` with Kusto's parsing rules (hex integers, timespan text, GUID forms).
 */
import type { ScalarType } from '../../types';
import type { Emit } from './emit';
import { parseDatetime, parseTimespan } from './datetime';

function convert(type: ScalarType): Emit {
  return (call, ctx) => {
    const arg = call.args[0];
    if (type === 'string') {
      return ctx.str(arg);
    }
    if (type === 'guid' && arg.type !== 'guid') {
      // The first 32 hex digits, hyphens anywhere ignored, written in Kusto's form.
      const hex = ctx.fn(
        'lower',
        ctx.fn('left', ctx.fn('replace', ctx.str(arg), "'-'", "''"), '32')
      );
      const part = (from: number, length: number) =>
        ctx.fn('substr', hex, String(from), String(length));
      return `CASE WHEN ${ctx.fn('regexp_matches', hex, "'^[0-9a-f]{32}$'")} THEN ${ctx.fn('concat_ws', "'-'", part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21, 12))} END`;
    }
    if (type === 'dynamic') {
      if (arg.type === 'string') {
        const s = ctx.sql(arg);
        return `CASE WHEN ${ctx.fn('json_valid', s)} THEN ${ctx.ctx.dialect.parseJson(s, false)} ELSE ${ctx.fn('to_json', s)} END`;
      }
      return ctx.as(arg, 'dynamic');
    }
    if (type === 'bool' && (arg.type === 'string' || arg.type === 'dynamic')) {
      const s = ctx.fn('lower', ctx.str(arg));
      return `CASE WHEN ${s} IN ('true', '1') THEN TRUE WHEN ${s} IN ('false', '0') THEN FALSE END`;
    }
    if (
      type === 'datetime' &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      return parseDatetime(ctx.ctx.dialect, ctx.str(arg));
    }
    if (
      type === 'timespan' &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      return parseTimespan(ctx.ctx.dialect, ctx.str(arg));
    }
    if (type === 'long' && arg.type === 'real') {
      // Kusto truncates the fraction (tolong(2.7) is 2; DuckDB's cast rounds) and saturates
      // beyond a long's range (DuckDB's cast fails); NaN has no long.
      const x = ctx.sql(arg);
      return `CASE WHEN ${ctx.fn('isnan', x)} THEN NULL WHEN ${x} >= 9223372036854775807 THEN 9223372036854775807 WHEN ${x} <= -9223372036854775808 THEN -9223372036854775808 ELSE CAST(${ctx.fn('trunc', x)} AS BIGINT) END`;
    }
    if ((type === 'int' || type === 'long') && isFractional(arg.type)) {
      // Kusto truncates the fraction (toint(2.7) is 2); DuckDB's cast rounds.
      return `TRY_CAST(${ctx.fn('trunc', ctx.sql(arg))} AS ${ctx.ctx.dialect.type(type)})`;
    }
    if (
      (type === 'int' || type === 'long') &&
      (arg.type === 'string' || arg.type === 'dynamic')
    ) {
      // Kusto reads integers in decimal or hex (`0xFF`); anything else, "4.2" too, is null.
      const s = ctx.fn('trim', ctx.str(arg));
      return `CASE WHEN ${ctx.fn('regexp_matches', s, "'^([-+]?[0-9]+|0[xX][0-9a-fA-F]+)$'")} THEN TRY_CAST(${s} AS ${ctx.ctx.dialect.type(type)}) END`;
    }
    return ctx.as(arg, type);
  };
}

function isFractional(type: ScalarType): boolean {
  return type === 'real' || type === 'decimal';
}

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const CONVERSION_FUNCTIONS: Record<string, Emit> = {
  tostring: convert('string'),
  toint: convert('int'),
  tolong: convert('long'),
  todouble: convert('real'),
  toreal: convert('real'),
  todecimal: convert('decimal'),
  tobool: convert('bool'),
  toboolean: convert('bool'),
  todatetime: convert('datetime'),
  totimespan: convert('timespan'),
  toguid: convert('guid'),
  todynamic: convert('dynamic'),
  parse_json: convert('dynamic')
};
