/**
 * Kusto's IPv6 functions (`parse_ipv6`, `parse_ipv6_mask`, `ipv6_compare`, `ipv6_is_match`,
 * `ipv6_is_in_range`, `ipv6_is_in_any_range`) and `ipv4_range_to_cidr_list`, as Kusto's
 * documentation defines them. `library.ts` merges these entries into the function table.
 *
 * An address is read as its eight 16-bit groups (an `INTEGER[]`, which DuckDB compares in order)
 * and a prefix length of 0–128: IPv4 text (`1.2.3.4`, `::1.2.3.4`, `::ffff:1.2.3.4`) is the mapped
 * address `::ffff:1.2.3.4` whose `/n` counts IPv4 bits (96 + n); IPv6 text may shorten zeros with
 * `::` and end in dotted IPv4. Text that is neither reads as null.
 */
import type { Expr } from '../ast';
import type { IDialect } from './dialect';
import type { Emit, IScalarEmitter } from './functions/emit';
import { dotted, ipv4 } from './functions/network';
import { bind } from './series';

const IPV4 = String.raw`\d{1,3}(\.\d{1,3}){3}`;

/** The groups of IPv6 text without a prefix (`''` groups for the zeros `::` stands for). */
function ipv6Groups(d: IDialect, address: string): string {
  return bind(d, [address], a => {
    const split = (part: string) =>
      `CASE WHEN ${part} = '' THEN []::VARCHAR[] ELSE ${d.call('string_split', [part, `':'`])} END`;
    const head = split(`${d.fn('split_part')}(${a}, '::', 1)`);
    const tail = split(`${d.fn('split_part')}(${a}, '::', 2)`);
    const compressed = `${d.fn('contains')}(${a}, '::')`;
    return bind(
      d,
      [
        `CASE WHEN ${compressed} THEN ${d.fn('list_concat')}(${head}, ${d.fn('list_transform')}(${d.call('range', [`0`, `8 - ${d.fn('len')}(${head}) - ${d.fn('len')}(${tail})`])}, __z -> '0'), ${tail}) ELSE ${d.call('string_split', [a, `':'`])} END`
      ],
      groups =>
        `CASE WHEN ${d.call('regexp_matches', [a, `'^[0-9a-fA-F:]+$'`])} AND NOT ${d.call('regexp_matches', [a, `'::.*::|:::'`])} AND ${d.fn('len')}(${groups}) = 8 AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(${groups}, __g -> ${d.call('regexp_matches', [`__g`, `'^[0-9a-fA-F]{1,4}$'`])})`])} AND (NOT ${compressed} OR ${d.fn('len')}(${head}) + ${d.fn('len')}(${tail}) <= 7) THEN ${d.fn('list_transform')}(${groups}, __g -> CAST('0x' || __g AS INTEGER)) END`
    );
  });
}

/**
 * SQL for an address's `{'g': groups, 'p': prefix}` (null when the text is not an address).
 * Dotted IPv4 inside IPv6 text is rewritten as two hexadecimal groups first.
 */
export function ipv6(d: IDialect, text: string): string {
  return bind(d, [text], t =>
    bind(
      d,
      [
        `${d.fn('split_part')}(${t}, '/', 1)`,
        `${d.fn('split_part')}(${t}, '/', 2)`,
        `${d.fn('contains')}(${t}, '/')`
      ],
      (address, bits, hasBits) => {
        const prefix = (limit: number, offset: number) =>
          `CASE WHEN NOT ${hasBits} THEN 128 WHEN ${d.call('regexp_matches', [bits, `'^\\d{1,3}$'`])} AND CAST(${bits} AS INTEGER) <= ${limit} THEN ${offset} + CAST(${bits} AS INTEGER) END`;
        const v4 = ipv4(d, `${d.fn('regexp_extract')}(${address}, '${IPV4}$')`);
        const mapped = `[0, 0, 0, 0, 0, 65535, CAST((${v4}) >> 16 AS INTEGER), CAST((${v4}) & 65535 AS INTEGER)]`;
        const octetsValid = `${d.call('list_bool_and', [`${d.fn('list_transform')}(${d.call('string_split', [`${d.fn('regexp_extract')}(${address}, '${IPV4}$')`, `'.'`])}, __o -> CAST(__o AS INTEGER) <= 255)`])}`;
        const hexTail = `${d.fn('regexp_extract')}(${address}, '^(.*:)${IPV4}$', 1) || ${d.fn('lower')}(${d.fn('printf')}('%x:%x', (${v4}) >> 16, (${v4}) & 65535))`;
        const v6Text = `CASE WHEN ${d.call('regexp_matches', [address, `':${IPV4}$'`])} THEN ${hexTail} ELSE ${address} END`;
        return bind(
          d,
          [
            `${d.call('regexp_matches', [address, `'^(::(ffff:)?)?${IPV4}$'`, `'i'`])}`,
            `CASE WHEN ${d.call('regexp_matches', [address, `'${IPV4}$'`])} AND NOT ${octetsValid} THEN NULL ELSE ${ipv6Groups(d, v6Text)} END`
          ],
          (isV4, groups) =>
            `CASE WHEN ${isV4} THEN CASE WHEN ${octetsValid} AND ${prefix(32, 96)} IS NOT NULL THEN {'g': ${mapped}, 'p': ${prefix(32, 96)}} END WHEN ${groups} IS NOT NULL AND ${prefix(128, 0)} IS NOT NULL THEN {'g': ${groups}, 'p': ${prefix(128, 0)}} END`
        );
      }
    )
  );
}

/** The groups with all but the first `bits` bits cleared. */
function masked(d: IDialect, groups: string, bits: string): string {
  return `${d.fn('list_transform')}(${d.call('range', [`0`, `8`])}, __k -> CAST(${groups}[__k + 1] & ((65535::BIGINT << (16 - ${d.fn('least')}(${d.fn('greatest')}(${bits} - 16 * __k, 0), 16))) & 65535) AS INTEGER))`;
}

/** The canonical text: eight groups of four lower-case hexadecimal digits. */
function canonical(d: IDialect, groups: string): string {
  return `${d.fn('array_to_string')}(${d.fn('list_transform')}(${groups}, __g -> ${d.fn('lpad')}(${d.fn('lower')}(${d.fn('hex')}(__g)), 4, '0')), ':')`;
}

/** The optional prefix argument, 128 when absent. */
function prefixArg(e: Expr | undefined, ctx: IScalarEmitter): string {
  return e ? `CAST(${ctx.as(e, 'long')} AS INTEGER)` : '128';
}

/** `parse_ipv6(ip)` / `parse_ipv6_mask(ip, prefix)`: the canonical masked address, or `''`. */
const parseIpv6: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    [ipv6(d, ctx.str(call.args[0])), prefixArg(call.args[1], ctx)],
    (a, p) =>
      `${d.fn('coalesce')}(${canonical(d, masked(d, `${a}.g`, `${d.fn('least')}(${a}.p, ${p})`))}, '')`
  );
};

/**
 * -1, 0 or 1 for two addresses compared on the fewest bits of their own prefixes and the
 * argument; null when either is not an address.
 */
function compareSql(d: IDialect, x: string, y: string, bits: string): string {
  return bind(d, [x, y], (a, b) =>
    bind(d, [`${d.fn('least')}(${a}.p, ${b}.p, ${bits})`], p =>
      bind(
        d,
        [masked(d, `${a}.g`, p), masked(d, `${b}.g`, p)],
        (ma, mb) =>
          `CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${ma} < ${mb} THEN -1 WHEN ${ma} > ${mb} THEN 1 ELSE 0 END`
      )
    )
  );
}

const ipv6Compare: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return compareSql(
    d,
    ipv6(d, ctx.str(call.args[0])),
    ipv6(d, ctx.str(call.args[1])),
    prefixArg(call.args[2], ctx)
  );
};

const ipv6IsMatch: Emit = (call, ctx) => `(${ipv6Compare(call, ctx)} = 0)`;

/** True when the address lies in the range: both masked to the range's prefix are equal. */
function inRange(d: IDialect, address: string, range: string): string {
  return bind(
    d,
    [address, range],
    (a, r) =>
      `(${masked(d, `${a}.g`, `${r}.p`)} = ${masked(d, `${r}.g`, `${r}.p`)})`
  );
}

const ipv6IsInRange: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return inRange(
    d,
    ipv6(d, ctx.str(call.args[0])),
    ipv6(d, ctx.str(call.args[1]))
  );
};

/** `ipv6_is_in_any_range(ip, range, …)` or `(ip, dynamic([ranges]))`. */
const ipv6IsInAnyRange: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [address, ...rest] = call.args;
  const ranges =
    rest.length === 1 &&
    (rest[0].type === 'dynamic' || rest[0].type === 'unknown')
      ? `${d.fn('list_transform')}(CAST(${ctx.sql(rest[0])} AS VARCHAR[]), __r -> ${d.fn('coalesce')}(__r, ''))`
      : `[${rest.map(r => ctx.str(r)).join(', ')}]`;
  return bind(
    d,
    [ipv6(d, ctx.str(address))],
    a =>
      `CASE WHEN ${a} IS NOT NULL THEN ${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${ranges}, __q -> ${inRange(d, a, ipv6(d, '__q'))})`])}, FALSE) END`
  );
};

