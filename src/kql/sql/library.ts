/**
 * Kusto's scalar and aggregate function library beyond the core operators of `scalar.ts`, family
 * by family (arrays, sets, property bags, strings, encodings, math, network, time zones,
 * aggregates), each entry computing what Kusto's documentation defines. `scalar.ts` merges these
 * entries into its `FUNCTIONS` table; what is not here or there is reported as not supported.
 *
 * Dynamic arrays are DuckDB `JSON` values; an entry works on them as lists of JSON elements
 * (`jsonList`) and answers JSON again (`to_json`).
 */
import type { Expr, ICall } from '../ast';
import { UnsupportedError } from '../diagnostics';
import { isNumeric, type ScalarType } from '../types';
import { assert } from './constant';
import type { IDialect, SqlFunction } from './dialect';
import { punycodeToString } from './punycode';
import { jsonList } from './functions/dynamic';
import type { Emit, IScalarEmitter, ISerializedRows } from './functions/emit';
import { dotted, ipv4 } from './functions/network';
import { escapeRegexSql } from './functions/strings';
import { ipv6Functions } from './ipv6';
import { bind, seriesFunctions } from './series';
import { STATISTICS_AGGREGATES, statisticsFunctions } from './statistics';
import { textFunctions } from './text';
import { unitFunctions } from './units';

// -------------------------------------------------------------------------------------------------
// Arrays

/** The length of a list as BIGINT (0 for null). */
function length(d: IDialect, list: string): string {
  return `${d.fn('coalesce')}(${d.fn('len')}(${list}), 0)`;
}

/** A JSON element's text for comparisons: strings unquoted, other values as JSON text. */
function elementText(d: IDialect, v: string): string {
  return `${d.fn('coalesce')}(${d.fn('json_extract_string')}(${v}, '$'), '')`;
}

/**
 * `array_sort_asc`/`array_sort_desc`: numbers (and datetimes, timespans) before strings before
 * everything else, nulls last unless `nulls_last` is false. With several arrays, the first is
 * sorted and the others follow its new order (null when their length differs); the call gives
 * them as one array, which `extend (a, b) = …` and the binder's `x_sorted` columns read by index.
 */
function arraySort(descending: boolean): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    const arrays = call.args.filter(
      a => a.type === 'dynamic' || a.type === 'unknown'
    );
    const flag = call.args.find(a => a.type === 'bool');
    const nullsLast = flag ? ctx.as(flag, 'bool') : 'TRUE';
    const [list, ...others] = arrays.map(a => jsonList(ctx, a));
    const number = `${d.fn('coalesce')}(TRY_CAST(${d.fn('json_extract_string')}(v, '$') AS DOUBLE), 0)`;
    const kind = `CASE WHEN ${d.fn('json_type')}(v) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0 WHEN ${d.fn('json_type')}(v) = 'VARCHAR' THEN 1 ELSE 2 END`;
    // Nulls go first or last whatever the direction: the descending sort is the ascending one
    // reversed, so their rank is flipped for it.
    const nullFirst = descending ? `NOT ${nullsLast}` : nullsLast;
    const nullRank = `CASE WHEN v IS NULL OR ${d.fn('json_type')}(v) = 'NULL' THEN (CASE WHEN ${nullFirst} THEN 1 ELSE -1 END) ELSE 0 END`;
    const keyed = `${d.fn('list_sort')}(${d.fn('list_transform')}(${list}, (v, i) -> {'n': ${nullRank}, 'k': ${kind}, 'x': ${number}, 's': ${elementText(d, 'v')}, 'v': v, 'i': i}))`;
    const ordered = descending ? `${d.fn('list_reverse')}(${keyed})` : keyed;
    if (!others.length) {
      return `${d.call('to_json', [`${d.fn('list_transform')}(${ordered}, e -> e.v)`])}`;
    }
    return bind(d, [ordered], sorted => {
      const follow = (other: string) =>
        `CASE WHEN ${d.fn('len')}(${other}) = ${d.fn('len')}(${sorted}) THEN ${d.fn('list_transform')}(${sorted}, e -> (${other})[e.i]) END`;
      return `${d.call('to_json', [`[${d.call('to_json', [`${d.fn('list_transform')}(${sorted}, e -> e.v)`])}, ${others.map(o => `${d.call('to_json', [follow(o)])}`).join(', ')}]`])}`;
    });
  };
}

/** `array_iff(conditions, when_true, when_false)`: element by element; scalars apply to all. */
const arrayIff: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [condition, whenTrue, whenFalse] = call.args;
  const list = jsonList(ctx, condition);
  const pick = (e: Expr) =>
    e.type === 'dynamic' || e.type === 'unknown'
      ? `(${jsonList(ctx, e)})[i]`
      : `${d.call('to_json', [ctx.sql(e)])}`;
  const c = `${list}[i]`;
  const truth = `CASE WHEN ${d.fn('json_type')}(${c}) = 'BOOLEAN' THEN ${d.fn('json_extract_string')}(${c}, '$') = 'true' WHEN ${d.fn('json_type')}(${c}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(${d.fn('json_extract_string')}(${c}, '$') AS DOUBLE) <> 0 END`;
  return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${length(d, list)} + 1`])}, i -> CASE WHEN ${truth} THEN ${pick(whenTrue)} WHEN NOT ${truth} THEN ${pick(whenFalse)} END)`])}`;
};

/** `array_rotate_left(a, n)` (and right, with `-n`): elements move `n` places, wrapping around. */
function arrayRotate(sign: 1 | -1): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    const [array, count] = call.args;
    const list = jsonList(ctx, array);
    const n = `(${sign === 1 ? '' : '-'}${ctx.as(count, 'long')})`;
    const len = length(d, list);
    const k = `(CASE WHEN ${len} = 0 THEN 0 ELSE ((${n} % ${len}) + ${len}) % ${len} END)`;
    return `${d.call('to_json', [`${d.fn('list_concat')}(${d.call('list_slice', [list, `${k} + 1`, len])}, ${d.call('list_slice', [list, `1`, k])})`])}`;
  };
}

/** `array_shift_left(a, n [, default])` (and right): elements move `n` places, `default` fills. */
function arrayShift(sign: 1 | -1): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    const [array, count, fill] = call.args;
    const list = jsonList(ctx, array);
    const n = `(${sign === 1 ? '' : '-'}${ctx.as(count, 'long')})`;
    const value = fill ? `${d.call('to_json', [ctx.sql(fill)])}` : 'NULL';
    return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`0`, length(d, list)])}, i -> CASE WHEN i + ${n} >= 0 AND i + ${n} < ${length(d, list)} THEN ${list}[i + ${n} + 1] ELSE ${value} END)`])}`;
  };
}

/** `array_split(a, i)` / `array_split(a, [i1, i2, …])`: the pieces between the indices. */
const arraySplit: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [array, at] = call.args;
  const list = jsonList(ctx, array);
  const len = length(d, list);
  const indices =
    at.type === 'dynamic' || at.type === 'unknown'
      ? `${d.fn('list_transform')}(${jsonList(ctx, at)}, x -> TRY_CAST(${d.fn('json_extract_string')}(x, '$') AS BIGINT))`
      : `[${ctx.as(at, 'long')}]`;
  const clamp = `${d.fn('list_transform')}(${indices}, x -> ${d.fn('least')}(${d.fn('greatest')}(CASE WHEN x < 0 THEN ${len} + x ELSE x END, 0), ${len}))`;
  const bounds = `${d.fn('list_concat')}([0], ${clamp}, [${len}])`;
  return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${bounds})`])}, j -> ${d.call('list_slice', [list, `${bounds}[j] + 1`, `${d.fn('greatest')}(${bounds}[j + 1], ${bounds}[j])`])})`])}`;
};

