/**
 * The tabular operators issue 23 added: `parse-kv`, `top-nested`, `scan`. Each is run on DuckDB
 * and compared with the output Kusto's documentation gives for its examples.
 */
import { DuckDBInstance } from '@duckdb/node-api';

import { compilerSchema, loadCompiler } from '..';
import { runSql } from '../node/duckdb';
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

const EVENTS = (rows: string) =>
  `let Events = datatable (Ts: timespan, Event: string) [${rows}];`;
const START_STOP = EVENTS(
  '0m, "A", 1m, "Start", 2m, "B", 3m, "D", 4m, "Stop", 6m, "C", 8m, "Start", 11m, "E", 12m, "Stop"'
);

describe('scan (documented examples)', () => {
  it('computes a cumulative sum, with no match_id column when none is asked for', async () => {
    await expectRows(
      `range x from 1 to 5 step 1
       | scan declare (cumulative_x:long=0) with
       (
           step s1: true => cumulative_x = x + s1.cumulative_x;
       )`,
      [
        [1, 1],
        [2, 3],
        [3, 6],
        [4, 10],
        [5, 15]
      ],
      { columns: ['x', 'cumulative_x'], inOrder: true }
    );
  });

  it('resets two sums when they reach 10', async () => {
    await expectRows(
      `range x from 1 to 5 step 1
       | extend y = 2 * x
       | scan declare (cumulative_x:long=0, cumulative_y:long=0) with
       (
           step s1: true => cumulative_x = iff(s1.cumulative_x >= 10, x, x + s1.cumulative_x),
                            cumulative_y = iff(s1.cumulative_y >= 10, y, y + s1.cumulative_y);
       )`,
      [
        [1, 2, 1, 2],
        [2, 4, 3, 6],
        [3, 6, 6, 12],
        [4, 8, 10, 8],
        [5, 10, 5, 18]
      ],
      { inOrder: true }
    );
  });

  it('fills a column forward', async () => {
    await expectRows(
      `${EVENTS('0m, "A", 1m, "", 2m, "B", 3m, "", 4m, "", 6m, "C", 8m, "", 11m, "D", 12m, ""')}
       Events
       | sort by Ts asc
       | scan declare (Event_filled: string="") with
       (
           step s1: true => Event_filled = iff(isempty(Event), s1.Event_filled, Event);
       )`,
      [
        ['00:00:00', 'A', 'A'],
        ['00:01:00', '', 'A'],
        ['00:02:00', 'B', 'B'],
        ['00:03:00', '', 'B'],
        ['00:04:00', '', 'B'],
        ['00:06:00', 'C', 'C'],
        ['00:08:00', '', 'C'],
        ['00:11:00', 'D', 'D'],
        ['00:12:00', '', 'D']
      ],
      { inOrder: true }
    );
  });

  it('tags sessions with a match id (a step with output=none ends them)', async () => {
    await expectRows(
      `${EVENTS('0m, "A", 1m, "A", 2m, "B", 3m, "D", 32m, "B", 36m, "C", 38m, "D", 41m, "E", 75m, "A"')}
       Events
       | sort by Ts asc
       | scan with_match_id=session_id declare (sessionStart: timespan) with
       (
           step inSession: true => sessionStart = iff(isnull(inSession.sessionStart), Ts, inSession.sessionStart);
           step endSession output=none: Ts - inSession.sessionStart > 30m;
       )`,
      [
        ['00:00:00', 'A', '00:00:00', 0],
        ['00:01:00', 'A', '00:00:00', 0],
        ['00:02:00', 'B', '00:00:00', 0],
        ['00:03:00', 'D', '00:00:00', 0],
        ['00:32:00', 'B', '00:32:00', 1],
        ['00:36:00', 'C', '00:32:00', 1],
        ['00:38:00', 'D', '00:32:00', 1],
        ['00:41:00', 'E', '00:32:00', 1],
        ['01:15:00', 'A', '01:15:00', 2]
      ],
      {
        columns: ['Ts', 'Event', 'sessionStart', 'session_id'],
        inOrder: true
      }
    );
  });

  it('finds the events between Start and Stop within 5 minutes', async () => {
    await expectRows(
      `${START_STOP}
       Events
       | sort by Ts asc
       | scan with_match_id=m_id with
       (
           step s1: Event == "Start";
           step s2: Event != "Start" and Event != "Stop" and Ts - s1.Ts <= 5m;
           step s3: Event == "Stop" and Ts - s1.Ts <= 5m;
       )`,
      [
        ['00:01:00', 'Start', 0],
        ['00:02:00', 'B', 0],
        ['00:03:00', 'D', 0],
        ['00:04:00', 'Stop', 0],
        ['00:08:00', 'Start', 1],
        ['00:11:00', 'E', 1],
        ['00:12:00', 'Stop', 1]
      ],
      { inOrder: true }
    );
  });

  it('measures sessions per user (partition by, order by)', async () => {
    await expectRows(
      `datatable(Timestamp:datetime, userID:int, EventType:string)
       [
           datetime(2024-05-28 08:15:23), 1, "login",
           datetime(2024-05-28 08:30:15), 2, "login",
           datetime(2024-05-28 09:10:27), 3, "login",
           datetime(2024-05-28 12:30:45), 1, "logout",
           datetime(2024-05-28 11:45:32), 2, "logout",
           datetime(2024-05-28 13:25:19), 3, "logout"
       ]
       | scan order by Timestamp asc partition by userID
         declare (start: datetime, end: datetime, sessionDuration: timespan) with (
           step s1 output=none: EventType == "login" => start = Timestamp;
           step s2 output=all: EventType == "logout" => start = s1.start, end = Timestamp, sessionDuration = Timestamp - s1.start;
         )
       | project start, end, userID, sessionDuration`,
      [
        ['2024-05-28T08:15:23Z', '2024-05-28T12:30:45Z', 1, '04:15:22'],
        ['2024-05-28T09:10:27Z', '2024-05-28T13:25:19Z', 3, '04:14:52'],
        ['2024-05-28T08:30:15Z', '2024-05-28T11:45:32Z', 2, '03:15:17']
      ]
    );
  });
});

