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
  return `${d.call('regexp_replace', [sql, `'([\\\\^$.|?*+()\\[\\]{}])'`, `'\\\\\\1'`, `'g'`])}`;
}

/**
 * A needle of ASCII characters none of which is a letter (`@`, `10.0.`, `$`): its case-insensitive
 * match is the exact one, and the text need not be lower-cased first (no lower-casing gives
 * such a character either).
 */
function uncased(needle: string): boolean {
  return /^[\x20-\x40\x5b-\x60\x7b-\x7e]*$/.test(needle);
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
    const substring =
      cs || uncased(value)
        ? ctx.fn('contains', haystack, ctx.ctx.dialect.string(value))
        : ctx.fn(
            'contains',
            ctx.fn('lower', haystack),
            ctx.ctx.dialect.string(value.toLowerCase())
          );
    if (!left && !right) {
      return substring;
    }
    // The substring test first: it costs a fraction of the regular expression, which then only
    // reads the values that hold the needle somewhere.
    return `(${substring} AND ${ctx.fn('regexp_matches', haystack, ctx.ctx.dialect.string(pattern))})`;
  }
  const n = ctx.str(needle);
  const left =
    how === 'suffix'
      ? "''"
      : `CASE WHEN ${ctx.fn('regexp_matches', n, "'^[\\p{L}\\p{N}]'")} THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END`;
  const right =
    how === 'prefix'
      ? "''"
      : `CASE WHEN ${ctx.fn('regexp_matches', n, "'[\\p{L}\\p{N}]$'")} THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END`;
  return ctx.fn(
    'regexp_matches',
    haystack,
    `'${flags}' || ${left} || ${escapeRegexSql(ctx.ctx.dialect, n)} || ${right}`
  );
}

type StringTest = (a: string, b: string, ctx: IScalarEmitter) => string;

const contains: StringTest = (a, b, ctx) => ctx.fn('contains', a, b);
const startsWith: StringTest = (a, b, ctx) => ctx.fn('starts_with', a, b);
const endsWith: StringTest = (a, b, ctx) => ctx.fn('suffix', a, b);

