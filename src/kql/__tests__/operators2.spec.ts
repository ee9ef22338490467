/**
 * The tabular operators issue 23 added: `parse-kv`, `top-nested`, `scan`. Each is run on DuckDB
 * and compared with the output Kusto's documentation gives for its examples.
 */
import { compilerSchema, loadCompiler } from '..';
import { expectRows } from './expect-rows';

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

// Kusto.Language takes seconds to load: not inside the first test's time limit.
beforeAll(() => loadCompiler(), 60_000);

describe('parse-kv (documented examples)', () => {
  it('splits pairs on the pair and key/value delimiters, spaces trimmed', async () => {
    await expectRows(
      `print str="ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info"
       | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':')
       | project-away str`,
      [['The service is up', 458745723, 'Node001']],
      { columns: ['Text', 'ThreadId', 'Machine'] }
    );
  });

  it.each([
    [
      "quote='\"'",
      `src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="connection aborted" "event time"=2021-01-01T10:00:54`
    ],
    [
      "quote='()'",
      'src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)'
    ]
  ])('reads quoted keys and values (%s)', async (quote, text) => {
    await expectRows(
      `print str=${JSON.stringify(text).replace(/^"|"$/g, "'")}
       | parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', ${quote})
       | project-away str`,
      [
        [
          '2021-01-01T10:00:54Z',
          '10.1.1.123',
          '10.1.1.124',
          125,
          'connection aborted'
        ]
      ],
      { columns: ['event time', 'src', 'dst', 'bytes', 'failure'] }
    );
  });

  it('unescapes escaped quotes inside a quoted value', async () => {
    await expectRows(
      String.raw`print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="the remote host sent \\"bye!\\"" time=2021-01-01T10:00:54'
       | parse-kv str as (['time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', escape='\\')
       | project-away str`,
      [
        [
          '2021-01-01T10:00:54Z',
          '10.1.1.123',
          '10.1.1.124',
          125,
          'the remote host sent "bye!"'
        ]
      ]
    );
  });

  it.each([
    ['', ['John', '555', 'New']],
    [', greedy=true', ['John Doe', '555 5555', 'New York']]
  ])('ends an unquoted value at the pair delimiter%s', async (greedy, row) => {
    await expectRows(
      `print str='name=John Doe phone=555 5555 city=New York'
       | parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='='${greedy})
       | project-away str`,
      [row]
    );
  });

  it('without delimiters takes runs of letters and digits as keys and values', async () => {
    await expectRows(
      `print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started"
       | parse-kv str as (Text: string, ThreadId:long, Machine: string)
       | project-away str`,
      [['Started', 458745723, 'Node001']]
    );
  });

  it('without delimiters reads quoted values with escapes', async () => {
    await expectRows(
      String.raw`print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: 'The service \\' is up'"
       | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (quote="'", escape='\\')
       | project-away str`,
      [["The service ' is up", 458745723, 'Node001']]
    );
  });

  it('with a regular expression takes its two groups as key and value', async () => {
    await expectRows(
      `print str=@'["referer url: https://hostname.com/redirect?dest=/?h=1234", "request url: https://hostname.com/?h=1234", "advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73"]'
       | parse-kv str as (['referer url']:string, ['request url']:string, ['advertiser id']: guid) with (regex=@'"([\\w ]+)\\s*:\\s*([^"]*)"')
       | project-away str`,
      [
        [
          'https://hostname.com/redirect?dest=/?h=1234',
          'https://hostname.com/?h=1234',
          '24fefbca-cf27-4d62-a623-249c2ad30c73'
        ]
      ]
    );
  });
});

describe('parse-kv', () => {
  it('takes the first appearance of a key; a missing key is empty text or null', async () => {
    await expectRows(
      `datatable(s:string)["a=1;b=x;a=2", "b=y", ""]
       | parse-kv s as (a:long, b:string) with (pair_delimiter=';', kv_delimiter='=')
       | project a, b`,
      [
        [1, 'x'],
        [null, 'y'],
        [null, '']
      ]
    );
  });

  it('keeps the input columns and rows, a value that does not convert is null', async () => {
    await expectRows(
      `datatable(id:long, s:string)[1, "n=abc", 2, "n=42"]
       | parse-kv s as (n:long) with (pair_delimiter=' ', kv_delimiter='=')`,
      [
        [1, 'n=abc', null],
        [2, 'n=42', 42]
      ],
      { columns: ['id', 's', 'n'] }
    );
  });

  it('refuses delimiters of several characters by name', async () => {
    expect(
      await refusal(
        `print s="a:=1" | parse-kv s as (a:long) with (pair_delimiter=', ', kv_delimiter=':=')`
      )
    ).toBe(
      'not supported locally: parse-kv with a delimiter that is not one character'
    );
  });
});

const STORMS = `datatable(State:string, EventType:string, Damage:long)[
  "TX","Flood",10, "TX","Flood",5, "TX","Hail",7, "TX","Wind",2, "TX","Fog",1,
  "CA","Fire",100, "CA","Wind",3, "CA","Flood",2,
  "NY","Snow",4, "NY","Wind",4,
  "WA","Rain",1]`;

describe('top-nested', () => {
  it('keeps the latest records per identity (documented example)', async () => {
    await expectRows(
      `datatable(id: string, timestamp: datetime, otherInformation: string)
       [
         "Barak", datetime(2015-01-01), "1",
         "Barak", datetime(2016-01-01), "2",
         "Barak", datetime(2017-01-20), "3",
         "Donald", datetime(2017-01-20), "4",
         "Donald", datetime(2017-01-18), "5",
         "Donald", datetime(2017-01-19), "6"
       ]
       | top-nested of id by Ignore0=max(1),
         top-nested 2 of timestamp by Ignore1=max(timestamp),
         top-nested of otherInformation by Ignore2=max(1)
       | project-away Ignore0, Ignore1, Ignore2`,
      [
        ['Barak', '2016-01-01T00:00:00Z', '2'],
        ['Donald', '2017-01-19T00:00:00Z', '6'],
        ['Barak', '2017-01-20T00:00:00Z', '3'],
        ['Donald', '2017-01-20T00:00:00Z', '4']
      ],
      { columns: ['id', 'timestamp', 'otherInformation'] }
    );
  });

  it('takes the top N of each parent by the aggregate, named as Kusto names them', async () => {
    await expectRows(
      `${STORMS} | top-nested 2 of State by sum(Damage), top-nested 1 of EventType by sum(Damage)`,
      [
        ['CA', 105, 'Fire', 100],
        ['TX', 25, 'Flood', 15]
      ],
      {
        columns: [
          'State',
          'aggregated_State',
          'EventType',
          'aggregated_EventType'
        ]
      }
    );
  });

  it('adds an others row per level and parent, its deeper columns empty', async () => {
    await expectRows(
      `${STORMS}
       | top-nested 2 of State with others="Other states" by sum(Damage),
         top-nested 1 of EventType with others="Other events" by total=sum(Damage)`,
      [
        ['CA', 105, 'Fire', 100],
        ['TX', 25, 'Flood', 15],
        ['CA', 105, 'Other events', 5],
        ['TX', 25, 'Other events', 10],
        ['Other states', 9, '', null]
      ],
      {
        columns: ['State', 'aggregated_State', 'EventType', 'total']
      }
    );
  });

  it('ranks ascending with asc, over a computed key', async () => {
    await expectRows(
      `${STORMS} | top-nested 2 of Big = Damage >= 5 by n = count() asc`,
      [
        [true, 4],
        [false, 7]
      ]
    );
  });
});
