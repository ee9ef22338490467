/**
 * Tabular operators, let statements and the compiler's diagnostics: sort/top with nulls, take,
 * distinct, count, the project family, extend, let (scalar, tabular, functions), toscalar, `in` a
 * subquery, getschema, render, and errors for syntax, unknown names and unsupported features.
 */
import { compilerSchema, type IKqlDiagnostic, loadCompiler } from '..';
import { expectRows, rowsOf, valueOf } from './expect-rows';
import { runKql } from './harness';

const NULLS = 'datatable(v:long)[3, long(null), 1, 2]';

describe('sort, top, take', () => {
  it.each([
    ['sort by v asc', [[null], [1], [2], [3]]],
    ['sort by v desc', [[3], [2], [1], [null]]],
    ['sort by v', [[3], [2], [1], [null]]],
    ['order by v asc nulls last', [[1], [2], [3], [null]]],
    ['sort by v desc nulls first', [[null], [3], [2], [1]]],
    ['top 2 by v', [[3], [2]]],
    ['top 2 by v asc', [[null], [1]]],
    ['top 2 by v asc nulls last', [[1], [2]]],
    ['top 10 by v desc', [[3], [2], [1], [null]]]
  ])('%s', async (op, expected) => {
    await expectRows(`${NULLS} | ${op}`, expected, { inOrder: true });
  });

  it('sorts empty strings first ascending', async () => {
    await expectRows(
      'datatable(s:string)["b", "", "a"] | sort by s asc',
      [[''], ['a'], ['b']],
      { inOrder: true }
    );
  });

  it('sorts by several keys', async () => {
    await expectRows(
      'datatable(a:long, b:string)[1,"y", 2,"x", 1,"x"] | sort by a asc, b desc',
      [
        [1, 'y'],
        [1, 'x'],
        [2, 'x']
      ],
      { inOrder: true }
    );
  });

  it('keeps the sort order through where, extend and project', async () => {
    await expectRows(
      'range x from 1 to 5 step 1 | sort by x desc | where x > 1 | extend y = x * 2 | project x, y',
      [
        [5, 10],
        [4, 8],
        [3, 6],
        [2, 4]
      ],
      { inOrder: true }
    );
  });

  it.each([
    ['take 2', 2],
    ['limit 5', 5],
    ['take 0', 0],
    ['take 100', 10]
  ])('%s', async (op, n) => {
    await expectRows(`range x from 1 to 10 step 1 | ${op} | count`, [[n]]);
  });

  it('top after summarize', async () => {
    await expectRows(
      'datatable(s:string)["a","b","b","c","c","c"] | summarize n = count() by s | top 2 by n',
      [
        ['c', 3],
        ['b', 2]
      ],
      { inOrder: true }
    );
  });
});

describe('distinct, count, range, print', () => {
  it('distinct', async () => {
    await expectRows(
      'datatable(a:long, b:string)[1,"x",1,"x",2,"y",1,""] | distinct a, b',
      [
        [1, 'x'],
        [2, 'y'],
        [1, '']
      ]
    );
    await expectRows(
      'datatable(a:long)[1, long(null), 1, long(null)] | distinct a',
      [[1], [null]]
    );
  });

  it('count of rows and of an empty input', async () => {
    await expectRows('range x from 1 to 5 step 1 | where x > 2 | count', [[3]]);
    await expectRows('range x from 1 to 5 step 1 | where x > 9 | count', [[0]]);
  });

  it('range with an empty span and a negative step', async () => {
    await expectRows('range x from 1 to 0 step 1', []);
    await expectRows('range x from 3 to 1 step -1', [[3], [2], [1]], {
      inOrder: true
    });
  });

  it('print names unnamed columns print_0, print_1', async () => {
    await expectRows('print 1, "a"', [[1, 'a']], {
      columns: ['print_0', 'print_1']
    });
  });
});

describe('the project family and extend', () => {
  const T = 'datatable(a:long, b:string, c:real)[1,"x",2.5]';

  it.each([
    ['project c, a', ['c', 'a'], [[2.5, 1]]],
    ['project z = a * 2, b', ['z', 'b'], [[2, 'x']]],
    ['project-away b', ['a', 'c'], [[1, 2.5]]],
    ['project-away b*', ['a', 'c'], [[1, 2.5]]],
    ['project-rename z = a', ['z', 'b', 'c'], [[1, 'x', 2.5]]],
    ['project-reorder c, a', ['c', 'a', 'b'], [[2.5, 1, 'x']]],
    ['project-keep c, a', ['a', 'c'], [[1, 2.5]]],
    ['extend a = a + 1, d = "y"', ['a', 'b', 'c', 'd'], [[2, 'x', 2.5, 'y']]],
    ['extend a + 1', ['a', 'b', 'c', 'Column1'], [[1, 'x', 2.5, 2]]],
    [
      'extend d = a | extend e = d + 1',
      ['a', 'b', 'c', 'd', 'e'],
      [[1, 'x', 2.5, 1, 2]]
    ]
  ])('%s', async (op, columns, rows) => {
    await expectRows(`${T} | ${op}`, rows, { columns });
  });
});

