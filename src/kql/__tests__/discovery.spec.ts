/**
 * `evaluate bag_unpack` and `evaluate pivot`, whose columns depend on the data: Kusto finds them
 * first, then runs the query. The compiler asks for a discovery query, and compiles again with its
 * rows written into the query as the operator's output schema (`compileDiscovering` is the loop a
 * runner does; the harness runs it on DuckDB).
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';
import { runKql } from './harness';

beforeAll(() => runKql('print 1'), 120_000);

const PEOPLE = `datatable(d:dynamic)
  [
    dynamic({"Name": "John", "Age": 20}),
    dynamic({"Name": "Dave", "Age": 40}),
    dynamic({"Name": "Jasmine", "Age": 30}),
  ]`;

describe('compiling in two steps', () => {
  it('asks for the discovery query of an operator whose columns depend on the data', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      `${PEOPLE} | evaluate bag_unpack(d)`,
      compilerSchema([])
    );
    expect(result.sql).toBeNull();
    expect(result.discovery).toMatchObject({
      key: `bag_unpack@${PEOPLE.length + 3}`,
      operator: 'bag_unpack'
    });
    expect(result.diagnostics[0]).toMatchObject({
      code: 'KQL-UNSUPPORTED',
      severity: 'error'
    });
    expect(result.diagnostics[0].message).toMatch(
      /^not supported locally: evaluate bag_unpack \(its columns depend on the data/
    );
  });

  it('writes the discovered columns into the query as its output schema', async () => {
    const compiler = await loadCompiler();
    const query = `${PEOPLE} | evaluate bag_unpack(d) | where Age > 25`;
    const first = compiler.compile(query, compilerSchema([]));
    const second = compiler.compile(query, compilerSchema([]), {
      discovered: {
        [first.discovery!.key]: [
          ['Age', 'long'],
          ['Name', 'string']
        ]
      }
    });
    expect(second.discovery).toBeUndefined();
    expect(second.sql).not.toBeNull();
    expect(second.columns).toEqual([
      { name: 'Age', type: 'long' },
      { name: 'Name', type: 'string' }
    ]);
  });
});

describe('evaluate bag_unpack', () => {
  it('unpacks the slots into columns of their type (documented example)', async () => {
    await expectRows(
      `${PEOPLE} | evaluate bag_unpack(d)`,
      [
        [20, 'John'],
        [40, 'Dave'],
        [30, 'Jasmine']
      ],
      { columns: ['Age', 'Name'] }
    );
  });

  it('prefixes the columns (documented example)', async () => {
    await expectRows(
      `${PEOPLE} | evaluate bag_unpack(d, 'Property_')`,
      [
        [20, 'John'],
        [40, 'Dave'],
        [30, 'Jasmine']
      ],
      { columns: ['Property_Age', 'Property_Name'] }
    );
  });

  it('gives a slot whose values differ in type the type dynamic, and later operators see the columns', async () => {
    await expectRows(
      `datatable(k:long, d:dynamic)[1, dynamic({"a": 1, "b": "x"}), 2, dynamic({"a": 2.5})]
       | evaluate bag_unpack(d)
       | extend c = strcat(b, "!")
       | project k, a, c, t = gettype(a)`,
      [
        [1, 1, 'x!', 'int'],
        [2, 2.5, '!', 'real']
      ],
      { columns: ['k', 'a', 'c', 't'] }
    );
  });

  it('takes an output schema written in the query without a discovery', async () => {
    const compiler = await loadCompiler();
    const result = compiler.compile(
      `${PEOPLE} | evaluate bag_unpack(d) : (Name:string, Age:long)`,
      compilerSchema([])
    );
    expect(result.discovery).toBeUndefined();
    await expectRows(
      `${PEOPLE} | evaluate bag_unpack(d) : (Name:string, Age:long)`,
      [
        ['John', 20],
        ['Dave', 40],
        ['Jasmine', 30]
      ],
      { columns: ['Name', 'Age'] }
    );
  });
});

describe('evaluate pivot', () => {
  const EVENTS = `datatable(State:string, EventType:string, Deaths:long)
    ["ALABAMA", "Wind", 1, "ALABAMA", "Wind", 2, "ALASKA", "Snow", 5, "ALABAMA", "Snow", 0]`;

  it('counts the rows of each value, by the other columns', async () => {
    await expectRows(
      `${EVENTS} | project State, EventType | evaluate pivot(State)`,
      [
        ['Wind', 2, 0],
        ['Snow', 1, 1]
      ],
      { columns: ['EventType', 'ALABAMA', 'ALASKA'] }
    );
  });

  it('sums, by the columns named, with 0 where a value has no rows', async () => {
    await expectRows(
      `${EVENTS} | evaluate pivot(State, sum(Deaths), EventType) | where ALASKA >= 0`,
      [
        ['Wind', 3, 0],
        ['Snow', 0, 5]
      ],
      { columns: ['EventType', 'ALABAMA', 'ALASKA'] }
    );
  });

  it('counts distinct values after an unpacked bag (two discoveries)', async () => {
    await expectRows(
      `datatable(d:dynamic)[dynamic({"s": "x", "v": 1}), dynamic({"s": "x", "v": 1}), dynamic({"s": "y", "v": 2})]
       | evaluate bag_unpack(d)
       | evaluate pivot(s, dcount(v))`,
      [[1, 1]],
      { columns: ['x', 'y'] }
    );
  });
});
