/**
 * String operators and functions: `has` (whole terms), `contains`, `startswith`…, `in`, regular
 * expressions (`extract`, `replace_regex`, `matches regex`, in RE2 translated from .NET), `trim`,
 * `substring`, `split`, `strcat`, `countof`, `parse_url`, hashes and base64 of text.
 */
import type { Expr, ICall } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { IDialect } from '../dialect';
import { groupCount, type IRegexOptions, translateRegex } from '../regex';
import type { Emit, IScalarEmitter } from './emit';

/** An RE2 pattern matching `text` literally. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, c => `\\${c}`);
}

/** SQL that escapes a string value for use inside a regular expression. */
export function escapeRegexSql(d: IDialect, sql: string): string {
  return `${d.fn('regexp_replace')}(${sql}, '([\\\\^$.|?*+()\\[\\]{}])', '\\\\\\1', 'g')`;
}

/** A needle that starts or ends with a term character (a letter or digit of any script). */
const TERM_START = /^[\p{L}\p{N}]/u;

const TERM_END = /[\p{L}\p{N}]$/u;

/**
 * Kusto's `has`: the needle occurs in the text as whole terms, where terms are maximal runs of
 * letters and digits, non-ASCII ones too (`"großstadt" has "gro"` is false). A needle that starts or ends with a non-alphanumeric character needs no
 * boundary on that side.
 */
function hasTerm(
  ctx: IScalarEmitter,
  text: Expr,
  needle: Expr,
  how: 'term' | 'prefix' | 'suffix',
  cs: boolean
): string {
  const flags = cs ? '' : '(?i)';
  const haystack = ctx.str(text);
  if (needle.kind === 'literal' && typeof needle.value === 'string') {
    const value = needle.value;
    if (value === '') {
      return 'TRUE';
    }
    const left =
      how !== 'suffix' && TERM_START.test(value) ? '(?:^|[^\\p{L}\\p{N}])' : '';
    const right =
      how !== 'prefix' && TERM_END.test(value) ? '(?:$|[^\\p{L}\\p{N}])' : '';
    const pattern = `${flags}${how === 'suffix' && TERM_START.test(value) ? '' : left}${escapeRegex(value)}${right}`;
    if (!left && !right) {
      return cs
        ? `contains(${haystack}, ${ctx.ctx.dialect.string(value)})`
        : `contains(lower(${haystack}), ${ctx.ctx.dialect.string(value.toLowerCase())})`;
    }
    return `regexp_matches(${haystack}, ${ctx.ctx.dialect.string(pattern)})`;
  }
  const n = ctx.str(needle);
  const left =
    how === 'suffix'
      ? "''"
      : `CASE WHEN regexp_matches(${n}, '^[\\p{L}\\p{N}]') THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END`;
  const right =
    how === 'prefix'
      ? "''"
      : `CASE WHEN regexp_matches(${n}, '[\\p{L}\\p{N}]$') THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END`;
  return `regexp_matches(${haystack}, '${flags}' || ${left} || ${escapeRegexSql(ctx.ctx.dialect, n)} || ${right})`;
}

type StringTest = (a: string, b: string) => string;

/** A string operator, case-insensitive unless `cs`, and its negation (true for missing values). */
function stringOp(test: StringTest, cs: boolean, negate: boolean): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    const left = cs ? ctx.str(a) : `lower(${ctx.str(a)})`;
    const right = cs ? ctx.str(b) : `lower(${ctx.str(b)})`;
    const positive = test(left, right);
    return negate ? `(NOT ${positive})` : positive;
  };
}

function hasOp(
  how: 'term' | 'prefix' | 'suffix',
  cs: boolean,
  negate: boolean
): Emit {
  return (call, ctx) => {
    const positive = hasTerm(ctx, call.args[0], call.args[1], how, cs);
    return negate ? `(NOT ${positive})` : positive;
  };
}

