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
function length(list: string): string {
  return `coalesce(len(${list}), 0)`;
}

/** A JSON element's text for comparisons: strings unquoted, other values as JSON text. */
function elementText(v: string): string {
  return `coalesce(json_extract_string(${v}, '$'), '')`;
}

/**
 * `array_sort_asc`/`array_sort_desc`: numbers (and datetimes, timespans) before strings before
 * everything else, nulls last unless `nulls_last` is false. With several arrays, the first is
 * sorted and the others follow its new order (null when their length differs); the call gives
 * them as one array, which `extend (a, b) = …` and the binder's `x_sorted` columns read by index.
 */
function arraySort(descending: boolean): Emit {
  return (call, ctx) => {
    const arrays = call.args.filter(
      a => a.type === 'dynamic' || a.type === 'unknown'
    );
    const flag = call.args.find(a => a.type === 'bool');
    const nullsLast = flag ? ctx.as(flag, 'bool') : 'TRUE';
    const [list, ...others] = arrays.map(a => jsonList(ctx, a));
    const number = `coalesce(TRY_CAST(json_extract_string(v, '$') AS DOUBLE), 0)`;
    const kind = `CASE WHEN json_type(v) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0 WHEN json_type(v) = 'VARCHAR' THEN 1 ELSE 2 END`;
    // Nulls go first or last whatever the direction: the descending sort is the ascending one
    // reversed, so their rank is flipped for it.
    const nullFirst = descending ? `NOT ${nullsLast}` : nullsLast;
    const nullRank = `CASE WHEN v IS NULL OR json_type(v) = 'NULL' THEN (CASE WHEN ${nullFirst} THEN 1 ELSE -1 END) ELSE 0 END`;
    const keyed = `list_sort(list_transform(${list}, (v, i) -> {'n': ${nullRank}, 'k': ${kind}, 'x': ${number}, 's': ${elementText('v')}, 'v': v, 'i': i}))`;
    const ordered = descending ? `list_reverse(${keyed})` : keyed;
    if (!others.length) {
      return `to_json(list_transform(${ordered}, e -> e.v))`;
    }
    return bind([ordered], sorted => {
      const follow = (other: string) =>
        `CASE WHEN len(${other}) = len(${sorted}) THEN list_transform(${sorted}, e -> (${other})[e.i]) END`;
      return `to_json([to_json(list_transform(${sorted}, e -> e.v)), ${others.map(o => `to_json(${follow(o)})`).join(', ')}])`;
    });
  };
}

/** `array_iff(conditions, when_true, when_false)`: element by element; scalars apply to all. */
const arrayIff: Emit = (call, ctx) => {
  const [condition, whenTrue, whenFalse] = call.args;
  const list = jsonList(ctx, condition);
  const pick = (e: Expr) =>
    e.type === 'dynamic' || e.type === 'unknown'
      ? `(${jsonList(ctx, e)})[i]`
      : `to_json(${ctx.sql(e)})`;
  const c = `${list}[i]`;
  const truth = `CASE WHEN json_type(${c}) = 'BOOLEAN' THEN json_extract_string(${c}, '$') = 'true' WHEN json_type(${c}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(json_extract_string(${c}, '$') AS DOUBLE) <> 0 END`;
  return `to_json(list_transform(range(1, ${length(list)} + 1), i -> CASE WHEN ${truth} THEN ${pick(whenTrue)} WHEN NOT ${truth} THEN ${pick(whenFalse)} END))`;
};

/** `array_rotate_left(a, n)` (and right, with `-n`): elements move `n` places, wrapping around. */
function arrayRotate(sign: 1 | -1): Emit {
  return (call, ctx) => {
    const [array, count] = call.args;
    const list = jsonList(ctx, array);
    const n = `(${sign === 1 ? '' : '-'}${ctx.as(count, 'long')})`;
    const len = length(list);
    const k = `(CASE WHEN ${len} = 0 THEN 0 ELSE ((${n} % ${len}) + ${len}) % ${len} END)`;
    return `to_json(list_concat(list_slice(${list}, ${k} + 1, ${len}), list_slice(${list}, 1, ${k})))`;
  };
}

/** `array_shift_left(a, n [, default])` (and right): elements move `n` places, `default` fills. */
function arrayShift(sign: 1 | -1): Emit {
  return (call, ctx) => {
    const [array, count, fill] = call.args;
    const list = jsonList(ctx, array);
    const n = `(${sign === 1 ? '' : '-'}${ctx.as(count, 'long')})`;
    const value = fill ? `to_json(${ctx.sql(fill)})` : 'NULL';
    return `to_json(list_transform(range(0, ${length(list)}), i -> CASE WHEN i + ${n} >= 0 AND i + ${n} < ${length(list)} THEN ${list}[i + ${n} + 1] ELSE ${value} END))`;
  };
}

