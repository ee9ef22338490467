/**
 * Dynamic values on DuckDB: member access (`d.a.b`, `d["x"]`, `d[0]`, `d[-1]`) giving null on
 * missing keys and non-objects, arrays, property bags, conversions, mv-expand and mv-apply.
 */
import { asSet, expectRows, rowsOf, valueOf } from './expect-rows';

const BAG = 'dynamic({"a":{"b":5}, "x":[1,2,3], "s":"str", "n":null})';

describe('dynamic member access', () => {
  it.each([
    ['d.a.b', 5],
    ['d["x"]', [1, 2, 3]],
    ['d.x[0]', 1],
    ['d.x[-1]', 3],
    ['d.x[10]', null],
    ['d["a"]["b"]', 5],
    ['d.nope', null],
    ['d.nope.deeper', null],
    ['d.s.q', null],
    ['d.n', null],
    ['tostring(d.s)', 'str'],
    ['tostring(d.nope)', ''],
    ['tolong(d.a.b) + 1', 6],
    ['array_length(d.x)', 3]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print d = ${BAG} | project v = ${expr}`)).toEqual(
      expected
    );
  });

  it('keeps every digit of a long in a dynamic literal', async () => {
    expect(
      await valueOf(
        'print d = dynamic({"l": 9007199254740993, "n": [-9007199254740993]}) | project v = strcat(tostring(d.l), " ", tostring(d.n[0]), " ", tostring(tolong(d.l) - 9007199254740992))'
      )
    ).toBe('9007199254740993 -9007199254740993 1');
  });

  it('writes true and false in a dynamic literal as JSON bools', async () => {
    await expectRows(
      'print d = dynamic({"a": true, "b": [false, 1]}), e = dynamic(true) | extend f = tostring(d.a), g = d.b[0] == false',
      [[{ a: true, b: [false, 1] }, true, 'true', true]]
    );
  });

  it('access on a column of mixed values', async () => {
    await expectRows(
      'datatable(d:dynamic)[dynamic({"a":1}), dynamic([1,2]), dynamic("s"), dynamic(null)] | extend n = array_length(d), a = d.a, i = d[0]',
      [
        [{ a: 1 }, null, 1, null],
        [[1, 2], 2, null, 1],
        ['s', null, null, null],
        [null, null, null, null]
      ],
      { columns: ['d', 'n', 'a', 'i'] }
    );
  });

  it('a key from a column', async () => {
    await expectRows(
      'datatable(d:dynamic, k:string)[dynamic({"x":1,"y":2}), "y"] | project v = d[k]',
      [[2]]
    );
  });
});

describe('dynamic functions and conversions', () => {
  it.each([
    ['parse_json(\'{"a":[1,{"b":2}]}\').a[1].b', 2],
    ["parse_json('[1,2]')[1]", 2],
    ['parse_json("not json")', 'not json'],
    ['todynamic(\'"x"\')', 'x'],
    ['array_length(dynamic([]))', 0],
    ['array_length(dynamic([1,2]))', 2],
    ['pack_array(1, "a", true)', [1, 'a', true]],
    ['bag_pack("k", 1, "j", "v")', { k: 1, j: 'v' }],
    ['pack("k", 1)', { k: 1 }],
    ['bag_keys(dynamic({"a":1,"b":2}))', ['a', 'b']],
    ['set_has_element(dynamic(["a","b"]), "b")', true],
    ['set_has_element(dynamic(["a","b"]), "c")', false],
    ['array_index_of(dynamic(["a","b"]), "b")', 1],
    ['array_index_of(dynamic(["a","b"]), "z")', -1],
    ['tostring(dynamic({"a":1}))', '{"a":1}'],
    ['tostring(dynamic([1,"x"]))', '[1,"x"]'],
    ['tostring(dynamic("s"))', 's'],
    ['tostring(dynamic(null))', ''],
    ['tostring(1.5)', '1.5'],
    ['tostring(2.0)', '2'],
    // A bool is written as .NET writes it; a dynamic bool as JSON.
    ['tostring(true)', 'True'],
    ['tostring(dynamic(true))', 'true'],
    ['tostring(123)', '123'],
    ['tostring(long(null))', ''],
    ['tolong("12")', 12],
    ['tolong("x12")', null],
    ['tolong("")', null],
    ['toint(2.3)', 2],
    ['toint(2.7)', 2],
    ['tolong(-2.7)', -2],
    ['toint("42")', 42],
    ['toint(real(null))', null],
    ['todouble("1e3")', 1000],
    ['todouble("abc")', null],
    ['tobool("true")', true],
    ['tobool("FALSE")', false],
    ['tobool("nope")', null],
    ['toreal(5) / 2', 2.5],
    ['isnull(dynamic(null))', true],
    ['isempty(dynamic(null))', true],
    ['isnotnull(dynamic([]))', true]
  ])('%s', async (expr, expected) => {
    expect(await valueOf(`print v = ${expr}`)).toEqual(expected);
  });
});

describe('non-finite numbers in dynamic values', () => {
  it('are text inside the value, as in a real cell, and strings stay strings', async () => {
    expect(
      await valueOf(
        'print v = pack_array(1.0 / 0.0, -1.0 / 0.0, real(nan), "NaN \\"Infinity\\"")'
      )
    ).toEqual(['Infinity', '-Infinity', 'NaN', 'NaN "Infinity"']);
  });
});

describe('mv-expand', () => {
  it('expands arrays and property bags; drops empty arrays', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic([1,2]), 2, dynamic({"a":1,"b":"x"}), 3, dynamic([])] | mv-expand d',
      [
        [1, 1],
        [1, 2],
        [2, { a: 1 }],
        [2, { b: 'x' }]
      ],
      { columns: ['id', 'd'] }
    );
  });

  it('with_itemindex and a typed element', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic(["a","b"])] | mv-expand with_itemindex=i d to typeof(string)',
      [
        [1, 'a', 0],
        [1, 'b', 1]
      ],
      { columns: ['id', 'd', 'i'] }
    );
  });

  it('several arrays expand side by side, the shorter padded with null', async () => {
    await expectRows(
      'datatable(id:long, a:dynamic, b:dynamic)[1, dynamic([1,2,3]), dynamic(["x","y"])] | mv-expand a, b',
      [
        [1, 1, 'x'],
        [1, 2, 'y'],
        [1, 3, null]
      ]
    );
  });

  it('typed elements convert for arithmetic', async () => {
    await expectRows(
      'print d = dynamic([1, 2, 3]) | mv-expand x = d to typeof(long) | summarize s = sum(x)',
      [[6]]
    );
  });

  it('expands an unnamed expression into the column Kusto names after it', async () => {
    await expectRows(
      'datatable(id:long, Entities:string)[1, \'[{"a":1},{"a":2}]\', 2, \'[]\'] | mv-expand todynamic(Entities) | extend x = toint(Entities.a)',
      [
        [1, { a: 1 }, 1],
        [1, { a: 2 }, 2]
      ],
      { columns: ['id', 'Entities', 'x'] }
    );
  });

  it('gives each unnamed expression a column of its own', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic({"p":[1,2]})] | mv-expand d.p, parse_json(\'[5,6,7]\') | project id, d_p, Column1',
      [
        [1, 1, 5],
        [1, 2, 6],
        [1, null, 7]
      ],
      { columns: ['id', 'd_p', 'Column1'] }
    );
  });
});

describe('mv-apply', () => {
  it('applies the subquery to an unnamed expression under the name Kusto gives it', async () => {
    await expectRows(
      'datatable(id:long, Entities:string)[1, \'[{"a":1},{"a":2}]\'] | mv-apply todynamic(Entities) on (extend x = toint(Entities.a) | where x > 1)',
      [[1, { a: 2 }, 2]],
      { columns: ['id', 'Entities', 'x'] }
    );
  });

  it('filters each row’s elements and keeps the row’s other columns', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic([1,5,3]), 2, dynamic([7]), 3, dynamic([1])] | mv-apply x = d to typeof(long) on (where x > 2) | project id, x',
      [
        [1, 5],
        [1, 3],
        [2, 7]
      ]
    );
  });

  it('limits each row’s own elements with top (the documented idiom)', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic([3,1,2]), 2, dynamic([5,4]), 3, dynamic([])] | mv-apply x = d to typeof(long) on (top 2 by x desc) | project id, x',
      [
        [1, 3],
        [1, 2],
        [2, 5],
        [2, 4]
      ]
    );
  });

  it('summarizes each row’s elements by key, per row', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic(["a","b","a"]), 2, dynamic(["a"])] | mv-apply x = d to typeof(string) on (summarize n = count() by x) | project id, x, n',
      [
        [1, 'a', 2],
        [1, 'b', 1],
        [2, 'a', 1]
      ]
    );
  });

  it('nests, and projects inside the subquery', async () => {
    await expectRows(
      'datatable(id:long, d:dynamic)[1, dynamic([{"v":[1,2]},{"v":[3]}])] | mv-apply e = d on (extend V = e.v | mv-apply x = V to typeof(long) on (where x > 1 | project x)) | project id, x',
      [
        [1, 2],
        [1, 3]
      ]
    );
  });
});

describe('dynamic arrays in aggregates and mv-expand', () => {
  it('make_set and make_list take the elements of arrays (the documented make_set example)', async () => {
    const { rows } = await rowsOf(
      "datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])] | summarize Val_set = make_set(Val), Arr1_set = make_set(Arr1), Arr1_list = make_list(Arr1), n = make_list(dynamic(null))"
    );
    const [valSet, arrSet, arrList, none] = rows[0];
    expect(asSet(valSet)).toEqual([1, 5, 7]);
    expect(asSet(arrSet)).toEqual(['A1', 'A2', 'A3', 'C1', 'C2']);
    expect(asSet(arrList)).toEqual(
      asSet(['A1', 'A2', 'A3', 'A2', 'C1', 'C2', 'A3', 'C2', 'A1'])
    );
    expect(none).toEqual([]);
  });

  it('kind=array expands a property bag into [key, value] pairs', async () => {
    await expectRows(
      'print b = dynamic({"k":1, "j":"v"}) | mv-expand kind=array b',
      [[['k', 1]], [['j', 'v']]]
    );
  });

  it('members of expanded objects keep their values', async () => {
    await expectRows(
      'datatable(x:dynamic)[dynamic([{"a":1},{"a":2}])] | mv-expand x | extend y = x.a | where y == 2 | project y',
      [[2]]
    );
  });
});
