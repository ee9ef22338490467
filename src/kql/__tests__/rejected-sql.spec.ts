/**
 * Issue 23: KQL that compiled to SQL DuckDB rejects. Each class is reduced to the smallest query
 * that showed it (the corpus queries it came from are named) and run on DuckDB, row by row; where
 * the construct cannot be run as Kusto runs it, the compiler refuses it with a named reason.
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';
import { runKql } from './harness';

/** The single error of a query the compiler refuses. */
async function refusal(query: string): Promise<string> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, compilerSchema([]));
  expect(result.sql).toBeNull();
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0].code).toBe('KQL-UNSUPPORTED');
  return errors[0].message;
}

// Kusto.Language and DuckDB take seconds to start: not inside the first test's time limit.
beforeAll(() => runKql('print 1'), 60_000);

/** A list and a number held by `let` as scalars (`toscalar`), as hunting queries hold lookups. */
const SCALARS =
  'let Names = toscalar(datatable(n:string)["ab", "cd"] | summarize make_set(n)); ' +
  'let N = toscalar(datatable(n:long)[1, 2] | summarize max(n)); ';

describe('toscalar() where the SQL has a lambda or TRY (DuckDB: "subqueries in lambda expressions are not supported")', () => {
  it('mv-apply over a toscalar() list (SecurityAlert-WhichTablesAreInUse, LAQuery-FindQueryStats)', async () => {
    await expectRows(
      `${SCALARS} datatable(q:string)["xab", "cdab", "zz"]
       | mv-apply t = Names to typeof(string) on (where q contains t)
       | summarize c = count() by t`,
      [
        ['ab', 2],
        ['cd', 1]
      ],
      { columns: ['t', 'c'] }
    );
  });

  it('mv-expand of a toscalar() list', async () => {
    await expectRows(
      `${SCALARS} print x = 1 | mv-expand with_itemindex = i e = Names to typeof(string) | summarize n = count(), s = sum(i)`,
      [[2, 1]]
    );
  });

  it.each([
    ['array_length(set_union(Names, dynamic(["x"])))', 3],
    ['jaccard_index(Names, dynamic(["ab"]))', 0.5],
    ['array_length(array_iff(dynamic([true, false]), Names, Names))', 2],
    ['array_shift_left(dynamic([1, 2, 3]), N)', [3, null, null]],
    ['array_length(zip(Names, Names))', 2],
    ['countof("1212", tostring(N))', 2]
  ])(
    '%s (an argument the function reads inside a lambda)',
    async (expr, value) => {
      await expectRows(`${SCALARS} print r = ${expr}`, [[value]]);
    }
  );

  it('make_datetime with a toscalar() month (DuckDB: TRY with a scalar subquery)', async () => {
    await expectRows(`${SCALARS} print r = make_datetime(2020, N, 1)`, [
      ['2020-02-01T00:00:00Z']
    ]);
  });

  it('a toscalar() inside a let that an in() reads (the password-spray template)', async () => {
    await expectRows(
      `${SCALARS} let seen = datatable(q:string, k:long)["ab", 1, "cd", 5, "zz", 2]
         | where k < N + 1 and q != "";
       datatable(q:string)["ab", "cd", "zz"]
       | where q in ((seen | project q))`,
      [['ab'], ['zz']],
      { columns: ['q'] }
    );
  });

  it('an aggregate over a toscalar() value keeps it in place', async () => {
    await expectRows(
      `${SCALARS} datatable(x:long)[1, 2, 3] | summarize s = sum(x * N), m = make_set_if(x, x > N)`,
      [[12, [3]]]
    );
  });
});

describe('parse into a column the input has (DuckDB: "Referenced column … not found")', () => {
  it('is refused, naming the column (Audit-DetectAADInternalsUse, DCA-DetectAADInternalsUse)', async () => {
    // Kusto's binder keeps the input's `s` and adds the capture as a second `s` (`s1` after it).
    expect(
      await refusal(
        'datatable(s:string)["x://host/p\\"y"] | parse s with * "://" s "\\"" * | extend t = s'
      )
    ).toContain("parse into a column its input already has ('s')");
  });

  it('a capture with a new name still runs', async () => {
    await expectRows(
      'datatable(s:string)["x://host/p\\"y"] | parse s with * "://" h "\\"" *',
      [['x://host/p"y', 'host/p']],
      { columns: ['s', 'h'] }
    );
  });
});