/** `array_split(a, i)` / `array_split(a, [i1, i2, …])`: the pieces between the indices. */
const arraySplit: Emit = (call, ctx) => {
  const [array, at] = call.args;
  const list = jsonList(ctx, array);
  const len = length(list);
  const indices =
    at.type === 'dynamic' || at.type === 'unknown'
      ? `list_transform(${jsonList(ctx, at)}, x -> TRY_CAST(json_extract_string(x, '$') AS BIGINT))`
      : `[${ctx.as(at, 'long')}]`;
  const clamp = `list_transform(${indices}, x -> least(greatest(CASE WHEN x < 0 THEN ${len} + x ELSE x END, 0), ${len}))`;
  const bounds = `list_concat([0], ${clamp}, [${len}])`;
  return `to_json(list_transform(range(1, len(${bounds})), j -> list_slice(${list}, ${bounds}[j] + 1, greatest(${bounds}[j + 1], ${bounds}[j]))))`;
};

/** `zip(a1, a2, …)`: arrays of the i-th elements, as long as the longest array (nulls fill). */
const zip: Emit = (call, ctx) => {
  const lists = call.args.map(a => jsonList(ctx, a));
  const longest = `greatest(${lists.map(length).join(', ')})`;
  return `to_json(list_transform(range(1, ${longest} + 1), i -> [${lists.map(l => `${l}[i]`).join(', ')}]))`;
};

/** `array_index_of`-like lookups compare elements as JSON text. */
function distinctInOrder(list: string): string {
  return `list_filter(${list}, (x, i) -> list_position(${list}, x) = i)`;
}

/** `set_union(a1, a2, …)`: distinct elements of all arrays, in order of first appearance. */
const setUnion: Emit = (call, ctx) =>
  `to_json(${distinctInOrder(`flatten([${call.args.map(a => `coalesce(${jsonList(ctx, a)}, [])`).join(', ')}])`)})`;

/** `set_intersect(a1, a2, …)`: distinct elements of the first array found in all the others. */
const setIntersect: Emit = (call, ctx) => {
  const [first, ...rest] = call.args.map(
    a => `coalesce(${jsonList(ctx, a)}, [])`
  );
  const tests = rest.map(l => `list_contains(${l}, x)`).join(' AND ');
  return `to_json(list_filter(${distinctInOrder(first)}, x -> ${tests}))`;
};

/** `set_difference(a1, a2, …)`: distinct elements of the first array found in none of the others. */
const setDifference: Emit = (call, ctx) => {
  const [first, ...rest] = call.args.map(
    a => `coalesce(${jsonList(ctx, a)}, [])`
  );
  const tests = rest.map(l => `NOT list_contains(${l}, x)`).join(' AND ');
  return `to_json(list_filter(${distinctInOrder(first)}, x -> ${tests}))`;
};

/** `set_equals(a, b)`: the same distinct elements. */
const setEquals: Emit = (call, ctx) => {
  const [a, b] = call.args.map(e => `coalesce(${jsonList(ctx, e)}, [])`);
  return `(list_sort(list_distinct(${a})) = list_sort(list_distinct(${b})))`;
};

/** `jaccard_index(a, b)`: distinct common elements over distinct elements of either. */
const jaccardIndex: Emit = (call, ctx) => {
  const [a, b] = call.args.map(e => `coalesce(${jsonList(ctx, e)}, [])`);
  const union = `len(list_distinct(list_concat(${a}, ${b})))`;
  const common = `len(list_filter(list_distinct(${a}), x -> list_contains(${b}, x)))`;
  return `CASE WHEN ${union} = 0 THEN CAST('NaN' AS DOUBLE) ELSE ${common} / ${union} END`;
};

/** `repeat(value, n)`: an array of `n` copies; null for a negative count. */
const repeatArray: Emit = (call, ctx) => {
  const [value, count] = call.args;
  const n = ctx.as(count, 'long');
  return `CASE WHEN ${n} >= 0 THEN to_json(list_transform(range(0, ${n}), i -> ${ctx.sql(value)})) END`;
};

/** `series_sum` (formerly `array_sum`): the sum of an array's numbers. */
const seriesSum: Emit = (call, ctx) =>
  `list_sum(list_transform(${jsonList(ctx, call.args[0])}, v -> TRY_CAST(json_extract_string(v, '$') AS DOUBLE)))`;

// -------------------------------------------------------------------------------------------------
// Property bags