/** The values of `in`/`has_any` lists: literals, dynamic arrays and subqueries. */
function listItems(
  call: ICall,
  ctx: IScalarEmitter
): { scalars: Expr[]; arrays: string[]; subqueries: string[] } {
  const scalars: Expr[] = [];
  const arrays: string[] = [];
  const subqueries: string[] = [];
  for (const arg of call.args.slice(1)) {
    if (arg.kind === 'subquery') {
      const relation = ctx.ctx.relation(arg.query);
      const first = arg.query.schema[0];
      subqueries.push(
        `SELECT ${ctx.ctx.dialect.identifier(first.name)} FROM ${relation}`
      );
    } else if (
      arg.kind === 'literal' &&
      arg.type === 'dynamic' &&
      typeof arg.value === 'string'
    ) {
      const values = JSON.parse(arg.value) as unknown;
      for (const value of Array.isArray(values) ? values : [values]) {
        scalars.push(jsonLiteral(arg, value));
      }
    } else if (arg.type === 'dynamic' || arg.type === 'unknown') {
      arrays.push(ctx.sql(arg));
    } else {
      scalars.push(arg);
    }
  }
  return { scalars, arrays, subqueries };
}

function jsonLiteral(at: Expr, value: unknown): Expr {
  if (typeof value === 'number') {
    return {
      kind: 'literal',
      span: at.span,
      type: Number.isInteger(value) ? 'long' : 'real',
      value: String(value)
    };
  }
  if (typeof value === 'boolean') {
    return { kind: 'literal', span: at.span, type: 'bool', value };
  }
  if (value === null) {
    return { kind: 'literal', span: at.span, type: 'string', value: '' };
  }
  return {
    kind: 'literal',
    span: at.span,
    type: 'string',
    value: typeof value === 'string' ? value : JSON.stringify(value)
  };
}

/** `in`, `!in`, `in~`, `!in~`. */
function inOp(caseless: boolean, negate: boolean): Emit {
  return (call, ctx) => {
    const left = call.args[0];
    const { scalars, arrays, subqueries } = listItems(call, ctx);
    const text =
      left.type === 'string' ||
      left.type === 'guid' ||
      left.type === 'dynamic' ||
      caseless;
    const norm = (sql: string) => (caseless ? `lower(${sql})` : sql);
    const lhs = text ? norm(ctx.str(left)) : ctx.sql(left);
    const tests: string[] = [];
    if (scalars.length > 0) {
      const values = scalars.map(s =>
        text ? norm(ctx.str(s)) : ctx.as(s, left.type)
      );
      tests.push(`${lhs} IN (${values.join(', ')})`);
    }
    for (const array of arrays) {
      tests.push(
        `list_contains(list_transform(json_extract_string(${array}, '$[*]'), x -> ${caseless ? 'lower(x)' : 'x'}), ${text ? lhs : `CAST(${lhs} AS VARCHAR)`})`
      );
    }
    for (const subquery of subqueries) {
      tests.push(
        caseless
          ? `${lhs} IN (SELECT lower(CAST(v AS VARCHAR)) FROM (${subquery}) s(v))`
          : `${lhs} IN (${subquery})`
      );
    }
    if (tests.length === 0) {
      return negate ? 'TRUE' : 'FALSE';
    }
    // In a filter a null test drops the row like false does; without coalesce DuckDB plans
    // `x in (subquery)` as a semi-join.
    if (ctx.inPredicate && !negate) {
      return `(${tests.join(' OR ')})`;
    }
    const positive = `coalesce(${tests.join(' OR ')}, FALSE)`;
    return negate ? `(NOT ${positive})` : positive;
  };
}

