/**
 * The timeline's model: which columns it can draw, the events of a result's rows placed on lanes
 * and sorted by time, the time axis (domain, zoom, pan, ticks) and the lookups the widget's hover
 * and selection make. Pure data and functions, tested without a browser.
 */
import type { IColumnInfo } from '../../tokens';

/** Most lanes drawn; the rarest values beyond them share one last lane. */
export const MAX_LANES = 40;

/** Columns the lane is taken from by default, in order of preference: the table, then entities. */
const LANE_PREFERENCE = [
  'Type',
  'UserPrincipalName',
  'Account',
  'AccountName',
  'UserId',
  'Computer',
  'DeviceName',
  'IPAddress',
  'RemoteIP',
  'SourceIP'
];

/** KQL types a lane can be made of: values an analyst groups events by. */
const LANE_TYPES = new Set(['string', 'guid', 'int', 'long', 'bool']);

/** The result's datetime columns, in the result's order. */
export function timeColumns(columns: readonly IColumnInfo[]): string[] {
  return columns.filter(c => c.type === 'datetime').map(c => c.name);
}

/** The time column drawn by default: `TimeGenerated` when the result has it, else the first. */
export function defaultTimeColumn(
  columns: readonly IColumnInfo[]
): string | null {
  const names = timeColumns(columns);
  return names.includes('TimeGenerated') ? 'TimeGenerated' : (names[0] ?? null);
}

/** The columns events can be put on lanes by. */
export function laneColumns(columns: readonly IColumnInfo[]): string[] {
  return columns.filter(c => LANE_TYPES.has(c.type)).map(c => c.name);
}

/** The lane column by default: the table, else an entity column, else the first text column. */
export function defaultLaneColumn(
  columns: readonly IColumnInfo[]
): string | null {
  const names = laneColumns(columns);
  return (
    LANE_PREFERENCE.find(name => names.includes(name)) ??
    columns.find(c => c.type === 'string')?.name ??
    null
  );
}

/** The events of a result on lanes, sorted by time. */
export interface ITimelineData {
  /** Each event's time, in milliseconds since the epoch, ascending. */
  readonly times: Float64Array;
  /** Each event's row id (its index in the rows the view was given). */
  readonly rows: Uint32Array;
  /** Each event's lane. */
  readonly lanes: Uint32Array;
  /**
   * Each lane's value as text ('' for empty values). When `otherValues` is not 0 the last lane
   * holds the events of every value that did not get a lane of its own.
   */
  readonly laneNames: readonly string[];
  /** Events in each lane. */
  readonly laneCounts: readonly number[];
  /** Each lane's events (indexes into `times`), in time order. */
  readonly byLane: readonly Uint32Array[];
  /** How many values share the last lane (0 when every value has its own). */
  readonly otherValues: number;
  /** Rows whose time could not be read (empty or not a time): not drawn. */
  readonly undated: number;
}

/** A value as lane text: JSON for dynamic values, '' for empty ones. */
export function laneText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A cell's value as a time in milliseconds, or NaN when it is not one. */
export function timeOf(value: unknown): number {
  if (typeof value === 'string') {
    return Date.parse(value);
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  return Number.NaN;
}

/**
 * Places the rows on lanes by the lane column's value (one lane when there is none) and sorts
 * them by the time column. Lanes are ordered by their first event, so the picture reads as the
 * story went; with more values than `maxLanes`, the most frequent keep a lane and the rest share
 * the last one.
 */
export function buildTimeline(
  rows: readonly Record<string, unknown>[],
  timeColumn: string,
  laneColumn: string | null,
  maxLanes = MAX_LANES
): ITimelineData {
  const times: number[] = [];
  const ids: number[] = [];
  const values: string[] = [];
  let undated = 0;
  rows.forEach((row, id) => {
    const time = timeOf(row[timeColumn]);
    if (Number.isNaN(time)) {
      undated++;
      return;
    }
    times.push(time);
    ids.push(id);
    values.push(laneColumn === null ? '' : laneText(row[laneColumn]));
  });
  const order = Array.from(times.keys()).sort(
    (a, b) => times[a] - times[b] || ids[a] - ids[b]
  );

  const counts = new Map<string, number>();
  const first = new Map<string, number>();
  for (const event of order) {
    const value = values[event];
    counts.set(value, (counts.get(value) ?? 0) + 1);
    if (!first.has(value)) {
      first.set(value, first.size);
    }
  }
  let kept = [...counts.keys()];
  let otherValues = 0;
  if (kept.length > maxLanes) {
    kept = kept
      .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1))
      .slice(0, maxLanes - 1);
    otherValues = counts.size - kept.length;
  }
  kept.sort((a, b) => first.get(a)! - first.get(b)!);
  const laneOf = new Map(kept.map((value, lane) => [value, lane]));
  const laneNames = otherValues ? [...kept, ''] : kept;
  const otherLane = kept.length;

  const n = order.length;
  const data = {
    times: new Float64Array(n),
    rows: new Uint32Array(n),
    lanes: new Uint32Array(n)
  };
  const laneCounts = new Array<number>(laneNames.length).fill(0);
  order.forEach((event, i) => {
    const lane = laneOf.get(values[event]) ?? otherLane;
    data.times[i] = times[event];
    data.rows[i] = ids[event];
    data.lanes[i] = lane;
    laneCounts[lane]++;
  });
  const byLane = laneCounts.map(count => new Uint32Array(count));
  const filled = new Array<number>(laneNames.length).fill(0);
  for (let i = 0; i < n; i++) {
    const lane = data.lanes[i];
    byLane[lane][filled[lane]++] = i;
  }
  return { ...data, laneNames, laneCounts, byLane, otherValues, undated };
}