/** `zip(a1, a2, …)`: arrays of the i-th elements, as long as the longest array (nulls fill). */
const zip: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const lists = call.args.map(a => jsonList(ctx, a));
  const longest = `${d.fn('greatest')}(${lists.map(l => length(d, l)).join(', ')})`;
  return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${longest} + 1`])}, i -> [${lists.map(l => `${l}[i]`).join(', ')}])`])}`;
};

/** `array_index_of`-like lookups compare elements as JSON text. */
function distinctInOrder(d: IDialect, list: string): string {
  return `${d.fn('list_filter')}(${list}, (x, i) -> ${d.call('list_position', [list, `x`])} = i)`;
}

/** `set_union(a1, a2, …)`: distinct elements of all arrays, in order of first appearance. */
const setUnion: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.call('to_json', [distinctInOrder(d, `${d.fn('flatten')}([${call.args.map(a => `${d.fn('coalesce')}(${jsonList(ctx, a)}, [])`).join(', ')}])`)])}`;
};

/** `set_intersect(a1, a2, …)`: distinct elements of the first array found in all the others. */
const setIntersect: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [first, ...rest] = call.args.map(
    a => `${d.fn('coalesce')}(${jsonList(ctx, a)}, [])`
  );
  const tests = rest
    .map(l => `${d.fn('list_contains')}(${l}, x)`)
    .join(' AND ');
  return `${d.call('to_json', [`${d.fn('list_filter')}(${distinctInOrder(d, first)}, x -> ${tests})`])}`;
};

/** `set_difference(a1, a2, …)`: distinct elements of the first array found in none of the others. */
const setDifference: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [first, ...rest] = call.args.map(
    a => `${d.fn('coalesce')}(${jsonList(ctx, a)}, [])`
  );
  const tests = rest
    .map(l => `NOT ${d.fn('list_contains')}(${l}, x)`)
    .join(' AND ');
  return `${d.call('to_json', [`${d.fn('list_filter')}(${distinctInOrder(d, first)}, x -> ${tests})`])}`;
};

/** `set_equals(a, b)`: the same distinct elements. */
const setEquals: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, b] = call.args.map(
    e => `${d.fn('coalesce')}(${jsonList(ctx, e)}, [])`
  );
  return `(${d.fn('list_sort')}(${d.fn('list_distinct')}(${a})) = ${d.fn('list_sort')}(${d.fn('list_distinct')}(${b})))`;
};

/** `jaccard_index(a, b)`: distinct common elements over distinct elements of either. */
const jaccardIndex: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, b] = call.args.map(
    e => `${d.fn('coalesce')}(${jsonList(ctx, e)}, [])`
  );
  const union = `${d.fn('len')}(${d.fn('list_distinct')}(${d.fn('list_concat')}(${a}, ${b})))`;
  const common = `${d.fn('len')}(${d.fn('list_filter')}(${d.fn('list_distinct')}(${a}), x -> ${d.fn('list_contains')}(${b}, x)))`;
  return `CASE WHEN ${union} = 0 THEN CAST('NaN' AS DOUBLE) ELSE ${common} / ${union} END`;
};

/** `repeat(value, n)`: an array of `n` copies; null for a negative count. */
const repeatArray: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [value, count] = call.args;
  const n = ctx.as(count, 'long');
  return `CASE WHEN ${n} >= 0 THEN ${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`0`, n])}, i -> ${ctx.sql(value)})`])} END`;
};

/** `series_sum` (formerly `array_sum`): the sum of an array's numbers. */
const seriesSum: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.call('list_sum', [`${d.fn('list_transform')}(${jsonList(ctx, call.args[0])}, v -> TRY_CAST(${d.fn('json_extract_string')}(v, '$') AS DOUBLE))`])}`;
};

// -------------------------------------------------------------------------------------------------
// Property bags

/** A bag's entries as a list of `{k, v}` structs (null when it is not a bag). */
function entries(d: IDialect, bag: string): string {
  return `CASE WHEN ${d.fn('json_type')}(${bag}) = 'OBJECT' THEN ${d.fn('list_transform')}(${d.call('json_keys', [bag])}, k -> {'k': k, 'v': ${d.fn('json_extract')}(${bag}, '$."' || ${d.fn('replace')}(k, '"', '\\"') || '"')}) END`;
}

/** A bag from a list of `{k, v}` entries. */
function bagOf(d: IDialect, list: string): string {
  return `CASE WHEN ${d.fn('len')}(${list}) = 0 THEN ${d.json('{}')} ELSE ${d.call('to_json', [`${d.fn('map_from_entries')}(${list})`])} END`;
}

/** A JSONPath for a key: the key itself when it is a path (`$.a.b`), else the top-level key. */
function keyPath(d: IDialect, key: string): string {
  return `CASE WHEN ${d.fn('starts_with')}(${key}, '$') THEN ${key} ELSE '$."' || ${d.fn('replace')}(${key}, '"', '\\"') || '"' END`;
}