/** `has_any`, `has_all`: `has` against each element. */
function hasList(all: boolean): Emit {
  return (call, ctx) => {
    const left = call.args[0];
    const { scalars, arrays, subqueries } = listItems(call, ctx);
    const tests = scalars.map(s => hasTerm(ctx, left, s, 'term', false));
    const haystack = `lower(${ctx.str(left)})`;
    const lambda = (source: string) =>
      `list_${all ? 'bool_and' : 'bool_or'}(list_transform(${source}, t -> regexp_matches(${haystack}, CASE WHEN regexp_matches(t, '^[\\p{L}\\p{N}]') THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END || ${escapeRegexSql(ctx.ctx.dialect, 'lower(t)')} || CASE WHEN regexp_matches(t, '[\\p{L}\\p{N}]$') THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END)))`;
    for (const array of arrays) {
      tests.push(
        `coalesce(${lambda(`json_extract_string(${array}, '$[*]')`)}, ${all ? 'TRUE' : 'FALSE'})`
      );
    }
    for (const subquery of subqueries) {
      tests.push(
        `coalesce(${lambda(`(SELECT list(CAST(v AS VARCHAR)) FROM (${subquery}) s(v))`)}, ${all ? 'TRUE' : 'FALSE'})`
      );
    }
    if (tests.length === 0) {
      return all ? 'TRUE' : 'FALSE';
    }
    return `(${tests.join(all ? ' AND ' : ' OR ')})`;
  };
}

const strcat: Emit = (call, ctx) =>
  `concat(${call.args.map(a => ctx.str(a)).join(', ')})`;

const split: Emit = (call, ctx) => {
  const [s, delimiter, index] = call.args;
  const parts = `to_json(string_split(${ctx.str(s)}, ${ctx.str(delimiter)}))`;
  if (!index) {
    return parts;
  }
  // Kusto returns an array holding the requested part, or an empty array when there is none.
  const list = `string_split(${ctx.str(s)}, ${ctx.str(delimiter)})`;
  const i = ctx.as(index, 'long');
  return `to_json(CASE WHEN ${i} >= 0 AND ${i} < len(${list}) THEN [${list}[${i} + 1]] ELSE CAST([] AS VARCHAR[]) END)`;
};

/** `substring`: a negative start counts from the end; a negative length gives "". */
const substring: Emit = (call, ctx) => {
  const [s, start, length] = call.args;
  const text = ctx.str(s);
  const at = ctx.as(start, 'long');
  const from = `CASE WHEN ${at} < 0 THEN greatest(length(${text}) + ${at}, 0) ELSE ${at} END + 1`;
  if (!length) {
    return `substr(${text}, ${from})`;
  }
  const n = ctx.as(length, 'long');
  return `CASE WHEN ${n} < 0 THEN '' ELSE substr(${text}, ${from}, ${n}) END`;
};

/**
 * SQL for a regular expression argument: a literal is translated from .NET's dialect to RE2's
 * (or refused); a computed one is passed as it is.
 */
export function regexArg(
  ctx: IScalarEmitter,
  e: Expr,
  options?: IRegexOptions
): string {
  return e.kind === 'literal' && typeof e.value === 'string'
    ? ctx.ctx.dialect.string(translateRegex(e.value, e.span, options))
    : ctx.str(e);
}

/** `extract`: RE2 numbers at most 9 groups, so a later group is made the only capturing one. */
const extract: Emit = (call, ctx) => {
  const [pattern, group, s, type] = call.args;
  const index =
    group.kind === 'literal' && group.value !== null ? Number(group.value) : -1;
  const text =
    index > 9
      ? `regexp_extract(${ctx.str(s)}, ${regexArg(ctx, pattern, { keepGroup: index })}, 1)`
      : `regexp_extract(${ctx.str(s)}, ${regexArg(ctx, pattern)}, ${ctx.as(group, 'int')})`;
  const target = call.type;
  if (type || (target !== 'string' && target !== 'unknown')) {
    return `TRY_CAST(nullif(${text}, '') AS ${ctx.ctx.dialect.type(target)})`;
  }
  return text;
};

/**
 * `extract_all`: with no capture group, the whole matches; with one, that group's values; with
 * several, one array of the groups' values per match.
 */
