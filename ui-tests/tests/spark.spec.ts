/**
 * A Spark workspace end to end, against a real local Spark Connect server with the demo loaded
 * (`spark_server.py`, started by playwright.config.js when SENTINEL_SPARK is set): the sidebar,
 * KQL cells compiled to Spark SQL, the grid's pages, pandas and Spark DataFrames in the kernel,
 * cancel, and bookmarks in the workspace's local store.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { randomUUID } from 'crypto';
import { cellRan, kernelIdle, runKql, selectGridRows } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
// Its kernels mock reads every answer as JSON, and a kernel interrupt answers 204 with no body.
test.use({ mockState: false, kernels: null });

test.skip(
  !process.env.SENTINEL_SPARK,
  'needs a local Spark Connect server: set SENTINEL_SPARK=1 (make ui-test does when Java is installed)'
);

const ROWS =
  'SigninLogs | project TimeGenerated, UserPrincipalName, IPAddress, ResultType | order by TimeGenerated asc | take 1000';
const SPRAY =
  'SigninLogs | where ResultType == "50126" | summarize Failures = count() by IPAddress, UserPrincipalName | order by Failures desc';
/** A join of billions of rows: Spark runs it for minutes, unless interrupted. */
const ENDLESS =
  'SecurityEvent | join kind=inner (SecurityEvent | project EventID) on EventID | summarize count()';

/** The sidebar's entry of a workspace, by its exact name. */
function workspaceItem(page: Page, name: string): Locator {
  return page.locator('#jp-sentinel-sidebar .jp-SentinelWorkspaces-item', {
    has: page.locator('.jp-SentinelWorkspaces-name', {
      hasText: new RegExp(`^${name}$`)
    })
  });
}

/** Makes the Spark workspace Lake the active one, once its schema shows. */
async function useLake(page: Page): Promise<void> {
  await page.sidebar.openTab('jp-sentinel-sidebar');
  await workspaceItem(page, 'Lake').click();
  await expect(workspaceItem(page, 'Lake')).toHaveClass(/jp-mod-active/);
  await expect(
    page.locator('.jp-SentinelSchema-table[aria-label="SigninLogs"]')
  ).toBeVisible({ timeout: 120_000 });
}

/** The execution count of the current notebook's cell at `index`, or null. */
function executionCount(page: Page, index: number): Promise<number | null> {
  return page.evaluate(index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: { widgets: { model: { executionCount?: number | null } }[] };
    };
    return panel.content.widgets[index]?.model.executionCount ?? null;
  }, index);
}

/** The source of the current notebook's cell at `index`. */
function sourceOf(page: Page, index: number): Promise<string> {
  return page.evaluate(index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        widgets: { model: { sharedModel: { getSource(): string } } }[];
      };
    };
    return panel.content.widgets[index].model.sharedModel.getSource();
  }, index);
}

/** Ids of the queries the server is running now. */
async function runningOnServer(page: Page): Promise<string[]> {
  const response = await page.request.get('/sentinel/api/queries');
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { queries: { queryId: string }[] };
  return body.queries.map(q => q.queryId);
}

