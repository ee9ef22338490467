/**
 * The `timespan` of the Log Analytics query API: an ISO 8601 duration (`PT12H`, the window ends
 * now) or an interval `start/end`, `start/duration` or `duration/end`, the four forms the Azure
 * SDK sends.
 */
import type { ITimeWindow } from '../../src/tokens';

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/** Thrown for a timespan the API would refuse. */
export class TimespanError extends Error {}

/** Moves an instant by an ISO 8601 duration, forward (`sign` 1) or back (`sign` -1). */
function shift(instant: Date, duration: string, sign: 1 | -1): Date {
  const match = DURATION.exec(duration);
  if (!match || duration.toUpperCase() === 'P' || /T$/i.test(duration)) {
    throw new TimespanError(`'${duration}' is not an ISO 8601 duration`);
  }
  const n = (i: number) => Number((match[i] ?? '0').replace(',', '.'));
  const result = new Date(instant.getTime());
  // Years and months are calendar units; the rest are fixed lengths.
  result.setUTCFullYear(result.getUTCFullYear() + sign * n(1));
  result.setUTCMonth(result.getUTCMonth() + sign * n(2));
  const ms =
    (n(3) * 7 + n(4)) * 86400000 + n(5) * 3600000 + n(6) * 60000 + n(7) * 1000;
  return new Date(result.getTime() + sign * ms);
}

function instant(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new TimespanError(`'${text}' is not an ISO 8601 date`);
  }
  // A time without a zone is UTC in Log Analytics, not local time.
  const zoned =
    /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T')
      ? text
      : `${text}Z`;
  const parsed = new Date(zoned);
  if (Number.isNaN(parsed.getTime())) {
    throw new TimespanError(`'${text}' is not an ISO 8601 date`);
  }
  return parsed;
}

/** The window a `timespan` stands for, at `now`. */
export function parseTimespan(text: string, now: Date): ITimeWindow {
  const parts = text.trim().split('/');
  let window: ITimeWindow;
  if (parts.length === 1) {
    window = { start: shift(now, parts[0], -1), end: now };
  } else if (parts.length === 2) {
    const [first, second] = parts;
    const firstIsDuration = /^P/i.test(first);
    const secondIsDuration = /^P/i.test(second);
    if (firstIsDuration && secondIsDuration) {
      throw new TimespanError('an interval cannot be two durations');
    }
    if (firstIsDuration) {
      const end = instant(second);
      window = { start: shift(end, first, -1), end };
    } else if (secondIsDuration) {
      const start = instant(first);
      window = { start, end: shift(start, second, 1) };
    } else {
      window = { start: instant(first), end: instant(second) };
    }
  } else {
    throw new TimespanError(`'${text}' is not an ISO 8601 interval`);
  }
  if (!(window.start.getTime() < window.end.getTime())) {
    throw new TimespanError(`the timespan '${text}' must start before it ends`);
  }
  return window;
}
