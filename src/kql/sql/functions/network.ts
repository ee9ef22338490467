/**
 * IPv4 addresses (`parse_ipv4`, `ipv4_is_match`, `ipv4_is_in_range`, `ipv4_is_private`) and the IP
 * geolocation lookup `geo_info_from_ip_address`.
 */
import type { IDialect } from '../dialect';
import type { Emit } from './emit';

/** An IPv4 number as dotted text. */
export function dotted(n: string): string {
  return `((${n} >> 24) & 255) || '.' || ((${n} >> 16) & 255) || '.' || ((${n} >> 8) & 255) || '.' || (${n} & 255)`;
}

/** IPv4 text to its number, null when the text is not an address. */
export function ipv4(d: IDialect, sql: string): string {
  const splitPart = d.fn('split_part');
  const part = (i: number) =>
    `TRY_CAST(${splitPart}(${splitPart}(${sql}, '/', 1), '.', ${i}) AS BIGINT)`;
  // Octets up to 255 and a prefix up to 32: anything else is no address (null), as documented.
  const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0?[0-9]?[0-9])';
  return `CASE WHEN ${d.call('regexp_matches', [sql, `'^${octet}(?:\\.${octet}){3}(?:/(?:3[0-2]|[12]?[0-9]))?$'`])} THEN ((${part(1)} * 256 + ${part(2)}) * 256 + ${part(3)}) * 256 + ${part(4)} END`;
}

const ipv4InRange: Emit = (call, ctx) => {
  const ip = ctx.str(call.args[0]);
  const range = ctx.str(call.args[1]);
  const d = ctx.ctx.dialect;
  const bits = ctx.fn(
    'coalesce',
    `TRY_CAST(${ctx.fn('nullif', ctx.fn('split_part', range, "'/'", '2'), "''")} AS INTEGER)`,
    '32'
  );
  return `((${ipv4(d, ip)} >> (32 - ${bits})) = (${ipv4(d, range)} >> (32 - ${bits})))`;
};

const ipv4Private: Emit = (call, ctx) => {
  const ip = ipv4(ctx.ctx.dialect, ctx.str(call.args[0]));
  const within = (base: number, bits: number) =>
    `((${ip} >> ${32 - bits}) = ${base >>> (32 - bits)})`;
  return `(${within(0x0a000000, 8)} OR ${within(0xac100000, 12)} OR ${within(0xc0a80000, 16)})`;
};

/**
 * `geo_info_from_ip_address`: a lookup in the IP geolocation table the runner provides
 * (`__geoip`: first and last address of each IPv4 range as numbers, country, state, city,
 * latitude, longitude). Addresses in no range — private ones, IPv6 — give null, as in Kusto.
 */
const geoInfo: Emit = (call, ctx) => {
  ctx.ctx.useGeoIp();
  const ip = ipv4(ctx.ctx.dialect, ctx.str(call.args[0]));
  const bag = ctx.fn(
    'json_object',
    ...['country', 'state', 'city', 'latitude', 'longitude'].flatMap(k => [
      `'${k}'`,
      `g.${k}`
    ])
  );
  return `(SELECT ${bag} FROM ${ctx.ctx.dialect.identifier('__geoip')} g WHERE ${ip} BETWEEN g.first AND g.last LIMIT 1)`;
};

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const NETWORK_FUNCTIONS: Record<string, Emit> = {
  geo_info_from_ip_address: geoInfo,
  parse_ipv4: (call, ctx) => ipv4(ctx.ctx.dialect, ctx.str(call.args[0])),
  // The fewest bits of the two addresses' own prefixes (`/24`) and the prefix argument count.
  ipv4_is_match: (call, ctx) => {
    const [a, b, prefix] = call.args;
    const [x, y] = [ctx.str(a), ctx.str(b)];
    const d = ctx.ctx.dialect;
    const own = (ip: string) =>
      ctx.fn(
        'coalesce',
        `TRY_CAST(${ctx.fn('nullif', ctx.fn('split_part', ip, "'/'", '2'), "''")} AS BIGINT)`,
        '32'
      );
    const bits = ctx.fn(
      'least',
      own(x),
      own(y),
      prefix ? ctx.as(prefix, 'long') : '32'
    );
    return `((${ipv4(d, x)} >> (32 - ${bits})) = (${ipv4(d, y)} >> (32 - ${bits})))`;
  },
  ipv4_is_in_range: ipv4InRange,
  ipv4_is_private: ipv4Private
};
