/**
 * Kusto's text and lookup functions beyond `scalar.ts` and `library.ts`, as Kusto's documentation
 * defines them: `extract_all` with a group list, `indexof_regex`, `array_index_of` with a range and
 * an occurrence, `format_bytes`, `dynamic_to_json`, `parse_path`, `parse_command_line`,
 * `parse_version`, `parse_urlquery`, `url_encode_component`, `base64_encode_fromarray`,
 * `extract_json` and `replace_strings`.
 * `library.ts` merges these entries into the function table (they replace `scalar.ts`'s simpler
 * ones of the same name).
 */
import type { ICall } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { IDialect } from './dialect';
import { jsonList } from './functions/dynamic';
import type { Emit, IScalarEmitter } from './functions/emit';
import { extractAll, noMatchNull, regexArg } from './functions/strings';
import { groupCount } from './regex';
import { bind } from './series';

// -------------------------------------------------------------------------------------------------
// extract_all with a group list

/** The names of a pattern's capture groups in order (null for a group without a name). */
function groupNames(pattern: string): (string | null)[] {
  const names: (string | null)[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      const named = /^\(\?(?:P?<(\w+)>|'(\w+)')/.exec(pattern.slice(i));
      if (named) {
        names.push(named[1] ?? named[2]);
      } else if (pattern[i + 1] !== '?') {
        names.push(null);
      }
    }
  }
  return names;
}

/**
 * `extract_all(regex, groups, text)`: the listed groups (numbers, or names of named groups) of
 * every match; one group gives an array of strings, several an array per match.
 */
export function extractAllGroups(call: ICall, ctx: IScalarEmitter): string {
  const [pattern, list, source] = call.args;
  if (list.kind !== 'literal' || typeof list.value !== 'string') {
    throw new UnsupportedError(
      'extract_all with a computed group list',
      list.span
    );
  }
  const literal =
    pattern.kind === 'literal' && typeof pattern.value === 'string'
      ? pattern.value
      : null;
  const d = ctx.ctx.dialect;
  const names = literal === null ? [] : groupNames(literal);
  const wanted = JSON.parse(list.value) as unknown[];
  const indices = wanted.map(g => {
    const index =
      typeof g === 'number' ? g : names.indexOf(String(g)) + 1 || NaN;
    if (
      !Number.isInteger(index) ||
      index < 1 ||
      (literal !== null && index > groupCount(literal)) ||
      (literal === null && (typeof g !== 'number' || index > 9))
    ) {
      throw new UnsupportedError(
        `extract_all with the group ${JSON.stringify(g)}`,
        list.span,
        literal === null
          ? 'a computed pattern can only name its groups 1 to 9'
          : 'the pattern has no such group'
      );
    }
    return index;
  });
  return bind(d, [ctx.str(source)], text => {
    // RE2 numbers at most 9 groups: a later one is made the pattern's only capturing group.
    const lists = indices.map(i =>
      i > 9
        ? `${d.fn('regexp_extract_all')}(${text}, ${regexArg(ctx, pattern, { keepGroup: i })}, 1)`
        : `${d.fn('regexp_extract_all')}(${text}, ${regexArg(ctx, pattern)}, ${i})`
    );
    if (lists.length === 1) {
      return noMatchNull(d, `${d.call('to_json', [lists[0]])}`);
    }
    return bind(d, lists, (...bound) =>
      bind(d, [`${d.fn('len')}(${bound[0]})`], n =>
        noMatchNull(
          d,
          `${d.call('to_json', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${n} + 1`])}, __m -> [${bound.map(l => `${l}[__m]`).join(', ')}])`])}`
        )
      )
    );
  });
}

// -------------------------------------------------------------------------------------------------
// Positions

/**
 * `indexof_regex(s, regex[, start[, length[, occurrence]]])`: the zero-based position of the
 * occurrence-th match, matches not overlapping, among the `length` characters from `start`; -1
 * when there is none; null for a negative start or occurrence or a length below -1.
 */