test.describe('A Spark workspace', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('lists beside the local ones with its schema; an unreachable one says why', async ({
    page
  }) => {
    await page.notebook.createNew('spark-schema.ipynb');
    await page.sidebar.openTab('jp-sentinel-sidebar');
    await expect(
      workspaceItem(page, 'Lake').locator('.jp-SentinelWorkspaces-engine')
    ).toHaveText('Spark');
    await expect(workspaceItem(page, 'Demo \\(synthetic\\)')).toBeVisible();
    await expect(
      workspaceItem(page, 'Lake offline').locator(
        '.jp-SentinelWorkspaces-status'
      )
    ).toContainText('cannot be reached');

    await useLake(page);
    // Schema from Spark's catalog, with the row counts of its statistics.
    const signins = page.locator(
      '.jp-SentinelSchema-table[aria-label="SigninLogs"]'
    );
    await signins.locator('.jp-SentinelSchema-row').hover();
    await page
      .getByRole('button', { name: 'Insert a KQL cell querying SigninLogs' })
      .click();
    const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await expect(cell).toHaveClass(/jp-SentinelKqlCell/);
    expect(await sourceOf(page, 1)).toMatch(/^SigninLogs\n/);
  });

  test('runs a KQL cell on Spark: grid pages, pandas, then a Spark DataFrame', async ({
    page
  }) => {
    await page.notebook.createNew('spark-cells.ipynb');
    await kernelIdle(page);
    await useLake(page);
    await page.notebook.selectCells(0);
    const kqlCell = await runKql(page, 1, ROWS);
    const footer = kqlCell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText(/1,?000 rows from Lake/, {
      timeout: 120_000
    });

    // The grid reads its rows from the server a page at a time: scrolling down asks for more.
    const grid = kqlCell.locator('.jp-SentinelResult-grid');
    const later = page.waitForRequest(
      r =>
        r.url().includes('/sentinel/api/results?') &&
        Number(new URL(r.url()).searchParams.get('offset')) > 0
    );
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 24 * 900);
    await later;

    // The kernel has the result as pandas.
    await cellRan(page, 2);
    await page.notebook.addCell(
      'code',
      'print(type(signinlogs_df).__module__.split(".")[0], len(signinlogs_df))'
    );
    await page.notebook.runCell(3, true);
    expect((await page.notebook.getCellTextOutput(3))?.join('')).toContain(
      'pandas 1000'
    );

    // A Spark DataFrame instead: the query bar's choice, on a Spark workspace only.
    const before = (await executionCount(page, 2)) ?? 0;
    await kqlCell
      .getByRole('combobox', { name: 'DataFrame kind' })
      .selectOption('spark');
    await page.notebook.selectCells(1);
    await kqlCell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect
      .poll(() => executionCount(page, 2), { timeout: 120_000 })
      .toBeGreaterThan(before);
    await kernelIdle(page);
    const linked = await sourceOf(page, 2);
    expect(linked).toContain('signinlogs_df = spark_sql("lake", ');
    // The notebook names the workspace, never its URL or token.
    expect(linked).not.toContain('sc://');
    expect(linked).not.toContain('token');
    await page.notebook.setCell(
      3,
      'code',
      'print(type(signinlogs_df).__module__, signinlogs_df.count())'
    );
    await page.notebook.runCell(3, true);
    expect((await page.notebook.getCellTextOutput(3))?.join('')).toContain(
      'pyspark.sql.connect.dataframe 1000'
    );
  });

  test('cancels a long Spark query from the notebook toolbar', async ({
    page
  }) => {
    await page.notebook.createNew('spark-cancel.ipynb');
    await kernelIdle(page);
    await useLake(page);
    await page.notebook.selectCells(0);
    const exported = page.waitForRequest(
      r =>
        r.method() === 'POST' &&
        r.url().includes('/sentinel/api/workspaces/lake/export')
    );
    const cell = await runKql(page, 1, ENDLESS);
    const queryId = ((await exported).postDataJSON() as { queryId: string })
      .queryId;
    const output = cell.locator('.jp-OutputArea-output');
    await expect(output).toContainText('Running on Lake');
    await expect
      .poll(() => runningOnServer(page), { timeout: 60_000 })
      .toContain(queryId);

    await page
      .locator(
        '.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"] button'
      )
      .click();

    await expect(output).toHaveText('The query was cancelled.', {
      timeout: 60_000
    });
    await expect
      .poll(() => runningOnServer(page), { timeout: 30_000 })
      .not.toContain(queryId);
  });

  test('keeps a bookmark of selected rows in the workspace’s store, listed after a reload', async ({
    page
  }) => {
    const name = `Spark spray ${randomUUID().slice(0, 8)}`;
    await page.notebook.createNew('spark-bookmark.ipynb');
    await kernelIdle(page);
    await useLake(page);
    await page.notebook.selectCells(0);
    const cell = await runKql(page, 1, SPRAY);
    await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
      /rows? from Lake/,
      { timeout: 120_000 }
    );
    await cellRan(page, 2);
    await page.notebook.selectCells(1);
    const first = await selectGridRows(page, cell, 0, 1);
    await page.mouse.click(first.x, first.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Create Bookmark…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('2 rows are stored with the bookmark.');
    await dialog.locator('input[name="displayName"]').fill(name);
    await dialog.getByRole('button', { name: 'Create Bookmark' }).click();
    await expect(dialog).toHaveCount(0);

    const listed = (p: Page) =>
      p
        .locator('#jp-sentinel-sidebar')
        .getByRole('listbox', { name: 'Bookmarks' })
        .getByRole('option', { name, exact: true });
    await expect(listed(page)).toBeVisible({ timeout: 30_000 });
    // In Lake's store, not the demo's.
    const lake = await page.request.get(
      '/sentinel/api/workspaces/lake/bookmarks'
    );
    expect(
      (
        (await lake.json()) as { bookmarks: { displayName: string }[] }
      ).bookmarks.map(b => b.displayName)
    ).toContain(name);
    const demo = await page.request.get(
      '/sentinel/api/workspaces/demo/bookmarks'
    );
    expect(
      (
        (await demo.json()) as { bookmarks: { displayName: string }[] }
      ).bookmarks.map(b => b.displayName)
    ).not.toContain(name);

    // The restored layout shows the notebook again, not the Launcher Galata waits for by default.
    await page.notebook.save();
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.notebook.isOpen('spark-bookmark.ipynb'), {
        timeout: 30_000
      })
      .toBe(true);
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
    await useLake(page);
    await expect(listed(page)).toBeVisible({ timeout: 30_000 });
  });
});
