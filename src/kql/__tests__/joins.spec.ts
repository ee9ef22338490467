/**
 * `join` kinds and `union` on DuckDB, with Kusto's defaults (innerunique), its renaming of clashing
 * columns (`k1`) and of columns whose types differ between union inputs (`a_long`, `a_string`).
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';

const L = 'datatable(k:string, v:long)["a",1, "a",2, "b",3]';
const R = 'datatable(k:string, w:long)["a",10, "a",20, "c",30]';

describe('join', () => {
  it('defaults to innerunique: one left row per key', async () => {
    const rows = [
      ['a', 1, 'a', 10],
      ['a', 1, 'a', 20]
    ];
    await expectRows(`${L} | join (${R}) on k | project k, k1, w`, [
      ['a', 'a', 10],
      ['a', 'a', 20]
    ]);
    // Which left row innerunique keeps is unspecified: only the count and keys are fixed.
    await expectRows(
      `${L} | join (${R}) on k | summarize n = count(), dv = dcount(v)`,
      [[rows.length, 1]]
    );
  });

  it('innerunique keeps the first left row of each key (the documented example)', async () => {
    await expectRows(
      "let X = datatable(Key:string, Value1:long)['a',1,'b',2,'b',3,'c',4]; let Y = datatable(Key:string, Value2:long)['b',10,'c',20,'c',30,'d',40]; X | join Y on Key",
      [
        ['b', 2, 'b', 10],
        ['c', 4, 'c', 20],
        ['c', 4, 'c', 30]
      ],
      { columns: ['Key', 'Value1', 'Key1', 'Value2'] }
    );
  });

  it('where not() keeps rows whose comparison has a null operand', async () => {
    // x == 1 is false for a null x (Kusto's null values page), so not() is true.
    await expectRows(
      'datatable(x:long)[1, long(null), 2] | where not(x == 1)',
      [[null], [2]]
    );
  });

  it('inner keeps every matching pair', async () => {
    await expectRows(
      `${L} | join kind=inner (${R}) on k`,
      [
        ['a', 1, 'a', 10],
        ['a', 1, 'a', 20],
        ['a', 2, 'a', 10],
        ['a', 2, 'a', 20]
      ],
      { columns: ['k', 'v', 'k1', 'w'] }
    );
  });

  it('leftouter fills the right side with nulls and empty strings', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3] | join kind=leftouter (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [
        ['a', 1, 'a', 10],
        ['b', 3, '', null]
      ],
      { columns: ['k', 'v', 'k1', 'v1'] }
    );
  });

  it('rightouter', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3] | join kind=rightouter (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [
        ['a', 1, 'a', 10],
        ['', null, 'c', 30]
      ]
    );
  });

  it('fullouter', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3] | join kind=fullouter (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [
        ['a', 1, 'a', 10],
        ['b', 3, '', null],
        ['', null, 'c', 30]
      ]
    );
  });

  it('leftanti and rightanti keep one side’s unmatched rows', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3] | join kind=leftanti (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [['b', 3]],
      { columns: ['k', 'v'] }
    );
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3] | join kind=rightanti (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [['c', 30]]
    );
  });

  it('leftsemi and rightsemi keep one side’s matched rows, once each', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1,"b",3,"a",5] | join kind=leftsemi (datatable(k:string, v:long)["a",10,"a",30]) on k',
      [
        ['a', 1],
        ['a', 5]
      ]
    );
    await expectRows(
      'datatable(k:string, v:long)["a",1,"a",3] | join kind=rightsemi (datatable(k:string, v:long)["a",10,"c",30]) on k',
      [['a', 10]]
    );
  });

  it('null keys match each other, as Kusto joins them; so do empty string keys', async () => {
    await expectRows(
      'datatable(k:long, v:string)[1,"a",long(null),"n"] | join kind=inner (datatable(k:long, w:string)[1,"b",long(null),"m"]) on k',
      [
        [1, 'a', 1, 'b'],
        [null, 'n', null, 'm']
      ]
    );
    await expectRows(
      'datatable(k:long, v:string)[long(null),"n", 2, "t"] | join kind=leftouter (datatable(k:long, w:string)[long(null),"m"]) on k',
      [
        [null, 'n', null, 'm'],
        [2, 't', null, '']
      ]
    );
    await expectRows(
      'datatable(k:string, v:long)["",1] | join kind=inner (datatable(k:string, w:long)["",2]) on k',
      [['', 1, '', 2]]
    );
  });

  it('$left/$right conditions keep both key columns under their names', async () => {
    await expectRows(
      'datatable(a:long, b:long)[1,2,3,4] | join kind=inner (datatable(c:long, d:long)[1,5]) on $left.a == $right.c',
      [[1, 2, 1, 5]],
      { columns: ['a', 'b', 'c', 'd'] }
    );
  });

  it('renames every clashing right-side column', async () => {
    await expectRows(
      'datatable(k:string, a:long)["x",1] | join kind=inner (datatable(k:string, a:long, a1:long)["x",2,3]) on k',
      [['x', 1, 'x', 2, 3]],
      { columns: ['k', 'a', 'k1', 'a2', 'a1'] }
    );
  });

  it('join on an empty side', async () => {
    await expectRows(
      'datatable(k:string, v:long)["a",1] | join kind=leftouter (datatable(k:string, w:long)[]) on k',
      [['a', 1, '', null]]
    );
    await expectRows(
      'datatable(k:string, v:long)["a",1] | join kind=inner (datatable(k:string, w:long)[]) on k',
      []
    );
  });
});

/**
 * A `where` over an inner join is read in the join's `ON` clause (the emitter's `filteredJoin`):
 * each case gives other rows if it were moved where it must not be, or lost a duplicate or a null.
 */
