import type { IColumnInfo } from '../../../tokens';
import {
  buildTimeline,
  defaultLaneColumn,
  defaultTimeColumn,
  fullDomain,
  laneColumns,
  nearestEvent,
  panDomain,
  rowsBetween,
  selectedEvents,
  timeAt,
  timeColumns,
  timeTicks,
  xOf,
  zoomDomain
} from '../model';

const columns: IColumnInfo[] = [
  { name: 'StartTime', type: 'datetime' },
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserPrincipalName', type: 'string' },
  { name: 'IPAddress', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: 'Properties', type: 'dynamic' },
  { name: 'Score', type: 'real' }
];

/** The compromised account's events across tables, out of time order. */
const story: Record<string, unknown>[] = [
  { TimeGenerated: '2026-11-27T10:41:07Z', Type: 'SigninLogs' },
  { TimeGenerated: '2026-11-28T15:41:05Z', Type: 'OfficeActivity' },
  { TimeGenerated: '2026-11-27T08:00:00Z', Type: 'SigninLogs' },
  { TimeGenerated: null, Type: 'SigninLogs' },
  { TimeGenerated: '2026-11-29T20:05:11Z', Type: 'DeviceProcessEvents' },
  { TimeGenerated: '2026-11-28T15:44:05Z', Type: 'OfficeActivity' },
  { TimeGenerated: 'not a time', Type: 'SigninLogs' }
];

describe('timeline columns', () => {
  it('draws TimeGenerated when the result has it, else its first datetime column', () => {
    expect(timeColumns(columns)).toEqual(['StartTime', 'TimeGenerated']);
    expect(defaultTimeColumn(columns)).toBe('TimeGenerated');
    expect(
      defaultTimeColumn(columns.filter(c => c.name !== 'TimeGenerated'))
    ).toBe('StartTime');
    expect(defaultTimeColumn([{ name: 'Account', type: 'string' }])).toBeNull();
  });

  it('puts lanes by table first, then by entity, never by a number with decimals or a bag', () => {
    expect(laneColumns(columns)).toEqual([
      'UserPrincipalName',
      'IPAddress',
      'Type'
    ]);
    expect(defaultLaneColumn(columns)).toBe('Type');
    expect(defaultLaneColumn(columns.filter(c => c.name !== 'Type'))).toBe(
      'UserPrincipalName'
    );
    expect(
      defaultLaneColumn([
        { name: 'When', type: 'datetime' },
        { name: 'Note', type: 'string' }
      ])
    ).toBe('Note');
  });
});

describe('buildTimeline', () => {
  it('sorts events by time, keeps their row ids and counts rows without a time', () => {
    const data = buildTimeline(story, 'TimeGenerated', 'Type');
    expect(Array.from(data.rows)).toEqual([2, 0, 1, 5, 4]);
    expect(data.undated).toBe(2);
    expect(Array.from(data.times)).toEqual(
      [
        '2026-11-27T08:00:00Z',
        '2026-11-27T10:41:07Z',
        '2026-11-28T15:41:05Z',
        '2026-11-28T15:44:05Z',
        '2026-11-29T20:05:11Z'
      ].map(t => Date.parse(t))
    );
  });

  it('orders lanes by their first event, so the picture reads as the story went', () => {
    const data = buildTimeline(story, 'TimeGenerated', 'Type');
    expect(data.laneNames).toEqual([
      'SigninLogs',
      'OfficeActivity',
      'DeviceProcessEvents'
    ]);
    expect(data.laneCounts).toEqual([2, 2, 1]);
    expect(Array.from(data.lanes)).toEqual([0, 0, 1, 1, 2]);
    expect(data.byLane.map(events => Array.from(events))).toEqual([
      [0, 1],
      [2, 3],
      [4]
    ]);
    expect(data.otherValues).toBe(0);
  });

  it('puts every event on one lane without a lane column', () => {
    const data = buildTimeline(story, 'TimeGenerated', null);
    expect(data.laneNames).toEqual(['']);
    expect(data.laneCounts).toEqual([5]);
  });

  it('keeps a lane for the most frequent values and one shared lane for the rest', () => {
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => ({
        t: `2026-11-01T00:0${i}:00Z`,
        ip: '203.0.113.42'
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        t: `2026-11-01T01:0${i}:00Z`,
        ip: '203.0.113.17'
      })),
      { t: '2026-10-31T00:00:00Z', ip: '10.0.0.1' },
      { t: '2026-11-02T00:00:00Z', ip: '10.0.0.2' },
      { t: '2026-11-03T00:00:00Z', ip: null }
    ];
    const data = buildTimeline(rows, 't', 'ip', 3);
    expect(data.laneNames).toEqual(['203.0.113.42', '203.0.113.17', '']);
    expect(data.otherValues).toBe(3);
    expect(data.laneCounts).toEqual([5, 3, 3]);
    // The shared lane's events are in time order too.
    expect(Array.from(data.byLane[2]).map(i => data.rows[i])).toEqual([
      8, 9, 10
    ]);
  });
});