/** `bag_has_key(bag, key)`: the key (or JSONPath) exists in the bag. */
const bagHasKey: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const bag = ctx.as(call.args[0], 'dynamic');
  const key = ctx.str(call.args[1]);
  return `${d.fn('coalesce')}(${d.fn('json_type')}(${bag}) = 'OBJECT' AND ${d.call('json_exists', [bag, keyPath(d, key)])}, FALSE)`;
};

/**
 * `bag_remove_keys(bag, keys)`: the bag without the keys listed, top-level names or JSONPaths
 * (`$.a.b`). Each present key is removed by a JSON merge patch that sets it to null.
 */
const bagRemoveKeys: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const bag = ctx.as(call.args[0], 'dynamic');
  const keys = `${d.fn('json_extract_string')}(${ctx.as(call.args[1], 'dynamic')}, '$[*]')`;
  const parts = `CASE WHEN ${d.fn('starts_with')}(k, '$.') THEN ${d.call('string_split', [`${d.fn('substr')}(k, 3)`, `'.'`])} ELSE [k] END`;
  const patch = `CAST('{' || ${d.fn('array_to_string')}(${d.fn('list_transform')}(${parts}, p -> CAST(${d.call('to_json', [`p`])} AS VARCHAR) || ':'), '{') || 'null' || ${d.fn('repeat')}('}', ${d.fn('len')}(${parts})) AS JSON)`;
  const patches = `${d.fn('list_transform')}(${d.fn('list_filter')}(${keys}, k -> ${d.call('json_exists', [bag, keyPath(d, 'k')])}), k -> ${patch})`;
  return `CASE WHEN ${d.fn('json_type')}(${bag}) = 'OBJECT' THEN ${d.call('list_reduce', [`${d.call('list_prepend', [bag, patches])}`, `(acc, p) -> ${d.fn('json_merge_patch')}(acc, p)`])} END`;
};

/** `bag_set_key(bag, key, value)`: the bag with the key (or JSONPath) set to the value. */
const bagSetKey: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [bagArg, keyArg, valueArg] = call.args;
  const bag = ctx.as(bagArg, 'dynamic');
  const key = ctx.str(keyArg);
  const value = ctx.as(valueArg, 'dynamic');
  const kept = `${d.fn('list_filter')}(${entries(d, bag)}, e -> e.k <> ${key})`;
  if (keyArg.kind === 'literal' && String(keyArg.value).startsWith('$')) {
    throw new UnsupportedError('bag_set_key with a JSONPath key', call.span);
  }
  return `CASE WHEN ${d.fn('json_type')}(${bag}) = 'OBJECT' THEN ${bagOf(d, `${d.fn('list_append')}(${kept}, {'k': ${key}, 'v': ${value}})`)} END`;
};

/** `bag_zip(keys, values)`: a bag of the string keys and the values at the same positions. */
const bagZip: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const keys = jsonList(ctx, call.args[0]);
  const values = jsonList(ctx, call.args[1]);
  const pairs = `${d.fn('list_filter')}(${d.fn('list_transform')}(${d.call('range', [`1`, `${length(d, keys)} + 1`])}, i -> {'k': CASE WHEN ${d.fn('json_type')}(${keys}[i]) = 'VARCHAR' THEN ${d.fn('json_extract_string')}(${keys}[i], '$') END, 'v': ${values}[i]}), e -> e.k IS NOT NULL)`;
  return `CASE WHEN ${keys} IS NOT NULL THEN ${bagOf(d, pairs)} END`;
};

/** `bag_pack_columns(c1, c2, …)`: a bag of the columns by their names. */
const bagPackColumns: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const parts = call.args.map(a => {
    if (a.kind !== 'column') {
      throw new UnsupportedError('bag_pack_columns of an expression', a.span);
    }
    return `${ctx.ctx.dialect.string(a.name)}, ${ctx.as(a, 'dynamic')}`;
  });
  return `${d.call('json_object', [parts.join(', ')])}`;
};

/**
 * `pack_all([ignore_null_empty])`, as the converter spells it out: the flag, then the name and
 * value of each column of the row. Ignored values are nulls and empty strings.
 */
const packAll: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [ignore, ...pairs] = call.args;
  const parts: string[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    parts.push(`${ctx.str(pairs[i])}, ${ctx.as(pairs[i + 1], 'dynamic')}`);
  }
  const bag = `${d.call('json_object', [parts.join(', ')])}`;
  const kept = bagOf(
    d,
    `${d.fn('list_filter')}(${entries(d, bag)}, e -> ${d.fn('json_type')}(e.v) <> 'NULL' AND CAST(e.v AS VARCHAR) <> '""')`
  );
  if (ignore.kind === 'literal') {
    return ignore.value ? kept : bag;
  }
  return `CASE WHEN ${ctx.as(ignore, 'bool')} THEN ${kept} ELSE ${bag} END`;
};

// -------------------------------------------------------------------------------------------------
// Strings and encodings

/** `strcmp(a, b)`: -1, 0 or 1 by ordinal comparison. */
const strcmp: Emit = (call, ctx) => {
  const [a, b] = call.args.map(e => ctx.str(e));
  return `CAST(CASE WHEN ${a} < ${b} THEN -1 WHEN ${a} > ${b} THEN 1 ELSE 0 END AS INTEGER)`;
};

/**
 * `indexof(s, match [, start [, length [, occurrence]]])`: the n-th occurrence of `match` from
 * `start` (negative: counted from the end), each search examining `length` characters (-1: to the
 * end) from one past the previous occurrence; -1 when absent, null for a negative start after
 * counting, a negative occurrence or a length below -1.
 */