/** A span of time shown on the axis, in milliseconds since the epoch. */
export interface ITimeDomain {
  /** Time at the axis's left end. */
  start: number;
  /** Time at the axis's right end. */
  end: number;
}

/** Shortest span the axis zooms in to: one second. */
export const MIN_SPAN = 1000;

/**
 * The span that shows every event with a margin on each side; half an hour around them when they
 * all happened at one instant, and the last hour when there are none.
 */
export function fullDomain(data: ITimelineData, now = Date.now()): ITimeDomain {
  const n = data.times.length;
  if (!n) {
    return { start: now - 3_600_000, end: now };
  }
  const start = data.times[0];
  const end = data.times[n - 1];
  const margin = end > start ? (end - start) * 0.02 : 900_000;
  return { start: start - margin, end: end + margin };
}

/**
 * The domain zoomed by `factor` (below 1 zooms in) around the point `at` (0 the left end, 1 the
 * right end), which stays where it is; the span stays between `MIN_SPAN` and `maxSpan`.
 */
export function zoomDomain(
  domain: ITimeDomain,
  factor: number,
  at: number,
  maxSpan: number
): ITimeDomain {
  const span = domain.end - domain.start;
  const next = Math.min(Math.max(span * factor, MIN_SPAN), maxSpan);
  const pivot = domain.start + span * at;
  const start = pivot - next * at;
  return { start, end: start + next };
}

/** The domain moved by `fraction` of its span (positive: later times come into view). */
export function panDomain(domain: ITimeDomain, fraction: number): ITimeDomain {
  const shift = (domain.end - domain.start) * fraction;
  return { start: domain.start + shift, end: domain.end + shift };
}

/** Where a time falls on an axis `width` pixels wide showing `domain`. */
export function xOf(domain: ITimeDomain, width: number, time: number): number {
  return ((time - domain.start) / (domain.end - domain.start)) * width;
}

/** The time at pixel `x` of an axis `width` pixels wide showing `domain`. */
export function timeAt(domain: ITimeDomain, width: number, x: number): number {
  return domain.start + (x / width) * (domain.end - domain.start);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Steps between ticks, each a round number of its unit. */
const TICK_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY
];

/** A labelled tick of the time axis. */
export interface ITimeTick {
  /** Its time, in milliseconds since the epoch. */
  time: number;
  /** Its label, in UTC as Log Analytics shows times. */
  label: string;
}

/**
 * Ticks at round UTC times, at most `count` of them across the domain; labels give the date for
 * steps of a day or more, the date and minute for steps of a minute or more, else the second.
 */
export function timeTicks(domain: ITimeDomain, count: number): ITimeTick[] {
  const span = domain.end - domain.start;
  const step =
    TICK_STEPS.find(s => span / s <= Math.max(1, count)) ??
    TICK_STEPS[TICK_STEPS.length - 1];
  const label = (time: number): string => {
    const iso = new Date(time).toISOString();
    if (step >= DAY) {
      return iso.slice(0, 10);
    }
    if (step >= MINUTE) {
      return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    }
    return iso.slice(11, 19);
  };
  const ticks: ITimeTick[] = [];
  for (
    let time = Math.ceil(domain.start / step) * step;
    time <= domain.end;
    time += step
  ) {
    ticks.push({ time, label: label(time) });
  }
  return ticks;
}

/** Index of the first of a lane's events at or after `time` (binary search). */
function firstAtOrAfter(
  data: ITimelineData,
  events: Uint32Array,
  time: number
): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (data.times[events[mid]] < time) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/**
 * The event of `lane` nearest to `time`, if it is within `tolerance` milliseconds, else -1 (an
 * index into the data's events).
 */
export function nearestEvent(
  data: ITimelineData,
  lane: number,
  time: number,
  tolerance: number
): number {
  const events = data.byLane[lane];
  if (!events?.length) {
    return -1;
  }
  const at = firstAtOrAfter(data, events, time);
  let best = -1;
  let distance = tolerance;
  for (const candidate of [at - 1, at]) {
    if (candidate < 0 || candidate >= events.length) {
      continue;
    }
    const d = Math.abs(data.times[events[candidate]] - time);
    if (d <= distance) {
      best = events[candidate];
      distance = d;
    }
  }
  return best;
}

/**
 * The row ids of the events in lanes `fromLane` to `toLane` (inclusive) between two times
 * (inclusive), ascending: what a brush selects.
 */
export function rowsBetween(
  data: ITimelineData,
  start: number,
  end: number,
  fromLane: number,
  toLane: number
): number[] {
  const rows: number[] = [];
  const low = Math.max(0, Math.min(fromLane, toLane));
  const high = Math.min(data.byLane.length - 1, Math.max(fromLane, toLane));
  const [t0, t1] = start <= end ? [start, end] : [end, start];
  for (let lane = low; lane <= high; lane++) {
    const events = data.byLane[lane];
    for (
      let i = firstAtOrAfter(data, events, t0);
      i < events.length && data.times[events[i]] <= t1;
      i++
    ) {
      rows.push(data.rows[events[i]]);
    }
  }
  return rows.sort((a, b) => a - b);
}

/** Which events are selected, one flag per event, from the selected row ids. */
export function selectedEvents(
  data: ITimelineData,
  selection: ReadonlySet<number>
): Uint8Array {
  const flags = new Uint8Array(data.times.length);
  if (selection.size) {
    for (let i = 0; i < flags.length; i++) {
      flags[i] = selection.has(data.rows[i]) ? 1 : 0;
    }
  }
  return flags;
}