describe('let, functions, toscalar, in a subquery', () => {
  it.each([
    ['let n = 3; range x from 1 to n step 1 | count', [[3]]],
    ['let T = datatable(a:long)[1,2,3]; T | where a > 1 | count', [[2]]],
    [
      'let T = datatable(a:long)[1,2,3]; T | join kind=inner (T | where a > 2) on a | project a',
      [[3]]
    ],
    [
      'let f = (x:long, y:long = 10) { x + y }; print a = f(1), b = f(1, 2), c = f(y = 5, x = 1)',
      [[11, 3, 6]]
    ],
    [
      'let f = (T:(a:long)) { T | where a > 1 }; f(datatable(a:long)[1,2,3])',
      [[2], [3]]
    ],
    [
      'let T = datatable(a:long)[1,2,3]; print m = toscalar(T | summarize max(a))',
      [[3]]
    ],
    [
      'let n = toscalar(datatable(a:long)[5,7] | summarize max(a)); range x from 1 to 10 step 1 | where x > n',
      [[8], [9], [10]]
    ],
    [
      'let T = datatable(a:long)[2,3]; datatable(b:long)[1,2,3,4] | where b in (T)',
      [[2], [3]]
    ],
    [
      'let T = datatable(a:long)[2,3]; datatable(b:long)[1,2,3,4] | where b !in (T | project a)',
      [[1], [4]]
    ],
    [
      'let bad = datatable(u:string)["Eve"]; datatable(u:string)["eve", "bob"] | where u in~ (bad)',
      [['eve']]
    ],
    [
      'let since = datetime(2024-01-01); datatable(t:datetime)[datetime(2023-12-31), datetime(2024-01-02)] | where t >= since | count',
      [[1]]
    ]
  ])('%s', async (query, rows) => {
    await expectRows(query, rows);
  });
});