const indexOf: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [source, match, start, size, occurrence] = call.args;
  const s = ctx.str(source);
  const m = ctx.str(match);
  if (!start) {
    return `CAST(${d.fn('strpos')}(${s}, ${m}) - 1 AS BIGINT)`;
  }
  const given = ctx.as(start, 'long');
  const from = `(CASE WHEN ${given} < 0 THEN ${d.fn('length')}(${s}) + ${given} ELSE ${given} END)`;
  const len = size ? ctx.as(size, 'long') : '-1';
  const n = occurrence ? ctx.as(occurrence, 'long') : '1';
  const at = '(previous + 1)';
  const end = `(CASE WHEN ${len} = -1 THEN ${d.fn('length')}(${s}) ELSE ${d.fn('least')}(${at} + ${len}, ${d.fn('length')}(${s})) END)`;
  const first = `${d.fn('list_filter')}(${d.call('range', [at, `${end} - ${d.fn('length')}(${m}) + 1`])}, i -> ${d.fn('substr')}(${s}, i + 1, ${d.fn('length')}(${m})) = ${m})[1]`;
  const nth = `${d.call('list_reduce', [`${d.call('list_prepend', [`${from} - 1`, `${d.call('range', [`0`, `${d.fn('greatest')}(${n}, 1)`])}`])}`, `(previous, x) -> ${first}`])}`;
  return `CASE WHEN ${len} < -1 OR ${n} < 0 OR ${from} < 0 THEN NULL WHEN ${from} > ${d.fn('length')}(${s}) THEN -1 ELSE CAST(${d.fn('coalesce')}(${nth}, -1) AS BIGINT) END`;
};

/** `has_any_index(s, values)`: the index of the first value that `s` has as a term, or -1. */
const hasAnyIndex: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const haystack = `${d.fn('lower')}(${ctx.str(call.args[0])})`;
  const values = `${d.fn('json_extract_string')}(${ctx.as(call.args[1], 'dynamic')}, '$[*]')`;
  const term = `CASE WHEN ${d.call('regexp_matches', [`t`, `'^[0-9A-Za-z]'`])} THEN '(?:^|[^0-9a-z])' ELSE '' END || ${escapeRegexSql(d, `${d.fn('lower')}(t)`)} || CASE WHEN ${d.call('regexp_matches', [`t`, `'[0-9A-Za-z]$'`])} THEN '(?:$|[^0-9a-z])' ELSE '' END`;
  return `${d.fn('coalesce')}(CAST(${d.call('list_position', [`${d.fn('list_transform')}(${values}, t -> t <> '' AND ${d.call('regexp_matches', [haystack, term])})`, `TRUE`])} - 1 AS BIGINT), -1)`;
};

/** `translate(from, to, s)`: each character of `from` becomes the one at its place in `to` (its last one beyond). */
const translate: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [from, to, source] = call.args.map(e => ctx.str(e));
  const padded = `CASE WHEN ${d.fn('length')}(${to}) = 0 THEN '' ELSE ${d.fn('rpad')}(CAST(${to} AS ${d.type('string')}), CAST(${d.fn('greatest')}(${d.fn('length')}(${from}), ${d.fn('length')}(${to})) AS INTEGER), ${d.fn('right')}(${to}, 1)) END`;
  return `${d.fn('translate')}(${source}, ${from}, ${padded})`;
};

/** `unicode_codepoints_to_string(array)`: the characters of the code points. */
const codepointsToString: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.fn('array_to_string')}(${d.fn('list_transform')}(${jsonList(ctx, call.args[0])}, c -> ${d.fn('chr')}(TRY_CAST(${d.fn('json_extract_string')}(c, '$') AS INTEGER))), '')`;
};

/**
 * `url_encode`: percent-encoding as .NET's `HttpUtility.UrlEncode` does it: letters, digits and
 * `-_.!*()` kept, spaces as `+`, every other UTF-8 byte as `%xx` in lower case.
 */
const urlEncode: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.fn('array_to_string')}(${d.fn('list_transform')}(${d.call('string_split', [ctx.str(call.args[0]), `''`])}, c -> CASE WHEN ${d.call('regexp_matches', [`c`, `'^[A-Za-z0-9_.!*()-]$'`])} THEN c WHEN c = ' ' THEN '+' WHEN c = '~' THEN '%7e' ELSE ${d.fn('lower')}(${d.fn('url_encode')}(c)) END), '')`;
};

/** `url_decode`: percent-escapes and `+` decoded. */
const urlDecode: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.fn('url_decode')}(${d.fn('replace')}(${ctx.str(call.args[0])}, '+', ' '))`;
};

/** `gettype(value)`: Kusto's runtime type name; a dynamic value's JSON kind. */
const getType: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const arg = call.args[0];
  if (arg.type !== 'dynamic' && arg.type !== 'unknown') {
    return ctx.ctx.dialect.string(
      arg.type === 'decimal' ? 'decimal' : arg.type
    );
  }
  const json = ctx.sql(arg);
  // Kusto reads a JSON integer that fits 32 bits as an int.
  const intOrLong = `CASE WHEN TRY_CAST(${d.fn('json_extract_string')}(${json}, '$') AS INTEGER) IS NOT NULL THEN 'int' ELSE 'long' END`;
  return `CASE ${d.fn('json_type')}(${json}) WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN ${intOrLong} WHEN 'UBIGINT' THEN ${intOrLong} WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'OBJECT' THEN 'dictionary' WHEN 'ARRAY' THEN 'array' ELSE 'null' END`;
};

/** `parse_csv(text)`: the fields of the first record, quotes removed (`""` is a quote). */
const parseCsv: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const text = ctx.str(call.args[0]);
  const record = `${d.fn('regexp_extract')}(${text}, '^((?:"(?:[^"]|"")*"|[^"\\r\\n])*)', 1)`;
  const fields = `${d.fn('regexp_extract_all')}(',' || ${record}, ',("(?:[^"]|"")*"|[^,]*)', 1)`;
  return `${d.call('to_json', [`${d.fn('list_transform')}(${fields}, f -> CASE WHEN ${d.fn('starts_with')}(f, '"') THEN ${d.fn('replace')}(f[2:-2], '""', '"') ELSE f END)`])}`;
};

/** `base64_encode_fromguid(g)`: the GUID's 16 bytes in .NET's order, as base64. */
const base64FromGuid: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const hex = `${d.fn('replace')}(${d.fn('lower')}(${ctx.str(call.args[0])}), '-', '')`;
  const swap = (start: number, count: number) =>
    Array.from(
      { length: count },
      (_, i) => `${d.fn('substr')}(${hex}, ${start + (count - 1 - i) * 2}, 2)`
    ).join(' || ');
  const bytes = `${swap(1, 4)} || ${swap(9, 2)} || ${swap(13, 2)} || ${d.fn('substr')}(${hex}, 17, 16)`;
  return `CASE WHEN ${d.fn('length')}(${hex}) = 32 THEN ${d.fn('to_base64')}(${d.fn('unhex')}(${bytes})) END`;
};

/** `base64_decode_toguid(b)`: the 16 bytes in .NET's order as a GUID. */
const base64ToGuid: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const hex = `${d.fn('lower')}(${d.fn('hex')}(${d.attempt(d.call('from_base64', [ctx.str(call.args[0])]))}))`;
  const swap = (start: number, count: number) =>
    Array.from(
      { length: count },
      (_, i) => `${d.fn('substr')}(${hex}, ${start + (count - 1 - i) * 2}, 2)`
    ).join(' || ');
  return `CASE WHEN ${d.fn('length')}(${hex}) = 32 THEN ${swap(1, 4)} || '-' || ${swap(9, 2)} || '-' || ${swap(13, 2)} || '-' || ${d.fn('substr')}(${hex}, 17, 4) || '-' || ${d.fn('substr')}(${hex}, 21, 12) END`;
};

/** `base64_decode_toarray(b)`: the decoded bytes as an array of numbers. */
const base64ToArray: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const blob = d.attempt(d.call('from_base64', [ctx.str(call.args[0])]));
  return `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`0`, `${d.fn('octet_length')}(${blob})`])}, i -> CAST(('0x' || ${d.fn('substr')}(${d.fn('hex')}(${blob}), 2 * i + 1, 2)) AS INTEGER))`])}`;
};