/**
 * `ipv4_range_to_cidr_list(start, end)`: the fewest CIDR blocks covering the range, ascending.
 * They are the largest aligned blocks inside it; at each size only the first block at or after
 * the start and the last one ending at or before the end can be such, so two candidates per
 * size (kept when inside the range and their twice-as-large parent is not) give them all.
 */
const ipv4RangeToCidrList: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    [ipv4(d, ctx.str(call.args[0])), ipv4(d, ctx.str(call.args[1]))],
    (s, e) => {
      const inside = (b: string, size: string) =>
        `(${b} >= ${s} AND ${b} + ${size} - 1 <= ${e})`;
      const block = (b: string, size: string, bits: string) => {
        const parent = `(${b} // (2 * ${size}) * (2 * ${size}))`;
        const root = `${bits} = 0`;
        return `CASE WHEN ${inside(b, size)} AND (${root} OR NOT ${inside(parent, `(2 * ${size})`)}) THEN {'b': ${b}, 'p': ${bits}} END`;
      };
      const size = `(1::BIGINT << (32 - __p))`;
      const first = `((${s} + ${size} - 1) // ${size} * ${size})`;
      const last = `((${e} + 1) // ${size} * ${size} - ${size})`;
      const candidates = `${d.fn('flatten')}(${d.fn('list_transform')}(${d.call('range', [`0`, `33`])}, __p -> [${block(first, size, '__p')}, ${block(last, size, '__p')}]))`;
      return `CASE WHEN ${s} IS NOT NULL AND ${e} IS NOT NULL AND ${s} <= ${e} THEN ${d.call('to_json', [`${d.fn('list_transform')}(${d.fn('list_sort')}(${d.fn('list_distinct')}(${d.fn('list_filter')}(${candidates}, __c -> __c IS NOT NULL))), __c -> ${dotted('__c.b')} || '/' || __c.p)`])} END`;
    }
  );
};

/** The IPv6 functions, merged into the function table. */
export function ipv6Functions(): Record<string, Emit> {
  return {
    parse_ipv6: parseIpv6,
    parse_ipv6_mask: parseIpv6,
    ipv6_compare: ipv6Compare,
    ipv6_is_match: ipv6IsMatch,
    ipv6_is_in_range: ipv6IsInRange,
    ipv6_is_in_any_range: ipv6IsInAnyRange,
    ipv4_range_to_cidr_list: ipv4RangeToCidrList
  };
}
