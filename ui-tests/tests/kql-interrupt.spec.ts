import { expect, test } from '@jupyterlab/galata';
import type { Page, Request } from '@playwright/test';
import { insertKql, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
// Its kernels mock reads every answer as JSON, and a kernel interrupt answers 204 with no body.
test.use({ mockState: false, kernels: null });

/** A query that runs for as long as the server lets it on the demo workspace: a 10^12-row join. */
const ENDLESS =
  'range a from 1 to 1000000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 1000000 step 1 | extend k = 1) on k | summarize count()';

/** The ways a user stops a notebook, each as a user does it. */
const WAYS: { name: string; stop: (page: Page) => Promise<void> }[] = [
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
  }
];

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
      await page.notebook.createNew(`stop-${index}.ipynb`);
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
      const request: Request = await exported;
      const queryId = (request.postDataJSON() as { queryId: string }).queryId;
      const output = cell.locator('.jp-OutputArea-output');
      await expect(output).toContainText('Running on Demo');
      await expect
        .poll(() => runningOnServer(page), { timeout: 30_000 })
        .toContain(queryId);

      await way.stop(page);

      await expect(output).toHaveText('The query was cancelled.', {
        timeout: 30_000
      });
      // The server's query ended: its request is answered and the server no longer runs it.
      const response = await request.response();
      if (response) {
        expect(((await response.json()) as { reason?: string }).reason).toBe(
          'cancelled'
        );
      }
      await expect
        .poll(() => runningOnServer(page), { timeout: 10_000 })
        .not.toContain(queryId);

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
});