// -------------------------------------------------------------------------------------------------
// Math

const mathFn =
  (sql: (x: string, d: IDialect) => string): Emit =>
  (call, ctx) =>
    sql(ctx.as(call.args[0], 'real'), ctx.ctx.dialect);

/** `around(value, center, delta)`: within `delta` of `center`, bounds included. */
const around: Emit = (call, ctx) => {
  const [v, c, d] = call.args;
  const type: ScalarType =
    v.type === 'datetime' ? 'datetime' : isNumeric(v.type) ? 'real' : v.type;
  const value = ctx.as(v, type);
  const center = ctx.as(c, type);
  const delta = ctx.sql(d);
  return `(${value} BETWEEN ${center} - ${delta} AND ${center} + ${delta})`;
};

// -------------------------------------------------------------------------------------------------
// Time zones

/** `datetime_utc_to_local(t, zone)`: the wall-clock time in the IANA zone. */
const utcToLocal: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.call('timezone', [ctx.str(call.args[1]), `${d.call('timezone', [`'UTC'`, ctx.sql(call.args[0])])}`])}`;
};

/**
 * `datetime_local_to_utc(t, zone)`: the UTC time of a wall-clock time in the IANA zone. An
 * ambiguous time (the hour repeated in autumn) is standard time, as in ICU; a time that does not
 * exist (skipped in spring) takes the offset after the change, as Kusto does: ICU's answer moved
 * back by the gap it skipped.
 */
const localToUtc: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const zone = ctx.str(call.args[1]);
  const local = ctx.sql(call.args[0]);
  const utc = `${d.call('timezone', [`'UTC'`, `${d.call('timezone', [zone, local])}`])}`;
  const back = `${d.call('timezone', [zone, `${d.call('timezone', [`'UTC'`, utc])}`])}`;
  return `(${utc} - (${back} - ${local}))`;
};

/** `make_datetime(y, m, d [, h, min, s])`: null when the parts make no date. */
const makeDatetime: Emit = (call, ctx) => {
  const [y, m, d, h, min, s] = call.args;
  const part = (e: Expr | undefined) => (e ? ctx.as(e, 'long') : '0');
  const seconds = s ? ctx.as(s, 'real') : '0';
  return ctx.ctx.dialect.attempt(
    ctx.fn(
      'make_timestamp',
      part(y),
      part(m),
      part(d),
      part(h),
      part(min),
      seconds
    )
  );
};

// -------------------------------------------------------------------------------------------------
// Network

/** `ipv4_compare(a, b [, prefix])`: -1, 0 or 1 comparing the addresses under the prefix. */
const ipv4Compare: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, b, prefix] = call.args;
  const bits = (text: string) =>
    `${d.fn('least')}(${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const x = ctx.str(a);
  const y = ctx.str(b);
  const width = `${d.fn('least')}(${bits(x)}, ${bits(y)})`;
  const masked = (text: string) =>
    `(${ipv4(ctx.ctx.dialect, text)} >> (32 - ${width}))`;
  return `CAST(${d.fn('sign')}(${masked(x)} - ${masked(y)}) AS INTEGER)`;
};

/** `ipv4_is_in_any_range(ip, ranges…)`: within one of the ranges (CIDR or plain addresses). */
const ipv4InAnyRange: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const ip = ctx.str(call.args[0]);
  const ranges = call.args
    .slice(1)
    .map(r =>
      r.type === 'dynamic' || r.type === 'unknown'
        ? `${d.fn('json_extract_string')}(${ctx.sql(r)}, '$[*]')`
        : `[${ctx.str(r)}]`
    );
  const all = `${d.fn('flatten')}([${ranges.join(', ')}])`;
  const bits = `${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(r, '/', 2), '') AS INTEGER), 32)`;
  return `CASE WHEN ${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL THEN ${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${all}, r -> (${ipv4(ctx.ctx.dialect, ip)} >> (32 - ${bits})) = (${ipv4(ctx.ctx.dialect, 'r')} >> (32 - ${bits})))`])}, FALSE) END`;
};

/** `ipv4_netmask_suffix(ip)`: the prefix length of a CIDR address (32 without one). */
const ipv4NetmaskSuffix: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const ip = ctx.str(call.args[0]);
  const bits = `${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(${ip}, '/', 2), '') AS INTEGER), 32)`;
  return `CASE WHEN ${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL AND ${bits} BETWEEN 0 AND 32 THEN ${bits} END`;
};

/** `format_ipv4(ip [, prefix])`: the address with the host bits cleared. */
const formatIpv4: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, prefix] = call.args;
  const text = ctx.str(a);
  const bits = `${d.fn('least')}(${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const n =
    a.type === 'long' || a.type === 'int'
      ? ctx.as(a, 'long')
      : ipv4(ctx.ctx.dialect, text);
  const masked = `((${n} >> (32 - ${bits})) << (32 - ${bits}))`;
  return `CASE WHEN ${n} IS NOT NULL AND ${bits} BETWEEN 0 AND 32 THEN ${dotted(masked)} ELSE '' END`;
};

/** `format_ipv4_mask(ip [, prefix])`: the masked address and its prefix, `a.b.c.d/n`. */
const formatIpv4Mask: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, prefix] = call.args;
  const text = ctx.str(a);
  const bits = `${d.fn('least')}(${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const formatted = formatIpv4(call, ctx);
  return `CASE WHEN ${formatted} <> '' THEN ${formatted} || '/' || ${bits} ELSE '' END`;
};

/** `parse_ipv4_mask(ip, prefix)`: the masked address as a number. */
const parseIpv4Mask: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [a, prefix] = call.args;
  const n = ipv4(ctx.ctx.dialect, ctx.str(a));
  const bits = `${d.fn('least')}(${ctx.as(prefix, 'long')}, 32)`;
  return `CASE WHEN ${bits} >= 0 THEN (${n} >> (32 - ${bits})) << (32 - ${bits}) END`;
};

/** The dotted IPv4 addresses in a text, as whole terms. */
function ipv4Terms(d: IDialect, text: string): string {
  const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  return `${d.fn('regexp_extract_all')}(${text}, '(?:^|[^0-9.])((?:${octet}\\.){3}${octet})(?:$|[^0-9.])', 1)`;
}

/** `has_ipv4(text, ip)`: the address occurs in the text as a whole address. */
const hasIpv4: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const ip = ctx.str(call.args[1]);
  return `(${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL AND ${d.fn('list_contains')}(${d.fn('list_transform')}(${ipv4Terms(d, ctx.str(call.args[0]))}, a -> ${ipv4(ctx.ctx.dialect, 'a')}), ${ipv4(ctx.ctx.dialect, ip)}))`;
};

/** `has_ipv4_prefix(text, prefix)`: an address in the text starts with the prefix (`10.1.`). */
const hasIpv4Prefix: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const prefix = ctx.str(call.args[1]);
  return `${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${ipv4Terms(d, ctx.str(call.args[0]))}, a -> ${d.fn('starts_with')}(a, ${prefix}) AND (${d.fn('ends_with')}(${prefix}, '.') OR ${d.fn('length')}(a) = ${d.fn('length')}(${prefix})))`])}, FALSE)`;
};

/** `has_any_ipv4(text, ips…)`. */
const hasAnyIpv4: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const values = listOf(call, ctx);
  return `${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${ipv4Terms(d, ctx.str(call.args[0]))}, a -> ${d.fn('list_contains')}(${d.fn('list_transform')}(${values}, v -> ${ipv4(ctx.ctx.dialect, 'v')}), ${ipv4(ctx.ctx.dialect, 'a')}))`])}, FALSE)`;
};

/** `has_any_ipv4_prefix(text, prefixes…)`. */
const hasAnyIpv4Prefix: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const values = listOf(call, ctx);
  return `${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${ipv4Terms(d, ctx.str(call.args[0]))}, a -> ${d.call('list_bool_or', [`${d.fn('list_transform')}(${values}, p -> ${d.fn('starts_with')}(a, p) AND (${d.fn('ends_with')}(p, '.') OR ${d.fn('length')}(a) = ${d.fn('length')}(p)))`])})`])}, FALSE)`;
};