describe('where after a join', () => {
  const A =
    'datatable(k:string, t:long)["a",5, "a",5, "b",long(null), "c",7, "",1]';
  const B =
    'datatable(k:string, u:long)["a",4, "a",6, "a",4, "b",1, "c",long(null), "",0]';

  it('inner: a window between the sides keeps every duplicate pair and drops null bounds', async () => {
    await expectRows(
      `${A} | join kind=inner (${B}) on k | where u between ((t - 1) .. t)`,
      [
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4],
        ['', 1, '', 0]
      ],
      { columns: ['k', 't', 'k1', 'u'] }
    );
  });

  it('inner: conditions on one side, on both, and with or', async () => {
    await expectRows(
      `${A} | join kind=inner (${B}) on k | where t > 1 and (u > t or u == 4)`,
      [
        ['a', 5, 'a', 6],
        ['a', 5, 'a', 6],
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4],
        ['a', 5, 'a', 4]
      ]
    );
  });

  it('innerunique keeps the first left row before the where reads it', async () => {
    const left = 'datatable(k:string, t:long)["a",1, "a",9]';
    const right = 'datatable(k:string, u:long)["a",8]';
    // The first "a" (t = 1) is the one joined: neither condition holds for it.
    await expectRows(`${left} | join (${right}) on k | where t > u | count`, [
      [0]
    ]);
    await expectRows(`${left} | join (${right}) on k | where t > 5 | count`, [
      [0]
    ]);
    await expectRows(`${left} | join (${right}) on k | where t < u`, [
      ['a', 1, 'a', 8]
    ]);
  });

  it('leftouter filters its output: rows the where rejects are gone, not null-extended', async () => {
    const left = 'datatable(k:string, t:long)["a",1, "b",2]';
    const right = 'datatable(k:string, u:long)["a",8]';
    await expectRows(
      `${left} | join kind=leftouter (${right}) on k | where u > 5`,
      [['a', 1, 'a', 8]]
    );
    await expectRows(
      `${left} | join kind=leftouter (${right}) on k | where isnull(u)`,
      [['b', 2, '', null]]
    );
  });

  it('lookup kind=inner: the key read from the left side, which keeps it', async () => {
    await expectRows(
      `datatable(k:string, v:long)["a",1, "a",5, "b",2]
       | lookup kind=inner (datatable(k:string, w:long)["a",3, "b",1]) on k
       | where w < v and k != "b"`,
      [['a', 5, 3]],
      { columns: ['k', 'v', 'w'] }
    );
  });

  it('a clashing column by its new name, beside a condition with a subquery', async () => {
    await expectRows(
      `let keep = datatable(k:string)["a"];
       datatable(k:string, v:long)["a",1, "a",5, "b",2]
       | join kind=inner (datatable(k:string, v:long)["a",3, "b",1]) on k
       | where v1 < v and k in (keep)`,
      [['a', 5, 'a', 3]],
      { columns: ['k', 'v', 'k1', 'v1'] }
    );
  });
});

