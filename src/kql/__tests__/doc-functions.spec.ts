/**
 * Issue 23, documented examples: functions and operators that were refused, run on DuckDB and
 * compared with the output their pages document.
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';
import { runKql } from './harness';

// Kusto.Language and DuckDB take seconds to start: not inside the first test's time limit.
beforeAll(() => runKql('print 1'), 60_000);

/** The documented checkLength function of assert-function.md, called with `len`. */
const checkLength = (len: string) =>
  `let checkLength = (len:long, s:string)
   {
       assert(len > 0, "Length must be greater than zero") and strlen(s) > len
   };
   datatable(input:string) ['123', '4567']
   | where checkLength(len=${len}, input)`;

/** The single error diagnostic of a query that does not compile. */
async function error(
  query: string
): Promise<{ code: string; message: string }> {
  const compiler = await loadCompiler();
  const result = compiler.compile(query, compilerSchema([]));
  expect(result.sql).toBeNull();
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  expect(errors).toHaveLength(1);
  return errors[0];
}

describe('assert() (assert-function.md)', () => {
  it('a true condition lets the rows through', async () => {
    await expectRows(checkLength('3'), [['4567']], { columns: ['input'] });
  });

  it('a false condition fails the query with Kusto message', async () => {
    expect(await error(checkLength('long(-1)'))).toMatchObject({
      code: 'KQL-FAILED',
      message:
        "assert() has failed with message: 'Length must be greater than zero'"
    });
  });

  it('fails even when no row reaches it, as Kusto checks it while analysing the query', async () => {
    expect(
      await error(
        'let b = false; print x = "Hello" | where b | where assert(b, "Assertion failed")'
      )
    ).toMatchObject({
      code: 'KQL-FAILED',
      message: "assert() has failed with message: 'Assertion failed'"
    });
  });

  it('a condition that reads a column is refused (Kusto requires a constant)', async () => {
    expect(
      await error('datatable(x:long)[1] | where assert(x > 0, "m")')
    ).toMatchObject({ code: 'KQL-UNSUPPORTED' });
  });
});

describe('mv-apply whose subquery summarizes without by (mv-apply-operator.md: the subquery runs once per row)', () => {
  const INPUT =
    'datatable(k:string, a:dynamic)["x", dynamic([1, 2, 3]), "y", dynamic([]), "z", dynamic([5])]';

  it('a row whose subquery has no rows still gets the aggregates of no rows', async () => {
    await expectRows(
      `${INPUT} | mv-apply e = a to typeof(long) on (where e > 1 | summarize c = count(), s = sum(e), m = max(e), l = make_list(e))`,
      [
        ['x', [1, 2, 3], 2, 5, 3, [2, 3]],
        ['y', [], 0, 0, null, []],
        ['z', [5], 1, 5, 5, [5]]
      ],
      { columns: ['k', 'a', 'c', 's', 'm', 'l'] }
    );
  });

  it('operators after the summarize see those rows too', async () => {
    await expectRows(
      `${INPUT} | mv-apply e = a to typeof(long) on (summarize n = count() | extend twice = n * 2) | project k, twice`,
      [
        ['x', 6],
        ['y', 0],
        ['z', 2]
      ]
    );
  });

  it('arg_max(x, *) of no rows is refused (whether the row keeps its own columns is not documented)', async () => {
    expect(
      await error(
        `${INPUT} | mv-apply e = a to typeof(long) on (summarize arg_max(e, *))`
      )
    ).toMatchObject({ code: 'KQL-UNSUPPORTED' });
  });
});

describe('punycode_to_string (punycode-to-string-function.md, RFC 3492)', () => {
  it.each([
    // The documented example.
    ['acadmie-franaise-npb1a', 'académie-française'],
    // RFC 3492's sample strings (section 7.1): no basic code points, mixed, a delimiter inside.
    ['egbpdaj6bu4bxfgehfvwxn', 'ليهمابتكلموشعربي؟'],
    ['ihqwcrb4cv8a8dqg056pqjye', '他们为什么不说中文'],
    ['3B-ww4c5e180e575a65lsy2b', '3年B組金八先生'],
    ['-> $1.00 <--', '-> $1.00 <-'],
    ['Mnchen-3ya', 'München'],
    ['abc-', 'abc'],
    // Not Punycode: an empty string, as documented.
    ['Mnchen-3y', ''],
    ['bad!', ''],
    ['ü-3ya', '']
  ])('%s', async (encoded, decoded) => {
    await expectRows(`print d = punycode_to_string('${encoded}')`, [[decoded]]);
  });
});
