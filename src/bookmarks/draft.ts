/**
 * A bookmark being written: what the dialog proposes from the rows the analyst picked, and what
 * they change. It outlives the dialog, so a failed save reopens it with everything typed.
 */
import { UUID } from '@lumino/coreutils';
import type { IBookmarkFields, IIncidentInfo } from '../tokens';
import type { IResultRows } from '../results/tokens';
import {
  detectEntities,
  entityMappings,
  type IDetectedEntity
} from './entities';
import { isTechniqueId } from './mitre';

/**
 * Most characters of the result rows stored with a bookmark. The service documents no limit for
 * `queryResult`; this keeps a bookmark well inside an ARM request and readable in the table.
 */
export const MAX_QUERY_RESULT_CHARS = 64 * 1024;

/** The stored rows, and what was left out to fit. */
export interface IStoredRows {
  /** JSON text of the rows kept. */
  json: string;
  /** Rows kept. */
  kept: number;
  /** Rows offered. */
  offered: number;
}

/** The first rows whose JSON fits in `limit` characters. */
export function storedRows(
  rows: Record<string, unknown>[],
  limit = MAX_QUERY_RESULT_CHARS
): IStoredRows {
  let kept = rows.length;
  let json = JSON.stringify(rows);
  while (json.length > limit && kept > 0) {
    // Cut in proportion to the excess, then one by one: a few passes even for large selections.
    const next = Math.min(kept - 1, Math.floor((kept * limit) / json.length));
    kept = Math.max(0, next);
    json = JSON.stringify(rows.slice(0, kept));
  }
  return { json, kept, offered: rows.length };
}

/** The instant of a value, if it is one. */
function instant(value: unknown): Date | null {
  if (typeof value !== 'string') {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What the analyst writes in the dialog. */
export class BookmarkDraft {
  constructor(readonly source: IResultRows) {
    const time =
      source.columns.find(
        c => c.type === 'datetime' && c.name === 'TimeGenerated'
      ) ?? source.columns.find(c => c.type === 'datetime');
    const times = time
      ? source.rows
          .map(row => instant(row[time.name]))
          .filter((d): d is Date => d !== null)
          .sort((a, b) => a.getTime() - b.getTime())
      : [];
    this.eventTime = times[0] ?? null;
    // The query's window when one was applied, else the span of the picked events.
    this.start = source.timespan?.start ?? times[0] ?? null;
    this.end = source.timespan?.end ?? times[times.length - 1] ?? null;
    this.entities = detectEntities(source.columns, source.rows);
    this.stored = storedRows(source.rows);
    const table = /^\s*([A-Za-z_][\w]*)/.exec(source.query)?.[1];
    this.displayName = table
      ? `${table}: ${source.selected ? source.rows.length : source.totalRows} rows`
      : '';
  }

  /** Id the bookmark is saved under, chosen once: a retried save never makes a second one. */
  readonly id = UUID.uuid4();
  displayName: string;
  notes = '';
  labels: string[] = [];
  query = this.source.query;
  start: Date | null;
  end: Date | null;
  eventTime: Date | null;
  entities: IDetectedEntity[];
  tactics: string[] = [];
  techniques: string[] = [];
  /** A label typed but not yet ended with a comma. */
  pendingLabel = '';
  /** A technique typed but not yet ended with a comma. */
  pendingTechnique = '';
  incidentId = '';
  /** The workspace's incidents, proposed for the incident field. */
  incidents: IIncidentInfo[] = [];
  /** Why the last save failed, shown in the reopened dialog. */
  error: string | null = null;
  /** The rows stored with the bookmark. */
  readonly stored: IStoredRows;

  /** Takes the label and technique still in their text boxes, as typed words are meant to count. */
  commitPending(): void {
    const label = this.pendingLabel.trim();
    if (label && !this.labels.includes(label)) {
      this.labels = [...this.labels, label];
    }
    const technique = this.pendingTechnique.trim();
    if (technique && !this.techniques.includes(technique)) {
      this.techniques = [...this.techniques, technique];
    }
    this.pendingLabel = '';
    this.pendingTechnique = '';
  }

  /** What is wrong with the draft, or null when it can be saved. */
  problem(): string | null {
    if (!this.displayName.trim()) {
      return 'A bookmark needs a name.';
    }
    if (!this.query.trim()) {
      return 'A bookmark needs the query it came from.';
    }
    if (this.start && this.end && this.start > this.end) {
      return 'The time window ends before it starts.';
    }
    const technique = this.techniques.find(t => !isTechniqueId(t));
    if (technique) {
      return `${technique} is not a MITRE ATT&CK technique id (T1234 or T1234.001).`;
    }
    const empty = this.entities.find(e => !e.value.trim());
    if (empty) {
      return `The ${empty.entityType} entity has no value.`;
    }
    return null;
  }

  /** The bookmark's fields as the backends save them. */
  fields(): IBookmarkFields {
    const fields: IBookmarkFields = {
      displayName: this.displayName.trim(),
      query: this.query,
      queryResult: this.stored.json,
      notes: this.notes,
      labels: this.labels,
      entityMappings: entityMappings(this.entities),
      tactics: this.tactics,
      techniques: this.techniques
    };
    if (this.eventTime) {
      fields.eventTime = this.eventTime.toISOString();
    }
    if (this.start) {
      fields.queryStartTime = this.start.toISOString();
    }
    if (this.end) {
      fields.queryEndTime = this.end.toISOString();
    }
    if (this.incidentId.trim()) {
      fields.incidentInfo = { incidentId: this.incidentId.trim() };
    }
    return fields;
  }
}
