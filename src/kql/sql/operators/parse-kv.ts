/**
 * `parse-kv`: one regular expression finds the pairs left to right (RE2, so in linear time); the
 * keys and values of all matches become two lists, and each listed key takes the value of its
 * first pair.
 */
import type { IParseKv, ParseKvMode } from '../../ast';
import type { ScalarType } from '../../types';
import { translateRegex } from '../regex';
import { parseDatetime } from '../functions/datetime';
import type { IEmitContext } from './context';

/** Emits a `parse-kv` node; returns its relation. */
export function emitParseKv(ctx: IEmitContext, node: IParseKv): string {
  const input = ctx.relation(node.input);
  const source = ctx.scalar.str(node.source);
  const { pattern, keyGroups, valueGroups, unescape } = pairPattern(
    node.mode,
    node,
    ctx
  );
  const regex = ctx.dialect.string(pattern);
  const list = (group: number) =>
    ctx.fn('regexp_extract_all', source, regex, `${group}`);
  // Each alternative (quoted or not) is its own group; the one that matched is not null.
  const pick = (groups: number[], clean: (sql: string, i: number) => string) =>
    groups.length === 1
      ? ctx.fn('list_transform', list(groups[0]), `x -> ${clean('x', 0)}`)
      : ctx.fn(
          'list_transform',
          ctx.fn('range', ctx.fn('len', list(groups[0]))),
          `i -> ${ctx.fn('coalesce', ...groups.map((g, j) => clean(`${list(g)}[i + 1]`, j)))}`
        );
  const keys = pick(keyGroups, (x, j) =>
    j === keyGroups.length - 1 ? ctx.fn('trim', x) : unescape(x)
  );
  const values = pick(valueGroups, (x, j) =>
    j === valueGroups.length - 1 ? ctx.fn('trim', x) : unescape(x)
  );
  const pairs = ctx.cte(
    `SELECT *, ${keys} AS __kv_keys, ${values} AS __kv_values FROM ${input}`,
    ctx.orderOf(node.input)
  );
  const extracted = new Map(
    node.keys.map(k => {
      const value = `__kv_values[${ctx.fn('list_position', '__kv_keys', ctx.dialect.string(k.name))}]`;
      return [k.name, typed(value, k.type, ctx)] as const;
    })
  );
  const columns = node.schema.map(c => {
    const value = extracted.get(c.name);
    return value ? `${value} AS ${ctx.id(c.name)}` : ctx.id(c.name);
  });
  return ctx.cte(
    `SELECT ${columns.join(', ')} FROM ${pairs}`,
    ctx.orderOf(node.input, c => !extracted.has(c))
  );
}

/** A value's text as a column of `type`: a missing string is empty, other types null. */
function typed(text: string, type: ScalarType, ctx: IEmitContext): string {
  switch (type) {
    case 'string':
    case 'guid':
      return ctx.fn('coalesce', text, "''");
    case 'datetime':
      return parseDatetime(ctx.dialect, ctx.fn('nullif', text, "''"));
    default:
      return `TRY_CAST(${ctx.fn('nullif', text, "''")} AS ${ctx.dialect.type(type)})`;
  }
}

/**
 * The regular expression of one pair, and which of its groups hold the key and the value (quoted
 * alternatives first, the unquoted one last).
 */
function pairPattern(
  mode: ParseKvMode,
  node: IParseKv,
  ctx: IEmitContext
): {
  pattern: string;
  keyGroups: number[];
  valueGroups: number[];
  unescape: (sql: string) => string;
} {
  if (mode.kind === 'regex') {
    return {
      pattern: translateRegex(mode.pattern, node.span),
      keyGroups: [1],
      valueGroups: [2],
      unescape: sql => sql
    };
  }
  const escapes = mode.escapes.map(char).join('');
  const quoted = mode.quotes.map(([open, close]) =>
    escapes
      ? `${char(open)}((?:[^${char(close)}${escapes}]|[${escapes}].)*)${char(close)}`
      : `${char(open)}([^${char(close)}]*)${char(close)}`
  );
  const unescape = (sql: string) =>
    escapes
      ? ctx.fn('regexp_replace', sql, `'[${escapes}](.)'`, `'\\1'`, "'g'")
      : sql;
  const groups = (first: number) =>
    Array.from({ length: quoted.length + 1 }, (_, i) => first + i);
  const either = (unquoted: string) =>
    `(?:${[...quoted, `(${unquoted})`].join('|')})`;
  if (mode.kind === 'words') {
    // No delimiters given: keys and values are runs of letters and digits; what separates a key
    // from its value is one other character, spaces around it ignored.
    const word = '[\\p{L}\\p{N}]+';
    return {
      pattern: `${either(word)}(?:\\s*[^\\p{L}\\p{N}\\s]\\s*|\\s+)${either(word)}`,
      keyGroups: groups(1),
      valueGroups: groups(quoted.length + 2),
      unescape
    };
  }
  const pair = char(mode.pair);
  const kv = char(mode.kv);
  // Spaces around keys and values are ignored, unless a space is a delimiter.
  const space = /\s/.test(mode.pair + mode.kv) ? '' : '\\s*';
  // Greedy: a value runs on over pair delimiters until the next `key=` (or the end).
  const value = mode.greedy
    ? `[^${pair}]*(?:${pair}[^${pair}${kv}]*)*`
    : `[^${pair}]*`;
  return {
    pattern: `${space}${either(`[^${pair}${kv}]*`)}${space}${kv}${space}${either(value)}${space}(?:${pair}|$)`,
    keyGroups: groups(1),
    valueGroups: groups(quoted.length + 2),
    unescape
  };
}

/** One character as RE2 writes it anywhere, in or out of a class. */
function char(c: string): string {
  return `\\x{${c.codePointAt(0)!.toString(16)}}`;
}