describe('union', () => {
  it('by name, renaming a column whose type differs', async () => {
    await expectRows(
      'union (datatable(a:long)[1]), (datatable(a:string)["s"])',
      [
        [1, ''],
        [null, 's']
      ],
      { columns: ['a_long', 'a_string'] }
    );
  });

  it('withsource names the rows by their input', async () => {
    await expectRows(
      'union withsource=T (datatable(a:long)[1] | as X), (datatable(a:string)["s"] | as Y)',
      [
        ['X', 1, ''],
        ['Y', null, 's']
      ],
      { columns: ['T', 'a_long', 'a_string'] }
    );
  });

  it('columns missing from an input are null or empty', async () => {
    await expectRows(
      'union (datatable(a:long)[1]), (datatable(b:string)["s"])',
      [
        [1, ''],
        [null, 's']
      ],
      { columns: ['a', 'b'] }
    );
  });

  it('with let inputs, withsource names them by their place, as Kusto does', async () => {
    await expectRows(
      'let A = datatable(x:long)[1]; let B = datatable(x:long)[2, 3]; union withsource=Src A, B | summarize n = count() by Src',
      [
        ['union_arg0', 1],
        ['union_arg1', 2]
      ]
    );
  });

  it('a subquery with a multiplication is an input, not a table name pattern', async () => {
    await expectRows(
      'union (print n = 1), (print n = 2 * 3), (datatable(n:long)[4] | where n * 2 > 0)',
      [[1], [4], [6]]
    );
  });

  it('the same column types line up', async () => {
    await expectRows(
      'union (datatable(a:long)[1, 2]), (datatable(a:long)[3]) | summarize s = sum(a)',
      [[6]]
    );
  });

  // The union reads only the columns used later (a `union *` over a workspace has thousands):
  // results must not change.
  it.each([
    [
      'union withsource=T (datatable(a:string, b:long)["x", 1, "y", 2] | as A), (datatable(a:long, c:int)[2, 3] | as B) | where isnotnull(b) or c > 0 | summarize n = count() by T',
      [
        ['A', 2],
        ['B', 1]
      ]
    ],
    [
      'union (datatable(a:string, b:long)["x", 1]), (datatable(a:long, c:int)[2, 3]) | extend d = c * 2 | project d, a_long',
      [
        [null, null],
        [6, 2]
      ]
    ],
    [
      'let u = union (datatable(k:string, v:long)["a", 1]), (datatable(k:string, w:long)["b", 2]); u | join kind=inner (u | project k, w2 = w) on k | project k, v, w2',
      [
        ['a', 1, null],
        ['b', null, 2]
      ]
    ]
  ])('reads only what is used: %s', async (query, rows) => {
    await expectRows(query, rows);
  });
});

describe('search', () => {
  it('looks for each term of "a" or "b" and names piped input search_arg0', async () => {
    await expectRows(
      'datatable(s:string)["a b", "c", "d"] | search "a" or "c"',
      [
        ['search_arg0', 'a b'],
        ['search_arg0', 'c']
      ],
      { columns: ['$table', 's'] }
    );
  });

  it('and needs both terms', async () => {
    await expectRows(
      'datatable(s:string)["a b", "a", "b"] | search ("a" and "b")',
      [['search_arg0', 'a b']]
    );
  });

  it('finds a term in any column, never across two', async () => {
    await expectRows(
      'datatable(a:string, n:long, t:datetime)["x", 42, datetime(2026-01-02), "y 42", 7, datetime(2026-03-04), "ab", 1, datetime(2026-05-06)] | search "42" or "2026-03-04" or "b1"',
      [
        ['search_arg0', 'x', 42, '2026-01-02T00:00:00Z'],
        ['search_arg0', 'y 42', 7, '2026-03-04T00:00:00Z']
      ]
    );
  });

  it('tests a row with one regular expression, however many columns it has', async () => {
    const compiler = await loadCompiler();
    const columns = Array.from({ length: 50 }, (_, i) => `c${i}:string`);
    const { sql } = compiler.compile(
      `datatable(${columns.join(', ')})[] | search "needle"`,
      compilerSchema([])
    );
    expect(sql?.match(/regexp_matches/g)).toHaveLength(1);
  });

  it('tests the rows of many tables with one regular expression, giving each table its rows', async () => {
    const compiler = await loadCompiler();
    const tables = Array.from({ length: 30 }, (_, i) => ({
      name: `T${i}`,
      columns: [{ name: `c${i}`, type: 'string' as const }]
    }));
    const { sql } = compiler.compile(
      'search "needle" | take 5',
      compilerSchema(tables)
    );
    expect(sql?.match(/regexp_matches/g)).toHaveLength(1);
    await expectRows(
      'let A = datatable(a:string, n:long)["a needle", 1, "none", 2]; let B = datatable(b:string)["needle-b", "needles"]; search in (A, B) "needle" | project-away n',
      [
        ['search_arg0', 'a needle', ''],
        ['search_arg1', '', 'needle-b']
      ],
      { columns: ['$table', 'a', 'b'] }
    );
  });
});
