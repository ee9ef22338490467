/**
 * Kusto's IPv6 functions and `ipv4_range_to_cidr_list` on DuckDB, against the examples of
 * Kusto's documentation (each expected value is the documented output).
 */
import { expectRows, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

describe('parse_ipv6 and parse_ipv6_mask', () => {
  it('parse_ipv6 (documented example)', async () => {
    await expectRows(
      `datatable(ipv4: string) ['192.168.255.255', '192.168.255.255/24', '255.255.255.255']
       | extend ipv6 = parse_ipv6(ipv4)`,
      [
        ['192.168.255.255', '0000:0000:0000:0000:0000:ffff:c0a8:ffff'],
        ['192.168.255.255/24', '0000:0000:0000:0000:0000:ffff:c0a8:ff00'],
        ['255.255.255.255', '0000:0000:0000:0000:0000:ffff:ffff:ffff']
      ]
    );
  });

  it('parse_ipv6_mask (documented example)', async () => {
    await expectRows(
      `datatable(ip_string: string, netmask: long)
       [
         '192.168.255.255', 120,
         '192.168.255.255/24', 124,
         '255.255.255.255', 128,
         'fe80::85d:e82c:9446:7994', 128,
         'fe80::85d:e82c:9446:7994/120', 124,
         '::192.168.255.255', 128,
         '::192.168.255.255/24', 128,
       ]
       | extend ip6_canonical = parse_ipv6_mask(ip_string, netmask)`,
      [
        ['192.168.255.255', 120, '0000:0000:0000:0000:0000:ffff:c0a8:ff00'],
        ['192.168.255.255/24', 124, '0000:0000:0000:0000:0000:ffff:c0a8:ff00'],
        ['255.255.255.255', 128, '0000:0000:0000:0000:0000:ffff:ffff:ffff'],
        [
          'fe80::85d:e82c:9446:7994',
          128,
          'fe80:0000:0000:0000:085d:e82c:9446:7994'
        ],
        [
          'fe80::85d:e82c:9446:7994/120',
          124,
          'fe80:0000:0000:0000:085d:e82c:9446:7900'
        ],
        ['::192.168.255.255', 128, '0000:0000:0000:0000:0000:ffff:c0a8:ffff'],
        ['::192.168.255.255/24', 128, '0000:0000:0000:0000:0000:ffff:c0a8:ff00']
      ]
    );
  });

  it.each([
    ['::1', '0000:0000:0000:0000:0000:0000:0000:0001'],
    ['1::', '0001:0000:0000:0000:0000:0000:0000:0000'],
    ['64:ff9b::192.0.2.33', '0064:ff9b:0000:0000:0000:0000:c000:0221'],
    ['1::2::3', ''],
    ['1:2:3:4:5:6:7:8:9', ''],
    ['256.1.1.1', ''],
    ['fe80::1/129', ''],
    ['not an address', '']
  ])('parse_ipv6(%p) is %p', async (text, expected) => {
    expect(await valueOf(`print v = parse_ipv6('${text}')`)).toBe(expected);
  });
});

describe('ipv6_compare and ipv6_is_match', () => {
  const PAIRS = `datatable(ip1_string:string, ip2_string:string)
    [
     '192.168.1.1',    '192.168.1.1',
     '192.168.1.1/24', '192.168.1.255',
     '192.168.1.1',    '192.168.1.255/24',
     '192.168.1.1/30', '192.168.1.255/24',
     'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994',
     'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998',
     'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7998/120',
     'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998/120',
     '192.168.1.1',      '::ffff:c0a8:0101',
     '192.168.1.1/24',   '::ffff:c0a8:01ff',
     '::ffff:c0a8:0101', '192.168.1.255/24',
     '::192.168.1.1/30', '192.168.1.255/24',
    ]`;

  it('equal under the prefixes of the strings (documented examples)', async () => {
    await expectRows(
      `${PAIRS} | summarize compared = make_set(ipv6_compare(ip1_string, ip2_string)), matched = make_set(ipv6_is_match(ip1_string, ip2_string)), n = count()`,
      [[[0], [true], 12]]
    );
  });

  it('equal under the prefix argument too (documented examples)', async () => {
    await expectRows(
      `datatable(ip1_string:string, ip2_string:string, prefix:long)
       [
        '192.168.1.1',    '192.168.1.0',   31,
        '192.168.1.1/24', '192.168.1.255', 31,
        '192.168.1.1',    '192.168.1.255', 24,
        'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995',     127,
        'fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7998', 120,
        'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998', 127,
        '192.168.1.1/24',   '::ffff:c0a8:01ff', 127,
        '::ffff:c0a8:0101', '192.168.1.255',    120,
        '::192.168.1.1/30', '192.168.1.255/24', 127,
       ]
       | summarize compared = make_set(ipv6_compare(ip1_string, ip2_string, prefix)), matched = make_set(ipv6_is_match(ip1_string, ip2_string, prefix)), n = count()`,
      [[[0], [true], 9]]
    );
  });

  it('orders by the address and is null for text that is not one', async () => {
    await expectRows(
      `print a = ipv6_compare('fe80::1', 'fe80::2'), b = ipv6_compare('fe80::2', '192.168.1.1'), c = ipv6_compare('x', '::1'), d = ipv6_is_match('::1', '::2')`,
      [[-1, 1, null, false]]
    );
  });
});

describe('ranges', () => {
  it('ipv6_is_in_range (documented example)', async () => {
    await expectRows(
      `datatable(ip_address:string, ip_range:string)
       [
        'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112',
        'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',
        'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    '0:0:0:0:0:ffff:c0a8:ac/60',
       ]
       | project result = ipv6_is_in_range(ip_address, ip_range)`,
      [[true], [true], [false]]
    );
  });

  it('ipv6_is_in_any_range with an array or a list of ranges (documented example)', async () => {
    await expectRows(
      `let LocalNetworks=dynamic([
           "a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112",
           "0:0:0:0:0:ffff:c0a8:ac/60"
       ]);
       datatable(IP:string) [
           "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd",
           "a5e:f127:8a9d:146d:e102:b5d3:c755:abce",
           "a5e:f127:8a9d:146d:e102:b5d3:c755:abcf",
           "a5e:f127:8a9d:146d:e102:b5d3:c756:abd1",
       ]
       | extend IsLocal = ipv6_is_in_any_range(IP, LocalNetworks), InList = ipv6_is_in_any_range(IP, "::1", "a5e:f127:8a9d:146d:e102:b5d3:c755:0/112")`,
      [
        ['a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', true, true],
        ['a5e:f127:8a9d:146d:e102:b5d3:c755:abce', true, true],
        ['a5e:f127:8a9d:146d:e102:b5d3:c755:abcf', true, true],
        ['a5e:f127:8a9d:146d:e102:b5d3:c756:abd1', false, false]
      ]
    );
  });

  it.each([
    [
      '1.1.128.0',
      '1.1.140.255',
      ['1.1.128.0/21', '1.1.136.0/22', '1.1.140.0/24']
    ],
    ['0.0.0.0', '255.255.255.255', ['0.0.0.0/0']],
    ['10.0.0.1', '10.0.0.1', ['10.0.0.1/32']],
    [
      '10.0.0.5',
      '10.0.1.2',
      [
        '10.0.0.5/32',
        '10.0.0.6/31',
        '10.0.0.8/29',
        '10.0.0.16/28',
        '10.0.0.32/27',
        '10.0.0.64/26',
        '10.0.0.128/25',
        '10.0.1.0/31',
        '10.0.1.2/32'
      ]
    ]
  ])('ipv4_range_to_cidr_list(%p, %p)', async (start, end, expected) => {
    expect(
      await valueOf(`print v = ipv4_range_to_cidr_list('${start}', '${end}')`)
    ).toEqual(expected);
  });
});