describe('the time axis', () => {
  const data = buildTimeline(story, 'TimeGenerated', 'Type');

  it('shows every event with a margin, and half an hour around a single instant', () => {
    const domain = fullDomain(data);
    expect(domain.start).toBeLessThan(data.times[0]);
    expect(domain.end).toBeGreaterThan(data.times[data.times.length - 1]);
    const one = buildTimeline([story[0]], 'TimeGenerated', 'Type');
    const single = fullDomain(one);
    expect(single.end - single.start).toBe(1_800_000);
  });

  it('maps times to pixels and back', () => {
    const domain = { start: 0, end: 10_000 };
    expect(xOf(domain, 500, 2_000)).toBe(100);
    expect(timeAt(domain, 500, 100)).toBe(2_000);
  });

  it('zooms around the pointer, which keeps its time, within its limits', () => {
    const domain = { start: 0, end: 100_000 };
    const zoomed = zoomDomain(domain, 0.5, 0.25, 1e9);
    expect(zoomed.end - zoomed.start).toBe(50_000);
    expect(timeAt(zoomed, 1, 0.25)).toBe(timeAt(domain, 1, 0.25));
    expect(
      zoomDomain(domain, 1e-9, 0.5, 1e9).end -
        zoomDomain(domain, 1e-9, 0.5, 1e9).start
    ).toBe(1000);
    expect(
      zoomDomain(domain, 100, 0.5, 400_000).end -
        zoomDomain(domain, 100, 0.5, 400_000).start
    ).toBe(400_000);
  });

  it('pans by a fraction of the span', () => {
    expect(panDomain({ start: 0, end: 1000 }, 0.1)).toEqual({
      start: 100,
      end: 1100
    });
  });

  it('ticks at round UTC times, labelled by the step', () => {
    const hours = timeTicks(
      {
        start: Date.parse('2026-11-27T00:10:00Z'),
        end: Date.parse('2026-11-27T05:50:00Z')
      },
      6
    );
    expect(hours.map(t => t.label)).toEqual([
      '11-27 01:00',
      '11-27 02:00',
      '11-27 03:00',
      '11-27 04:00',
      '11-27 05:00'
    ]);
    const days = timeTicks(
      {
        start: Date.parse('2026-11-01T00:00:00Z'),
        end: Date.parse('2026-11-30T00:00:00Z')
      },
      5
    );
    // A week apart, labelled with the date.
    expect(days.map(t => t.label)).toEqual([
      '2026-11-05',
      '2026-11-12',
      '2026-11-19',
      '2026-11-26'
    ]);
    const seconds = timeTicks({ start: 0, end: 10_000 }, 5);
    expect(seconds.map(t => t.label)).toEqual([
      '00:00:00',
      '00:00:02',
      '00:00:04',
      '00:00:06',
      '00:00:08',
      '00:00:10'
    ]);
  });
});

describe('hover and selection', () => {
  const data = buildTimeline(story, 'TimeGenerated', 'Type');

  it('finds the event under the pointer within its tolerance, in the lane pointed at', () => {
    const signin = Date.parse('2026-11-27T10:41:07Z');
    const hit = nearestEvent(data, 0, signin + 30_000, 60_000);
    expect(data.rows[hit]).toBe(0);
    expect(nearestEvent(data, 0, signin + 120_000, 60_000)).toBe(-1);
    expect(nearestEvent(data, 2, signin, 60_000)).toBe(-1);
    expect(nearestEvent(data, 7, signin, 60_000)).toBe(-1);
  });

  it('selects the rows of the events in a box of lanes and times', () => {
    const start = Date.parse('2026-11-27T09:00:00Z');
    const end = Date.parse('2026-11-28T15:42:00Z');
    expect(rowsBetween(data, start, end, 0, 1)).toEqual([0, 1]);
    expect(rowsBetween(data, end, start, 1, 0)).toEqual([0, 1]);
    expect(rowsBetween(data, start, end, 1, 1)).toEqual([1]);
    expect(
      rowsBetween(data, 0, Date.parse('2027-01-01T00:00:00Z'), 0, 9)
    ).toEqual([0, 1, 2, 4, 5]);
  });

  it('flags the events of the selected rows', () => {
    expect(Array.from(selectedEvents(data, new Set([5, 0, 3])))).toEqual([
      0, 1, 0, 1, 0
    ]);
    expect(Array.from(selectedEvents(data, new Set()))).toEqual([
      0, 0, 0, 0, 0
    ]);
  });
});