describe('scan inside partition (documented example)', () => {
  it('calculates the session length per user', async () => {
    await expectRows(
      `let LogsEvents = datatable(Timestamp:datetime, userID:int, EventType:string)
       [
           datetime(2024-05-28 08:15:23), 1, "login",
           datetime(2024-05-28 08:30:15), 2, "login",
           datetime(2024-05-28 09:10:27), 3, "login",
           datetime(2024-05-28 12:30:45), 1, "logout",
           datetime(2024-05-28 11:45:32), 2, "logout",
           datetime(2024-05-28 13:25:19), 3, "logout"
       ];
       LogsEvents
       | sort by userID, Timestamp
       | partition hint.strategy=native by userID (
           sort by Timestamp asc
           | scan declare (start: datetime, end: datetime, sessionDuration: timespan) with (
               step s1 output=none: EventType == "login" => start = Timestamp;
               step s2 output=all: EventType == "logout" => start = s1.start, end = Timestamp, sessionDuration = Timestamp - s1.start;
           )
       )
       | project start, end, userID, sessionDuration`,
      [
        ['2024-05-28T08:15:23Z', '2024-05-28T12:30:45Z', 1, '04:15:22'],
        ['2024-05-28T09:10:27Z', '2024-05-28T13:25:19Z', 3, '04:14:52'],
        ['2024-05-28T08:30:15Z', '2024-05-28T11:45:32Z', 2, '03:15:17']
      ],
      { columns: ['start', 'end', 'userID', 'sessionDuration'] }
    );
  });
});

describe('scan', () => {
  it('outputs a row once per step it matches, the last step first', async () => {
    await expectRows(
      `range x from 1 to 3 step 1
       | scan with_match_id=m declare (tag:string) with
       (
           step a: x == 1 or x == 3 => tag = "a";
           step b: x > a.x => tag = "b";
       )`,
      [
        [1, 'a', 0],
        [2, 'b', 0],
        [3, 'b', 0],
        [3, 'a', 1]
      ],
      { inOrder: true }
    );
  });

  it.each([
    [
      'step a: true; step b: x > b.x;',
      'not supported locally: scan reading b in this step (a step reads the steps before it, and the first step itself; what a later step would read of its own state is not documented)'
    ],
    [
      'step a output=last: true;',
      'not supported locally: scan step output=last'
    ]
  ])('refuses %s by name', async (steps, message) => {
    expect(
      await refusal(`range x from 1 to 3 step 1 | scan with (${steps})`)
    ).toBe(message);
  });
});

const INJURIES = `datatable(State:string, EventType:string, Injuries:long)[
  "WA","Hail",1, "WA","Hail",2, "WA","Wind",5, "WA","Fog",0,
  "WY","Snow",4, "WY","Snow",1, "WY","Hail",7,
  "WI","Rain",1]`;

