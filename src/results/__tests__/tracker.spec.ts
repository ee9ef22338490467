/**
 * The tracker of result views: a cell's view is the one inside that cell's output area, found
 * through the widget tree, and the rows read for a cell are that view's.
 */
import { CodeCell, CodeCellModel } from '@jupyterlab/cells';
import { NBTestUtils } from '@jupyterlab/cells/lib/testutils';
import { defaultRenderMime } from '@jupyterlab/rendermime/lib/testutils';
import { nullTranslator } from '@jupyterlab/translation';
import { resultOutput } from '../output';
import type { IPageRequest, IResultPage, IResultPages } from '../server';
import { RESULT_MIME_TYPE } from '../tokens';
import { ResultTracker } from '../tracker';
import { ResultView } from '../widget';

/** Answers every page with the rows of the query named by the result file. */
class Pages implements IResultPages {
  csvUrl(request: IPageRequest): string {
    return `csv?path=${request.path}`;
  }

  async page(request: IPageRequest): Promise<IResultPage> {
    return {
      columns: [{ name: 'file', type: 'string' }],
      totalRows: 1,
      rowCount: 1,
      offset: request.offset,
      rows: [[request.path]]
    };
  }
}

/** A code cell showing the saved result `file`, in a view that `views` tracks. */
function resultCell(views: ResultTracker, file: string): CodeCell {
  const rendermime = defaultRenderMime();
  rendermime.addFactory(
    {
      safe: true,
      mimeTypes: [RESULT_MIME_TYPE],
      createRenderer: options => {
        const view = new ResultView({
          pages: new Pages(),
          resolver: options.resolver,
          trans: nullTranslator.load('jupyterlab_sentinel'),
          copy: () => undefined,
          views: null,
          translator: nullTranslator,
          cellOf: () => null
        });
        void views.add(view);
        return view;
      }
    },
    0
  );
  const model = new CodeCellModel();
  model.outputs.add(
    resultOutput({
      file,
      path: file,
      variable: 'df',
      columns: [{ name: 'file', type: 'string' }],
      rowCount: 1,
      elapsedMs: 1,
      query: `T | where file == '${file}'`,
      workspace: { backend: 'local', id: 'demo', name: 'Demo' },
      timespan: null,
      ranAt: new Date('2026-10-02T00:00:00Z'),
      render: null,
      summary: '1 row from Demo'
    })
  );
  return new CodeCell({
    model,
    rendermime,
    contentFactory: NBTestUtils.createCodeCellFactory(),
    // Rendered, as a notebook renders the cells it shows: a placeholder has no output area yet.
    placeholder: false
  }).initializeState();
}

/** Resolves once the cell's view has its data model (the result file is resolved). */
async function rendered(views: ResultTracker, cell: CodeCell): Promise<void> {
  for (let i = 0; i < 100 && !views.viewOf(cell)?.model; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('ResultTracker', () => {
  it('finds the view inside each cell, and reads the rows of that one', async () => {
    const views = new ResultTracker({
      namespace: 'test-results',
      notebooks: null
    });
    const first = resultCell(views, 'results/first.parquet');
    const second = resultCell(views, 'results/second.parquet');
    const empty = new CodeCell({
      model: new CodeCellModel(),
      rendermime: defaultRenderMime(),
      contentFactory: NBTestUtils.createCodeCellFactory(),
      placeholder: false
    }).initializeState();
    await rendered(views, first);
    await rendered(views, second);

    expect(views.size).toBe(2);
    const firstView = views.viewOf(first);
    const secondView = views.viewOf(second);
    expect(firstView).toBeInstanceOf(ResultView);
    expect(secondView).toBeInstanceOf(ResultView);
    expect(firstView).not.toBe(secondView);
    expect(first.outputArea.node.contains(firstView!.node)).toBe(true);
    expect(views.viewOf(empty)).toBeNull();

    const rows = await views.rowsOf(second, 10);
    expect(rows?.query).toBe("T | where file == 'results/second.parquet'");
    expect(rows?.rows).toEqual([{ file: 'results/second.parquet' }]);
    expect(rows?.selected).toBe(false);
    expect(await views.rowsOf(empty)).toBeNull();
    // Without a cell the notebooks' active cell is read: there are none here.
    expect(await views.rowsOf()).toBeNull();

    first.dispose();
    expect(views.size).toBe(1);
    views.dispose();
    second.dispose();
    empty.dispose();
  });
});
