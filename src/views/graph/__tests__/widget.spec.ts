import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { entityGraphViewFactory } from '..';
import type { EntityGraphView } from '../widget';
import { LATERAL_COLUMNS, LATERAL_ROWS, SRV } from './lateral';

const trans = nullTranslator.load('jupyterlab_sentinel');

async function create(rows = LATERAL_ROWS): Promise<{
  view: EntityGraphView;
  selected: (readonly number[])[];
}> {
  const selected: (readonly number[])[] = [];
  const view = (await entityGraphViewFactory.create({
    columns: LATERAL_COLUMNS,
    rows,
    translator: nullTranslator,
    config: {},
    onConfigChanged: () => undefined,
    onSelectRows: rows => selected.push(rows)
  })) as EntityGraphView;
  Widget.attach(view, document.body);
  return { view, selected };
}

function node(view: EntityGraphView, value: string): SVGGElement {
  return [
    ...view.node.querySelectorAll<SVGGElement>(
      '.jp-SentinelEntityGraph-nodes > g'
    )
  ].find(g => g.querySelector('title')!.textContent!.includes(`${value}:`))!;
}

describe('entity graph view', () => {
  afterEach(() => {
    document.body.textContent = '';
  });

  it('is offered for results with columns that can hold entities', () => {
    expect(
      entityGraphViewFactory.unavailable(LATERAL_COLUMNS, trans)
    ).toBeNull();
    expect(
      entityGraphViewFactory.unavailable(
        [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'count_', type: 'long' }
        ],
        trans
      )
    ).toMatch(/this result has none/);
  });

  it('draws a node per entity, shaped by type, and a line per pair of entities sharing rows', async () => {
    const { view } = await create();
    const nodes = view.node.querySelectorAll(
      '.jp-SentinelEntityGraph-nodes > g'
    );
    expect(nodes).toHaveLength(12);
    expect(
      view.node.querySelectorAll('.jp-SentinelEntityGraph-link')
    ).toHaveLength(23);
    expect(node(view, SRV).dataset.entityType).toBe('Host');
    expect(
      node(view, SRV).querySelector('.jp-SentinelEntityGraph-shape')!.tagName
    ).toBe('rect');
    expect(node(view, 'adele.vance').querySelector('circle')).not.toBeNull();
    expect(node(view, '10.0.3.42').querySelector('polygon')).not.toBeNull();
    expect(node(view, 'adele.vance').getAttribute('aria-label')).toBe(
      'Account adele.vance: in 3 rows'
    );
    expect(
      [
        ...view.node.querySelectorAll('.jp-SentinelEntityGraph-legend text')
      ].map(t => t.textContent)
    ).toEqual(['Account', 'Host', 'IP address', 'File', 'Process']);
    expect(
      view.node.querySelector('.jp-SentinelEntityGraph-summary')!.textContent
    ).toBe('12 entities · 23 links');
  });

  it('writes values as text, never as markup', async () => {
    const { view } = await create([
      {
        ...LATERAL_ROWS[1],
        ProcessCommandLine: 'cmd /c echo <img src=x onerror=alert(1)>'
      }
    ]);
    expect(view.node.querySelector('img')).toBeNull();
    expect(
      node(view, 'cmd /c echo <img src=x onerror=alert(1)>')
    ).toBeDefined();
    expect(view.toSvg()).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('selects the rows of the entity or link clicked, and shows the grid selection', async () => {
    const { view, selected } = await create();
    node(view, 'adele.vance').dispatchEvent(
      new MouseEvent('click', { bubbles: true })
    );
    expect(selected).toEqual([[0, 1, 2]]);
    expect(node(view, 'adele.vance').getAttribute('aria-pressed')).toBe('true');
    node(view, 'megan.bowen').dispatchEvent(
      new MouseEvent('click', { bubbles: true, ctrlKey: true })
    );
    expect(selected[1]).toEqual([0, 1, 2, 3]);
    node(view, 'megan.bowen').dispatchEvent(
      new MouseEvent('click', { bubbles: true, ctrlKey: true })
    );
    expect(selected[2]).toEqual([0, 1, 2]);
    const link = [
      ...view.node.querySelectorAll('.jp-SentinelEntityGraph-link')
    ].find(l =>
      l
        .querySelector('title')!
        .textContent!.startsWith(`${SRV} and adele.vance`)
    )!;
    link.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(selected[3]).toEqual([0, 2]);
    node(view, 'wks-0017').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter' })
    );
    expect(selected[4]).toEqual([3]);

    view.setSelection(new Set([1]));
    const pressed = [
      ...view.node.querySelectorAll(
        '.jp-SentinelEntityGraph-nodes > [aria-pressed="true"]'
      )
    ].map(g => g.querySelector('text')!.textContent);
    expect(pressed).toEqual([
      'adele.vance',
      'wks-0042.contoso.example',
      'PsExec64.exe',
      'PsExec64.exe \\\\SRV-FILE01…'
    ]);
    view.setSelection(new Set());
    expect(view.node.querySelector('[aria-pressed="true"]')).toBeNull();
  });

  it('zooms from its buttons and exports what it shows as a standalone SVG document', async () => {
    const { view } = await create();
    const viewport = view.node.querySelector('svg > g')!;
    const zoomIn = [...view.node.querySelectorAll('button')].find(
      b => b.textContent === 'Zoom In'
    )!;
    zoomIn.click();
    expect(viewport.getAttribute('transform')).toMatch(/scale\(1\.5\)/);
    const svg = view.toSvg();
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const root = doc.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.getAttribute('width'))).toBeGreaterThan(0);
    expect(Number(root.getAttribute('height'))).toBeGreaterThan(0);
    expect(svg).toContain('scale(1.5)');
    expect(svg).not.toContain('tabindex');
    expect([...doc.querySelectorAll('text')].map(t => t.textContent)).toContain(
      SRV
    );
  });

  it('says when a result has no entities', async () => {
    const selected: (readonly number[])[] = [];
    const view = await entityGraphViewFactory.create({
      columns: [{ name: 'Computer', type: 'string' }],
      rows: [{ Computer: '' }],
      translator: nullTranslator,
      config: {},
      onConfigChanged: () => undefined,
      onSelectRows: rows => selected.push(rows)
    });
    expect(view.node.textContent).toContain('No entities detected');
    expect(() => view.toSvg()).not.toThrow();
  });
});
