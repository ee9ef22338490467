import { BookmarkDraft } from '../draft';
import type { IResultRows } from '../../results/tokens';

/** Rows of a summarized spray hunt: no TimeGenerated, a first and a last time per address. */
function summarized(timespan: IResultRows['timespan'] = null): IResultRows {
  return {
    workspace: { backend: 'local', id: 'demo', name: 'Demo' },
    query:
      'SigninLogs | summarize first_seen = min(TimeGenerated), last_seen = max(TimeGenerated) by IPAddress',
    timespan,
    columns: [
      { name: 'IPAddress', type: 'string' },
      { name: 'first_seen', type: 'datetime' },
      { name: 'last_seen', type: 'datetime' }
    ],
    rows: [
      {
        IPAddress: '203.0.113.17',
        first_seen: '2026-11-01T02:00:00.000Z',
        last_seen: '2026-11-01T04:30:00.000Z'
      },
      {
        IPAddress: '203.0.113.42',
        first_seen: '2026-11-01T02:01:11.000Z',
        last_seen: '2026-11-01T04:41:07.000Z'
      }
    ],
    selected: true,
    totalRows: 3
  };
}

describe('the time window a bookmark proposes', () => {
  it('spans every datetime column of the selected rows', () => {
    const draft = new BookmarkDraft(summarized());

    expect(draft.start?.toISOString()).toBe('2026-11-01T02:00:00.000Z');
    expect(draft.end?.toISOString()).toBe('2026-11-01T04:41:07.000Z');
    expect(draft.eventTime?.toISOString()).toBe('2026-11-01T02:00:00.000Z');
  });

  it('keeps the window the query ran with when it had one', () => {
    const timespan = {
      start: new Date('2026-10-30T00:00:00Z'),
      end: new Date('2026-11-02T00:00:00Z')
    };
    const draft = new BookmarkDraft(summarized(timespan));

    expect(draft.start).toBe(timespan.start);
    expect(draft.end).toBe(timespan.end);
  });

  it('takes TimeGenerated as the event time, and still spans the other times', () => {
    const source = summarized();
    source.columns.push({ name: 'TimeGenerated', type: 'datetime' });
    source.rows[0].TimeGenerated = '2026-11-01T03:00:00.000Z';
    source.rows[1].TimeGenerated = '2026-11-01T03:30:00.000Z';
    const draft = new BookmarkDraft(source);

    expect(draft.eventTime?.toISOString()).toBe('2026-11-01T03:00:00.000Z');
    expect(draft.start?.toISOString()).toBe('2026-11-01T02:00:00.000Z');
    expect(draft.end?.toISOString()).toBe('2026-11-01T04:41:07.000Z');
  });
});

describe('the incident a bookmark is linked to', () => {
  it('is saved with the title and severity of the listed incident', () => {
    const draft = new BookmarkDraft(summarized());
    draft.incidents = [
      {
        id: 'inc-1042',
        number: 1042,
        title: 'Multi-stage attack involving adele.vance',
        severity: 'High'
      }
    ];
    draft.incidentId = 'inc-1042';

    expect(draft.fields().incidentInfo).toEqual({
      incidentId: 'inc-1042',
      title: 'Multi-stage attack involving adele.vance',
      severity: 'High'
    });
  });

  it('is saved by id when it is not among the listed ones', () => {
    const draft = new BookmarkDraft(summarized());
    draft.incidentId = ' 77 ';

    expect(draft.fields().incidentInfo).toEqual({ incidentId: '77' });
  });
});