/** A bag's entries as a list of `{k, v}` structs (null when it is not a bag). */
function entries(bag: string): string {
  return `CASE WHEN json_type(${bag}) = 'OBJECT' THEN list_transform(json_keys(${bag}), k -> {'k': k, 'v': json_extract(${bag}, '$."' || replace(k, '"', '\\"') || '"')}) END`;
}

/** A bag from a list of `{k, v}` entries. */
function bagOf(list: string): string {
  return `CASE WHEN len(${list}) = 0 THEN CAST('{}' AS JSON) ELSE to_json(map_from_entries(${list})) END`;
}

/** A JSONPath for a key: the key itself when it is a path (`$.a.b`), else the top-level key. */
function keyPath(key: string): string {
  return `CASE WHEN starts_with(${key}, '$') THEN ${key} ELSE '$."' || replace(${key}, '"', '\\"') || '"' END`;
}

/** `bag_has_key(bag, key)`: the key (or JSONPath) exists in the bag. */
const bagHasKey: Emit = (call, ctx) => {
  const bag = ctx.as(call.args[0], 'dynamic');
  const key = ctx.str(call.args[1]);
  return `coalesce(json_type(${bag}) = 'OBJECT' AND json_exists(${bag}, ${keyPath(key)}), FALSE)`;
};

/**
 * `bag_remove_keys(bag, keys)`: the bag without the keys listed, top-level names or JSONPaths
 * (`$.a.b`). Each present key is removed by a JSON merge patch that sets it to null.
 */
const bagRemoveKeys: Emit = (call, ctx) => {
  const bag = ctx.as(call.args[0], 'dynamic');
  const keys = `json_extract_string(${ctx.as(call.args[1], 'dynamic')}, '$[*]')`;
  const parts = `CASE WHEN starts_with(k, '$.') THEN string_split(substr(k, 3), '.') ELSE [k] END`;
  const patch = `CAST('{' || array_to_string(list_transform(${parts}, p -> CAST(to_json(p) AS VARCHAR) || ':'), '{') || 'null' || repeat('}', len(${parts})) AS JSON)`;
  const patches = `list_transform(list_filter(${keys}, k -> json_exists(${bag}, ${keyPath('k')})), k -> ${patch})`;
  return `CASE WHEN json_type(${bag}) = 'OBJECT' THEN list_reduce(list_prepend(${bag}, ${patches}), (acc, p) -> json_merge_patch(acc, p)) END`;
};

/** `bag_set_key(bag, key, value)`: the bag with the key (or JSONPath) set to the value. */
const bagSetKey: Emit = (call, ctx) => {
  const [bagArg, keyArg, valueArg] = call.args;
  const bag = ctx.as(bagArg, 'dynamic');
  const key = ctx.str(keyArg);
  const value = ctx.as(valueArg, 'dynamic');
  const kept = `list_filter(${entries(bag)}, e -> e.k <> ${key})`;
  if (keyArg.kind === 'literal' && String(keyArg.value).startsWith('$')) {
    throw new UnsupportedError('bag_set_key with a JSONPath key', call.span);
  }
  return `CASE WHEN json_type(${bag}) = 'OBJECT' THEN ${bagOf(`list_append(${kept}, {'k': ${key}, 'v': ${value}})`)} END`;
};

/** `bag_zip(keys, values)`: a bag of the string keys and the values at the same positions. */
const bagZip: Emit = (call, ctx) => {
  const keys = jsonList(ctx, call.args[0]);
  const values = jsonList(ctx, call.args[1]);
  const pairs = `list_filter(list_transform(range(1, ${length(keys)} + 1), i -> {'k': CASE WHEN json_type(${keys}[i]) = 'VARCHAR' THEN json_extract_string(${keys}[i], '$') END, 'v': ${values}[i]}), e -> e.k IS NOT NULL)`;
  return `CASE WHEN ${keys} IS NOT NULL THEN ${bagOf(pairs)} END`;
};

/** `bag_pack_columns(c1, c2, …)`: a bag of the columns by their names. */
const bagPackColumns: Emit = (call, ctx) => {
  const parts = call.args.map(a => {
    if (a.kind !== 'column') {
      throw new UnsupportedError('bag_pack_columns of an expression', a.span);
    }
    return `${ctx.ctx.dialect.string(a.name)}, ${ctx.as(a, 'dynamic')}`;
  });
  return `json_object(${parts.join(', ')})`;
};

/**
 * `pack_all([ignore_null_empty])`, as the converter spells it out: the flag, then the name and
 * value of each column of the row. Ignored values are nulls and empty strings.
 */
