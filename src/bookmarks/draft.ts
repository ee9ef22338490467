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

/** The instants in the given columns of the rows, in order. */
function instants(rows: Record<string, unknown>[], columns: string[]): Date[] {
  return rows
    .flatMap(row => columns.map(name => instant(row[name])))
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
}

/** The earliest instant in the given columns of the rows, or null. */
function earliest(
  rows: Record<string, unknown>[],
  columns: string[]
): Date | null {
  return instants(rows, columns)[0] ?? null;
}

/** The latest instant in the given columns of the rows, or null. */
function latest(
  rows: Record<string, unknown>[],
  columns: string[]
): Date | null {
  return instants(rows, columns).pop() ?? null;
}

/** What the analyst writes in the dialog. */
export class BookmarkDraft {
  constructor(readonly source: IResultRows) {
    const datetimes = source.columns.filter(c => c.type === 'datetime');
    const time =
      datetimes.find(c => c.name === 'TimeGenerated') ?? datetimes[0];
    this.eventTime = time ? earliest(source.rows, [time.name]) : null;
    // The query's window when one was applied, else the span of every time in the picked rows
    // (a summarized row's first_seen and last_seen both belong to the evidence).
    const names = datetimes.map(c => c.name);
    this.start = source.timespan?.start ?? earliest(source.rows, names);
    this.end = source.timespan?.end ?? latest(source.rows, names);
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
    const incidentId = this.incidentId.trim();
    if (incidentId) {
      // With the title and severity of a listed incident, so its details read without a lookup.
      const known = this.incidents.find(i => i.id === incidentId);
      fields.incidentInfo = known
        ? {
            incidentId,
            title: known.title,
            ...(known.severity ? { severity: known.severity } : {})
          }
        : { incidentId };
    }
    return fields;
  }
}
