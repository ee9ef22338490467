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
function ipv6Groups(address: string): string {
  return bind([address], a => {
    const split = (part: string) =>
      `CASE WHEN ${part} = '' THEN []::VARCHAR[] ELSE string_split(${part}, ':') END`;
    const head = split(`split_part(${a}, '::', 1)`);
    const tail = split(`split_part(${a}, '::', 2)`);
    const compressed = `contains(${a}, '::')`;
    return bind(
      [
        `CASE WHEN ${compressed} THEN list_concat(${head}, list_transform(range(0, 8 - len(${head}) - len(${tail})), __z -> '0'), ${tail}) ELSE string_split(${a}, ':') END`
      ],
      groups =>
        `CASE WHEN regexp_matches(${a}, '^[0-9a-fA-F:]+$') AND NOT regexp_matches(${a}, '::.*::|:::') AND len(${groups}) = 8 AND list_bool_and(list_transform(${groups}, __g -> regexp_matches(__g, '^[0-9a-fA-F]{1,4}$'))) AND (NOT ${compressed} OR len(${head}) + len(${tail}) <= 7) THEN list_transform(${groups}, __g -> CAST('0x' || __g AS INTEGER)) END`
    );
  });
}

/**
 * SQL for an address's `{'g': groups, 'p': prefix}` (null when the text is not an address).
 * Dotted IPv4 inside IPv6 text is rewritten as two hexadecimal groups first.
 */
export function ipv6(d: IDialect, text: string): string {
  return bind([text], t =>
    bind(
      [
        `split_part(${t}, '/', 1)`,
        `split_part(${t}, '/', 2)`,
        `contains(${t}, '/')`
      ],
      (address, bits, hasBits) => {
        const prefix = (limit: number, offset: number) =>
          `CASE WHEN NOT ${hasBits} THEN 128 WHEN regexp_matches(${bits}, '^\\d{1,3}$') AND CAST(${bits} AS INTEGER) <= ${limit} THEN ${offset} + CAST(${bits} AS INTEGER) END`;
        const v4 = ipv4(d, `regexp_extract(${address}, '${IPV4}$')`);
        const mapped = `[0, 0, 0, 0, 0, 65535, CAST((${v4}) >> 16 AS INTEGER), CAST((${v4}) & 65535 AS INTEGER)]`;
        const octetsValid = `list_bool_and(list_transform(string_split(regexp_extract(${address}, '${IPV4}$'), '.'), __o -> CAST(__o AS INTEGER) <= 255))`;
        const hexTail = `regexp_extract(${address}, '^(.*:)${IPV4}$', 1) || lower(printf('%x:%x', (${v4}) >> 16, (${v4}) & 65535))`;
        const v6Text = `CASE WHEN regexp_matches(${address}, ':${IPV4}$') THEN ${hexTail} ELSE ${address} END`;
        return bind(
          [
            `regexp_matches(${address}, '^(::(ffff:)?)?${IPV4}$', 'i')`,
            `CASE WHEN regexp_matches(${address}, '${IPV4}$') AND NOT ${octetsValid} THEN NULL ELSE ${ipv6Groups(v6Text)} END`
          ],
          (isV4, groups) =>
            `CASE WHEN ${isV4} THEN CASE WHEN ${octetsValid} AND ${prefix(32, 96)} IS NOT NULL THEN {'g': ${mapped}, 'p': ${prefix(32, 96)}} END WHEN ${groups} IS NOT NULL AND ${prefix(128, 0)} IS NOT NULL THEN {'g': ${groups}, 'p': ${prefix(128, 0)}} END`
        );
      }
    )
  );
}

/** The groups with all but the first `bits` bits cleared. */
function masked(groups: string, bits: string): string {
  return `list_transform(range(0, 8), __k -> CAST(${groups}[__k + 1] & ((65535::BIGINT << (16 - least(greatest(${bits} - 16 * __k, 0), 16))) & 65535) AS INTEGER))`;
}

/** The canonical text: eight groups of four lower-case hexadecimal digits. */
function canonical(groups: string): string {
  return `array_to_string(list_transform(${groups}, __g -> lpad(lower(hex(__g)), 4, '0')), ':')`;
}