describe('partition', () => {
  it.each(['', 'hint.strategy=native ', 'hint.strategy=shuffle '])(
    'runs the subquery per key value and unions the results (%s)',
    async hint => {
      await expectRows(
        `${INJURIES}
         | partition ${hint}by State
           (
           summarize Events=count(), Injuries=sum(Injuries) by EventType, State
           | top 1 by Events
           )`,
        [
          ['Hail', 'WA', 2, 3],
          ['Snow', 'WY', 2, 5],
          ['Rain', 'WI', 1, 1]
        ],
        { columns: ['EventType', 'State', 'Events', 'Injuries'] }
      );
    }
  );

  it('gives one row per partition for an aggregate without by', async () => {
    await expectRows(
      `${INJURIES} | partition by State (summarize total = sum(Injuries), n = count())`,
      [
        [8, 4],
        [12, 3],
        [1, 1]
      ]
    );
  });

  it('keeps the subquery’s projections and filters per partition', async () => {
    await expectRows(
      `${INJURIES}
       | partition by State (where Injuries > 0 | top 1 by Injuries asc | project State, least = Injuries)`,
      [
        ['WA', 1],
        ['WY', 1],
        ['WI', 1]
      ]
    );
  });

  it('refuses a subquery with its own source by name', async () => {
    expect(
      await refusal(
        `${INJURIES} | partition by State { datatable(x:long)[1] | extend s = toscalar(State) }`
      )
    ).toBe(
      'not supported locally: partition with a subquery that has its own source'
    );
  });
});

describe('find (the documented EventsTable1 and EventsTable2)', () => {
  const events = compilerSchema([
    {
      name: 'EventsTable1',
      columns: ['Session_Id', 'Level', 'EventText', 'Version'].map(name => ({
        name,
        type: 'string' as const
      }))
    },
    {
      name: 'EventsTable2',
      columns: ['Session_Id', 'Level', 'EventText', 'EventName'].map(name => ({
        name,
        type: 'string' as const
      }))
    }
  ]);

  async function find(
    query: string
  ): Promise<{ columns: string[]; rows: unknown[][] }> {
    const compiler = await loadCompiler();
    const result = compiler.compile(query, events, { now: new Date() });
    if (result.sql === null) {
      throw new Error(result.diagnostics.map(d => d.message).join('\n'));
    }
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `CREATE TABLE "EventsTable1" AS SELECT * FROM (VALUES
        ('acbd207d-51aa-4df7-bfa7-be70eb68f04e', 'Information', 'Some Text1', 'v1.0.0'),
        ('acbd207d-51aa-4df7-bfa7-be70eb68f04e', 'Error', 'Some Text2', 'v1.0.0'),
        ('28b8e46e-3c31-43cf-83cb-48921c3986fc', 'Error', 'Some Text3', 'v1.0.1'),
        ('8f057b11-3281-45c3-a856-05ebb18a3c59', 'Information', 'Some Text4', 'v1.1.0')
      ) t("Session_Id", "Level", "EventText", "Version")`
    );
    await connection.run(
      `CREATE TABLE "EventsTable2" AS SELECT * FROM (VALUES
        ('f7d5f95f-f580-4ea6-830b-5776c8d64fdd', 'Information', 'Some Other Text1', 'Event1'),
        ('acbd207d-51aa-4df7-bfa7-be70eb68f04e', 'Information', 'Some Other Text2', 'Event2'),
        ('acbd207d-51aa-4df7-bfa7-be70eb68f04e', 'Error', 'Some Other Text3', 'Event3'),
        ('15eaeab5-8576-4b58-8fc6-478f75d8fee4', 'Error', 'Some Other Text4', 'Event4')
      ) t("Session_Id", "Level", "EventText", "EventName")`
    );
    const output = await runSql(connection, result.sql, result.columns);
    const rows = output.tables[0].rows.map(row =>
      row.map(v =>
        typeof v === 'object' && v !== null ? JSON.stringify(v) : v
      )
    );
    return {
      columns: result.columns.map(c => c.name),
      rows: rows.sort((a, b) => (String(a) < String(b) ? -1 : 1))
    };
  }

  it('filters each table by the terms on its own columns', async () => {
    expect(
      await find(
        "find Version == 'v1.0.0' or EventName == 'Event1' project Session_Id, EventText, Version, EventName"
      )
    ).toEqual({
      columns: ['source_', 'Session_Id', 'EventText', 'Version', 'EventName'],
      rows: [
        [
          'EventsTable1',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Some Text1',
          'v1.0.0',
          ''
        ],
        [
          'EventsTable1',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Some Text2',
          'v1.0.0',
          ''
        ],
        [
          'EventsTable2',
          'f7d5f95f-f580-4ea6-830b-5776c8d64fdd',
          'Some Other Text1',
          '',
          'Event1'
        ]
      ]
    });
  });

  it('packs the columns not common to the tables into pack_ (project-smart)', async () => {
    expect(
      await find("find Session_Id == 'acbd207d-51aa-4df7-bfa7-be70eb68f04e'")
    ).toEqual({
      columns: ['source_', 'Session_Id', 'Level', 'EventText', 'pack_'],
      rows: [
        [
          'EventsTable1',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Error',
          'Some Text2',
          '{"Version":"v1.0.0"}'
        ],
        [
          'EventsTable1',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Information',
          'Some Text1',
          '{"Version":"v1.0.0"}'
        ],
        [
          'EventsTable2',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Error',
          'Some Other Text3',
          '{"EventName":"Event3"}'
        ],
        [
          'EventsTable2',
          'acbd207d-51aa-4df7-bfa7-be70eb68f04e',
          'Information',
          'Some Other Text2',
          '{"EventName":"Event2"}'
        ]
      ]
    });
  });

  it('names the source column withsource= and reads a bare term in every column', async () => {
    expect(
      await find('find withsource=Table in (EventsTable*) where "Text4"')
    ).toEqual({
      columns: ['Table', 'Session_Id', 'Level', 'EventText', 'pack_'],
      rows: [
        [
          'EventsTable1',
          '8f057b11-3281-45c3-a856-05ebb18a3c59',
          'Information',
          'Some Text4',
          '{"Version":"v1.1.0"}'
        ],
        [
          'EventsTable2',
          '15eaeab5-8576-4b58-8fc6-478f75d8fee4',
          'Error',
          'Some Other Text4',
          '{"EventName":"Event4"}'
        ]
      ]
    });
  });
});

