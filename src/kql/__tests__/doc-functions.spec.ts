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