const indexofRegex: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [source, pattern, start, size, occurrence] = call.args;
  const regex = regexArg(ctx, pattern);
  return bind(
    d,
    [
      ctx.str(source),
      start ? ctx.as(start, 'long') : '0',
      size ? ctx.as(size, 'long') : '-1',
      occurrence ? ctx.as(occurrence, 'long') : '1'
    ],
    (s, from, len, n) =>
      bind(
        d,
        [
          `CASE WHEN ${len} = -1 THEN ${d.fn('substr')}(${s}, ${from} + 1) ELSE ${d.fn('substr')}(${s}, ${from} + 1, ${len}) END`
        ],
        part =>
          bind(
            d,
            [
              `${d.fn('regexp_split_to_array')}(${part}, ${regex})`,
              `${d.fn('regexp_extract_all')}(${part}, ${regex})`
            ],
            (pieces, matches) => {
              const before = `${d.call('list_sum', [`${d.fn('list_transform')}(${d.call('list_slice', [pieces, `1`, n])}, __p -> ${d.fn('length')}(__p))`])} + ${d.fn('coalesce')}(${d.call('list_sum', [`${d.fn('list_transform')}(${d.call('list_slice', [matches, `1`, `${n} - 1`])}, __p -> ${d.fn('length')}(__p))`])}, 0)`;
              return `CASE WHEN ${from} < 0 OR ${n} < 0 OR ${len} < -1 THEN NULL WHEN ${n} = 0 OR ${d.fn('len')}(${matches}) < ${n} THEN -1 ELSE CAST(${from} + ${before} AS BIGINT) END`;
            }
          )
      )
  );
};

/**
 * `array_index_of(a, value[, start[, length[, occurrence]]])`: the zero-based index of the
 * occurrence-th element equal to the value among the `length` elements from `start` (negative:
 * counted from the end); -1 when there is none; null for a negative occurrence or a length below
 * -1. Elements compare as text, as `array_index_of` without a range does.
 */
const arrayIndexOf: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [array, value, start, size, occurrence] = call.args;
  return bind(
    d,
    [
      `${d.fn('json_extract_string')}(${ctx.as(array, 'dynamic')}, '$[*]')`,
      ctx.str(value),
      start ? ctx.as(start, 'long') : '0',
      size ? ctx.as(size, 'long') : '-1',
      occurrence ? ctx.as(occurrence, 'long') : '1'
    ],
    (items, v, given, len, n) =>
      bind(
        d,
        [
          `${d.fn('greatest')}(CASE WHEN ${given} < 0 THEN ${d.fn('len')}(${items}) + ${given} ELSE ${given} END, 0)`
        ],
        from => {
          const to = `CASE WHEN ${len} = -1 THEN ${d.fn('len')}(${items}) ELSE ${d.fn('least')}(${from} + ${len}, ${d.fn('len')}(${items})) END`;
          const found = `${d.fn('list_filter')}(${d.call('range', [from, to])}, __i -> ${items}[__i + 1] = ${v})`;
          return `CASE WHEN ${n} < 0 OR ${len} < -1 THEN NULL WHEN ${items} IS NULL THEN NULL ELSE CAST(${d.fn('coalesce')}(${found}[${n}], -1) AS BIGINT) END`;
        }
      )
  );
};

// -------------------------------------------------------------------------------------------------
// format_bytes

const BYTE_UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/**
 * `format_bytes(size[, precision[, units]])`: the size in the given unit (by default the largest
 * whose factor of 1024 it reaches), rounded to `precision` decimals, and the unit's name.
 */
const formatBytes: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [size, precision, units] = call.args;
  const digits = precision ? ctx.as(precision, 'long') : '0';
  const named = units ? ctx.str(units) : "''";
  return bind(d, [ctx.as(size, 'real'), digits, named], (x, p, u) => {
    const auto = `${d.fn('least')}(${d.fn('greatest')}(CAST(${d.fn('floor')}(${d.fn('log')}(1024, ${d.fn('greatest')}(${d.fn('abs')}(${x}), 1))) AS INTEGER), 0), 6)`;
    const given = `${d.call('list_position', [`[${BYTE_UNITS.map(n => `'${n.toLowerCase()}'`).join(', ')}]`, `${d.fn('lower')}(${u})`])} - 1`;
    return bind(
      d,
      [`CASE WHEN ${u} = '' THEN ${auto} ELSE ${given} END`],
      power => {
        const value = `${d.fn('round')}(${x} / ${d.fn('power')}(1024, ${power}), CAST(${p} AS INTEGER))`;
        // .NET prints a rounded double without trailing zeros.
        const text = `CASE WHEN ${value} = ${d.call('trunc', [value])} THEN CAST(CAST(${value} AS HUGEINT) AS VARCHAR) ELSE CAST(${value} AS VARCHAR) END`;
        return `CASE WHEN ${x} IS NOT NULL AND ${power} IS NOT NULL THEN ${text} || ' ' || [${BYTE_UNITS.map(n => `'${n}'`).join(', ')}][${power} + 1] END`;
      }
    );
  });
};

