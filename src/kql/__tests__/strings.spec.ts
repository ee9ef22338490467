/**
 * String operators and functions on DuckDB, with Kusto's semantics: case rules, `has` as whole
 * terms, strings never null (a missing string is ""), negated operators true on empty strings.
 */
import { expectRows, valueOf } from './expect-rows';
import { runKql } from './harness';

describe('string operators', () => {
  it.each([
    // has: whole terms (maximal runs of ASCII letters and digits), case-insensitive
    ['"KustoExplorerQueryRun" has "Explorer"', false],
    ['"Kusto Explorer" has "explorer"', true],
    ['"Kusto Explorer QueryRun" has "Explorer"', true],
    ['"Kusto Explorer" has_cs "explorer"', false],
    ['"Kusto Explorer" has_cs "Explorer"', true],
    ['"Kusto Explorer" !has_cs "explorer"', true],
    ['"a1b2 c3" has "1b2"', false],
    ['"a1b2 c3" has "a1b2"', true],
    ['"10.0.0.1" has "0.0"', true],
    ['"a@b.com" has "b.com"', true],
    ['"a-b.c" has "b-c"', false],
    ['"a.b-c" has "b-c"', true],
    ['"xx-foo.bar" has ".bar"', true],
    ['@"C:\\Windows\\System32\\cmd.exe" has "cmd.exe"', true],
    ['@"C:\\Windows\\System32\\cmd.exe" has "System"', false],
    ['"abc" has ""', true],
    ['"" has "x"', false],
    ['"" !has "x"', true],
    ['"abc def" !has "DEF"', false],
    // hasprefix / hassuffix: a term starts or ends with the needle
    ['"hello world" hasprefix "wor"', true],
    ['"hello world" hasprefix "orl"', false],
    ['"hello world" hassuffix "llo"', true],
    ['"hello world" hassuffix "hel"', false],
    ['"hello world" !hasprefix "WOR"', false],
    ['"Hello World" hasprefix_cs "wor"', false],
    ['"Hello World" hassuffix_cs "rld"', true],
    // contains
    ['"abc" contains "B"', true],
    ['"abc" contains_cs "B"', false],
    ['"abc" contains_cs "b"', true],
    ['"abc" !contains "B"', false],
    ['"" contains ""', true],
    ['"" !contains "x"', true],
    ['"abc" !contains_cs "B"', true],
    // startswith / endswith
    ['"abc" startswith "AB"', true],
    ['"abc" startswith_cs "AB"', false],
    ['"abc" !startswith "x"', true],
    ['"" startswith "a"', false],
    ['"" !startswith "a"', true],
    ['"abc" endswith "BC"', true],
    ['"abc" endswith_cs "BC"', false],
    ['"abc" endswith_cs "bc"', true],
    ['"abc" !endswith "c"', false],
    ['"abc" !endswith_cs "C"', true],
    // equality
    ['"abc" == "ABC"', false],
    ['"abc" =~ "ABC"', true],
    ['"abc" !~ "ABC"', false],
    ['"abc" != "ABC"', true],
    ['"" == ""', true],
    // in
    ['"x" in ("a", "X")', false],
    ['"x" in~ ("a", "X")', true],
    ['"x" !in ("a", "X")', true],
    ['"x" !in~ ("X")', false],
    ['"" in ("")', true],
    ['2 in (1, 2)', true],
    ['3 !in (1, 2)', true],
    ['"b" in (dynamic(["a", "b"]))', true],
    // has_any / has_all
    ['"The quick brown fox" has_any ("dog", "fox")', true],
    ['"The quick brown fox" has_any ("dog", "cat")', false],
    ['"The quick brown fox" has_all ("QUICK", "fox")', true],
    ['"The quick brown fox" has_all ("quick", "cat")', false],
    ['"abc" has_any ("b")', false],
    ['"a.b.c" has_any ("b")', true],
    // matches regex is case-sensitive
    ['"abc" matches regex "^a.c$"', true],
    ['"ABC" matches regex "abc"', false],
    ['"ABC" matches regex "(?i)abc"', true]
  ])('%s is %s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toBe(expected);
  });

  it('=~ and in~ filter rows regardless of case, not matching empty strings', async () => {
    await expectRows(
      'datatable(s:string)["abc", "", "ABC", "abd"] | where s =~ "aBc"',
      [['abc'], ['ABC']]
    );
    await expectRows(
      'datatable(s:string)["abc", "", "ABC"] | where s in~ ("ABC", "zz")',
      [['abc'], ['ABC']]
    );
  });

  it('!in keeps empty strings and !has keeps empty strings', async () => {
    await expectRows(
      'datatable(s:string)["abc", "", "ABC"] | where s !in ("ABC")',
      [['abc'], ['']]
    );
    await expectRows('datatable(s:string)["a b", "", "c"] | where s !has "b"', [
      [''],
      ['c']
    ]);
    await expectRows('datatable(s:string)["xay", ""] | where s !contains "a"', [
      ['']
    ]);
  });

  it('has with a needle from a column', async () => {
    await expectRows(
      'datatable(s:string, n:string)["Kusto Explorer", "explorer", "KustoExplorer", "explorer", "a.b", ".b"] | where s has n | project s',
      [['Kusto Explorer'], ['a.b']]
    );
  });

  it('has_any with a dynamic array from a let', async () => {
    await expectRows(
      'let words = dynamic(["cmd", "powershell"]); datatable(s:string)["run cmd.exe", "pwsh", "PowerShell -enc"] | where s has_any (words)',
      [['run cmd.exe'], ['PowerShell -enc']]
    );
  });

  it('has_any over needles that need different term boundaries gives what each has gives', async () => {
    const rows =
      'datatable(s:string)["run -encodedcommand x", "x-enc y", "wbadmin.exe", "vssadminX", "straße.exe", "a.b c", "none"]';
    const needles = '"vssadmin", "wbadmin", "-enc", "straße", "b c", "."';
    const each = needles
      .split(', ')
      .map(n => `s has ${n}`)
      .join(' or ');
    const expected = [['x-enc y'], ['wbadmin.exe'], ['straße.exe'], ['a.b c']];
    await expectRows(`${rows} | where s has_any (${needles})`, expected);
    await expectRows(`${rows} | where ${each}`, expected);
  });
});

