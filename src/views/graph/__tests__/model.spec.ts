import { buildEntityGraph, layoutGraph } from '../model';
import { LATERAL_COLUMNS, LATERAL_ROWS, PSEXEC_CMD, SRV, WKS } from './lateral';

describe('entity graph', () => {
  const graph = buildEntityGraph(LATERAL_COLUMNS, LATERAL_ROWS);
  const name = (id: string): string =>
    graph.entities.find(e => e.id === id)!.value;

  it('has the detected entities, those in most rows first, without bare process ids', () => {
    expect(
      graph.entities.map(e => `${e.entityType}=${e.value}: ${e.rows.join(',')}`)
    ).toEqual([
      `Host=${SRV}: 0,2,3`,
      'Account=adele.vance: 0,1,2',
      `Host=${WKS}: 1`,
      'Account=megan.bowen: 3',
      'IP=10.0.3.42: 0',
      'IP=10.0.1.77: 3',
      'Host=wks-0042: 0',
      'Host=wks-0017: 3',
      'File=PsExec64.exe: 1',
      'File=cmd.exe: 2',
      `Process=${PSEXEC_CMD}: 1`,
      'Process=cmd.exe: 2'
    ]);
    expect(graph.detected).toBe(12);
  });

  it('links entities of the same rows, weighted by the rows they share', () => {
    const links = graph.links.map(
      l => `${name(l.source)} — ${name(l.target)}: ${l.rows.join(',')}`
    );
    expect(links).toContain(`${SRV} — adele.vance: 0,2`);
    expect(links).toContain(`${SRV} — 10.0.3.42: 0`);
    expect(links).toContain('adele.vance — wks-0042: 0');
    expect(links).toContain(`${WKS} — ${PSEXEC_CMD}: 1`);
    expect(links).not.toContain(
      expect.stringMatching(/adele\.vance — megan\.bowen/)
    );
    // Four rows of 4 entities: 6 pairs each, one pair shared by rows 0 and 2.
    expect(graph.links).toHaveLength(23);
  });

  it('keeps the entities in most rows when there are too many, and says how many there were', () => {
    const small = buildEntityGraph(LATERAL_COLUMNS, LATERAL_ROWS, 3);
    expect(small.entities.map(e => e.value)).toEqual([SRV, 'adele.vance', WKS]);
    expect(small.detected).toBe(12);
    expect(small.links.map(l => l.rows)).toEqual([[0, 2], [1]]);
  });

  it('lays entities out apart, linked ones closer, the same way each time', () => {
    const layout = layoutGraph(graph);
    expect(layout).toEqual(layoutGraph(graph));
    const points = [...layout.values()];
    expect(
      points.every(p => Number.isFinite(p.x) && Number.isFinite(p.y))
    ).toBe(true);
    const distance = (a: string, b: string): number => {
      const [p, q] = [layout.get(a)!, layout.get(b)!];
      return Math.hypot(p.x - q.x, p.y - q.y);
    };
    const ids = graph.entities.map(e => e.id);
    for (const a of ids) {
      for (const b of ids) {
        if (a < b) {
          expect(distance(a, b)).toBeGreaterThan(20);
        }
      }
    }
    const id = (value: string): string =>
      graph.entities.find(e => e.value === value)!.id;
    // megan.bowen shares rows with her own logon's entities, not with PsExec.
    expect(distance(id('megan.bowen'), id('10.0.1.77'))).toBeLessThan(
      distance(id('megan.bowen'), id(PSEXEC_CMD))
    );
  });

  it('is empty for a result without entities', () => {
    const empty = buildEntityGraph(
      [{ name: 'count_', type: 'long' }],
      [{ count_: 3 }]
    );
    expect(empty).toEqual({ entities: [], links: [], detected: 0 });
    expect(layoutGraph(empty).size).toBe(0);
  });
});