// -------------------------------------------------------------------------------------------------
// dynamic_to_json

/** How deep `dynamic_to_json` follows nested arrays and bags. */
const CANONICAL_DEPTH = 5;

/**
 * The canonical text of a JSON value at most `depth` levels deep: bags with their keys sorted,
 * arrays in order, scalars as JSON; deeper values stop the query with a clear error rather than
 * come out unsorted.
 */
function canonicalJson(d: IDialect, v: string, depth: number): string {
  if (depth === 0) {
    return `CASE WHEN ${d.fn('json_type')}(${v}) IN ('OBJECT', 'ARRAY') THEN ${d.fn('error')}('dynamic_to_json: a value nested deeper than ${CANONICAL_DEPTH} levels is not supported locally') ELSE CAST(${v} AS VARCHAR) END`;
  }
  const e = `__e${depth}`;
  const k = `__k${depth}`;
  const entries = `CASE WHEN ${d.fn('json_type')}(${v}) = 'OBJECT' THEN ${d.fn('list_transform')}(${d.fn('list_sort')}(${d.call('json_keys', [v])}), ${k} -> {'p': CAST(${d.call('to_json', [k])} AS VARCHAR) || ':', 'v': ${d.fn('json_extract')}(${v}, '$."' || ${d.fn('replace')}(${k}, '"', '\\"') || '"')}) ELSE ${d.fn('list_transform')}(CAST(${v} AS JSON[]), ${k} -> {'p': '', 'v': ${k}}) END`;
  return `CASE WHEN ${d.fn('json_type')}(${v}) IN ('OBJECT', 'ARRAY') THEN (CASE WHEN ${d.fn('json_type')}(${v}) = 'OBJECT' THEN '{' ELSE '[' END) || ${d.fn('array_to_string')}(${d.fn('list_transform')}(${entries}, ${e} -> ${e}.p || ${canonicalJson(d, `${e}.v`, depth - 1)}), ',') || (CASE WHEN ${d.fn('json_type')}(${v}) = 'OBJECT' THEN '}' ELSE ']' END) ELSE CAST(${v} AS VARCHAR) END`;
}

/** `dynamic_to_json(x)`: a dynamic value's canonical JSON; other types as `tostring`. */
const dynamicToJson: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const arg = call.args[0];
  if (arg.type !== 'dynamic' && arg.type !== 'unknown') {
    return ctx.str(arg);
  }
  return bind(
    d,
    [ctx.sql(arg)],
    v => `${d.fn('coalesce')}(${canonicalJson(d, v, CANONICAL_DEPTH)}, '')`
  );
};

// -------------------------------------------------------------------------------------------------
// parse_path and parse_command_line

/**
 * `parse_path(path)`: a bag of the scheme (`file://`), the drive (`C:`), the directory path
 * (everything before the last `/` or `\`), its last name, the file name, its extension (after the
 * last dot) and an alternate data stream (`file.txt:stream`), as the documented examples show.
 */