export const extractAll: Emit = (call, ctx) => {
  const [pattern, second, third] = call.args;
  if (third) {
    throw new UnsupportedError('extract_all with a group list', call.span);
  }
  if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') {
    throw new UnsupportedError(
      'extract_all of a pattern that is not a literal without a group list',
      call.span,
      'list the groups to extract: extract_all(pattern, dynamic([1]), text)'
    );
  }
  const text = ctx.str(second);
  const regex = regexArg(ctx, pattern);
  const groups = groupCount(pattern.value);
  if (groups <= 1) {
    return `to_json(regexp_extract_all(${text}, ${regex}, ${groups}))`;
  }
  const lists = Array.from(
    { length: groups },
    (_, i) => `regexp_extract_all(${text}, ${regex}, ${i + 1})`
  );
  return `to_json(list_transform(range(len(${lists[0]})), i -> [${lists.map(l => `${l}[i + 1]`).join(', ')}]))`;
};

const replaceRegex: Emit = (call, ctx) => {
  const [s, pattern, replacement] = call.args;
  return `regexp_replace(${ctx.str(s)}, ${regexArg(ctx, pattern)}, ${ctx.str(replacement)}, 'g')`;
};

/** `trim`, `trim_start`, `trim_end`: one match of the expression at each end, not repetitions. */
const trim =
  (where: 'both' | 'start' | 'end'): Emit =>
  (call, ctx) => {
    const [pattern, s] = call.args;
    const p = regexArg(ctx, pattern);
    const left = `'^(?:' || ${p} || ')'`;
    const right = `'(?:' || ${p} || ')$'`;
    let out = ctx.str(s);
    if (where !== 'end') {
      out = `regexp_replace(${out}, ${left}, '')`;
    }
    if (where !== 'start') {
      out = `regexp_replace(${out}, ${right}, '')`;
    }
    return out;
  };

/** `countof`: plain matches may overlap (`countof("aaaa", "aa")` is 3); regex matches do not. */
const countof: Emit = (call, ctx) => {
  const [s, sub, kind] = call.args;
  const text = ctx.str(s);
  if (kind) {
    if (kind.kind !== 'literal' || typeof kind.value !== 'string') {
      throw new UnsupportedError('countof with a computed kind', kind.span);
    }
    if (kind.value === 'regex') {
      return `CAST(len(regexp_extract_all(${text}, ${regexArg(ctx, sub)})) AS BIGINT)`;
    }
  }
  const needle = ctx.str(sub);
  return `CAST(CASE WHEN length(${needle}) = 0 THEN 0 ELSE len(list_filter(range(1, length(${text}) - length(${needle}) + 2), i -> substr(${text}, i, length(${needle})) = ${needle})) END AS BIGINT)`;
};

