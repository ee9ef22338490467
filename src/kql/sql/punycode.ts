/**
 * `punycode_to_string`: RFC 3492's decoder (Bootstring with Punycode's parameters) as a fold over
 * the encoded digits, each step one iteration of the RFC's inner loop.
 */
import type { IDialect } from './dialect';
import type { Emit } from './functions/emit';
import { bind } from './series';

// RFC 3492, section 5.
const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

/** The digit value of an encoded character (a–z, A–Z: 0–25; 0–9: 26–35), else null. */
function digit(d: IDialect, c: string): string {
  const code = `${d.fn('unicode')}(${c})`;
  return `CASE WHEN ${c} BETWEEN 'a' AND 'z' THEN ${code} - 97 WHEN ${c} BETWEEN 'A' AND 'Z' THEN ${code} - 65 WHEN ${c} BETWEEN '0' AND '9' THEN ${code} - 22 END`;
}

/** RFC 3492's `adapt(delta, numpoints, firsttime)`; its loop runs at most six times for a BIGINT. */
function adapt(
  d: IDialect,
  delta: string,
  points: string,
  first: string
): string {
  return bind(
    d,
    [`CASE WHEN ${first} THEN ${delta} // ${DAMP} ELSE ${delta} // 2 END`],
    scaled =>
      bind(d, [`${scaled} + ${scaled} // ${points}`], total =>
        bind(
          d,
          [
            // How many times the RFC's loop divides by base - tmin.
            `${d.fn('list_filter')}(${d.call('range', [`0`, `8`])}, __m -> ${total} // CAST(${d.fn('power')}(${BASE - TMIN}, __m) AS BIGINT) <= ${((BASE - TMIN) * TMAX) >> 1})[1]`
          ],
          m =>
            bind(
              d,
              [
                `${total} // CAST(${d.fn('power')}(${BASE - TMIN}, ${m}) AS BIGINT)`
              ],
              rest =>
                `${BASE} * ${m} + (${BASE - TMIN + 1} * ${rest}) // (${rest} + ${SKEW})`
            )
        )
      )
  );
}

/** The decoder's state (and, for `list_reduce`, each element: the digit is `dg`). */
const FIELDS: [name: string, type: string][] = [
  ['dg', 'BIGINT'],
  ['n', 'BIGINT'],
  ['i', 'BIGINT'],
  ['bias', 'BIGINT'],
  ['w', 'BIGINT'],
  ['k', 'BIGINT'],
  ['oldi', 'BIGINT'],
  ['open', 'BOOLEAN'],
  ['ok', 'BOOLEAN'],
  ['out', 'BIGINT[]']
];

function state(values: Record<string, string>): string {
  return `{${FIELDS.map(([f, type]) => `'${f}': CAST(${values[f]} AS ${type})`).join(', ')}}`;
}

/**
 * `punycode_to_string(s)`: the basic code points before the last `-`, then the deltas after it
 * inserted one by one; an empty string when the input is not valid Punycode (as documented).
 */
export const punycodeToString: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const chars = (text: string) =>
    `${d.fn('regexp_extract_all')}(${text}, '(?s).')`;
  return bind(d, [ctx.str(call.args[0])], text => {
    const basic = `${d.fn('regexp_extract')}(${text}, '(?s)^(.*)-', 1)`;
    const encoded = `${d.fn('regexp_extract')}(${text}, '(?s)[^-]*$')`;
    const initial = state({
      dg: 'NULL',
      n: String(INITIAL_N),
      i: '0',
      bias: String(INITIAL_BIAS),
      w: '1',
      k: String(BASE),
      oldi: '0',
      open: 'FALSE',
      ok: `${d.call('list_bool_and', [`${d.fn('list_transform')}(${chars(basic)}, __c -> ${d.fn('unicode')}(__c) < ${INITIAL_N})`])} IS NOT FALSE`,
      out: `${d.fn('list_transform')}(${chars(basic)}, __c -> ${d.fn('unicode')}(__c))`
    });
    const elements = `${d.fn('list_transform')}(${chars(encoded)}, __c -> ${state({ dg: digit(d, '__c'), n: 'NULL', i: 'NULL', bias: 'NULL', w: 'NULL', k: 'NULL', oldi: 'NULL', open: 'NULL', ok: 'NULL', out: 'NULL' })})`;
    const a = (f: string) => `__a.${f}`;
    const step = bind(
      d,
      [
        `${a('i')} + __e.dg * ${a('w')}`,
        `CASE WHEN ${a('k')} <= ${a('bias')} THEN ${TMIN} WHEN ${a('k')} >= ${a('bias')} + ${TMAX} THEN ${TMAX} ELSE ${a('k')} - ${a('bias')} END`,
        `${d.fn('len')}(${a('out')}) + 1`
      ],
      (i, t, points) => {
        const ok = `${a('ok')} AND __e.dg IS NOT NULL`;
        const more = state({
          dg: 'NULL',
          n: a('n'),
          i,
          bias: a('bias'),
          w: `${a('w')} * (${BASE} - ${t})`,
          k: `${a('k')} + ${BASE}`,
          oldi: a('oldi'),
          open: 'TRUE',
          ok,
          out: a('out')
        });
        const inserted = bind(
          d,
          [`${a('n')} + ${i} // ${points}`, `${i} % ${points}`],
          (n, at) =>
            state({
              dg: 'NULL',
              n,
              i: `${at} + 1`,
              bias: adapt(
                d,
                `(${i} - ${a('oldi')})`,
                points,
                `${a('oldi')} = 0`
              ),
              w: '1',
              k: String(BASE),
              oldi: `${at} + 1`,
              open: 'FALSE',
              ok: `${ok} AND ${n} <= 1114111`,
              out: `${d.fn('list_concat')}(${d.call('list_slice', [a('out'), `1`, at])}, [${n}], ${d.call('list_slice', [a('out'), `${at} + 1`, `${d.fn('len')}(${a('out')})`])})`
            })
        );
        return `CASE WHEN NOT (${ok}) THEN ${more} WHEN __e.dg < ${t} THEN ${inserted} ELSE ${more} END`;
      }
    );
    const decoded = `${d.call('list_reduce', [elements, `(__a, __e) -> ${step}`, initial])}`;
    return bind(
      d,
      [decoded],
      r =>
        `CASE WHEN ${r}.ok AND NOT ${r}.open THEN ${d.fn('array_to_string')}(${d.fn('list_transform')}(${r}.out, __p -> ${d.fn('chr')}(CAST(__p AS INTEGER))), '') ELSE '' END`
    );
  });
};
