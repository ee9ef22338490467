/**
 * Kusto's text and lookup functions of `sql/text.ts` on DuckDB, against the examples of Kusto's
 * documentation (each expected value is the documented output): `extract_all` with a group list,
 * `indexof_regex`, `array_index_of` with a range, `format_bytes`, `dynamic_to_json`,
 * `parse_path` and `parse_command_line`.
 */
import { expectRows, rowsOf, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

const GUID = '"82b8be2d-dfa7-4bd1-8f63-24ad26d31449"';

describe('extract_all with a group list', () => {
  it.each([
    [
      `extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1,3]), ${GUID})`,
      [
        ['8', 'd'],
        ['d', '7'],
        ['4', '1'],
        ['8', '3'],
        ['2', '9']
      ]
    ],
    [
      `extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic(['first',2,'last']), ${GUID})`,
      [
        ['8', '2b8be2', 'd'],
        ['d', 'fa', '7'],
        ['4', 'bd', '1'],
        ['8', 'f6', '3'],
        ['2', '4ad26d3144', '9']
      ]
    ],
    [
      'extract_all(@"(([\\d]{1,3}\\.){3}[\\d]{1,3})", dynamic([1]), "from 10.1.2.3 to 1.1.1.1")',
      ['10.1.2.3', '1.1.1.1']
    ],
    ['extract_all(strcat("(a)", "(b)"), dynamic([2]), "abab")', ['b', 'b']]
  ])('%s (documented example)', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toEqual(expected);
  });

  it('refuses a group the pattern does not have', async () => {
    const outcome = await runKql(
      'print v = extract_all(@"(a)", dynamic([2]), "a")'
    );
    expect(outcome.kind).toBe('unsupported');
  });
});

describe('positions', () => {
  it('indexof_regex (documented example)', async () => {
    await expectRows(
      `print
         idx1 = indexof_regex("abcabc", @"a.c"),
         idx2 = indexof_regex("abcabcdefg", @"a.c", 0, 9, 2),
         idx3 = indexof_regex("abcabc", @"a.c", 1, -1, 2),
         idx4 = indexof_regex("ababaa", @"a.a", 0, -1, 2),
         idx5 = indexof_regex("abcabc", @"a|ab", -1)`,
      [[0, 3, -1, -1, null]]
    );
  });

  it('array_index_of with start, length and occurrence (documented example)', async () => {
    await expectRows(
      `let arr=dynamic(["this", "is", "an", "example", "an", "example"]);
       print
         idx1 = array_index_of(arr,"an"),
         idx2 = array_index_of(arr,"example",1,3),
         idx3 = array_index_of(arr,"example",1,2),
         idx4 = array_index_of(arr,"is",2,4),
         idx5 = array_index_of(arr,"example",2,-1),
         idx6 = array_index_of(arr, "an", 1, -1, 2),
         idx7 = array_index_of(arr, "an", 1, -1, 3),
         idx8 = array_index_of(arr, "an", -3),
         idx9 = array_index_of(arr, "is", -4),
         idx10 = array_index_of(arr, "is", 0, -2)`,
      [[2, 3, -1, -1, 3, 4, -1, 4, -1, null]]
    );
  });
});

describe('format_bytes', () => {
  it('documented example', async () => {
    await expectRows(
      `print
         v1 = format_bytes(564),
         v2 = format_bytes(10332, 1),
         v3 = format_bytes(20010332),
         v4 = format_bytes(20010332, 2),
         v5 = format_bytes(20010332, 0, "KB")`,
      [['564 Bytes', '10.1 KB', '19 MB', '19.08 MB', '19541 KB']]
    );
  });
});