const parsePath: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [ctx.str(call.args[0])], text =>
    bind(
      d,
      [
        `${d.fn('regexp_extract')}(${text}, '^([A-Za-z][A-Za-z0-9+.-]*)://', 1)`,
        `${d.call('regexp_replace', [text, `'^[A-Za-z][A-Za-z0-9+.-]*://'`, `''`])}`
      ],
      (scheme, path) =>
        bind(
          d,
          [
            `${d.fn('regexp_extract')}(${path}, '^(.*)[/\\\\]', 1)`,
            `${d.fn('regexp_extract')}(${path}, '([^/\\\\]*)$', 1)`
          ],
          (directory, last) =>
            bind(
              d,
              [
                // A colon in the last name that is not a drive's starts a data stream.
                `CASE WHEN ${directory} = '' AND ${d.call('regexp_matches', [last, `'^[A-Za-z]:'`])} THEN ${d.fn('regexp_extract')}(${d.fn('substr')}(${last}, 3), '^([^:]*)', 1) ELSE ${d.fn('regexp_extract')}(${last}, '^([^:]*)', 1) END`,
                `CASE WHEN ${directory} = '' AND ${d.call('regexp_matches', [last, `'^[A-Za-z]:'`])} THEN ${d.fn('regexp_extract')}(${d.fn('substr')}(${last}, 3), ':(.*)$', 1) ELSE ${d.fn('regexp_extract')}(${last}, ':(.*)$', 1) END`
              ],
              (file, stream) =>
                `${d.call('json_object', [`'Scheme'`, scheme, `'RootPath'`, `${d.fn('regexp_extract')}(${path}, '^([A-Za-z]:)', 1)`, `'DirectoryPath'`, directory, `'DirectoryName'`, `${d.fn('regexp_extract')}(${directory}, '([^/\\\\]*)$', 1)`, `'Filename'`, file, `'Extension'`, `${d.fn('regexp_extract')}(${file}, '\\.([^.]*)$', 1)`, `'AlternateDataStreamName'`, stream])}`
            )
        )
    )
  );
};

/**
 * `parse_command_line(text, "windows")`: the arguments as `CommandLineToArgvW` splits them. The
 * program name ends at the next quote when it starts with one, else at a space or tab, with no
 * escapes. The rest is split at spaces and tabs outside quotes; 2n backslashes before a quote are
 * n backslashes and the quote toggles quoting, 2n + 1 are n and a literal quote; in a run of
 * quotes every third is literal (the quote count `q` goes 1, 2, 3 → a quote and 0; 2 ends as 0).
 * The quoting state before each piece is the fold of each piece's state transition over the
 * pieces before it (a transition is two bits: the state after 0 and after 1).
 */
const parseCommandLine: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [line, kind] = call.args;
  if (
    kind.kind !== 'literal' ||
    String(kind.value).toLowerCase() !== 'windows'
  ) {
    throw new UnsupportedError(
      'parse_command_line with a parser other than "windows"',
      kind.span
    );
  }
  return bind(d, [ctx.str(line)], s =>
    bind(
      d,
      [
        `CASE WHEN ${d.fn('starts_with')}(${s}, '"') THEN ${d.fn('regexp_extract')}(${s}, '^"([^"]*)', 1) ELSE ${d.fn('regexp_extract')}(${s}, '^[^ \\t]*') END`,
        `${d.call('ltrim', [`CASE WHEN ${d.fn('starts_with')}(${s}, '"') THEN ${d.call('regexp_replace', [s, `'^"[^"]*"?'`, `''`])} ELSE ${d.call('regexp_replace', [s, `'^[^ \\t]*'`, `''`])} END`, `' ' || ${d.fn('chr')}(9)`])}`
      ],
      (program, rest) =>
        bind(
          d,
          [
            `${d.fn('regexp_extract_all')}(${rest}, '\\\\*"+|\\\\+|[ \\t]+|[^\\\\" \\t]+')`
          ],
          pieces =>
            bind(
              d,
              [
                // Each piece: its backslashes b, quotes k, whether it is blank.
                `${d.fn('list_transform')}(${pieces}, __p -> {'t': __p, 'b': ${d.fn('length')}(${d.fn('regexp_extract')}(__p, '^\\\\*')), 'k': ${d.fn('length')}(${d.fn('regexp_extract')}(__p, '"*$')), 'w': ${d.call('regexp_matches', [`__p`, `'^[ \\t]+$'`])}})`
              ],
              parts => {
                // The quotes a run of k counts (an escaped first one does not), from state q.
                const counted = (p: string) =>
                  `(${p}.k - CASE WHEN ${p}.b % 2 = 1 THEN 1 ELSE 0 END)`;
                const after = (p: string, q: string) =>
                  `CASE WHEN ${p}.k = 0 THEN ${q} WHEN (${q} + ${counted(p)}) % 3 = 1 THEN 1 ELSE 0 END`;
                const transitions = `${d.fn('list_transform')}(${parts}, __p -> CAST(${after('__p', '0')} + 2 * (${after('__p', '1')}) AS INTEGER))`;
                return bind(d, [transitions], t =>
                  bind(
                    d,
                    [
                      `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${parts}) + 1`])}, __i -> ${d.call('list_reduce', [`${d.call('list_prepend', [`0`, `${d.call('list_slice', [t, `1`, `__i - 1`])}`])}`, `(__q, __f) -> (__f >> __q) & 1`])})`
                    ],
                    states => {
                      const p = `${parts}[__i]`;
                      const q = `${states}[__i]`;
                      const separator = `(${p}.w AND ${q} = 0)`;
                      const output = `CASE WHEN ${p}.k = 0 THEN ${p}.t ELSE ${d.fn('repeat')}('\\', ${p}.b // 2) || CASE WHEN ${p}.b % 2 = 1 THEN '"' ELSE '' END || ${d.fn('repeat')}('"', (${q} + ${counted(p)}) // 3) END`;
                      return bind(
                        d,
                        [
                          `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${parts}) + 1`])}, __i -> {'sep': ${separator}, 'out': ${output}})`
                        ],
                        cells =>
                          bind(
                            d,
                            [
                              `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${cells}) + 1`])}, __i -> ${d.fn('len')}(${d.fn('list_filter')}(${d.call('list_slice', [cells, `1`, `__i`])}, __c -> __c.sep)))`
                            ],
                            group => {
                              const kept = `${d.fn('list_filter')}(${d.call('range', [`1`, `${d.fn('len')}(${cells}) + 1`])}, __i -> NOT ${cells}[__i].sep)`;
                              const groups = `${d.fn('list_sort')}(${d.fn('list_distinct')}(${d.fn('list_transform')}(${kept}, __i -> ${group}[__i])))`;
                              const word = `${d.fn('array_to_string')}(${d.fn('list_transform')}(${d.fn('list_filter')}(${kept}, __i -> ${group}[__i] = __g), __i -> ${cells}[__i].out), '')`;
                              return `${d.call('to_json', [`${d.fn('list_concat')}([${program}], ${d.fn('list_transform')}(${groups}, __g -> ${word}))`])}`;
                            }
                          )
                      );
                    }
                  )
                );
              }
            )
        )
    )
  );
};