/** `parse_url`: the parts of a URL as Kusto's property bag names them. */
const parseUrl: Emit = (call, ctx) => {
  const url = ctx.str(call.args[0]);
  const re = ctx.ctx.dialect.string(
    '^(?:([^:/?#]+):)?(?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::(\\d+))?)?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$'
  );
  const part = (i: number) => `regexp_extract(${url}, ${re}, ${i})`;
  const query = part(7);
  const parameters = `CASE WHEN ${query} = '' THEN CAST('{}' AS JSON) ELSE to_json(map_from_entries(list_transform(string_split(${query}, '&'), kv -> {'k': url_decode(split_part(kv, '=', 1)), 'v': url_decode(split_part(kv, '=', 2))}))) END`;
  return `json_object('Scheme', ${part(1)}, 'Host', ${part(4)}, 'Port', ${part(5)}, 'Path', regexp_replace(${part(6)}, '^/', ''), 'Username', ${part(2)}, 'Password', ${part(3)}, 'Query Parameters', ${parameters}, 'Fragment', ${part(8)})`;
};

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const STRING_FUNCTIONS: Record<string, Emit> = {
  contains: stringOp((a, b) => `contains(${a}, ${b})`, false, false),
  '!contains': stringOp((a, b) => `contains(${a}, ${b})`, false, true),
  contains_cs: stringOp((a, b) => `contains(${a}, ${b})`, true, false),
  '!contains_cs': stringOp((a, b) => `contains(${a}, ${b})`, true, true),
  startswith: stringOp((a, b) => `starts_with(${a}, ${b})`, false, false),
  '!startswith': stringOp((a, b) => `starts_with(${a}, ${b})`, false, true),
  startswith_cs: stringOp((a, b) => `starts_with(${a}, ${b})`, true, false),
  '!startswith_cs': stringOp((a, b) => `starts_with(${a}, ${b})`, true, true),
  endswith: stringOp((a, b) => `suffix(${a}, ${b})`, false, false),
  '!endswith': stringOp((a, b) => `suffix(${a}, ${b})`, false, true),
  endswith_cs: stringOp((a, b) => `suffix(${a}, ${b})`, true, false),
  '!endswith_cs': stringOp((a, b) => `suffix(${a}, ${b})`, true, true),
  has: hasOp('term', false, false),
  '!has': hasOp('term', false, true),
  has_cs: hasOp('term', true, false),
  '!has_cs': hasOp('term', true, true),
  hasprefix: hasOp('prefix', false, false),
  '!hasprefix': hasOp('prefix', false, true),
  hasprefix_cs: hasOp('prefix', true, false),
  hassuffix: hasOp('suffix', false, false),
  '!hassuffix': hasOp('suffix', false, true),
  hassuffix_cs: hasOp('suffix', true, false),
  'matches regex': (call, ctx) =>
    `regexp_matches(${ctx.str(call.args[0])}, ${regexArg(ctx, call.args[1])})`,
  in: inOp(false, false),
  '!in': inOp(false, true),
  'in~': inOp(true, false),
  '!in~': inOp(true, true),
  has_any: hasList(false),
  has_all: hasList(true),
  strcat,
  unicode_codepoints_from_string: (call, ctx) =>
    `to_json(list_transform(string_split(${ctx.str(call.args[0])}, ''), c -> unicode(c)))`,
  strcat_delim: (call, ctx) =>
    `concat_ws(${ctx.str(call.args[0])}, ${call.args
      .slice(1)
      .map(a => ctx.str(a))
      .join(', ')})`,
  strlen: (call, ctx) =>
    `CAST(${ctx.fn('length', ctx.str(call.args[0]))} AS BIGINT)`,
  tolower: (call, ctx) => ctx.fn('lower', ctx.str(call.args[0])),
  toupper: (call, ctx) => ctx.fn('upper', ctx.str(call.args[0])),
  substring,
  split,
  extract,
  extract_all: extractAll,
  replace_string: (call, ctx) =>
    `replace(${ctx.str(call.args[0])}, ${ctx.str(call.args[1])}, ${ctx.str(call.args[2])})`,
  replace_regex: replaceRegex,
  trim: trim('both'),
  trim_start: trim('start'),
  trim_end: trim('end'),
  countof,
  reverse: (call, ctx) => ctx.fn('reverse', ctx.str(call.args[0])),
  // At most 1024 copies, joined by the delimiter (Kusto's strrep page).
  strrep: (call, ctx) => {
    const [value, times, delimiter] = call.args;
    const n = `least(${ctx.as(times, 'long')}, 1024)`;
    const v = ctx.str(value);
    const d = delimiter ? ctx.str(delimiter) : "''";
    return `CASE WHEN ${n} >= 1 THEN repeat(${v} || ${d}, ${n} - 1) || ${v} ELSE '' END`;
  },
  base64_decode_tostring: (call, ctx) =>
    `TRY_CAST(from_base64(${ctx.str(call.args[0])}) AS VARCHAR)`,
  base64_encode_tostring: (call, ctx) =>
    `to_base64(encode(${ctx.str(call.args[0])}))`,
  hash_sha256: (call, ctx) => ctx.fn('sha256', ctx.str(call.args[0])),
  hash_md5: (call, ctx) => ctx.fn('md5', ctx.str(call.args[0])),
  string_size: (call, ctx) =>
    `CAST(octet_length(encode(${ctx.str(call.args[0])})) AS BIGINT)`,
  parse_url: parseUrl
};
