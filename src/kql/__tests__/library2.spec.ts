/**
 * Documented features issue 23 found still refused: `bag_unpack`'s `columnsConflict`, `bin_auto`
 * with `set query_bin_auto_size`/`query_bin_auto_at`. Each is run on DuckDB and compared with the
 * output Kusto's documentation gives for its examples.
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';
import { runKql } from './harness';

/** The single error of a query the compiler refuses. */
async function refusal(query: string): Promise<string> {
  const outcome = await runKql(query);
  expect(outcome.kind).toBe('unsupported');
  return outcome.kind === 'unsupported' ? outcome.message : '';
}

// Kusto.Language and DuckDB take seconds to start: not inside the first test's time limit.
beforeAll(() => runKql('print 1'), 60_000);

describe('bag_unpack with columnsConflict (documented examples)', () => {
  const people = (second: string): string => `datatable(Name:string, d:dynamic)
    [
      'James', dynamic({"Name": "John", "Age":20}),
      'David', dynamic({${second}"Age":40}),
      'Emily', dynamic({"Name": "Jasmine", "Age":30}),
    ]`;

  it("replace_source: the bag's slot replaces the column, empty where the bag lacks it", async () => {
    await expectRows(
      `${people('')}
       | evaluate bag_unpack(d, columnsConflict='replace_source')`,
      [
        ['John', 20],
        ['', 40],
        ['Jasmine', 30]
      ],
      { columns: ['Name', 'Age'], inOrder: true }
    );
  });

  it('keep_source: the column keeps its value and its place', async () => {
    await expectRows(
      `${people('"Name": "Dave", ')}
       | evaluate bag_unpack(d, columnsConflict='keep_source')`,
      [
        ['James', 20],
        ['David', 40],
        ['Emily', 30]
      ],
      { columns: ['Name', 'Age'], inOrder: true }
    );
  });

  it('keeps a replaced column after the input columns before it', async () => {
    await expectRows(
      `datatable(x:long, b:string, d:dynamic)
       [1, 'old', dynamic({"c": 3, "b": "new"})]
       | evaluate bag_unpack(d, columnsConflict='replace_source')`,
      [[1, 'new', 3]],
      { columns: ['x', 'b', 'c'] }
    );
  });

  it('refuses a replaced column followed by other input columns (its place is not documented)', async () => {
    expect(
      await refusal(`datatable(x:long, b:string, d:dynamic, a:long)
       [1, 'old', dynamic({"b": "new", "c": 3}), 7]
       | evaluate bag_unpack(d, columnsConflict='replace_source')`)
    ).toMatch(/kept or replaced column is followed by other input columns/);
  });

  it('refuses a conflict under the default (Kusto stops the query)', async () => {
    expect(
      await refusal(`${people('')}
       | evaluate bag_unpack(d)`)
    ).toMatch(/bag_unpack whose slot Name is also a column of its input/);
  });

  it('refuses a columnsConflict value Kusto does not define', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      `datatable(d:dynamic)[dynamic({"a":1})]
       | evaluate bag_unpack(d, columnsConflict='rename') : (*, a:long)`,
      compilerSchema([])
    );
    expect(result.sql).toBeNull();
    expect(result.diagnostics.map(d => d.message).join('\n')).toMatch(
      /columnsConflict='rename'/
    );
  });
});

describe('bin_auto (documented example)', () => {
  it('bins by query_bin_auto_size from query_bin_auto_at', async () => {
    await expectRows(
      `set query_bin_auto_size=1h;
       set query_bin_auto_at=datetime(2017-01-01 00:05);
       range Timestamp from datetime(2017-01-01 00:05) to datetime(2017-01-01 02:00) step 1m
       | summarize count() by bin_auto(Timestamp)`,
      [
        ['2017-01-01T00:05:00Z', 60],
        ['2017-01-01T01:05:00Z', 56]
      ],
      { columns: ['Timestamp', 'count_'] }
    );
  });

  it('bins from 0 without query_bin_auto_at', async () => {
    await expectRows(
      `set query_bin_auto_size=10;
       range x from 1 to 30 step 7 | project b = bin_auto(x)`,
      [[0], [0], [10], [20], [20]],
      { columns: ['b'], inOrder: true }
    );
  });

  it('refuses bin_auto without query_bin_auto_size (Kusto requires it)', async () => {
    expect(
      await refusal('range x from 1 to 3 step 1 | project b = bin_auto(x)')
    ).toMatch(/bin_auto\(\) without set query_bin_auto_size/);
  });
});

describe('arguments of a user function', () => {
  it('binds a positional argument after a named one to the next unnamed parameter', async () => {
    await expectRows(
      `let longer = (len:long, s:string) { strlen(s) > len };
       datatable(input:string) ['123', '4567']
       | where longer(len=3, input)`,
      [['4567']],
      { columns: ['input'] }
    );
  });
});

describe('functions of serialized rows in where', () => {
  it('prev() reads the row before in the input, before filtering', async () => {
    await expectRows(
      `range x from 1 to 6 step 1 | extend y = x % 3 | order by x asc
       | where y > prev(y)`,
      [
        [2, 2],
        [4, 1],
        [5, 2]
      ],
      { columns: ['x', 'y'], inOrder: true }
    );
  });

  it('row_number() and next() in one condition', async () => {
    await expectRows(
      `range x from 1 to 6 step 1 | order by x desc
       | where row_number() <= 2 or next(x) == 1`,
      [[6], [5], [2]],
      { columns: ['x'], inOrder: true }
    );
  });
});

describe('scan after scan', () => {
  it("names the second scan's match id column match_id1, as the binder does after it", async () => {
    await expectRows(
      `range x from 1 to 3 step 1 | order by x asc
       | scan declare (a:long = 0) with (step s: true => a = s.a + x;)
       | scan declare (b:long = 0) with (step t: true => b = t.b + a;)
       | extend c = a + b
       | project x, c`,
      [
        [1, 2],
        [2, 7],
        [3, 16]
      ],
      { columns: ['x', 'c'], inOrder: true }
    );
  });
});