/** The values after the first argument as one list of text: dynamic arrays and scalars. */
function listOf(call: ICall, ctx: IScalarEmitter): string {
  const d = ctx.ctx.dialect;
  const parts = call.args
    .slice(1)
    .map(a =>
      a.type === 'dynamic' || a.type === 'unknown'
        ? `${d.fn('json_extract_string')}(${ctx.sql(a)}, '$[*]')`
        : `[${ctx.str(a)}]`
    );
  return `${d.fn('flatten')}([${parts.join(', ')}])`;
}

// -------------------------------------------------------------------------------------------------
// Serialized rows: window functions over the order the query set

/**
 * `OVER (…)` for a function of serialized rows, partitioned by the groups a restart flag starts;
 * refused where no row order can exist (an aggregate, a join condition).
 */
function over(
  call: ICall,
  ctx: IScalarEmitter,
  options: { restart?: Expr; frame?: boolean } = {}
): string {
  const rows = ctx.rows;
  if (!rows) {
    throw new UnsupportedError(
      `${call.name}() outside extend, project or serialize`,
      call.span
    );
  }
  const partition = options.restart
    ? `PARTITION BY ${restartGroup(rows, ctx.as(options.restart, 'bool'))} `
    : '';
  const by = rows.order ?? ctx.ctx.dialect.inputOrder;
  const order = by ? `ORDER BY ${by}` : '';
  const frame = options.frame
    ? ' ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW'
    : '';
  return `OVER (${partition}${order}${frame})`;
}

/** The column of the running count of a restart flag (computed by the emitter first). */
function restartGroup(rows: ISerializedRows, flag: string): string {
  rows.restarts.push(flag);
  return `__group${rows.restarts.length}`;
}

/** `row_number([start [, restart]])`: numbers from `start` (1), again from `start` at each restart. */
const rowNumber: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [start, restart] = call.args;
  const from = start ? ctx.as(start, 'long') : '1';
  return `(${d.fn('row_number')}() ${over(call, ctx, { restart })} + ${from} - 1)`;
};

/** `row_cumsum(term [, restart])`: the running sum, from 0 again at each restart. */
const rowCumsum: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [term, restart] = call.args;
  return `${d.fn('sum')}(${ctx.sql(term)}) ${over(call, ctx, { restart, frame: true })}`;
};

/** `prev(column [, offset [, default]])` and `next`: the value `offset` rows before or after. */
function neighbour(fn: 'lag' | 'lead'): Emit {
  return (call, ctx) => {
    const [column, offset, fallback] = call.args;
    const n = offset ? ctx.as(offset, 'long') : '1';
    const value = ctx.as(column, call.type);
    const fill = fallback ? [ctx.as(fallback, call.type)] : [];
    return `${ctx.fn(fn, value, n, ...fill)} ${over(call, ctx)}`;
  };
}

/**
 * `row_rank_dense(term [, restart])`: 1, then one more each time the term differs from the row
 * before; 1 again at each restart. With a restart, the running count of (restart or change) less
 * its value at the restart's row, plus 1.
 */