/**
 * `parse_version(v)`: one to four dot-separated parts of up to eight digits, missing parts 0, as
 * the decimal p1·10^24 + p2·10^16 + p3·10^8 + p4; null for other text. The local decimal type
 * holds 28 integer digits, so a first part above 9999 stops the query with a clear error rather
 * than give null.
 */
const parseVersion: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [ctx.str(call.args[0])], v =>
    bind(
      d,
      [
        `${d.fn('list_transform')}(${d.call('range', [`1`, `5`])}, __k -> ${d.fn('coalesce')}(TRY_CAST(${d.fn('nullif')}(${d.fn('split_part')}(${v}, '.', __k), '') AS HUGEINT), 0))`
      ],
      parts => {
        const value = `((${parts}[1] * 100000000 + ${parts}[2]) * 100000000 + ${parts}[3]) * 100000000 + ${parts}[4]`;
        return `CASE WHEN NOT ${d.call('regexp_matches', [v, `'^\\d{1,8}(\\.\\d{1,8}){0,3}$'`])} THEN NULL WHEN ${parts}[1] > 9999 THEN ${d.fn('error')}('parse_version: a first part above 9999 does not fit the local decimal type') ELSE CAST(${value} AS ${ctx.ctx.dialect.type('decimal')}) END`;
      }
    )
  );
};

// -------------------------------------------------------------------------------------------------
// replace_strings

/**
 * `replace_strings(text, lookups, rewrites)`: each lookup in turn replaces its matches, left to
 * right without overlap, in the text no earlier lookup matched (an earlier lookup takes
 * precedence, as documented); a rewrite that is not a string keeps the match. The text is a
 * list of segments, those already matched protected from later lookups.
 */