describe('string functions', () => {
  it.each([
    ['strlen("")', 0],
    ['strlen("héllo")', 5],
    ['tolower("ÀBC")', 'àbc'],
    ['toupper("abc")', 'ABC'],
    ['reverse("abc")', 'cba'],
    ['unicode_codepoints_from_string("a\\né")', [97, 10, 233]],
    ['unicode_codepoints_from_string("")', []],
    ['indexof("abcabc", "c")', 2],
    ['indexof("abc", "z")', -1],
    ['countof("aaa", "a")', 3],
    ['countof("abab", "ab")', 2],
    // trim removes one match of the expression at each end (Kusto's trim pages use `+` for more).
    ['trim(" ", "  x  ")', ' x '],
    ['trim(@"\\s+", "  x  ")', 'x'],
    ['trim_start("a", "aabaa")', 'abaa'],
    ['trim_end("a", "aabaa")', 'aaba'],
    ['trim("--", "--https://bing.com--")', 'https://bing.com'],
    // Plain matches may overlap; regex matches do not (Kusto's countof page).
    ['countof("aaaa", "aa")', 3],
    ['countof("ababa", "aba")', 2],
    ['countof("ababa", "aba", "regex")', 1],
    ['countof("abcabc", "a.c", "regex")', 2],
    ['strrep(123, 3, ".")', '123.123.123'],
    ['strrep(3s, 2, " ")', '00:00:03 00:00:03'],
    ['strcat_array(dynamic(["a", null, "b"]), ",")', 'a,,b'],
    ['substring("123456", -2, 2)', '56'],
    ['substring("123456", -3)', '456'],
    ['substring("123456", 1, -1)', ''],
    ['replace_string("aXbX", "X", "-")', 'a-b-'],
    ['replace_regex("a1b22", @"\\d+", "#")', 'a#b#'],
    ['strrep("ab", 3)', 'ababab'],
    ['strcat("a", 1, true, 2.5)', 'a1True2.5'],
    ['strcat("x", "")', 'x'],
    ['strcat("x", long(null))', 'x'],
    ['strcat_delim("-", "a", "b", 1)', 'a-b-1'],
    ['substring("abcdef", 2)', 'cdef'],
    ['substring("abcdef", 1, 3)', 'bcd'],
    ['substring("abc", 5)', ''],
    ['substring("", 0, 1)', ''],
    ['split("aa_bb", "_")', ['aa', 'bb']],
    ['split("aaa_bbb_ccc", "_", 1)', ['bbb']],
    ['split("a_b", "_", 5)', []],
    ['split("", "_")', ['']],
    ['split("a__b", "_")', ['a', '', 'b']],
    ['split("aabbcc", "bb")', ['aa', 'cc']],
    ['extract("(\\\\d+)", 1, "abc 123 def")', '123'],
    ['extract("x(\\\\d+)", 1, "abc")', ''],
    ['extract("(\\\\d+)", 0, "a99b")', '99'],
    ['extract(@"(\\w+)@(\\w+)", 2, "mail bob@contoso now")', 'contoso'],
    // RE2 numbers at most 9 groups for extraction; .NET any number.
    ['extract("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", 11, "abcdefghijk")', 'k'],
    ['extract(@"(?<year>\\d{4})", 1, "in 2024")', '2024'],
    ['extract_all(@"(\\d+)", "a1b22c333")', ['1', '22', '333']],
    ['extract_all(@"\\d+", "none")', null],
    [
      'extract_all(@"(\\w)(\\d)", "a1b2")',
      [
        ['a', '1'],
        ['b', '2']
      ]
    ],
    ['isempty("")', true],
    ['isempty(" ")', false],
    ['isnotempty("x")', true],
    ['isnotempty("")', false],
    ['isnull("")', false],
    ['base64_encode_tostring("Kusto")', 'S3VzdG8='],
    ['base64_decode_tostring("S3VzdG8=")', 'Kusto'],
    ['hash_md5("")', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['string_size("héllo")', 6]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });
});

describe('regular expressions as .NET reads them', () => {
  it.each([
    // .NET's \d, \w and \s are Unicode classes; RE2's are ASCII.
    ['"١٢٣" matches regex @"^\\d+$"', true],
    ['"straße" matches regex @"^\\w+$"', true],
    ['"a\u00a0b" matches regex @"a\\sb"', true],
    ['"a1" matches regex @"^[\\w]\\d$"', true],
    ['"a.b" matches regex @"^\\W*a\\Wb$"', true]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it.each([
    ['"ab" matches regex "a(?=b)"', 'lookarounds'],
    ['extract(@"(a)\\1", 0, "aa")', 'backreferences']
  ])('refuses %s, which RE2 cannot run', async (expr, what) => {
    const outcome = await runKql(`print v = ${expr}`);
    expect(outcome).toMatchObject({
      kind: 'unsupported',
      message: expect.stringContaining(what)
    });
  });
});

describe('has with terms of any script', () => {
  it.each([
    ['"großstadt" has "gro"', false],
    ['"groß stadt" has "groß"', true],
    ['"Straße" hasprefix "stra"', true],
    ['"Straßenbahn x" has_any ("straße")', false],
    ['"Straße x" has_any ("straße")', true]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });
});

describe('parse', () => {
  // The examples of Kusto's parse page, regex mode.
  const EVENT =
    'datatable(EventText: string)["Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)"]';

  it('kind=regex is greedy unless flags say U', async () => {
    await expectRows(
      `${EVENT} | parse kind=regex EventText with * "resourceName=" greedy ',' * | parse kind=regex flags=Ui EventText with * "RESOURCENAME=" lazy ',' * | project greedy, lazy`,
      [
        [
          'PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01',
          'PipelineScheduler'
        ]
      ]
    );
  });

  it('kind=regex: groups inside the literals do not shift the captures', async () => {
    await expectRows(
      `${EVENT} | parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\\s*\\d+\\s*.*?sliceNumber=" sliceNumber: long ".*?(previous)?lockTime=" lockTime ".*?releaseTime=" releaseTime ".*?previousLockTime=" previousLockTime: date "\\\\)" | project resourceName, sliceNumber, lockTime, releaseTime, previousLockTime`,
      [
        [
          'PipelineScheduler',
          23,
          '02/17/2016 08:40:01, ',
          '02/17/2016 08:40:01, ',
          '2016-02-17T08:39:01Z'
        ]
      ]
    );
  });

  it('captures text and typed values', async () => {
    await expectRows(
      'print s = "user=alice id=42 ok" | parse s with "user=" user " id=" id:long " " rest',
      [['user=alice id=42 ok', 'alice', 42, 'ok']],
      { columns: ['s', 'user', 'id', 'rest'] }
    );
  });

  it('leaves empty strings and nulls when the text does not match', async () => {
    await expectRows(
      'datatable(s:string)["user=alice id=42", "garbage"] | parse s with "user=" user " id=" id:long',
      [
        ['user=alice id=42', 'alice', 42],
        ['garbage', '', null]
      ]
    );
  });

  it('parse-where drops rows that do not match or whose typed captures do not convert', async () => {
    await expectRows(
      'datatable(s:string)["user=alice id=42", "garbage", "user=bob id=x"] | parse-where s with "user=" user " id=" id:long',
      [['user=alice id=42', 'alice', 42]]
    );
  });

  it('skips text with *', async () => {
    await expectRows('print s = "key: value" | parse s with * ": " v', [
      ['key: value', 'value']
    ]);
  });

  it('kind=regex treats the literals as regular expressions', async () => {
    await expectRows(
      'print s = "abc123def" | parse kind=regex s with "[a-z]+" n:long "[a-z]+"',
      [['abc123def', 123]]
    );
  });

  it('typed real and datetime captures', async () => {
    await expectRows(
      'print s = "t=2024-01-02T03:04:05Z v=2.5" | parse s with "t=" t:datetime " v=" v:real | project t, v',
      [['2024-01-02T03:04:05Z', 2.5]]
    );
  });
});

describe('ipv4_is_match', () => {
  // The examples of Kusto's ipv4_is_match page: the fewest prefix bits count.
  it.each([
    ["ipv4_is_match('192.168.1.1/24', '192.168.1.255')", true],
    ["ipv4_is_match('192.168.1.1', '192.168.1.255/24')", true],
    ["ipv4_is_match('192.168.1.1/30', '192.168.1.255/24')", true],
    ["ipv4_is_match('192.168.1.1', '192.168.1.0', 31)", true],
    ["ipv4_is_match('192.168.1.1/24', '192.168.1.255', 31)", true],
    ["ipv4_is_match('192.168.1.1', '192.168.1.255', 24)", true],
    ["ipv4_is_match('192.168.1.1', '192.168.1.2')", false]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });
});