const rowRankDense: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [term, restart] = call.args;
  const value = ctx.sql(term);
  const changed = `${value} IS DISTINCT FROM ${d.fn('lag')}(${value}) ${over(call, ctx)}`;
  if (!restart) {
    return `CAST(${restartGroup(ctx.rows!, changed)} AS BIGINT)`;
  }
  const flag = `${d.fn('coalesce')}(${ctx.as(restart, 'bool')}, FALSE)`;
  const count = restartGroup(ctx.rows!, `(${flag} OR ${changed})`);
  const group = restartGroup(ctx.rows!, flag);
  return `CAST(${count} - ${d.fn('min')}(${count}) OVER (PARTITION BY ${group}) + 1 AS BIGINT)`;
};

// -------------------------------------------------------------------------------------------------
// Aggregates

/** An aggregate over the rows where the predicate (the last argument) holds. */
function aggregateIf(
  name: SqlFunction,
  type?: ScalarType,
  zeroWhenEmpty = false
): Emit {
  return (call, ctx) => {
    const [value, predicate] = call.args;
    const v = type ? ctx.as(value, type) : ctx.sql(value);
    const filter = `FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
    const aggregate = `${ctx.fn(name, v)} ${filter}`;
    // stdevif, varianceif: 0 over no values, their default in summarize-operator.md.
    return zeroWhenEmpty
      ? `CASE WHEN ${ctx.fn('count', v)} ${filter} = 0 THEN 0 ELSE ${aggregate} END`
      : aggregate;
  };
}

/** `make_bag(bag [, max])`, `make_bag_if`: the union of the bags (one value per key). */
function makeBag(conditional: boolean): Emit {
  return (call, ctx) => {
    const d = ctx.ctx.dialect;
    const [value, predicate] = call.args;
    const bag = ctx.as(value, 'dynamic');
    const filters = [`${d.fn('json_type')}(${bag}) = 'OBJECT'`];
    if (conditional) {
      filters.push(ctx.as(predicate, 'bool'));
    }
    const bags = `${d.fn('list')}(${bag}) FILTER (WHERE ${filters.join(' AND ')})`;
    return `${d.fn('coalesce')}(${d.call('list_reduce', [`${d.call('list_prepend', [d.json('{}'), bags])}`, `(merged, b) -> ${d.fn('json_merge_patch')}(merged, b)`])}, ${d.json('{}')})`;
  };
}

/** `percentiles_array(x, p1, p2, …)` or `(x, dynamic([p1, …]))`: the percentiles as one array. */
const percentilesArray: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [value, ...rest] = call.args;
  const ps: string[] = [];
  for (const p of rest) {
    if (
      p.type === 'dynamic' &&
      p.kind === 'literal' &&
      typeof p.value === 'string'
    ) {
      for (const x of JSON.parse(p.value) as unknown[]) {
        ps.push(`CAST(${Number(x)} AS DOUBLE)`);
      }
    } else if (p.type === 'dynamic') {
      throw new UnsupportedError(
        'percentiles_array with computed percentiles',
        p.span
      );
    } else {
      ps.push(ctx.as(p, 'real'));
    }
  }
  const v = ctx.sql(value);
  return `${d.call('to_json', [`[${ps.map(p => `${d.call('quantile_disc', [v, `${p} / 100.0`])}`).join(', ')}]`])}`;
};

/** `make_list_with_nulls(x)`: every value, nulls included. */
const makeListWithNulls: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return `${d.fn('coalesce')}(${d.call('to_json', [`${d.fn('list')}(${ctx.as(call.args[0], 'dynamic')})`])}, ${d.json('[]')})`;
};

/** Aggregate functions of this library (they make `summarize` group). */
export const LIBRARY_AGGREGATES: readonly string[] = [
  ...STATISTICS_AGGREGATES,
  'make_bag',
  'make_bag_if',
  'percentiles_array',
  'make_list_with_nulls',
  'stdevif',
  'varianceif',
  'variancepif',
  'take_anyif',
  'count_distinctif',
  'binary_all_and',
  'binary_all_or',
  'binary_all_xor',
  'covariance',
  'covariancep',
  'covarianceif',
  'covariancepif'
];

/**
 * Functions that cannot give Kusto's answer on a local engine, each with why: the refusal says so
 * rather than compute something else.
 */
const IMPOSSIBLE: Record<string, string> = {
  hash: "Kusto's hash is xxhash64, which DuckDB does not have; another hash gives other numbers",
  hash_xxhash64: 'DuckDB has no xxhash64',
  hash_many: "Kusto's hash is xxhash64, which DuckDB does not have",
  hash_combine: "Kusto's hash is xxhash64, which DuckDB does not have",
  parse_user_agent:
    'Kusto matches the user-agent regular expressions of its own UA-Parser database, which is not available locally',
  parse_xml:
    'DuckDB has no XML parser; parse the XML before it reaches the workspace, or extract values with extract()',
  hll: "Kusto's HyperLogLog sketch is an internal binary format",
  hll_if: "Kusto's HyperLogLog sketch is an internal binary format",
  hll_merge: "Kusto's HyperLogLog sketch is an internal binary format",
  dcount_hll: "Kusto's HyperLogLog sketch is an internal binary format",
  tdigest: "Kusto's t-digest is an internal binary format",
  tdigest_merge: "Kusto's t-digest is an internal binary format",
  merge_tdigest: "Kusto's t-digest is an internal binary format",
  percentile_tdigest: "Kusto's t-digest is an internal binary format",
  percentiles_array_tdigest: "Kusto's t-digest is an internal binary format",
  percentrank_tdigest: "Kusto's t-digest is an internal binary format",
  rank_tdigest: "Kusto's t-digest is an internal binary format",
  zlib_compress_to_base64_string:
    'DuckDB has no zlib compression; the bytes would differ from .NET',
  zlib_decompress_from_base64_string: 'DuckDB has no zlib decompression',
  gzip_compress_to_base64_string:
    'DuckDB has no gzip compression; the bytes would differ from .NET',
  gzip_decompress_from_base64_string: 'DuckDB has no gzip decompression',
  current_principal: 'a local workspace has no signed-in principal',
  current_principal_details: 'a local workspace has no signed-in principal',
  current_principal_is_member_of:
    'a local workspace has no signed-in principal',
  current_cluster_endpoint: 'a local workspace has no cluster',
  current_database: 'a local workspace has no database',
  extent_id: 'local files have no extents',
  extent_tags: 'local files have no extents',
  cursor_after: 'local files have no database cursors',
  cursor_before_or_at: 'local files have no database cursors',
  cursor_current: 'local files have no database cursors',
  estimate_data_size: "Kusto's estimate follows its own storage format"
};

/** The library's entries, merged into `FUNCTIONS` by `scalar.ts`. */
export function libraryFunctions(): Record<string, Emit> {
  const refusals = Object.fromEntries(
    Object.entries(IMPOSSIBLE).map(([name, why]): [string, Emit] => [
      name,
      call => {
        throw new UnsupportedError(`${name}()`, call.span, why);
      }
    ])
  );
  return {
    ...refusals,
    ...seriesFunctions(),
    ...ipv6Functions(),
    ...textFunctions(),
    ...statisticsFunctions(),
    ...unitFunctions(),
    assert,
    punycode_to_string: punycodeToString,
    // arrays and sets
    array_sort_asc: arraySort(false),
    array_sort_desc: arraySort(true),
    array_iff: arrayIff,
    array_rotate_left: arrayRotate(1),
    array_rotate_right: arrayRotate(-1),
    array_shift_left: arrayShift(1),
    array_shift_right: arrayShift(-1),
    array_split: arraySplit,
    zip,
    set_union: setUnion,
    set_intersect: setIntersect,
    set_difference: setDifference,
    set_equals: setEquals,
    jaccard_index: jaccardIndex,
    repeat: repeatArray,
    series_sum: seriesSum,
    // property bags
    bag_has_key: bagHasKey,
    bag_remove_keys: bagRemoveKeys,
    bag_set_key: bagSetKey,
    bag_zip: bagZip,
    bag_pack_columns: bagPackColumns,
    pack_all: packAll,
    // strings and encodings
    strcmp,
    indexof: indexOf,
    has_any_index: hasAnyIndex,
    translate,
    unicode_codepoints_to_string: codepointsToString,
    url_encode: urlEncode,
    url_decode: urlDecode,
    gettype: getType,
    parse_csv: parseCsv,
    regex_quote: (call, ctx) =>
      escapeRegexSql(ctx.ctx.dialect, ctx.str(call.args[0])),
    isascii: (call, ctx) =>
      ctx.fn('regexp_matches', ctx.str(call.args[0]), "'^[\\x00-\\x7F]*$'"),
    // DuckDB's strings are valid UTF-8 by construction.
    isutf8: () => 'TRUE',
    hash_sha1: (call, ctx) => ctx.fn('sha1', ctx.str(call.args[0])),
    new_guid: (call, ctx) =>
      `CAST(${ctx.fn('uuid')} AS ${ctx.ctx.dialect.type('string')})`,
    base64_encode_fromguid: base64FromGuid,
    base64_decode_toguid: base64ToGuid,
    base64_decode_toarray: base64ToArray,
    // math
    exp2: mathFn((x, d) => `${d.fn('power')}(2, ${x})`),
    exp10: mathFn((x, d) => `${d.fn('power')}(10, ${x})`),
    gamma: mathFn((x, d) => `${d.fn('gamma')}(${x})`),
    loggamma: mathFn((x, d) => `${d.fn('lgamma')}(${x})`),
    around,
    bitset_count_ones: (call, ctx) =>
      `CAST(${ctx.fn('bit_count', ctx.as(call.args[0], 'long'))} AS BIGINT)`,
    // time
    datetime_utc_to_local: utcToLocal,
    datetime_local_to_utc: localToUtc,
    make_datetime: makeDatetime,
    unixtime_nanoseconds_todatetime: (call, ctx) => {
      const d = ctx.ctx.dialect;
      return `${d.call('make_timestamp', [`CAST(${ctx.as(call.args[0], 'real')} / 1000 AS BIGINT)`])}`;
    },
    // network
    ipv4_compare: ipv4Compare,
    ipv4_is_in_any_range: ipv4InAnyRange,
    ipv4_netmask_suffix: ipv4NetmaskSuffix,
    format_ipv4: formatIpv4,
    format_ipv4_mask: formatIpv4Mask,
    parse_ipv4_mask: parseIpv4Mask,
    has_ipv4: hasIpv4,
    has_ipv4_prefix: hasIpv4Prefix,
    has_any_ipv4: hasAnyIpv4,
    has_any_ipv4_prefix: hasAnyIpv4Prefix,
    // serialized rows
    row_number: rowNumber,
    row_cumsum: rowCumsum,
    prev: neighbour('lag'),
    next: neighbour('lead'),
    row_rank_dense: rowRankDense,
    // aggregates
    make_bag: makeBag(false),
    make_bag_if: makeBag(true),
    percentiles_array: percentilesArray,
    make_list_with_nulls: makeListWithNulls,
    stdevif: aggregateIf('stddev_samp', 'real', true),
    varianceif: aggregateIf('var_samp', 'real', true),
    variancepif: aggregateIf('var_pop', 'real'),
    take_anyif: aggregateIf('any_value'),
    count_distinctif: (call, ctx) =>
      `${ctx.fn('count', `DISTINCT ${ctx.sql(call.args[0])}`)} FILTER (WHERE ${ctx.as(call.args[1], 'bool')})`,
    binary_all_and: (call, ctx) =>
      ctx.fn('bit_and', ctx.as(call.args[0], 'long')),
    binary_all_or: (call, ctx) =>
      ctx.fn('bit_or', ctx.as(call.args[0], 'long')),
    binary_all_xor: (call, ctx) =>
      ctx.fn('bit_xor', ctx.as(call.args[0], 'long')),
    covariance: (call, ctx) =>
      ctx.fn(
        'covar_samp',
        ctx.as(call.args[0], 'real'),
        ctx.as(call.args[1], 'real')
      ),
    covariancep: (call, ctx) =>
      ctx.fn(
        'covar_pop',
        ctx.as(call.args[0], 'real'),
        ctx.as(call.args[1], 'real')
      ),
    covarianceif: (call, ctx) =>
      `${ctx.fn('covar_samp', ctx.as(call.args[0], 'real'), ctx.as(call.args[1], 'real'))} FILTER (WHERE ${ctx.as(call.args[2], 'bool')})`,
    covariancepif: (call, ctx) =>
      `${ctx.fn('covar_pop', ctx.as(call.args[0], 'real'), ctx.as(call.args[1], 'real'))} FILTER (WHERE ${ctx.as(call.args[2], 'bool')})`
  };
}