/** The optional prefix argument, 128 when absent. */
function prefixArg(e: Expr | undefined, ctx: IScalarEmitter): string {
  return e ? `CAST(${ctx.as(e, 'long')} AS INTEGER)` : '128';
}

/** `parse_ipv6(ip)` / `parse_ipv6_mask(ip, prefix)`: the canonical masked address, or `''`. */
const parseIpv6: Emit = (call, ctx) =>
  bind(
    [
      ipv6(ctx.ctx.dialect, ctx.str(call.args[0])),
      prefixArg(call.args[1], ctx)
    ],
    (a, p) =>
      `coalesce(${canonical(masked(`${a}.g`, `least(${a}.p, ${p})`))}, '')`
  );

/**
 * -1, 0 or 1 for two addresses compared on the fewest bits of their own prefixes and the
 * argument; null when either is not an address.
 */
function compareSql(x: string, y: string, bits: string): string {
  return bind([x, y], (a, b) =>
    bind([`least(${a}.p, ${b}.p, ${bits})`], p =>
      bind(
        [masked(`${a}.g`, p), masked(`${b}.g`, p)],
        (ma, mb) =>
          `CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${ma} < ${mb} THEN -1 WHEN ${ma} > ${mb} THEN 1 ELSE 0 END`
      )
    )
  );
}

const ipv6Compare: Emit = (call, ctx) =>
  compareSql(
    ipv6(ctx.ctx.dialect, ctx.str(call.args[0])),
    ipv6(ctx.ctx.dialect, ctx.str(call.args[1])),
    prefixArg(call.args[2], ctx)
  );

const ipv6IsMatch: Emit = (call, ctx) => `(${ipv6Compare(call, ctx)} = 0)`;

/** True when the address lies in the range: both masked to the range's prefix are equal. */
function inRange(address: string, range: string): string {
  return bind(
    [address, range],
    (a, r) => `(${masked(`${a}.g`, `${r}.p`)} = ${masked(`${r}.g`, `${r}.p`)})`
  );
}

const ipv6IsInRange: Emit = (call, ctx) =>
  inRange(
    ipv6(ctx.ctx.dialect, ctx.str(call.args[0])),
    ipv6(ctx.ctx.dialect, ctx.str(call.args[1]))
  );

/** `ipv6_is_in_any_range(ip, range, …)` or `(ip, dynamic([ranges]))`. */
const ipv6IsInAnyRange: Emit = (call, ctx) => {
  const [address, ...rest] = call.args;
  const ranges =
    rest.length === 1 &&
    (rest[0].type === 'dynamic' || rest[0].type === 'unknown')
      ? `list_transform(CAST(${ctx.sql(rest[0])} AS VARCHAR[]), __r -> coalesce(__r, ''))`
      : `[${rest.map(r => ctx.str(r)).join(', ')}]`;
  return bind(
    [ipv6(ctx.ctx.dialect, ctx.str(address))],
    a =>
      `CASE WHEN ${a} IS NOT NULL THEN coalesce(list_bool_or(list_transform(${ranges}, __q -> ${inRange(a, ipv6(ctx.ctx.dialect, '__q'))})), FALSE) END`
  );
};

/**
 * `ipv4_range_to_cidr_list(start, end)`: the fewest CIDR blocks covering the range, ascending.
 * They are the largest aligned blocks inside it; at each size only the first block at or after
 * the start and the last one ending at or before the end can be such, so two candidates per
 * size (kept when inside the range and their twice-as-large parent is not) give them all.
 */
const ipv4RangeToCidrList: Emit = (call, ctx) =>
  bind(
    [
      ipv4(ctx.ctx.dialect, ctx.str(call.args[0])),
      ipv4(ctx.ctx.dialect, ctx.str(call.args[1]))
    ],
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
      const candidates = `flatten(list_transform(range(0, 33), __p -> [${block(first, size, '__p')}, ${block(last, size, '__p')}]))`;
      return `CASE WHEN ${s} IS NOT NULL AND ${e} IS NOT NULL AND ${s} <= ${e} THEN to_json(list_transform(list_sort(list_distinct(list_filter(${candidates}, __c -> __c IS NOT NULL))), __c -> ${dotted('__c.b')} || '/' || __c.p)) END`;
    }
  );

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