describe('dynamic_to_json', () => {
  it('sorts bags by key at every level (documented example)', async () => {
    await expectRows(
      `let bag1 = dynamic_to_json(
         dynamic({
           'Y10':dynamic({}),
           'X8': dynamic({'c3':1, 'd8':5, 'a4':6}),
           'D1':114, 'A1':12, 'B1':2, 'C1':3,
           'A14':[15, 13, 18]
       }));
       let bag2 = dynamic_to_json(
         dynamic({
           'X8': dynamic({'a4':6, 'c3':1, 'd8':5}),
           'A14':[15, 13, 18],
           'C1':3, 'B1':2,
           'Y10': dynamic({}),
           'A1':12, 'D1':114
         }));
       print AreEqual=bag1 == bag2, Result=bag1`,
      [
        [
          true,
          '{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}'
        ]
      ]
    );
  });

  it('reads a dynamic literal inside a dynamic literal as JSON, not text', async () => {
    expect(
      await valueOf(
        "print v = dynamic({'a': dynamic({'b': 1}), 'c': dynamic([1])})"
      )
    ).toEqual({ a: { b: 1 }, c: [1] });
  });

  it('stops with a clear error below the depth it sorts', async () => {
    const outcome = await runKql(
      'print b = dynamic_to_json(dynamic([[[[[[1]]]]]]))'
    );
    expect(outcome.kind === 'error' && outcome.message).toMatch(
      /nested deeper than 5 levels is not supported locally/
    );
  });

  it('writes strings escaped and other types as tostring does', async () => {
    await expectRows(
      `print a = dynamic_to_json(dynamic([{"b": "x\\"y", "a": null}])), b = dynamic_to_json(5)`,
      [['[{"a":null,"b":"x\\"y"}]', '5']]
    );
  });
});

describe('parse_path', () => {
  it('documented example', async () => {
    const { rows } = await rowsOf(
      `datatable(p:string)
         [
           @"C:\\temp\\file.txt",
           @"temp\\file.txt",
           "file://C:/temp/file.txt:some.exe",
           @"\\\\shared\\users\\temp\\file.txt.gz",
           "/usr/lib/temp/file.txt"
         ]
         | project path_parts = parse_path(p)`
    );
    const part = (
      Scheme: string,
      RootPath: string,
      DirectoryPath: string,
      Filename: string,
      Extension: string,
      AlternateDataStreamName = ''
    ) => ({
      Scheme,
      RootPath,
      DirectoryPath,
      DirectoryName: 'temp',
      Filename,
      Extension,
      AlternateDataStreamName
    });
    expect(rows.map(r => r[0])).toEqual([
      part('', 'C:', 'C:\\temp', 'file.txt', 'txt'),
      part('', '', 'temp', 'file.txt', 'txt'),
      part('file', 'C:', 'C:/temp', 'file.txt', 'txt', 'some.exe'),
      part('', '', '\\\\shared\\users\\temp', 'file.txt.gz', 'gz'),
      part('', '', '/usr/lib/temp', 'file.txt', 'txt')
    ]);
  });
});

describe('parse_command_line', () => {
  it.each([
    ['"echo \\"hello world!\\""', ['echo', 'hello world!']],
    [
      '@"""C:\\Program Files\\a.exe"" -x ""a b"" c"',
      ['C:\\Program Files\\a.exe', '-x', 'a b', 'c']
    ],
    ['@"nltest.exe /dclist:contoso"', ['nltest.exe', '/dclist:contoso']],
    // 2n + 1 backslashes before a quote: n and a literal quote; 2n: n, and the quote toggles.
    ['@"a b\\""c d"', ['a', 'b"c', 'd']],
    ['@"a ""b\\\\"" c"', ['a', 'b\\', 'c']],
    // Backslashes not before a quote are literal; "" is an empty argument.
    ['@"a\\\\b c\\d"', ['a\\\\b', 'c\\d']],
    ['@"a """" b"', ['a', '', 'b']],
    // A quote right after a closing one is literal (CommandLineToArgvW counts quotes by three).
    ['@"a ""b""""c"" d"', ['a', 'b"c d']],
    ['@"a   b  "', ['a', 'b']]
  ])('parse_command_line(%s)', async (text, expected) => {
    expect(
      await valueOf(`print v = parse_command_line(${text}, "windows")`)
    ).toEqual(expected);
  });
});

