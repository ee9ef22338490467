/**
 * A KQL cell whose query runs past its time limit ends with the time-limit message in the cell,
 * and the server runs it once: the server answers a status no browser resends (a 408 made
 * chromium resend the request silently, so the query ran again and again and the cell never
 * ended).
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { kernelIdle, runKql } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/** Slow on any data: counts a hundred billion generated rows. */
const SLOW = 'range x from 1 to 100000000000 step 1 | summarize n = count()';

/** The limit this spec asks for. A KQL cell sends none (the server's default of 60 s applies):
 * the spec sets it in the cell's request, as a client of the REST API may. */
const LIMIT_SECONDS = 2;

/** The server's count of queries started and the queries running now (`GET queries`). */
async function serverQueries(
  page: Page
): Promise<{ started: number; queries: { queryId: string }[] }> {
  const response = await page.request.get('/sentinel/api/queries');
  expect(response.ok()).toBe(true);
  return response.json();
}

test.describe('Query time limits', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('a query past its time limit ends in the cell with the limit, run once', async ({
    page
  }) => {
    let requests = 0;
    // The client adds a cache-busting query string: match the path only.
    const exportPath = /\/sentinel\/api\/workspaces\/[^/]+\/export$/;
    await page.route(
      url => exportPath.test(url.pathname),
      async route => {
        requests += 1;
        const body = JSON.parse(route.request().postData() ?? '{}');
        await route.continue({
          postData: JSON.stringify({ ...body, timeoutSeconds: LIMIT_SECONDS })
        });
      }
    );
    await page.notebook.createNew('limits.ipynb');
    await kernelIdle(page);
    const before = await serverQueries(page);

    const cell = await runKql(page, 1, SLOW);
    const output = cell.locator('.jp-OutputArea-output');
    await expect(output).toContainText(
      `The query ran past its time limit of ${LIMIT_SECONDS} s`,
      { timeout: 60_000 }
    );
    // The query has ended in the server, and ran once.
    const after = await serverQueries(page);
    expect(after.queries).toEqual([]);
    expect(after.started).toBe(before.started + 1);
    expect(requests).toBe(1);
  });
});