/** A string operator, case-insensitive unless `cs`, and its negation (true for missing values). */
function stringOp(test: StringTest, cs: boolean, negate: boolean): Emit {
  return (call, ctx) => {
    const [a, b] = call.args;
    const exact =
      cs ||
      (b.kind === 'literal' && typeof b.value === 'string' && uncased(b.value));
    const left = exact ? ctx.str(a) : ctx.fn('lower', ctx.str(a));
    const right = exact ? ctx.str(b) : ctx.fn('lower', ctx.str(b));
    const positive = test(left, right, ctx);
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
    if (arg.kind === 'subquery' && arg.rows) {
      const relation = ctx.relation(arg.query);
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
    const norm = (sql: string) => (caseless ? ctx.fn('lower', sql) : sql);
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
        ctx.fn(
          'list_contains',
          ctx.fn(
            'list_transform',
            ctx.fn('json_extract_string', array, "'$[*]'"),
            `x -> ${caseless ? ctx.fn('lower', 'x') : 'x'}`
          ),
          text ? lhs : `CAST(${lhs} AS ${ctx.ctx.dialect.type('string')})`
        )
      );
    }
    for (const subquery of subqueries) {
      tests.push(
        caseless
          ? `${lhs} IN (SELECT ${ctx.fn('lower', `CAST(v AS ${ctx.ctx.dialect.type('string')})`)} FROM (${subquery}) s(v))`
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
    const positive = ctx.fn('coalesce', tests.join(' OR '), 'FALSE');
    return negate ? `(NOT ${positive})` : positive;
  };
}

/** At most this many needles go into one regular expression, far below RE2's memory budget. */
const NEEDLES_PER_PATTERN = 256;

/**
 * `has_any` over literal needles as one regular expression per `NEEDLES_PER_PATTERN`: needles
 * grouped by the term boundaries they need, each group an alternation between one pair of
 * boundaries. RE2 takes milliseconds to compile the Unicode class of a boundary, so one test per
 * needle made a list of 40 needles cost DuckDB a fifth of a second to prepare, and it scans the
 * text once instead of once per needle. A match of any alternative is a match of that needle, so
 * the answer is the same as testing each.
 */
function hasAnyLiterals(
  ctx: IScalarEmitter,
  text: Expr,
  needles: string[]
): string[] {
  const tests: string[] = [];
  for (let i = 0; i < needles.length; i += NEEDLES_PER_PATTERN) {
    const groups = new Map<string, string[]>();
    for (const value of needles.slice(i, i + NEEDLES_PER_PATTERN)) {
      const left = TERM_START.test(value) ? '(?:^|[^\\p{L}\\p{N}])' : '';
      const right = TERM_END.test(value) ? '(?:$|[^\\p{L}\\p{N}])' : '';
      const key = `${left}\u0000${right}`;
      groups.set(key, [...(groups.get(key) ?? []), escapeRegex(value)]);
    }
    const alternatives = [...groups].map(([key, values]) => {
      const [left, right] = key.split('\u0000');
      return `${left}(?:${values.join('|')})${right}`;
    });
    tests.push(
      ctx.fn(
        'regexp_matches',
        ctx.str(text),
        ctx.ctx.dialect.string(`(?i)${alternatives.join('|')}`)
      )
    );
  }
  return tests;
}

/** `has_any`, `has_all`: `has` against each element. */
function hasList(all: boolean): Emit {
  return (call, ctx) => {
    const left = call.args[0];
    const { scalars, arrays, subqueries } = listItems(call, ctx);
    const literal = (s: Expr): s is Expr & { value: string } =>
      s.kind === 'literal' && typeof s.value === 'string';
    const needles = all ? [] : scalars.filter(literal).map(s => s.value);
    if (needles.includes('')) {
      // Every text has the empty term.
      return 'TRUE';
    }
    const tests = [
      ...(needles.length > 1 ? hasAnyLiterals(ctx, left, needles) : []),
      ...scalars
        .filter(s => needles.length < 2 || !literal(s))
        .map(s => hasTerm(ctx, left, s, 'term', false))
    ];
    const haystack = ctx.fn('lower', ctx.str(left));
    const matches = (pattern: string) => ctx.fn('regexp_matches', 't', pattern);
    const term = `CASE WHEN ${matches("'^[\\p{L}\\p{N}]'")} THEN '(?:^|[^\\p{L}\\p{N}])' ELSE '' END || ${escapeRegexSql(ctx.ctx.dialect, ctx.fn('lower', 't'))} || CASE WHEN ${matches("'[\\p{L}\\p{N}]$'")} THEN '(?:$|[^\\p{L}\\p{N}])' ELSE '' END`;
    const lambda = (source: string) =>
      ctx.fn(
        all ? 'list_bool_and' : 'list_bool_or',
        ctx.fn(
          'list_transform',
          source,
          `t -> ${ctx.fn('regexp_matches', haystack, term)}`
        )
      );
    const empty = all ? 'TRUE' : 'FALSE';
    for (const array of arrays) {
      tests.push(
        ctx.fn(
          'coalesce',
          lambda(ctx.fn('json_extract_string', array, "'$[*]'")),
          empty
        )
      );
    }
    const text = `CAST(v AS ${ctx.ctx.dialect.type('string')})`;
    for (const subquery of subqueries) {
      if (ctx.ctx.dialect.capabilities.subqueriesInLambdas) {
        tests.push(
          ctx.fn(
            'coalesce',
            lambda(`(SELECT ${ctx.fn('list', text)} FROM (${subquery}) s(v))`),
            empty
          )
        );
        continue;
      }
      // Each row tested where it is read; a null test counts for neither, as in list_bool_or/and.
      const test = ctx.fn('regexp_matches', haystack, term);
      const rows = `SELECT 1 FROM (SELECT ${text} AS t FROM (${subquery}) s(v)) s`;
      tests.push(
        all
          ? `NOT EXISTS (${rows} WHERE NOT ${test})`
          : `EXISTS (${rows} WHERE ${test})`
      );
    }
    if (tests.length === 0) {
      return all ? 'TRUE' : 'FALSE';
    }
    return `(${tests.join(all ? ' AND ' : ' OR ')})`;
  };
}

const strcat: Emit = (call, ctx) =>
  ctx.fn('concat', ...call.args.map(a => ctx.str(a)));

const split: Emit = (call, ctx) => {
  const [s, delimiter, index] = call.args;
  const list = ctx.fn('string_split', ctx.str(s), ctx.str(delimiter));
  if (!index) {
    return ctx.fn('to_json', list);
  }
  // Kusto returns an array holding the requested part, or an empty array when there is none.
  const i = ctx.as(index, 'long');
  const d = ctx.ctx.dialect;
  return ctx.fn(
    'to_json',
    `CASE WHEN ${i} >= 0 AND ${i} < ${ctx.fn('len', list)} THEN ${d.list([d.at(list, `${i} + 1`)])} ELSE CAST(${d.list([])} AS ${d.listType(d.type('string'))}) END`
  );
};

/** `substring`: a negative start counts from the end; a negative length gives "". */
const substring: Emit = (call, ctx) => {
  const [s, start, length] = call.args;
  const text = ctx.str(s);
  const at = ctx.as(start, 'long');
  const from = `CASE WHEN ${at} < 0 THEN ${ctx.fn('greatest', `${ctx.fn('length', text)} + ${at}`, '0')} ELSE ${at} END + 1`;
  if (!length) {
    return ctx.fn('substr', text, from);
  }
  const n = ctx.as(length, 'long');
  return `CASE WHEN ${n} < 0 THEN '' ELSE ${ctx.fn('substr', text, from, n)} END`;
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
      ? ctx.fn(
          'regexp_extract',
          ctx.str(s),
          regexArg(ctx, pattern, { keepGroup: index }),
          '1'
        )
      : ctx.fn(
          'regexp_extract',
          ctx.str(s),
          regexArg(ctx, pattern),
          ctx.as(group, 'int')
        );
  const target = call.type;
  if (type || (target !== 'string' && target !== 'unknown')) {
    return `TRY_CAST(${ctx.fn('nullif', text, "''")} AS ${ctx.ctx.dialect.type(target)})`;
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
  const all = (group: number) =>
    ctx.fn('regexp_extract_all', text, regex, String(group));
  if (groups <= 1) {
    return noMatchNull(ctx.ctx.dialect, ctx.fn('to_json', all(groups)));
  }
  const lists = Array.from({ length: groups }, (_, i) => all(i + 1));
  return noMatchNull(
    ctx.ctx.dialect,
    ctx.fn(
      'to_json',
      ctx.fn(
        'list_transform',
        ctx.fn('range', ctx.fn('len', lists[0])),
        `i -> [${lists.map(l => `${l}[i + 1]`).join(', ')}]`
      )
    )
  );
};

/** `extract_all`'s array, null when nothing matched (as its page documents), not `[]`. */
export function noMatchNull(d: IDialect, array: string): string {
  return `${d.fn('nullif')}(${array}, '[]')`;
}

const replaceRegex: Emit = (call, ctx) => {
  const [s, pattern, replacement] = call.args;
  return ctx.fn(
    'regexp_replace',
    ctx.str(s),
    regexArg(ctx, pattern),
    ctx.str(replacement),
    "'g'"
  );
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
      out = ctx.fn('regexp_replace', out, left, "''");
    }
    if (where !== 'start') {
      out = ctx.fn('regexp_replace', out, right, "''");
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
      return `CAST(${ctx.fn('len', ctx.fn('regexp_extract_all', text, regexArg(ctx, sub)))} AS BIGINT)`;
    }
  }
  const needle = ctx.str(sub);
  const size = ctx.fn('length', needle);
  const starts = ctx.fn(
    'range',
    '1',
    `${ctx.fn('length', text)} - ${size} + 2`
  );
  const matches = ctx.fn(
    'list_filter',
    starts,
    `i -> ${ctx.fn('substr', text, 'i', size)} = ${needle}`
  );
  return `CAST(CASE WHEN ${size} = 0 THEN 0 ELSE ${ctx.fn('len', matches)} END AS BIGINT)`;
};