describe('project-by-names (documented examples)', () => {
  const PETER = `datatable(Name:string, Age:int, City:string, Country:string)
    ['Peter', 39, 'New York', 'USA']`;

  it.each([
    ['"Name", "City"', ['Name', 'City'], ['Peter', 'New York']],
    ['dynamic(["Name", "Country"])', ['Name', 'Country'], ['Peter', 'USA']],
    ['"C*"', ['City', 'Country'], ['New York', 'USA']],
    ['"Nope", "Age"', ['Age'], [39]]
  ])('project-by-names %s', async (names, columns, row) => {
    await expectRows(`${PETER} | project-by-names ${names}`, [row], {
      columns
    });
  });

  it('takes column_names_of() and a function argument', async () => {
    await expectRows(
      `let LookupTable = ${PETER};
       let LookupColumns = (Source:(Name:string), lookup_columns: dynamic) {
           Source
           | lookup LookupTable on Name
           | project-by-names column_names_of(Source), lookup_columns
       };
       datatable(Name:string, Data:string)
       ['Peter', 'Source-data']
       | invoke LookupColumns(dynamic(['Country', 'NonExistent']))`,
      [['Peter', 'Source-data', 'USA']],
      { columns: ['Name', 'Data', 'Country'] }
    );
  });
});

describe('evaluate rows_near (documented example)', () => {
  const DAYS = `datatable (Timestamp:datetime, Value:long, State:string )
    [
      datetime(2021-06-01), 1, "Success",
      datetime(2021-06-02), 4, "Success",
      datetime(2021-06-03), 3, "Success",
      datetime(2021-06-04), 11, "Success",
      datetime(2021-06-05), 15, "Success",
      datetime(2021-06-06), 2, "Success",
      datetime(2021-06-07), 19, "Error",
      datetime(2021-06-08), 12, "Success",
      datetime(2021-06-09), 7, "Success",
      datetime(2021-06-10), 9, "Success",
      datetime(2021-06-11), 4, "Success",
      datetime(2021-06-12), 1, "Success",
    ]
    | sort by Timestamp asc`;

  it('keeps the rows within N rows of a row that meets the condition', async () => {
    await expectRows(
      `${DAYS} | evaluate rows_near(State == "Error", 2)`,
      [
        ['2021-06-05T00:00:00Z', 15, 'Success'],
        ['2021-06-06T00:00:00Z', 2, 'Success'],
        ['2021-06-07T00:00:00Z', 19, 'Error'],
        ['2021-06-08T00:00:00Z', 12, 'Success'],
        ['2021-06-09T00:00:00Z', 7, 'Success']
      ],
      { inOrder: true }
    );
  });

  it('takes a different number of rows after', async () => {
    await expectRows(
      `${DAYS} | evaluate rows_near(Value > 14, 0, 1) | project Value`,
      [[15], [2], [19], [12]],
      { inOrder: true }
    );
  });
});