describe('parse_version', () => {
  it('documented example, and null for text that is no version', async () => {
    await expectRows(
      `datatable(v: string) ["0.0.0.5", "0.0.7.0", "0.0.3", "0.2", "0.1.2.0", "1.2.3.4", "1", "x", "1..2", "1.2.3.4.5", "123456789"]
       | project p = parse_version(v)`,
      [
        [5],
        [700000000],
        [300000000],
        [20000000000000000],
        [10000000200000000],
        [1000000020000000300000004],
        [1000000000000000000000000],
        [null],
        [null],
        [null],
        [null]
      ]
    );
  });

  it('is exact and compares versions', async () => {
    await expectRows(
      'print a = parse_version("1.2") > parse_version("1.1.9"), b = parse_version("1.0") == parse_version("1.0.0.0"), c = parse_version("1.2.3.4") == decimal(1000000020000000300000004)',
      [[true, true, true]]
    );
  });
});

describe('functions under their other names and forms', () => {
  it('parse_urlquery, read with x.[param] (documented example)', async () => {
    await expectRows(
      `let getQueryParamValue = (querystring: string, param: string) {
           let params = parse_urlquery(querystring);
           tostring(params["Query Parameters"].[param])
       };
       print UrlQuery = 'view=vs-2019&preserve-view=true'
       | extend view = getQueryParamValue(UrlQuery, 'view')
       | extend preserve = getQueryParamValue(UrlQuery, 'preserve-view')`,
      [['view=vs-2019&preserve-view=true', 'vs-2019', 'true']]
    );
  });

  it('parse_urlquery gives the parameters under "Query Parameters" (documented example)', async () => {
    await expectRows('print Result=parse_urlquery("k1=v1&k2=v2&k3=v3")', [
      [{ 'Query Parameters': { k1: 'v1', k2: 'v2', k3: 'v3' } }]
    ]);
  });

  it('url_encode_component writes a space as %20, a plus as %2b', async () => {
    await expectRows(
      "print encoded = url_encode_component(@'https://www.bing.com/hello world/+')",
      [['https%3a%2f%2fwww.bing.com%2fhello%20world%2f%2b']]
    );
  });

  it('base64_encode_fromarray (documented example) and null for a non-byte', async () => {
    await expectRows(
      'print a = base64_encode_fromarray(base64_decode_toarray("S3VzdG8=")), b = isempty(base64_encode_fromarray(dynamic([300])))',
      [['S3VzdG8=', true]]
    );
  });

  it('extract_json (documented example)', async () => {
    await expectRows(
      `let json = '{"name": "John", "age": 30, "city": "New York"}';
       print a = extract_json("$.name", json, typeof(string)), b = extract_json("$.age", json, typeof(long))`,
      [['John', 30]]
    );
  });
});

describe('replace_strings', () => {
  it('the documented examples: simple, empty, order of precedence, non-string rewrite', async () => {
    await expectRows(
      `print M = 'A magic trick can turn a cat into a dog', N = 'This is an example of using replace_strings()'
       | project
           a = replace_strings(M, dynamic(['cat', 'dog']), dynamic(['dog', 'pigeon'])),
           b = replace_strings(M, dynamic(['turn', ' into a dog']), dynamic(['disappear', ''])),
           c = replace_strings(N, dynamic(['This', 'is']), dynamic(['This', 'was'])),
           d = replace_strings(N, dynamic(['is', 'This']), dynamic(['was', 'This'])),
           e = replace_strings(N, dynamic(['This', 'is']), dynamic([12345, 'was']))`,
      [
        [
          'A magic trick can turn a dog into a pigeon',
          'A magic trick can disappear a cat',
          'This was an example of using replace_strings()',
          'Thwas was an example of using replace_strings()',
          'This was an example of using replace_strings()'
        ]
      ]
    );
  });
});