const replaceStrings: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [text, lookups, rewrites] = call.args;
  return bind(
    d,
    [ctx.str(text), jsonList(ctx, lookups), jsonList(ctx, rewrites)],
    (t, ls, rs) => {
      // Each lookup as a one-element list of the segments' struct, so that the fold's
      // accumulator (the segments) and its elements have one type.
      const steps = `${d.fn('list_transform')}(${d.fn('list_filter')}(${d.call('range', [`1`, `${d.fn('len')}(${ls}) + 1`])}, __k -> ${d.fn('json_type')}(${ls}[__k]) = 'VARCHAR' AND ${d.fn('json_extract_string')}(${ls}[__k], '$') <> ''), __k -> [{'t': ${d.fn('json_extract_string')}(${ls}[__k], '$'), 'r': CASE WHEN ${d.fn('json_type')}(${rs}[__k]) = 'VARCHAR' THEN ${d.fn('json_extract_string')}(${rs}[__k], '$') ELSE ${d.fn('json_extract_string')}(${ls}[__k], '$') END, 'p': TRUE}])`;
      const split = `${d.fn('flatten')}(${d.fn('list_transform')}(${d.call('string_split', [`__g.t`, `__e[1].t`])}, (__part, __j) -> CASE WHEN __j < ${d.fn('len')}(${d.call('string_split', [`__g.t`, `__e[1].t`])}) THEN [{'t': __part, 'r': '', 'p': FALSE}, {'t': __e[1].r, 'r': '', 'p': TRUE}] ELSE [{'t': __part, 'r': '', 'p': FALSE}] END))`;
      const fold = `${d.call('list_reduce', [`${d.call('list_prepend', [`[{'t': ${t}, 'r': '', 'p': FALSE}]`, steps])}`, `(__acc, __e) -> ${d.fn('flatten')}(${d.fn('list_transform')}(__acc, __g -> CASE WHEN __g.p THEN [__g] ELSE ${split} END))`])}`;
      return `CASE WHEN ${ls} IS NULL THEN ${t} ELSE ${d.fn('array_to_string')}(${d.fn('list_transform')}(${fold}, __g -> __g.t), '') END`;
    }
  );
};

// -------------------------------------------------------------------------------------------------
// Names and forms of functions that exist under another name

/** The same call under another function's name (its arguments and type unchanged). */
function renamed(name: string): Emit {
  return (call, ctx) => ctx.sql({ ...call, name });
}

/** `parse_urlquery(query)`: `{"Query Parameters": {…}}`, as `parse_url` reads a URL's query. */
const parseUrlQuery: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const query = call.args[0];
  const url: ICall = {
    ...call,
    name: 'parse_url',
    type: 'dynamic',
    args: [
      {
        kind: 'call',
        span: query.span,
        type: 'string',
        name: 'strcat',
        args: [
          { kind: 'literal', span: query.span, type: 'string', value: '?' },
          query
        ]
      }
    ]
  };
  return `${d.call('json_object', [`'Query Parameters'`, `${d.fn('json_extract')}(${ctx.sql(url)}, '$."Query Parameters"')`])}`;
};

/** `url_encode_component(s)`: `url_encode` with a space as `%20` (a `+` of the text is `%2b`). */
const urlEncodeComponent: Emit = (call, ctx) =>
  ctx.fn('replace', ctx.sql({ ...call, name: 'url_encode' }), "'+'", "'%20'");

/** `base64_encode_fromarray(bytes)`: base64 of the bytes; null when an element is not a byte. */
const base64FromArray: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, [jsonList(ctx, call.args[0])], bytes =>
    bind(
      d,
      [
        `${d.fn('list_transform')}(${bytes}, __b -> CASE WHEN ${d.fn('json_type')}(__b) IN ('BIGINT', 'UBIGINT') AND CAST(__b AS BIGINT) BETWEEN 0 AND 255 THEN ${d.fn('lpad')}(${d.fn('hex')}(CAST(__b AS INTEGER)), 2, '0') END)`
      ],
      hexes =>
        `CASE WHEN ${hexes} IS NOT NULL AND ${d.call('list_position', [hexes, `NULL`])} IS NULL THEN ${d.fn('to_base64')}(${d.fn('unhex')}(${d.fn('array_to_string')}(${hexes}, ''))) END`
    )
  );
};

/** The entries of this file, merged into the function table. */
export function textFunctions(): Record<string, Emit> {
  return {
    extract_all: (call, ctx) =>
      call.args[2] ? extractAllGroups(call, ctx) : extractAll(call, ctx),
    indexof_regex: indexofRegex,
    array_index_of: arrayIndexOf,
    format_bytes: formatBytes,
    dynamic_to_json: dynamicToJson,
    parse_path: parsePath,
    parse_command_line: parseCommandLine,
    parse_version: parseVersion,
    parse_urlquery: parseUrlQuery,
    url_encode_component: urlEncodeComponent,
    base64_encode_fromarray: base64FromArray,
    extract_json: renamed('extractjson'),
    replace_strings: replaceStrings
  };
}