describe('evaluate ipv4_lookup, ipv6_lookup (documented examples)', () => {
  const IP_DATA = `let IP_Data = datatable(network:string, continent_code:string ,continent_name:string, country_iso_code:string, country_name:string)
    [
      "111.68.128.0/17","AS","Asia","JP","Japan",
      "5.8.0.0/19","EU","Europe","RU","Russia",
      "223.255.254.0/24","AS","Asia","SG","Singapore",
      "46.36.200.51/32","OC","Oceania","CK","Cook Islands",
      "2.20.183.0/24","EU","Europe","GB","United Kingdom",
    ];`;

  it.each([
    ['', []],
    [
      ', return_unmatched = true',
      [['192.165.12.17', null, null, null, null, null]]
    ]
  ])('joins each address to the ranges containing it%s', async (flag, more) => {
    await expectRows(
      `${IP_DATA}
       datatable(ip:string)['2.20.183.12', '5.8.1.2', '192.165.12.17']
       | evaluate ipv4_lookup(IP_Data, ip, network${flag})`,
      [
        [
          '2.20.183.12',
          '2.20.183.0/24',
          'EU',
          'Europe',
          'GB',
          'United Kingdom'
        ],
        ['5.8.1.2', '5.8.0.0/19', 'EU', 'Europe', 'RU', 'Russia'],
        ...more.map(r => r.map(v => v ?? ''))
      ],
      {
        columns: [
          'ip',
          'network',
          'continent_code',
          'continent_name',
          'country_iso_code',
          'country_name'
        ]
      }
    );
  });

  it('matches extra keys by equality', async () => {
    await expectRows(
      `${IP_DATA}
       datatable(ip:string, continent_name:string, country_iso_code:string)
       ['2.20.183.12', 'Europe', 'GB', '5.8.1.2', 'Europe', 'RU', '5.8.1.3', 'Europe', 'SE']
       | evaluate ipv4_lookup(IP_Data, ip, network, continent_name, country_iso_code)
       | project ip, country_name`,
      [
        ['2.20.183.12', 'United Kingdom'],
        ['5.8.1.2', 'Russia']
      ]
    );
  });

  it('looks up IPv6 addresses in prefixes', async () => {
    await expectRows(
      `let Lookup = datatable(network:string, country:string)
         ["2001:0db8:85a3::/48", "US", "2404:6800:4001::/48", "JP"];
       datatable(ip:string)["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd"]
       | evaluate ipv6_lookup(Lookup, ip, network, true)
       | project ip, country`,
      [
        ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'US'],
        ['a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', '']
      ]
    );
  });
});

describe('join conditions', () => {
  const X = 'datatable(a:long, c:string)[1, "x", 2, "y", 3, "z"]';
  const Y = 'datatable(b:long, d:string)[1, "x", 2, "q", 3, "z"]';

  it.each([
    '$left.a == $right.b and $left.c == $right.d',
    '$left.a == $right.b, $left.c == $right.d',
    '($left.a == $right.b) and ($left.c == $right.d)'
  ])('joins on equalities joined by and or commas: %s', async on => {
    await expectRows(
      `${X} | join kind=inner ${Y} on ${on}`,
      [
        [1, 'x', 1, 'x'],
        [3, 'z', 3, 'z']
      ],
      { columns: ['a', 'c', 'b', 'd'] }
    );
  });
});

describe('declare pattern (documented examples)', () => {
  it('maps argument and path values to their body', async () => {
    await expectRows(
      `declare pattern country = (name:string)[state:string]
       {
         ("USA").["New York"] = { print Capital = "Albany" };
         ("USA").["Washington"] = { print Capital = "Olympia" };
         ("Canada").["Alberta"] = { print Capital = "Edmonton" };
       };
       country("Canada").Alberta`,
      [['Edmonton']],
      { columns: ['Capital'] }
    );
  });

  it('maps a pattern without a path', async () => {
    await expectRows(
      `declare pattern map_ip_to_longlat = (address:string)
       {
         ("10.10.10.10") = { print Lat=37.405992, Long=-122.078515 };
       };
       map_ip_to_longlat("10.10.10.10")`,
      [[37.405992, -122.078515]],
      { columns: ['Lat', 'Long'] }
    );
  });

  it('invokes patterns inside a union', async () => {
    await expectRows(
      `declare pattern App = (applicationId:string)[scope:string]
       {
           ('a1').['Data'] = { range x from 1 to 5 step 1 | project App = "App #1", Data = x };
           ('a2').['Data'] = { range x from 1 to 5 step 1 | project App = "App #2", Data = 10 - x };
       };
       union App('a2').Data, App('a1').Data
       | summarize n = count(), total = sum(Data) by App`,
      [
        ['App #2', 5, 35],
        ['App #1', 5, 15]
      ]
    );
  });
});
