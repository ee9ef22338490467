/**
 * Kusto's function library on DuckDB, family by family, against the examples of Kusto's
 * documentation (each expected value is the documented output), and the deprecated names Kusto
 * still accepts, each running as its modern function.
 */
import { expectRows, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

describe('deprecated names run as their modern functions', () => {
  it.each([
    ['print v = parsejson(\'{"a": 1}\').a', 1],
    ['print v = toobject(\'{"a": 2}\').a', 2],
    ['print v = arraylength(dynamic([1, 2, 3]))', 3],
    ["print v = replace(@'(\\d+)', @'<\\1>', 'ab12cd')", 'ab<12>cd'],
    ["print v = base64_encodestring('Kusto')", 'S3VzdG8='],
    ["print v = base64_decodestring('S3VzdG8=')", 'Kusto'],
    ["print v = parseurl('https://a.com/p').Host", 'a.com'],
    ['print v = notempty("x")', true],
    ['print v = notnull(long(null))', false],
    ["print v = datepart('year', datetime(2020-05-01))", 2020],
    ['print v = array_sum(dynamic([1, 2, 3.5]))', 6.5]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });

  it('makeset, makelist, argmax and any aggregate as make_set, make_list, arg_max, take_any', async () => {
    await expectRows(
      `datatable(k:string, v:long) ['a', 1, 'a', 3, 'b', 2]
       | summarize s = array_length(makeset(v)), l = array_length(makelist(v)), m = argmax(v, v), n = count() by k
       | project k, s, l, n`,
      [
        ['a', 2, 2, 2],
        ['b', 1, 1, 1]
      ]
    );
  });
});

describe('arrays and sets', () => {
  it.each([
    // array_rotate_left / array_shift_left (documented examples)
    ['print v = array_rotate_left(dynamic([1,2,3,4,5]), 2)', [3, 4, 5, 1, 2]],
    ['print v = array_rotate_left(dynamic([1,2,3,4,5]), -2)', [4, 5, 1, 2, 3]],
    ['print v = array_rotate_right(dynamic([1,2,3,4,5]), 2)', [4, 5, 1, 2, 3]],
    [
      'print v = array_shift_left(dynamic([1,2,3,4,5]), 2)',
      [3, 4, 5, null, null]
    ],
    [
      'print v = array_shift_left(dynamic([1,2,3,4,5]), -2, -1)',
      [-1, -1, 1, 2, 3]
    ],
    [
      'print v = array_shift_right(dynamic([1,2,3,4,5]), 2, -1)',
      [-1, -1, 1, 2, 3]
    ],
    // array_split
    [
      'print v = array_split(dynamic([1,2,3,4,5]), 2)',
      [
        [1, 2],
        [3, 4, 5]
      ]
    ],
    [
      'print v = array_split(dynamic([1,2,3,4,5]), dynamic([1,3]))',
      [[1], [2, 3], [4, 5]]
    ],
    // array_sort_asc / desc: nulls last unless asked
    [
      'print v = array_sort_asc(dynamic([null, "blue", "yellow", "green", null]))',
      ['blue', 'green', 'yellow', null, null]
    ],
    [
      'print v = array_sort_asc(dynamic([null, "blue", "yellow", "green", null]), false)',
      [null, null, 'blue', 'green', 'yellow']
    ],
    ['print v = array_sort_desc(dynamic([3, 10, 1, 2]))', [10, 3, 2, 1]],
    ['print v = array_sort_asc(dynamic([3, 10, 1, 2]))', [1, 2, 3, 10]],
    // array_iff with scalars
    [
      'print v = array_iff(dynamic([1, 0, 50]), "yes", "no")',
      ['yes', 'no', 'yes']
    ],
    // zip
    [
      'print v = zip(dynamic([1,3,5]), dynamic([2,4,6]))',
      [
        [1, 2],
        [3, 4],
        [5, 6]
      ]
    ],
    [
      'print v = zip(dynamic(["A", {}, 1.5]), dynamic([{}, "B"]))',
      [
        ['A', {}],
        [{}, 'B'],
        [1.5, null]
      ]
    ],
    // sets keep the order of first appearance
    [
      "print v = set_union(dynamic(['A4', 'A2', 'A7', 'A2']), dynamic(['A4', 'A2', 'A7', 'A2']))",
      ['A4', 'A2', 'A7']
    ],
    [
      'print v = set_union(dynamic([1,2,1,4]), dynamic([1,2]), dynamic([8]))',
      [1, 2, 4, 8]
    ],
    ['print v = set_intersect(dynamic([1, 2, 3]), dynamic([2, 3, 4]))', [2, 3]],
    [
      'print v = set_difference(dynamic([1, 2, 3, 3]), dynamic([2]), dynamic([5]))',
      [1, 3]
    ],
    ['print v = set_equals(dynamic([1, 2, 3]), dynamic([3, 2, 1, 1]))', true],
    [
      'print v = jaccard_index(dynamic([1, 2, 3]), dynamic([1, 2, 3, 4]))',
      0.75
    ],
    ['print v = repeat(1, 3)', [1, 1, 1]],
    ['print v = isnull(repeat("a", -1))', true]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });
});

describe('property bags', () => {
  it.each([
    ['print v = bag_has_key(dynamic({"a": 1, "b": {"c": 2}}), "a")', true],
    ['print v = bag_has_key(dynamic({"a": 1, "b": {"c": 2}}), "$.b.c")', true],
    ['print v = bag_has_key(dynamic({"a": 1}), "z")', false],
    [
      "print v = bag_remove_keys(dynamic({'key1': 123, 'key2': 'abc'}), dynamic(['key2', 'key4']))",
      { key1: 123 }
    ],
    [
      "print v = bag_remove_keys(dynamic({'key1': 123, 'key2': {'prop1': 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}), dynamic(['$.key2.prop1', 'key3']))",
      { key1: 123, key2: { prop2: 'xyz' } }
    ],
    ['print v = bag_set_key(dynamic({"a": 1}), "b", 2)', { a: 1, b: 2 }],
    ['print v = bag_set_key(dynamic({"a": 1}), "a", "x")', { a: 'x' }],
    [
      'print v = bag_zip(dynamic(["a", 8, "b"]), dynamic([1, "2", 2.5]))',
      { a: 1, b: 2.5 }
    ],
    [
      'print v = bag_zip(dynamic(["a", "b", "c"]), dynamic([1, "2"]))',
      { a: 1, b: '2', c: null }
    ]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });

  it('bag_pack_columns packs the columns by name', async () => {
    await expectRows(
      `datatable(Id:string, Value:string, Other:long) ['A', 'val_a', 1]
       | extend Packed = bag_pack_columns(Id, Value)`,
      [['A', 'val_a', 1, { Id: 'A', Value: 'val_a' }]]
    );
  });
});

describe('strings and encodings', () => {
  it('indexof with start, length and occurrence (documented example)', async () => {
    await expectRows(
      `print
         idx1 = indexof("abcdefg","cde"), idx2 = indexof("abcdefg","cde",1,4),
         idx3 = indexof("abcdefg","cde",1,2), idx4 = indexof("abcdefg","cde",3,4),
         idx5 = indexof("abcdefg","cde",-5), idx6 = indexof(1234567,5,1,4),
         idx7 = indexof("abcdefg","cde",2,-1), idx8 = indexof("abcdefgabcdefg", "cde", 1, 10, 2),
         idx9 = indexof("abcdefgabcdefg", "cde", 1, -1, 3)`,
      [[2, 2, -1, -1, 2, 4, 2, 9, -1]]
    );
  });

  it.each([
    [
      'print v = has_any_index("this is an example", dynamic(["not", "example"]))',
      1
    ],
    [
      'print v = has_any_index("this is an example", dynamic(["not", "found"]))',
      -1
    ],
    ['print v = has_any_index("Example number 2", range(1, 3, 1))', 1],
    ['print v = has_any_index("this is an example", dynamic([]))', -1],
    ['print v = translate("abc", "x", "abc")', 'xxx'],
    ['print v = translate("abc", "", "ab")', ''],
    ['print v = translate("krasp", "otsku", "spark")', 'kusto'],
    ['print v = strcmp("ABC", "ABC")', 0],
    ['print v = strcmp("abc", "ABC")', 1],
    ['print v = strcmp("ABC", "abc")', -1],
    [
      'print v = url_encode("https://www.bing.com/hello world")',
      'https%3a%2f%2fwww.bing.com%2fhello+world'
    ],
    [
      'print v = url_decode("https%3a%2f%2fwww.bing.com%2f")',
      'https://www.bing.com/'
    ],
    [
      'print v = unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111]))',
      'Kusto'
    ],
    ['print v = make_string(dynamic([75, 117]))', 'Ku'],
    ['print v = gettype("a")', 'string'],
    ['print v = gettype(111)', 'long'],
    ['print v = gettype(1 == 1)', 'bool'],
    ['print v = gettype(now())', 'datetime'],
    ['print v = gettype(1s)', 'timespan'],
    ["print v = gettype(parse_json('1'))", 'int'],
    ['print v = gettype(parse_json(\' "abc" \'))', 'string'],
    ['print v = gettype(parse_json(\' {"abc":1} \'))', 'dictionary'],
    ["print v = gettype(parse_json(' [1, 2, 3] '))", 'array'],
    ['print v = gettype(123.45)', 'real'],
    [
      'print v = parse_csv(\'aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\\nline2"\')',
      ['aa', 'b,b,b', 'cc', 'Escaping quotes: "Title"', 'line1\nline2']
    ],
    [
      'print v = parse_csv("record1,a,b,c\\nrecord2,x,y,z")',
      ['record1', 'a', 'b', 'c']
    ],
    [
      'print v = base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))',
      '8jMxriJurkmwahbmqbIS6w=='
    ],
    [
      'print v = tostring(base64_decode_toguid("8jMxriJurkmwahbmqbIS6w=="))',
      'ae3133f2-6e22-49ae-b06a-16e6a9b212eb'
    ],
    ['print v = base64_decode_toarray("S3VzdG8=")', [75, 117, 115, 116, 111]],
    [
      'print v = hash_sha1("World")',
      '70c07ec18ef89c5309bbb0937f3a6342411e1fdd'
    ],
    ['print v = isascii("abc")', true],
    ['print v = isascii("äbc")', false],
    ['print v = strlen(tostring(new_guid()))', 36]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });
});

describe('math and time', () => {
  it.each([
    ['print v = exp2(3)', 8],
    ['print v = exp10(2)', 100],
    ['print v = gamma(5)', 24],
    ['print v = round(loggamma(5), 6)', 3.178054],
    ['print v = around(1.5, 1, 0.5)', true],
    ['print v = around(1.6, 1, 0.5)', false],
    ['print v = bitset_count_ones(42)', 3],
    ['print v = make_datetime(2017, 10, 1, 12, 10)', '2017-10-01T12:10:00Z'],
    ['print v = make_datetime(2017, 2, 30)', null],
    [
      "print v = datetime_utc_to_local(datetime(2022-07-11 22:18:48), 'US/Pacific')",
      '2022-07-11T15:18:48Z'
    ],
    [
      "print v = datetime_local_to_utc(datetime(2022-07-11 15:18:48), 'US/Pacific')",
      '2022-07-11T22:18:48Z'
    ],
    [
      "print v = datetime_utc_to_local(datetime(2022-07-11 22:18:48), 'US/Pacific') - datetime_utc_to_local(datetime(2022-07-11 22:18:48), 'Australia/Canberra')",
      '-17:00:00'
    ]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });
});

describe('IPv4 functions', () => {
  it('ipv4_compare with prefixes in the text and as an argument (documented example)', async () => {
    await expectRows(
      `datatable(ip1_string:string, ip2_string:string, prefix:long)
       [
         '192.168.1.1',    '192.168.1.0',   31,
         '192.168.1.1/24', '192.168.1.255', 31,
         '192.168.1.1',    '192.168.1.255', 24,
         '192.168.1.1',    '192.168.1.255', 32,
       ]
       | extend result = ipv4_compare(ip1_string, ip2_string, prefix)
       | project result`,
      [[0], [0], [0], [-1]]
    );
  });

  it('format_ipv4 and format_ipv4_mask (documented example)', async () => {
    await expectRows(
      `datatable(address:string, mask:long)
       ['192.168.1.1', 24, '192.168.1.1', 32, '192.168.1.1/24', 32, '192.168.1.1/24', long(-1)]
       | extend result = format_ipv4(address, mask), result_mask = format_ipv4_mask(address, mask)`,
      [
        ['192.168.1.1', 24, '192.168.1.0', '192.168.1.0/24'],
        ['192.168.1.1', 32, '192.168.1.1', '192.168.1.1/32'],
        ['192.168.1.1/24', 32, '192.168.1.0', '192.168.1.0/24'],
        ['192.168.1.1/24', -1, '', '']
      ]
    );
  });

  it.each([
    [
      "print v = ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8')",
      true
    ],
    [
      'print v = ipv4_is_in_any_range("127.0.0.1", dynamic(["127.0.0.1", "192.168.1.1"]))',
      true
    ],
    [
      'print v = ipv4_is_in_any_range("1.1.1.1", dynamic(["192.168.1.1/16", "10.0.0.1/8"]))',
      false
    ],
    [
      "print v = has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.')",
      true
    ],
    [
      "print v = has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')",
      false
    ],
    [
      "print v = has_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.')",
      false
    ],
    [
      "print v = has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1')",
      true
    ],
    ["print v = has_ipv4('05:04:54 127.0.0.12 GET', '127.0.0.1')", false],
    [
      "print v = has_any_ipv4('a 10.0.0.1 b', dynamic(['1.1.1.1', '10.0.0.1']))",
      true
    ],
    [
      "print v = has_any_ipv4_prefix('a 10.0.0.1 b', dynamic(['1.1.', '10.0.']))",
      true
    ],
    ["print v = ipv4_netmask_suffix('192.168.1.1/24')", 24],
    ["print v = ipv4_netmask_suffix('192.168.1.1')", 32],
    ["print v = parse_ipv4_mask('192.1.168.2', 16)", 3221291008]
  ])('%s', async (query, expected) => {
    expect(await valueOf(query)).toEqual(expected);
  });
});

describe('aggregates', () => {
  it('make_bag merges the bags (documented example)', async () => {
    await expectRows(
      `datatable(prop:string, value:string) ["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"]
       | extend p = bag_pack(prop, value)
       | summarize dict = make_bag(p)`,
      [[{ prop01: 'val_a', prop02: 'val_b', prop03: 'val_c' }]]
    );
  });

  it('binary_all_xor gives CAFEF00D (documented example, its hex literals in decimal)', async () => {
    await expectRows(
      `datatable(num:long) [1145062464, 505290270, 2427173385, 725082]
       | summarize result = toupper(tohex(binary_all_xor(num)))`,
      [['CAFEF00D']]
    );
  });

  it('conditional aggregates consider only the rows where the predicate holds', async () => {
    await expectRows(
      `range x from 1 to 10 step 1
       | summarize s = stdevif(x, x % 2 == 0), v = varianceif(x, x % 2 == 0), p = variancepif(x, x % 2 == 0),
                   a = binary_all_and(x), o = binary_all_or(x), d = count_distinctif(x % 3, x > 5),
                   b = make_bag_if(bag_pack(tostring(x), x), x < 3),
                   pa = percentiles_array(x, 10, 50, 90)`,
      [[Math.sqrt(10), 10, 8, 0, 15, 3, { '1': 1, '2': 2 }, [1, 5, 9]]]
    );
  });
});

describe('functions of serialized rows', () => {
  it('row_cumsum over the rows a filter kept (documented example)', async () => {
    await expectRows(
      `datatable (a:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
       | where a % 2 == 0
       | serialize cs = row_cumsum(a)`,
      [
        [2, 2],
        [4, 6],
        [6, 12],
        [8, 20],
        [10, 30]
      ],
      { inOrder: true }
    );
  });

  it('restarts where a flag says, in the order the query sorted (documented example)', async () => {
    await expectRows(
      `datatable (name:string, month:int, salary:long)
       ["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450]
       | order by name asc, month asc
       | extend total = row_cumsum(salary, name != prev(name)), n = row_number(),
                n10 = row_number(10, name != prev(name)), following = next(month), rank = row_rank_dense(name)`,
      [
        ['Alice', 1, 1000, 1000, 1, 10, 2, 1],
        ['Alice', 2, 2000, 3000, 2, 11, 3, 1],
        ['Alice', 3, 1400, 4400, 3, 12, 1, 1],
        ['Bob', 1, 1000, 1000, 4, 10, 2, 2],
        ['Bob', 2, 1950, 2950, 5, 11, 3, 2],
        ['Bob', 3, 1450, 4400, 6, 12, null, 2]
      ],
      { inOrder: true }
    );
  });

  it('prev and next with an offset and a default; time between events', async () => {
    await expectRows(
      `datatable (t:datetime, v:long) [datetime(2024-01-01 00:00:10), 3, datetime(2024-01-01 00:00:00), 1, datetime(2024-01-01 00:00:04), 2]
       | sort by t asc
       | extend before = prev(v, 2, -1), after = next(v, 1, 0), gap = t - prev(t)
       | project v, before, after, gap`,
      [
        [1, -1, 2, null],
        [2, -1, 3, '00:00:04'],
        [3, 1, 0, '00:00:06']
      ],
      { inOrder: true }
    );
  });
});

describe('columns of the row', () => {
  it('column_ifexists gives the column when the row has it, else the default', async () => {
    await expectRows(
      `datatable (a:long, b:string) [1, "x"]
       | extend c = column_ifexists("a", 0), d = column_ifexists("zz", "none"), e = columnifexists("b", "")`,
      [[1, 'x', 1, 'none', 'x']]
    );
  });

  it('pack_all packs every column; with true it leaves out nulls and empty strings', async () => {
    await expectRows(
      `datatable (Source:string, Target:string, CharsCount:long) ["555-1313", "", 42]
       | extend Packed = pack_all(), PackedIgnoreNullEmpty = pack_all(true)`,
      [
        [
          '555-1313',
          '',
          42,
          { Source: '555-1313', Target: '', CharsCount: 42 },
          { Source: '555-1313', CharsCount: 42 }
        ]
      ]
    );
  });
});

describe('functions no local engine can compute as Kusto does', () => {
  it.each([
    [
      'print hash("World")',
      /^not supported locally: hash\(\) \(Kusto's hash is xxhash64/
    ],
    [
      'print parse_user_agent("Mozilla/5.0", "browser")',
      /^not supported locally: parse_user_agent\(\) \(Kusto matches the user-agent/
    ],
    [
      'print parse_xml("<a>1</a>")',
      /^not supported locally: parse_xml\(\) \(DuckDB has no XML parser/
    ],
    [
      'datatable(x:long)[1] | summarize dcount_hll(hll(x))',
      /^not supported locally: (dcount_hll|hll)\(\) \(Kusto's HyperLogLog sketch/
    ]
  ])('%s is refused with why', async (query, message) => {
    const outcome = await runKql(query);
    expect(outcome.kind).toBe('unsupported');
    expect(outcome.kind === 'unsupported' && outcome.message).toMatch(message);
  });
});
