/**
 * Investigation views in a result's output: the switcher, the choice in the cell's metadata, the
 * rows a view is given (the grid's, in its order) and the selection shared both ways.
 */
import { CodeCell, CodeCellModel } from '@jupyterlab/cells';
import { NBTestUtils } from '@jupyterlab/cells/lib/testutils';
import { defaultRenderMime } from '@jupyterlab/rendermime/lib/testutils';
import { nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { ReadonlyJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { IColumnInfo } from '../../tokens';
import { InvestigationViews } from '../../views/registry';
import { timelineViewFactory } from '../../views/timeline';
import { TimelineView } from '../../views/timeline/widget';
import type {
  IInvestigationViewFactory,
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../../views/tokens';
import { resultOutput } from '../output';
import type { IPageRequest, IResultPage, IResultPages } from '../server';
import { RESULT_MIME_TYPE } from '../tokens';
import { ResultView } from '../widget';

const COLUMNS: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Type', type: 'string' },
  { name: 'Account', type: 'string' }
];

const ROWS = [
  ['2026-11-27T10:41:07Z', 'SigninLogs', 'adele.vance@contoso.example'],
  ['2026-11-28T15:41:05Z', 'OfficeActivity', 'adele.vance@contoso.example'],
  ['2026-11-28T15:44:05Z', 'OfficeActivity', 'adele.vance@contoso.example'],
  ['2026-11-29T20:05:11Z', 'DeviceProcessEvents', 'adele.vance']
];

/** Pages of the four rows; sorted by Type when asked, as the server sorts. */
class Pages implements IResultPages {
  readonly requests: IPageRequest[] = [];

  csvUrl(request: IPageRequest): string {
    return `csv?path=${request.path}`;
  }

  async page(request: IPageRequest): Promise<IResultPage> {
    this.requests.push(request);
    const rows =
      request.sort === 'Type'
        ? [...ROWS].sort((a, b) => a[1].localeCompare(b[1]))
        : ROWS;
    return {
      columns: COLUMNS,
      totalRows: ROWS.length,
      rowCount: ROWS.length,
      offset: request.offset,
      rows: rows.slice(request.offset, request.offset + request.limit)
    };
  }
}

/** A view that keeps what it is given and shown, to see the result view's side of the contract. */
class KeptView extends Widget implements IInvestigationViewWidget {
  constructor(readonly options: IInvestigationViewOptions) {
    super();
  }

  selection: ReadonlySet<number> = new Set();

  setSelection(rows: ReadonlySet<number>): void {
    this.selection = rows;
  }

  toSvg(): string {
    return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>';
  }
}

const icon = new LabIcon({
  name: 'jupyterlab-sentinel:test-kept-view',
  svgstr: '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
});

const keptFactory: IInvestigationViewFactory = {
  id: 'kept',
  icon,
  label: () => 'Kept',
  unavailable: (columns, trans) =>
    columns.some(c => c.name === 'Account')
      ? null
      : trans.__('Needs an Account column.'),
  create: async options => new KeptView(options)
};

const processTreeLike: IInvestigationViewFactory = {
  ...keptFactory,
  id: 'tree',
  label: () => 'Tree',
  unavailable: () => 'Needs process columns: ProcessId.'
};

/** A code cell showing the four rows' result, attached to the page. */
async function resultCell(
  metadata: ReadonlyJSONObject | null = null,
  viewRowLimit?: number
): Promise<{ cell: CodeCell; view: ResultView; pages: Pages }> {
  const views = new InvestigationViews();
  views.add(timelineViewFactory);
  views.add(keptFactory);
  views.add(processTreeLike);
  const pages = new Pages();
  let view: ResultView | null = null;
  let cell: CodeCell | null = null;
  const rendermime = defaultRenderMime();
  rendermime.addFactory(
    {
      safe: true,
      mimeTypes: [RESULT_MIME_TYPE],
      createRenderer: options => {
        view = new ResultView({
          pages,
          resolver: options.resolver,
          trans: nullTranslator.load('jupyterlab_sentinel'),
          copy: () => undefined,
          views,
          translator: nullTranslator,
          cellOf: widget =>
            cell && cell.node.contains(widget.node) ? cell.model : null,
          viewRowLimit:
            viewRowLimit === undefined ? undefined : () => viewRowLimit
        });
        return view;
      }
    },
    0
  );
  const model = new CodeCellModel();
  if (metadata) {
    model.setMetadata('sentinel', metadata);
  }
  model.outputs.add(
    resultOutput({
      file: 'results/story.parquet',
      path: 'results/story.parquet',
      variable: 'story_df',
      columns: COLUMNS,
      rowCount: ROWS.length,
      elapsedMs: 1,
      query: 'union SigninLogs, OfficeActivity, DeviceProcessEvents',
      workspace: { backend: 'local', id: 'demo', name: 'Demo' },
      timespan: null,
      ranAt: new Date('2026-11-30T00:00:00Z'),
      render: null,
      summary: '4 rows from Demo'
    })
  );
  cell = new CodeCell({
    model,
    rendermime,
    contentFactory: NBTestUtils.createCodeCellFactory(),
    placeholder: false
  }).initializeState();
  Widget.attach(cell, document.body);
  for (let i = 0; i < 100 && !(view as ResultView | null)?.model; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
  return { cell, view: view!, pages };
}

/** Resolves once `check` holds, or fails after a hundred turns of the event loop. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
  expect(check()).toBe(true);
}

describe('investigation views in a result', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('offers the grid and each view, disabled with its reason when it cannot draw the result', async () => {
    const { cell, view } = await resultCell();
    const buttons = [
      ...view.node.querySelectorAll<HTMLButtonElement>(
        '.jp-SentinelResult-views button'
      )
    ];
    expect(buttons.map(b => b.dataset.view)).toEqual([
      'grid',
      'timeline',
      'kept',
      'tree'
    ]);
    expect(buttons[0].getAttribute('aria-pressed')).toBe('true');
    expect(buttons[3].getAttribute('aria-disabled')).toBe('true');
    expect(buttons[3].title).toBe('Needs process columns: ProcessId.');
    expect(await view.showView('tree')).toBe(false);
    expect(view.activeView).toBeNull();
    cell.dispose();
  });

  it('gives a view the grid’s rows, remembers the choice in the cell and shares the selection', async () => {
    const { cell, view } = await resultCell({ kql: true });
    expect(await view.showView('kept')).toBe(true);
    const kept = view.view as KeptView;
    expect(kept).toBeInstanceOf(KeptView);
    expect(kept.options.rows).toEqual(
      ROWS.map(([TimeGenerated, Type, Account]) => ({
        TimeGenerated,
        Type,
        Account
      }))
    );
    expect(cell.model.getMetadata('sentinel')).toEqual({
      kql: true,
      views: { 0: { active: 'kept', config: {} } }
    });
    // Export buttons come with a view.
    expect(
      view.node.querySelector('[aria-label="Export the view as SVG"]')
    ).not.toBeNull();

    // Selected in the view: selected in the grid, which the bookmark dialog reads.
    kept.options.onSelectRows([1, 2]);
    const picked = await view.selectedRows(10);
    expect(picked?.selected).toBe(true);
    expect(picked?.rows.map(r => r.Type)).toEqual([
      'OfficeActivity',
      'OfficeActivity'
    ]);
    // Selected in the grid: shown as selected in the view.
    view.grid!.selectionModel!.select({
      r1: 3,
      c1: 0,
      r2: 3,
      c2: 2,
      cursorRow: 3,
      cursorColumn: 0,
      clear: 'all'
    });
    expect([...kept.selection]).toEqual([3]);

    // A view's settings are kept per view.
    kept.options.onConfigChanged({ lane: 'Account' });
    expect(cell.model.getMetadata('sentinel')).toEqual({
      kql: true,
      views: { 0: { active: 'kept', config: { kept: { lane: 'Account' } } } }
    });

    // Back to the grid alone: the view goes, its settings stay.
    expect(await view.showView(null)).toBe(true);
    expect(view.view).toBeNull();
    expect(cell.model.getMetadata('sentinel')).toEqual({
      kql: true,
      views: { 0: { active: null, config: { kept: { lane: 'Account' } } } }
    });
    cell.dispose();
  });

  it('draws the view remembered in the cell when the output is shown again', async () => {
    const { cell, view } = await resultCell({
      kql: true,
      views: {
        0: {
          active: 'timeline',
          config: { timeline: { time: 'TimeGenerated', lane: 'Account' } }
        }
      }
    });
    await until(() => view.view !== null);
    const timeline = view.view as TimelineView;
    expect(timeline).toBeInstanceOf(TimelineView);
    expect(timeline.config).toEqual({ time: 'TimeGenerated', lane: 'Account' });
    expect(timeline.data.laneNames).toEqual([
      'adele.vance@contoso.example',
      'adele.vance'
    ]);
    const svg = timeline.toSvg();
    expect(svg).toContain('>adele.vance@contoso.example</text>');
    cell.dispose();
  });

  it('reads at most the rows the setting allows, and says so on the view', async () => {
    const { cell, view } = await resultCell(null, 2);
    await view.showView('kept');
    expect((view.view as KeptView).options.rows.map(r => r.Type)).toEqual([
      'SigninLogs',
      'OfficeActivity'
    ]);
    expect(
      view.node.querySelector('.jp-SentinelResult-viewNote')?.textContent
    ).toBe('Kept shows the first 2 of 4 rows.');
    cell.dispose();
  });

  it('reads the rows again in the grid’s new order when it is sorted', async () => {
    const { cell, view } = await resultCell();
    await view.showView('kept');
    await view.model!.setView({ column: 'Type', descending: false }, '');
    await until(
      () =>
        (view.view as KeptView | null)?.options.rows[0]?.Type ===
        'DeviceProcessEvents'
    );
    cell.dispose();
  });
});