describe('logic and numbers', () => {
  it.each([
    ['iff(true, 1, 2)', 1],
    ['iff(bool(null), 1, 2)', 2],
    ['iif(1 == 1, "y", "n")', 'y'],
    ['case(1 > 2, "a", 2 > 1, "b", "c")', 'b'],
    ['case(false, "a", "z")', 'z'],
    ['coalesce(long(null), 5)', 5],
    ['coalesce("", "x")', 'x'],
    ['coalesce(long(null), long(null))', null],
    ['long(null) == 1', false],
    ['long(null) != 1', true],
    ['long(null) == long(null)', null],
    ['long(null) > 1', null],
    ['not(true)', false],
    ['true and bool(null)', null],
    ['true or bool(null)', true],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 % 3', 1],
    ['7.0 / 2', 3.5],
    ['round(1.2345, 2)', 1.23],
    ['abs(-3)', 3],
    ['pow(2, 10)', 1024],
    ['sqrt(16)', 4],
    ['max_of(1, 5, 3)', 5],
    ['min_of(4, 2)', 2],
    ['5 between (1 .. 5)', true],
    ['6 !between (1 .. 5)', true],
    ['isnull(long(null))', true],
    ['isnotnull(0)', true],
    ['isempty(long(null))', true]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it('where drops rows whose predicate is null; != keeps null rows', async () => {
    await expectRows('datatable(a:long)[1, long(null), 3] | where a > 1', [
      [3]
    ]);
    await expectRows('datatable(a:long)[1, long(null), 3] | where a != 1', [
      [null],
      [3]
    ]);
  });
});

describe('getschema and render', () => {
  it('getschema lists the columns with their types', async () => {
    await expectRows(
      'datatable(a:long, b:string, c:dynamic, d:datetime)[] | getschema',
      [
        ['a', 0, 'System.Int64', 'long'],
        ['b', 1, 'System.String', 'string'],
        ['c', 2, 'System.Object', 'dynamic'],
        ['d', 3, 'System.DateTime', 'datetime']
      ],
      { columns: ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'] }
    );
  });

  it('render is kept as chart metadata and the rows still come', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'range x from 1 to 3 step 1 | extend y = x * 2 | render timechart with (title="T", xtitle="x")',
      compilerSchema([])
    );
    expect(result.sql).not.toBeNull();
    expect(result.render).toEqual({
      visualization: 'timechart',
      properties: { title: 'T', xtitle: 'x' }
    });
    await expectRows(
      'range x from 1 to 3 step 1 | extend y = x * 2 | render timechart',
      [
        [1, 2],
        [2, 4],
        [3, 6]
      ]
    );
  });

  it('a query without render has none', async () => {
    const compiler = await loadCompiler();
    expect(compiler.compile('print x = 1', compilerSchema([])).render).toBe(
      null
    );
  });
});

describe('diagnostics', () => {
  async function diagnostics(query: string): Promise<IKqlDiagnostic[]> {
    const compiler = await loadCompiler();
    const result = compiler.compile(query, compilerSchema([]));
    expect(result.sql).toBeNull();
    return result.diagnostics.filter(d => d.severity === 'error');
  }

  it.each([
    ['datatable(a:long)[1] | evaluate narrow()', 'evaluate narrow'],
    [
      'datatable(a:long)[1] | evaluate sequence_detect(a, 1d, 1d, a == 1, a == 2, a)',
      'evaluate sequence_detect'
    ],
    [
      'datatable(a:long)[1] | evaluate sliding_window_counts(a, a, 1, 2, 1d, 1d)',
      'evaluate sliding_window_counts'
    ]
  ])('%s is one unsupported diagnostic naming %s', async (query, feature) => {
    const errors = await diagnostics(query);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      stage: 'unsupported',
      code: 'KQL-UNSUPPORTED',
      unsupported: feature
    });
    expect(errors[0].message).toBe(`not supported locally: ${feature}`);
  });

  it('an unsupported function is located at its call', async () => {
    const [error] = await diagnostics(
      'print a = 1,\n  b = parse_user_agent("Mozilla/5.0", "browser")'
    );
    expect(error).toMatchObject({ line: 2, column: 7 });
  });

  it.each([
    ['print x = ', 1, 10, 'Missing expression'],
    [
      'datatable(a:long)[1]\n| where a >\n| project a',
      2,
      12,
      'Missing expression'
    ],
    ['print x = 1 |', 1, 14, 'Query operator expected.'],
    ["print x = 'abc", 1, 15, "Missing: '"],
    ['datatable(a:long)[1] | sortt by a', 1, 24, 'Query operator expected.']
  ])('syntax error in %j at %i:%i', async (query, line, column, message) => {
    const errors = await diagnostics(query);
    expect(errors[0]).toMatchObject({
      stage: 'syntax',
      line,
      column,
      message
    });
    const compiler = await loadCompiler();
    expect(compiler.syntax(query)[0]).toMatchObject({ line, column });
  });

  it('reports several syntax errors', async () => {
    const errors = await diagnostics('print x = (1 + ');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every(e => e.stage === 'syntax')).toBe(true);
  });

  it.each([
    [
      'datatable(Count:long)[1] | where Cout > 1',
      1,
      34,
      "The name 'Cout' does not refer to any known column, table, variable or function."
    ],
    [
      'print x = strlenn("a")',
      1,
      11,
      "The name 'strlenn' does not refer to any known function. Did you mean 'strlen'?"
    ],
    [
      'print x = 1\n| extend y = x\n| project z',
      3,
      11,
      "The name 'z' does not refer to any known column, table, variable or function."
    ],
    [
      'NoSuchTable | take 1',
      1,
      1,
      "The name 'NoSuchTable' does not refer to any known table, tabular variable or function."
    ]
  ])('unknown name in %j', async (query, line, column, message) => {
    const errors = await diagnostics(query);
    expect(errors[0]).toMatchObject({
      stage: 'semantic',
      line,
      column,
      message
    });
  });

  it('a valid query has no error diagnostics and its columns', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      'print a = 1, b = "x", c = now()',
      compilerSchema([])
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(result.columns.map(c => [c.name, c.type])).toEqual([
      ['a', 'long'],
      ['b', 'string'],
      ['c', 'datetime']
    ]);
  });

  it('rows of a valid query', async () => {
    const { columns } = await rowsOf('print a = 1');
    expect(columns).toEqual(['a']);
  });
});

describe('real literals', () => {
  it('keeps infinities and NaN, which the parser reads as 0', async () => {
    await expectRows(
      'print a = real(+inf) > 1e308, b = real(-inf) < -1e308, c = isnan(real(nan)), d = real(inf) == real(+inf), e = real(2.5)',
      [[true, true, true, true, 2.5]]
    );
  });
});

