import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { insertKql, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
// Its kernels mock reads every answer as JSON, and a kernel interrupt answers 204 with no body.
test.use({ mockState: false, kernels: null });

/** A query that runs for as long as the server lets it on the demo workspace: a 10^12-row join. */
const ENDLESS =
  'range a from 1 to 1000000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 1000000 step 1 | extend k = 1) on k | summarize count()';

/** The ways a user stops a notebook, each as a user does it. */
const WAYS: {
  name: string;
  stop: (page: Page) => Promise<void>;
  /** False when the notebook has no kernel afterwards. */
  kernelAfter?: false;
}[] = [
  {
    name: 'the notebook toolbar’s stop button',
    stop: async page => {
      await page
        .locator(
          '.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"] button'
        )
        .click();
    }
  },
  {
    name: 'I, I',
    stop: async page => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('i');
      await page.keyboard.press('i');
    }
  },
  {
    name: 'Kernel ▸ Interrupt Kernel',
    stop: page => page.menu.clickMenuItem('Kernel>Interrupt Kernel')
  },
  {
    name: 'Kernel ▸ Restart Kernel…',
    stop: async page => {
      await page.menu.clickMenuItem('Kernel>Restart Kernel…');
      await page.locator('.jp-Dialog .jp-mod-accept').click();
    }
  },
  {
    name: 'Kernel ▸ Shut Down Kernel',
    stop: page => page.menu.clickMenuItem('Kernel>Shut Down Kernel'),
    kernelAfter: false
  }
];

/** Starts the endless query in a new notebook's KQL cell with Shift+Enter; answers its id and cell. */
async function startEndless(
  page: Page,
  name: string
): Promise<{ queryId: string; cell: Locator }> {
  await page.notebook.createNew(name);
  await kernelIdle(page);
  await page.notebook.selectCells(0);
  const cell = await insertKql(page, 1, ENDLESS);
  const exported = page.waitForRequest(
    r =>
      r.method() === 'POST' &&
      /\/sentinel\/api\/workspaces\/[^/]+\/export/.test(r.url())
  );
  // Shift+Enter, as an analyst runs a cell: the focus leaves the KQL cell and its toolbar.
  await page.keyboard.press('Shift+Enter');
  const queryId = ((await exported).postDataJSON() as { queryId: string })
    .queryId;
  await expect(cell.locator('.jp-OutputArea-output')).toContainText(
    'Running on Demo'
  );
  await expect
    .poll(() => runningOnServer(page), { timeout: 30_000 })
    .toContain(queryId);
  return { queryId, cell };
}

/** Ids of the queries the server is running now. */
async function runningOnServer(page: Page): Promise<string[]> {
  const response = await page.request.get('/sentinel/api/queries');
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { queries: { queryId: string }[] };
  return body.queries.map(q => q.queryId);
}

test.describe('Stopping a notebook stops its KQL queries', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  for (const [index, way] of WAYS.entries()) {
    test(`with ${way.name}`, async ({ page }) => {
      const { queryId, cell } = await startEndless(page, `stop-${index}.ipynb`);
      const output = cell.locator('.jp-OutputArea-output');

      await way.stop(page);

      await expect(output).toHaveText('The query was cancelled.', {
        timeout: 30_000
      });
      // The server's query ended: the server no longer runs it.
      await expect
        .poll(() => runningOnServer(page), { timeout: 10_000 })
        .not.toContain(queryId);

      if (way.kernelAfter === false) {
        return;
      }
      // The notebook works on: the next query runs and its result is loaded.
      await kernelIdle(page);
      await page.notebook.selectCells(1);
      await page.evaluate(() => {
        const panel = window.jupyterapp.shell.currentWidget as unknown as {
          content: {
            activeCell: {
              model: { sharedModel: { setSource(s: string): void } };
            };
          };
        };
        panel.content.activeCell.model.sharedModel.setSource(
          'range n from 1 to 4 step 1'
        );
      });
      await cell
        .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
        .click();
      await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
        '4 rows from Demo',
        { timeout: 60_000 }
      );
    });
  }

  test('when the notebook is closed', async ({ page }) => {
    const { queryId } = await startEndless(page, 'stop-closed.ipynb');
    await page.notebook.close(true);
    await expect
      .poll(() => runningOnServer(page), { timeout: 10_000 })
      .not.toContain(queryId);
  });
});