describe('where * has "x" (was refused: "* here")', () => {
  it('keeps the rows where any column contains the text (the README of the corpus)', async () => {
    await expectRows(
      `datatable(a:string, b:long, c:dynamic)["reprise_99@x", 1, dynamic({"k":"v"}), "other", 2, dynamic({"k":"reprise_99"}), "z", 3, dynamic(null)]
       | where * contains "reprise_99" | project a`,
      [['reprise_99@x'], ['other']]
    );
  });

  it('has matches whole terms of any column, combined with other conditions', async () => {
    await expectRows(
      'datatable(a:string, b:long)["Alpha beta", 1, "gamma", 22, "betamax", 3] | where * has "beta" or * has "22" or b == 5',
      [
        ['Alpha beta', 1],
        ['gamma', 22]
      ]
    );
  });
});

describe('a range below a latest row per key (DuckDB: "INTERNAL Error: Failed to cast expression")', () => {
  it('the latest logon before each alert (Device-DetectLogonsPriortoMDEAlert)', async () => {
    await expectRows(
      `let Alerts = datatable(AlertTime:datetime, Device:string)[datetime(2024-01-02), "d1", datetime(2024-01-05), "d2"];
       let Logons = datatable(TimeGenerated:datetime, Device:string, Account:string)[
         datetime(2024-01-01), "d1", "u1", datetime(2024-01-01 12:00), "d1", "u2", datetime(2023-12-01), "d1", "u3",
         datetime(2024-01-04), "d2", "u4", datetime(2024-01-06), "d2", "u5"];
       Alerts
       | join kind=inner (Logons) on Device
       | where (AlertTime - TimeGenerated) between (0min .. 2d)
       | summarize arg_max(TimeGenerated, *) by Device
       | project Device, Account, TimeGenerated`,
      [
        ['d1', 'u2', '2024-01-01T12:00:00Z'],
        ['d2', 'u4', '2024-01-04T00:00:00Z']
      ]
    );
  });

  it('a time window read from the other side', async () => {
    await expectRows(
      `let Alerts = datatable(AlertTime:datetime, Device:string)[datetime(2024-01-02), "d1", datetime(2024-01-05), "d2"];
       let Logons = datatable(TimeGenerated:datetime, Device:string, Account:string)[
         datetime(2024-01-01), "d1", "u1", datetime(2024-01-01 12:00), "d1", "u2", datetime(2023-12-01), "d1", "u3",
         datetime(2024-01-04), "d2", "u4", datetime(2024-01-06), "d2", "u5"];
       Alerts
       | join kind=inner (Logons) on Device
       | where TimeGenerated between ((AlertTime - 2d) .. AlertTime)
       | summarize arg_max(TimeGenerated, *) by Device
       | project Device, Account, TimeGenerated`,
      [
        ['d1', 'u2', '2024-01-01T12:00:00Z'],
        ['d2', 'u4', '2024-01-04T00:00:00Z']
      ]
    );
  });

  it('two comparisons on one column of a table not read from files, then arg_max', async () => {
    await expectRows(
      `datatable(t:datetime, k:string, n:long)[datetime(2024-01-01), "a", 2, datetime(2024-01-02), "a", 3,
         datetime(2024-01-03), "b", 9, datetime(2024-01-05), "b", 3, datetime(2024-01-04), "b", long(null)]
       | where n > 1 and n < 4
       | summarize arg_max(t, *) by k`,
      [
        ['a', '2024-01-02T00:00:00Z', 3],
        ['b', '2024-01-05T00:00:00Z', 3]
      ]
    );
  });

  it('constant bounds below arg_min, a null ordered last', async () => {
    await expectRows(
      `datatable(t:long, k:string, n:long)[5, "a", 2, long(null), "a", 3, 1, "a", 9, 7, "b", 3]
       | where n between (2 .. 4)
       | summarize arg_min(t, n) by k`,
      [
        ['a', 5, 2],
        ['b', 7, 3]
      ]
    );
  });

  it('a range before top 1 in mv-apply', async () => {
    await expectRows(
      `datatable(k:string, a:dynamic)["a", dynamic([1, 2, 3, 4, 7]), "b", dynamic([9, 3])]
       | mv-apply x = a to typeof(long) on (where x > 1 and x < 5 | top 1 by x)
       | project k, x`,
      [
        ['a', 4],
        ['b', 3]
      ]
    );
  });

  it('between and !between keep null out of both', async () => {
    await expectRows(
      'datatable(x:long)[1, 5, long(null)] | extend b = x between (0 .. 2), n = x !between (0 .. 2)',
      [
        [1, true, false],
        [5, false, true],
        [null, null, true]
      ]
    );
  });

  it('with bounds read from the row too', async () => {
    await expectRows(
      'datatable(x:long, lo:long)[1, 0, 5, 0, long(null), 0, 1, long(null)] | extend b = x between (lo .. 2), n = x !between (lo .. 2)',
      [
        [1, 0, true, false],
        [5, 0, false, true],
        [null, 0, null, true],
        [1, null, null, true]
      ]
    );
  });
});