describe('integer and real arithmetic as Kusto computes it', () => {
  it.each([
    // The modulo is never negative: 0 <= n % d < abs(d) (Kusto's numerical operators page).
    ['14 % 12', 2],
    ['-14 % 12', 10],
    ['14 % -12', 2],
    ['-14 % -12', 10],
    ['-7 % 3', 2],
    ['-7.5 % 2', 0.5],
    ['7.5 % -2', 1.5],
    ['1 / 0', null],
    ['1 % 0', null],
    ['1.0 / 0', 'Infinity'],
    ['9223372036854775807 + 1', -9223372036854775808n],
    ['-9223372036854775807 - 2', 9223372036854775807n],
    ['3000000000 * 4000000000', -6446744073709551616n],
    ['toint(2147483647) + toint(1)', 2147483648],
    // Where the native width overflows on the way, the 128-bit fallback answers.
    ['(-9223372036854775807 - 1) % -1', 0],
    ['(-9223372036854775807 - 1) / -1', -9223372036854775808n],
    ['9223372036854775806 % 9223372036854775807', 9223372036854775806n],
    ['-1 % (-9223372036854775807 - 1)', 9223372036854775807n],
    ['long(null) % 3', null],
    ['-9223372036854775808', -9223372036854775808n],
    ['-(-9223372036854775807 - 1)', -9223372036854775808n],
    ['log(0)', '-Infinity'],
    ['log(-1)', 'NaN'],
    ['log10(0)', '-Infinity'],
    ['log2(-4)', 'NaN'],
    ['sqrt(-1)', 'NaN'],
    ['acos(2)', 'NaN'],
    ['real(nan) == real(nan)', false],
    ['real(nan) != real(nan)', true],
    ['real(nan) > 1', false],
    ['real(nan) < 1', false]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it('divides and takes the modulo of longs beyond 2^53 exactly', async () => {
    await expectRows(
      'let l = -9223372036854775807; print a = l / 7, b = l % 7, c = (l + 3) / 10, d = (l + 3) % 10',
      [[-1317624576693539401n, 0, -922337203685477580n, 6]]
    );
  });

  it('drops NaN rows in a where comparison, as .NET compares NaN', async () => {
    await expectRows(
      'datatable(x:real)[real(nan), 1.0, real(null)] | where x == x or x > 0.5',
      [[1]]
    );
  });

  it('refuses an integer literal beyond a long rather than reading it as 0', async () => {
    const outcome = await runKql('print 9223372036854775808');
    expect(outcome).toMatchObject({
      kind: 'unsupported',
      message: expect.stringContaining('9223372036854775808')
    });
  });
});

describe('aggregates over infinities and no rows', () => {
  it('gives NaN for stdev and variance over an infinity, not an error', async () => {
    await expectRows(
      'datatable(x:real)[real(+inf), 1.0] | summarize s = stdev(x), v = variance(x), p = stdevp(x)',
      [['NaN', 'NaN', 'NaN']]
    );
  });

  it('gives NaN for the average of no values (0 / 0)', async () => {
    await expectRows(
      'datatable(x:real)[2.0] | where x > 5 | summarize a = avg(x), s = sum(x)',
      [['NaN', 0]]
    );
  });
});

describe('conversions to integers', () => {
  it.each([
    ['toint("4.2")', null],
    ['tolong("4.2")', null],
    ['toint("0xFF")', 255],
    ['tolong("0x10")', 16],
    ['tolong(" 12 ")', 12],
    ['tolong("1_000")', null],
    ['tolong(2.7)', 2],
    ['tolong(-2.7)', -2],
    ['tolong(1e30)', 9223372036854775807n],
    ['tolong(-1e30)', -9223372036854775808n],
    ['tolong(real(nan))', null]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });
});

describe('conversions', () => {
  it.each([
    ['totimespan("1d")', '1.00:00:00'],
    ['totimespan("1.5h")', '01:30:00'],
    ['totimespan("-2s")', '-00:00:02'],
    ['totimespan("30min")', '00:30:00'],
    ['totimespan("0.00:03:00")', '00:03:00'],
    ['totimespan("1x")', null],
    ['tostring(false)', 'False'],
    ['strcat("x", true)', 'xTrue'],
    // toguid: the first 32 hex digits, hyphens ignored (Kusto's toguid page).
    [
      'toguid("0123456789ab-cdef-0123-456789abcdef")',
      '01234567-89ab-cdef-0123-456789abcdef'
    ],
    [
      'toguid("0123456789ABCDEF0123456789abcdef")',
      '01234567-89ab-cdef-0123-456789abcdef'
    ],
    ['toguid("a string that is not a guid")', null]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });

  it('names a bool column System.SByte in getschema, as Kusto does', async () => {
    await expectRows('print b = true, n = 1 | getschema', [
      ['b', 0, 'System.SByte', 'bool'],
      ['n', 1, 'System.Int64', 'long']
    ]);
  });
});