/** `parse_url`: the parts of a URL as Kusto's property bag names them. */
const parseUrl: Emit = (call, ctx) => {
  const url = ctx.str(call.args[0]);
  const re = ctx.ctx.dialect.string(
    '^(?:([^:/?#]+):)?(?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::(\\d+))?)?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$'
  );
  const part = (i: number) => ctx.fn('regexp_extract', url, re, String(i));
  const query = part(7);
  const side = (i: number) =>
    ctx.fn('url_decode', ctx.fn('split_part', 'kv', "'='", String(i)));
  const entries = ctx.fn(
    'list_transform',
    ctx.fn('string_split', query, "'&'"),
    `kv -> ${ctx.ctx.dialect.struct([
      ['k', side(1)],
      ['v', side(2)]
    ])}`
  );
  const parameters = `CASE WHEN ${query} = '' THEN ${ctx.ctx.dialect.json('{}')} ELSE ${ctx.fn('to_json', ctx.fn('map_from_entries', entries))} END`;
  return ctx.fn(
    'json_object',
    "'Scheme'",
    part(1),
    "'Host'",
    part(4),
    "'Port'",
    part(5),
    "'Path'",
    ctx.fn('regexp_replace', part(6), "'^/'", "''"),
    "'Username'",
    part(2),
    "'Password'",
    part(3),
    "'Query Parameters'",
    parameters,
    "'Fragment'",
    part(8)
  );
};

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const STRING_FUNCTIONS: Record<string, Emit> = {
  contains: stringOp(contains, false, false),
  '!contains': stringOp(contains, false, true),
  contains_cs: stringOp(contains, true, false),
  '!contains_cs': stringOp(contains, true, true),
  startswith: stringOp(startsWith, false, false),
  '!startswith': stringOp(startsWith, false, true),
  startswith_cs: stringOp(startsWith, true, false),
  '!startswith_cs': stringOp(startsWith, true, true),
  endswith: stringOp(endsWith, false, false),
  '!endswith': stringOp(endsWith, false, true),
  endswith_cs: stringOp(endsWith, true, false),
  '!endswith_cs': stringOp(endsWith, true, true),
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
    ctx.fn(
      'regexp_matches',
      ctx.str(call.args[0]),
      regexArg(ctx, call.args[1])
    ),
  in: inOp(false, false),
  '!in': inOp(false, true),
  'in~': inOp(true, false),
  '!in~': inOp(true, true),
  has_any: hasList(false),
  has_all: hasList(true),
  strcat,
  // Each character (splitting on '' gives [''] for an empty string, whose code point is -1).
  unicode_codepoints_from_string: (call, ctx) =>
    ctx.fn(
      'to_json',
      ctx.fn(
        'list_transform',
        ctx.fn('regexp_extract_all', ctx.str(call.args[0]), "'(?s)(.)'", '1'),
        `c -> ${ctx.fn('unicode', 'c')}`
      )
    ),
  strcat_delim: (call, ctx) =>
    ctx.fn('concat_ws', ...call.args.map(a => ctx.str(a))),
  strlen: (call, ctx) =>
    `CAST(${ctx.fn('length', ctx.str(call.args[0]))} AS BIGINT)`,
  tolower: (call, ctx) => ctx.fn('lower', ctx.str(call.args[0])),
  toupper: (call, ctx) => ctx.fn('upper', ctx.str(call.args[0])),
  substring,
  split,
  extract,
  extract_all: extractAll,
  replace_string: (call, ctx) =>
    ctx.fn(
      'replace',
      ctx.str(call.args[0]),
      ctx.str(call.args[1]),
      ctx.str(call.args[2])
    ),
  replace_regex: replaceRegex,
  trim: trim('both'),
  trim_start: trim('start'),
  trim_end: trim('end'),
  countof,
  reverse: (call, ctx) => ctx.fn('reverse', ctx.str(call.args[0])),
  // At most 1024 copies, joined by the delimiter (Kusto's strrep page).
  strrep: (call, ctx) => {
    const [value, times, delimiter] = call.args;
    const n = ctx.fn('least', ctx.as(times, 'long'), '1024');
    const v = ctx.str(value);
    const d = delimiter ? ctx.str(delimiter) : "''";
    return `CASE WHEN ${n} >= 1 THEN ${ctx.fn('repeat', `${v} || ${d}`, `${n} - 1`)} || ${v} ELSE '' END`;
  },
  // Text that is not base64 is null, as bytes that are not UTF-8 are (documented): not a stopped
  // query, nor bytes written as `\xC3` escapes (a cast of a BLOB).
  base64_decode_tostring: (call, ctx) =>
    ctx.ctx.dialect.attempt(
      ctx.fn(
        'decode',
        ctx.ctx.dialect.attempt(ctx.fn('from_base64', ctx.str(call.args[0])))
      )
    ),
  base64_encode_tostring: (call, ctx) =>
    ctx.fn('to_base64', ctx.fn('encode', ctx.str(call.args[0]))),
  hash_sha256: (call, ctx) => ctx.fn('sha256', ctx.str(call.args[0])),
  hash_md5: (call, ctx) => ctx.fn('md5', ctx.str(call.args[0])),
  string_size: (call, ctx) =>
    `CAST(${ctx.fn('octet_length', ctx.fn('encode', ctx.str(call.args[0])))} AS BIGINT)`,
  parse_url: parseUrl
};