const packAll: Emit = (call, ctx) => {
  const [ignore, ...pairs] = call.args;
  const parts: string[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    parts.push(`${ctx.str(pairs[i])}, ${ctx.sql(pairs[i + 1])}`);
  }
  const bag = `json_object(${parts.join(', ')})`;
  const kept = bagOf(
    `list_filter(${entries(bag)}, e -> json_type(e.v) <> 'NULL' AND CAST(e.v AS VARCHAR) <> '""')`
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
  const [source, match, start, size, occurrence] = call.args;
  const s = ctx.str(source);
  const m = ctx.str(match);
  if (!start) {
    return `CAST(strpos(${s}, ${m}) - 1 AS BIGINT)`;
  }
  const given = ctx.as(start, 'long');
  const from = `(CASE WHEN ${given} < 0 THEN length(${s}) + ${given} ELSE ${given} END)`;
  const len = size ? ctx.as(size, 'long') : '-1';
  const n = occurrence ? ctx.as(occurrence, 'long') : '1';
  const at = '(previous + 1)';
  const end = `(CASE WHEN ${len} = -1 THEN length(${s}) ELSE least(${at} + ${len}, length(${s})) END)`;
  const first = `list_filter(range(${at}, ${end} - length(${m}) + 1), i -> substr(${s}, i + 1, length(${m})) = ${m})[1]`;
  const nth = `list_reduce(list_prepend(${from} - 1, range(0, greatest(${n}, 1))), (previous, x) -> ${first})`;
  return `CASE WHEN ${len} < -1 OR ${n} < 0 OR ${from} < 0 THEN NULL WHEN ${from} > length(${s}) THEN -1 ELSE CAST(coalesce(${nth}, -1) AS BIGINT) END`;
};

/** `has_any_index(s, values)`: the index of the first value that `s` has as a term, or -1. */
const hasAnyIndex: Emit = (call, ctx) => {
  const haystack = `lower(${ctx.str(call.args[0])})`;
  const values = `json_extract_string(${ctx.as(call.args[1], 'dynamic')}, '$[*]')`;
  const term = `CASE WHEN regexp_matches(t, '^[0-9A-Za-z]') THEN '(?:^|[^0-9a-z])' ELSE '' END || ${escapeRegexSql(ctx.ctx.dialect, 'lower(t)')} || CASE WHEN regexp_matches(t, '[0-9A-Za-z]$') THEN '(?:$|[^0-9a-z])' ELSE '' END`;
  return `coalesce(CAST(list_position(list_transform(${values}, t -> t <> '' AND regexp_matches(${haystack}, ${term})), TRUE) - 1 AS BIGINT), -1)`;
};

/** `translate(from, to, s)`: each character of `from` becomes the one at its place in `to` (its last one beyond). */
const translate: Emit = (call, ctx) => {
  const [from, to, source] = call.args.map(e => ctx.str(e));
  const padded = `CASE WHEN length(${to}) = 0 THEN '' ELSE rpad(CAST(${to} AS VARCHAR), CAST(greatest(length(${from}), length(${to})) AS INTEGER), right(${to}, 1)) END`;
  return `translate(${source}, ${from}, ${padded})`;
};

/** `unicode_codepoints_to_string(array)`: the characters of the code points. */
const codepointsToString: Emit = (call, ctx) =>
  `array_to_string(list_transform(${jsonList(ctx, call.args[0])}, c -> chr(TRY_CAST(json_extract_string(c, '$') AS INTEGER))), '')`;

/**
 * `url_encode`: percent-encoding as .NET's `HttpUtility.UrlEncode` does it: letters, digits and
 * `-_.!*()` kept, spaces as `+`, every other UTF-8 byte as `%xx` in lower case.
 */
const urlEncode: Emit = (call, ctx) =>
  `array_to_string(list_transform(string_split(${ctx.str(call.args[0])}, ''), c -> CASE WHEN regexp_matches(c, '^[A-Za-z0-9_.!*()-]$') THEN c WHEN c = ' ' THEN '+' WHEN c = '~' THEN '%7e' ELSE lower(url_encode(c)) END), '')`;

/** `url_decode`: percent-escapes and `+` decoded. */
const urlDecode: Emit = (call, ctx) =>
  `url_decode(replace(${ctx.str(call.args[0])}, '+', ' '))`;

/** `gettype(value)`: Kusto's runtime type name; a dynamic value's JSON kind. */
const getType: Emit = (call, ctx) => {
  const arg = call.args[0];
  if (arg.type !== 'dynamic' && arg.type !== 'unknown') {
    return ctx.ctx.dialect.string(
      arg.type === 'decimal' ? 'decimal' : arg.type
    );
  }
  const json = ctx.sql(arg);
  // Kusto reads a JSON integer that fits 32 bits as an int.
  const intOrLong = `CASE WHEN TRY_CAST(json_extract_string(${json}, '$') AS INTEGER) IS NOT NULL THEN 'int' ELSE 'long' END`;
  return `CASE json_type(${json}) WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN ${intOrLong} WHEN 'UBIGINT' THEN ${intOrLong} WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'OBJECT' THEN 'dictionary' WHEN 'ARRAY' THEN 'array' ELSE 'null' END`;
};

/** `parse_csv(text)`: the fields of the first record, quotes removed (`""` is a quote). */
const parseCsv: Emit = (call, ctx) => {
  const text = ctx.str(call.args[0]);
  const record = `regexp_extract(${text}, '^((?:"(?:[^"]|"")*"|[^"\\r\\n])*)', 1)`;
  const fields = `regexp_extract_all(',' || ${record}, ',("(?:[^"]|"")*"|[^,]*)', 1)`;
  return `to_json(list_transform(${fields}, f -> CASE WHEN starts_with(f, '"') THEN replace(f[2:-2], '""', '"') ELSE f END))`;
};

/** `base64_encode_fromguid(g)`: the GUID's 16 bytes in .NET's order, as base64. */
const base64FromGuid: Emit = (call, ctx) => {
  const hex = `replace(lower(${ctx.str(call.args[0])}), '-', '')`;
  const swap = (start: number, count: number) =>
    Array.from(
      { length: count },
      (_, i) => `substr(${hex}, ${start + (count - 1 - i) * 2}, 2)`
    ).join(' || ');
  const bytes = `${swap(1, 4)} || ${swap(9, 2)} || ${swap(13, 2)} || substr(${hex}, 17, 16)`;
  return `CASE WHEN length(${hex}) = 32 THEN to_base64(unhex(${bytes})) END`;
};

/** `base64_decode_toguid(b)`: the 16 bytes in .NET's order as a GUID. */
const base64ToGuid: Emit = (call, ctx) => {
  const hex = `lower(hex(TRY(from_base64(${ctx.str(call.args[0])}))))`;
  const swap = (start: number, count: number) =>
    Array.from(
      { length: count },
      (_, i) => `substr(${hex}, ${start + (count - 1 - i) * 2}, 2)`
    ).join(' || ');
  return `CASE WHEN length(${hex}) = 32 THEN ${swap(1, 4)} || '-' || ${swap(9, 2)} || '-' || ${swap(13, 2)} || '-' || substr(${hex}, 17, 4) || '-' || substr(${hex}, 21, 12) END`;
};

/** `base64_decode_toarray(b)`: the decoded bytes as an array of numbers. */
const base64ToArray: Emit = (call, ctx) => {
  const blob = `TRY(from_base64(${ctx.str(call.args[0])}))`;
  return `to_json(list_transform(range(0, octet_length(${blob})), i -> CAST(('0x' || substr(hex(${blob}), 2 * i + 1, 2)) AS INTEGER)))`;
};

// -------------------------------------------------------------------------------------------------
// Math

const mathFn =
  (sql: (x: string) => string): Emit =>
  (call, ctx) =>
    sql(ctx.as(call.args[0], 'real'));

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
const utcToLocal: Emit = (call, ctx) =>
  `timezone(${ctx.str(call.args[1])}, timezone('UTC', ${ctx.sql(call.args[0])}))`;

/**
 * `datetime_local_to_utc(t, zone)`: the UTC time of a wall-clock time in the IANA zone. An
 * ambiguous time (the hour repeated in autumn) is standard time, as in ICU; a time that does not
 * exist (skipped in spring) takes the offset after the change, as Kusto does: ICU's answer moved
 * back by the gap it skipped.
 */
const localToUtc: Emit = (call, ctx) => {
  const zone = ctx.str(call.args[1]);
  const local = ctx.sql(call.args[0]);
  const utc = `timezone('UTC', timezone(${zone}, ${local}))`;
  const back = `timezone(${zone}, timezone('UTC', ${utc}))`;
  return `(${utc} - (${back} - ${local}))`;
};

/** `make_datetime(y, m, d [, h, min, s])`: null when the parts make no date. */
const makeDatetime: Emit = (call, ctx) => {
  const [y, m, d, h, min, s] = call.args;
  const part = (e: Expr | undefined) => (e ? ctx.as(e, 'long') : '0');
  const seconds = s ? ctx.as(s, 'real') : '0';
  return `TRY(make_timestamp(${part(y)}, ${part(m)}, ${part(d)}, ${part(h)}, ${part(min)}, ${seconds}))`;
};

// -------------------------------------------------------------------------------------------------
// Network

/** `ipv4_compare(a, b [, prefix])`: -1, 0 or 1 comparing the addresses under the prefix. */
const ipv4Compare: Emit = (call, ctx) => {
  const [a, b, prefix] = call.args;
  const bits = (text: string) =>
    `least(coalesce(TRY_CAST(nullif(split_part(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const x = ctx.str(a);
  const y = ctx.str(b);
  const width = `least(${bits(x)}, ${bits(y)})`;
  const masked = (text: string) =>
    `(${ipv4(ctx.ctx.dialect, text)} >> (32 - ${width}))`;
  return `CAST(sign(${masked(x)} - ${masked(y)}) AS INTEGER)`;
};

/** `ipv4_is_in_any_range(ip, ranges…)`: within one of the ranges (CIDR or plain addresses). */
const ipv4InAnyRange: Emit = (call, ctx) => {
  const ip = ctx.str(call.args[0]);
  const ranges = call.args
    .slice(1)
    .map(r =>
      r.type === 'dynamic' || r.type === 'unknown'
        ? `json_extract_string(${ctx.sql(r)}, '$[*]')`
        : `[${ctx.str(r)}]`
    );
  const all = `flatten([${ranges.join(', ')}])`;
  const bits = `coalesce(TRY_CAST(nullif(split_part(r, '/', 2), '') AS INTEGER), 32)`;
  return `CASE WHEN ${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL THEN coalesce(list_bool_or(list_transform(${all}, r -> (${ipv4(ctx.ctx.dialect, ip)} >> (32 - ${bits})) = (${ipv4(ctx.ctx.dialect, 'r')} >> (32 - ${bits})))), FALSE) END`;
};

/** `ipv4_netmask_suffix(ip)`: the prefix length of a CIDR address (32 without one). */
const ipv4NetmaskSuffix: Emit = (call, ctx) => {
  const ip = ctx.str(call.args[0]);
  const bits = `coalesce(TRY_CAST(nullif(split_part(${ip}, '/', 2), '') AS INTEGER), 32)`;
  return `CASE WHEN ${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL AND ${bits} BETWEEN 0 AND 32 THEN ${bits} END`;
};

/** `format_ipv4(ip [, prefix])`: the address with the host bits cleared. */
const formatIpv4: Emit = (call, ctx) => {
  const [a, prefix] = call.args;
  const text = ctx.str(a);
  const bits = `least(coalesce(TRY_CAST(nullif(split_part(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const n =
    a.type === 'long' || a.type === 'int'
      ? ctx.as(a, 'long')
      : ipv4(ctx.ctx.dialect, text);
  const masked = `((${n} >> (32 - ${bits})) << (32 - ${bits}))`;
  return `CASE WHEN ${n} IS NOT NULL AND ${bits} BETWEEN 0 AND 32 THEN ${dotted(masked)} ELSE '' END`;
};

/** `format_ipv4_mask(ip [, prefix])`: the masked address and its prefix, `a.b.c.d/n`. */
const formatIpv4Mask: Emit = (call, ctx) => {
  const [a, prefix] = call.args;
  const text = ctx.str(a);
  const bits = `least(coalesce(TRY_CAST(nullif(split_part(${text}, '/', 2), '') AS INTEGER), 32)${prefix ? `, ${ctx.as(prefix, 'long')}` : ''})`;
  const formatted = formatIpv4(call, ctx);
  return `CASE WHEN ${formatted} <> '' THEN ${formatted} || '/' || ${bits} ELSE '' END`;
};

/** `parse_ipv4_mask(ip, prefix)`: the masked address as a number. */
const parseIpv4Mask: Emit = (call, ctx) => {
  const [a, prefix] = call.args;
  const n = ipv4(ctx.ctx.dialect, ctx.str(a));
  const bits = `least(${ctx.as(prefix, 'long')}, 32)`;
  return `CASE WHEN ${bits} >= 0 THEN (${n} >> (32 - ${bits})) << (32 - ${bits}) END`;
};

/** The dotted IPv4 addresses in a text, as whole terms. */
function ipv4Terms(text: string): string {
  const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  return `regexp_extract_all(${text}, '(?:^|[^0-9.])((?:${octet}\\.){3}${octet})(?:$|[^0-9.])', 1)`;
}

/** `has_ipv4(text, ip)`: the address occurs in the text as a whole address. */
const hasIpv4: Emit = (call, ctx) => {
  const ip = ctx.str(call.args[1]);
  return `(${ipv4(ctx.ctx.dialect, ip)} IS NOT NULL AND list_contains(list_transform(${ipv4Terms(ctx.str(call.args[0]))}, a -> ${ipv4(ctx.ctx.dialect, 'a')}), ${ipv4(ctx.ctx.dialect, ip)}))`;
};

/** `has_ipv4_prefix(text, prefix)`: an address in the text starts with the prefix (`10.1.`). */
const hasIpv4Prefix: Emit = (call, ctx) => {
  const prefix = ctx.str(call.args[1]);
  return `coalesce(list_bool_or(list_transform(${ipv4Terms(ctx.str(call.args[0]))}, a -> starts_with(a, ${prefix}) AND (ends_with(${prefix}, '.') OR length(a) = length(${prefix})))), FALSE)`;
};

/** `has_any_ipv4(text, ips…)`. */
const hasAnyIpv4: Emit = (call, ctx) => {
  const values = listOf(call, ctx);
  return `coalesce(list_bool_or(list_transform(${ipv4Terms(ctx.str(call.args[0]))}, a -> list_contains(list_transform(${values}, v -> ${ipv4(ctx.ctx.dialect, 'v')}), ${ipv4(ctx.ctx.dialect, 'a')}))), FALSE)`;
};

/** `has_any_ipv4_prefix(text, prefixes…)`. */
const hasAnyIpv4Prefix: Emit = (call, ctx) => {
  const values = listOf(call, ctx);
  return `coalesce(list_bool_or(list_transform(${ipv4Terms(ctx.str(call.args[0]))}, a -> list_bool_or(list_transform(${values}, p -> starts_with(a, p) AND (ends_with(p, '.') OR length(a) = length(p)))))), FALSE)`;
};

/** The values after the first argument as one list of text: dynamic arrays and scalars. */
function listOf(call: ICall, ctx: IScalarEmitter): string {
  const parts = call.args
    .slice(1)
    .map(a =>
      a.type === 'dynamic' || a.type === 'unknown'
        ? `json_extract_string(${ctx.sql(a)}, '$[*]')`
        : `[${ctx.str(a)}]`
    );
  return `flatten([${parts.join(', ')}])`;
}

// -------------------------------------------------------------------------------------------------
// Serialized rows: window functions over the order the query set

/**
 * `OVER (…)` for a function of serialized rows, partitioned by the groups a restart flag starts;
 * refused where no row order can exist (in a filter, an aggregate).
 */
function over(
  call: ICall,
  ctx: IScalarEmitter,
  options: { restart?: Expr; frame?: boolean } = {}
): string {
  const rows = ctx.rows;
  if (!rows || ctx.inPredicate) {
    throw new UnsupportedError(
      `${call.name}() outside extend, project or serialize`,
      call.span
    );
  }
  const partition = options.restart
    ? `PARTITION BY ${restartGroup(rows, ctx.as(options.restart, 'bool'))} `
    : '';
  const order = rows.order ? `ORDER BY ${rows.order}` : '';
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
  const [start, restart] = call.args;
  const from = start ? ctx.as(start, 'long') : '1';
  return `(row_number() ${over(call, ctx, { restart })} + ${from} - 1)`;
};

/** `row_cumsum(term [, restart])`: the running sum, from 0 again at each restart. */
const rowCumsum: Emit = (call, ctx) => {
  const [term, restart] = call.args;
  return `sum(${ctx.sql(term)}) ${over(call, ctx, { restart, frame: true })}`;
};

/** `prev(column [, offset [, default]])` and `next`: the value `offset` rows before or after. */
function neighbour(fn: 'lag' | 'lead'): Emit {
  return (call, ctx) => {
    const [column, offset, fallback] = call.args;
    const n = offset ? ctx.as(offset, 'long') : '1';
    const value = ctx.as(column, call.type);
    const fill = fallback ? `, ${ctx.as(fallback, call.type)}` : '';
    return `${fn}(${value}, ${n}${fill}) ${over(call, ctx)}`;
  };
}

/**
 * `row_rank_dense(term [, restart])`: 1, then one more each time the term differs from the row
 * before; 1 again at each restart. With a restart, the running count of (restart or change) less
 * its value at the restart's row, plus 1.
 */
const rowRankDense: Emit = (call, ctx) => {
  const [term, restart] = call.args;
  const value = ctx.sql(term);
  const changed = `${value} IS DISTINCT FROM lag(${value}) ${over(call, ctx)}`;
  if (!restart) {
    return `CAST(${restartGroup(ctx.rows!, changed)} AS BIGINT)`;
  }
  const flag = `coalesce(${ctx.as(restart, 'bool')}, FALSE)`;
  const count = restartGroup(ctx.rows!, `(${flag} OR ${changed})`);
  const group = restartGroup(ctx.rows!, flag);
  return `CAST(${count} - min(${count}) OVER (PARTITION BY ${group}) + 1 AS BIGINT)`;
};

// -------------------------------------------------------------------------------------------------
// Aggregates

/** An aggregate over the rows where the predicate (the last argument) holds. */
function aggregateIf(name: string, type?: ScalarType): Emit {
  return (call, ctx) => {
    const [value, predicate] = call.args;
    const v = type ? ctx.as(value, type) : ctx.sql(value);
    return `${name}(${v}) FILTER (WHERE ${ctx.as(predicate, 'bool')})`;
  };
}

/** `make_bag(bag [, max])`, `make_bag_if`: the union of the bags (one value per key). */
function makeBag(conditional: boolean): Emit {
  return (call, ctx) => {
    const [value, predicate] = call.args;
    const bag = ctx.as(value, 'dynamic');
    const filters = [`json_type(${bag}) = 'OBJECT'`];
    if (conditional) {
      filters.push(ctx.as(predicate, 'bool'));
    }
    const bags = `list(${bag}) FILTER (WHERE ${filters.join(' AND ')})`;
    return `coalesce(list_reduce(list_prepend(CAST('{}' AS JSON), ${bags}), (merged, b) -> json_merge_patch(merged, b)), CAST('{}' AS JSON))`;
  };
}

/** `percentiles_array(x, p1, p2, …)` or `(x, dynamic([p1, …]))`: the percentiles as one array. */
const percentilesArray: Emit = (call, ctx) => {
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
  return `to_json([${ps.map(p => `quantile_disc(${v}, ${p} / 100.0)`).join(', ')}])`;
};

/** `make_list_with_nulls(x)`: every value, nulls included. */
const makeListWithNulls: Emit = (call, ctx) =>
  `coalesce(to_json(list(${ctx.as(call.args[0], 'dynamic')})), CAST('[]' AS JSON))`;

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
      `regexp_matches(${ctx.str(call.args[0])}, '^[\\x00-\\x7F]*$')`,
    // DuckDB's strings are valid UTF-8 by construction.
    isutf8: () => 'TRUE',
    hash_sha1: (call, ctx) => `sha1(${ctx.str(call.args[0])})`,
    new_guid: () => 'CAST(uuid() AS VARCHAR)',
    base64_encode_fromguid: base64FromGuid,
    base64_decode_toguid: base64ToGuid,
    base64_decode_toarray: base64ToArray,
    // math
    exp2: mathFn(x => `power(2, ${x})`),
    exp10: mathFn(x => `power(10, ${x})`),
    gamma: mathFn(x => `gamma(${x})`),
    loggamma: mathFn(x => `lgamma(${x})`),
    around,
    bitset_count_ones: (call, ctx) =>
      `CAST(bit_count(${ctx.as(call.args[0], 'long')}) AS BIGINT)`,
    // time
    datetime_utc_to_local: utcToLocal,
    datetime_local_to_utc: localToUtc,
    make_datetime: makeDatetime,
    unixtime_nanoseconds_todatetime: (call, ctx) =>
      `make_timestamp(CAST(${ctx.as(call.args[0], 'real')} / 1000 AS BIGINT))`,
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
    stdevif: aggregateIf('stddev_samp', 'real'),
    varianceif: aggregateIf('var_samp', 'real'),
    variancepif: aggregateIf('var_pop', 'real'),
    take_anyif: aggregateIf('any_value'),
    count_distinctif: (call, ctx) =>
      `count(DISTINCT ${ctx.sql(call.args[0])}) FILTER (WHERE ${ctx.as(call.args[1], 'bool')})`,
    binary_all_and: (call, ctx) => `bit_and(${ctx.as(call.args[0], 'long')})`,
    binary_all_or: (call, ctx) => `bit_or(${ctx.as(call.args[0], 'long')})`,
    binary_all_xor: (call, ctx) => `bit_xor(${ctx.as(call.args[0], 'long')})`,
    covariance: (call, ctx) =>
      `covar_samp(${ctx.as(call.args[0], 'real')}, ${ctx.as(call.args[1], 'real')})`,
    covariancep: (call, ctx) =>
      `covar_pop(${ctx.as(call.args[0], 'real')}, ${ctx.as(call.args[1], 'real')})`,
    covarianceif: (call, ctx) =>
      `covar_samp(${ctx.as(call.args[0], 'real')}, ${ctx.as(call.args[1], 'real')}) FILTER (WHERE ${ctx.as(call.args[2], 'bool')})`,
    covariancepif: (call, ctx) =>
      `covar_pop(${ctx.as(call.args[0], 'real')}, ${ctx.as(call.args[1], 'real')}) FILTER (WHERE ${ctx.as(call.args[2], 'bool')})`
  };
}
