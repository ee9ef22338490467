import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { kernelIdle, runKql, selectGridRows } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const PER_ACCOUNT =
  'SigninLogs | summarize Attempts = count() by UserPrincipalName | order by UserPrincipalName asc';

/** The heights of a result grid, its scrolling viewport and where its footer starts. */
async function gridGeometry(cell: Locator): Promise<{
  grid: number;
  viewport: number;
  gridBottom: number;
  footerTop: number;
}> {
  return cell.locator('.jp-SentinelResult').evaluate(view => {
    const grid = view.querySelector('.jp-SentinelResult-grid')!;
    const viewport = grid.querySelector('.lm-DataGrid-viewport')!;
    const footer = view.querySelector('.jp-SentinelResult-footer')!;
    return {
      grid: grid.getBoundingClientRect().height,
      viewport: viewport.getBoundingClientRect().height,
      gridBottom: grid.getBoundingClientRect().bottom,
      footerTop: footer.getBoundingClientRect().top
    };
  });
}

/** Text the page put on the clipboard through a `copy` event or the asynchronous clipboard API. */
async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

test.describe('Result grid after a reload', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('a saved grid is sized, selectable, copied and bookmarked like a fresh one', async ({
    page,
    context
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.notebook.createNew('reopened.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const fresh = await runKql(page, 1, PER_ACCOUNT);
    await expect(fresh.locator('.jp-SentinelResult-footer')).toContainText(
      /\d+ rows from Demo/,
      { timeout: 120_000 }
    );
    await kernelIdle(page);
    const before = await gridGeometry(fresh);
    await page.notebook.save();

    // The restored layout shows the notebook again, not the Launcher Galata waits for by default.
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.notebook.isOpen('reopened.ipynb'), { timeout: 30_000 })
      .toBe(true);
    const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    const footer = cell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText(/\d+ rows from Demo/, {
      timeout: 60_000
    });

    // Full height, as when it was made: the viewport fills the grid and the footer sits below it.
    await expect
      .poll(async () => (await gridGeometry(cell)).viewport)
      .toBe(before.viewport);
    const after = await gridGeometry(cell);
    expect(after.grid).toBe(before.grid);
    expect(after.footerTop).toBeGreaterThanOrEqual(after.gridBottom - 1);

    // Rows are selected by a click and a shift-click, though another cell is the active one.
    await page.notebook.selectCells(0);
    await selectGridRows(page, cell, 1, 3);
    // An earlier test may have left the same query's rows on the clipboard: only this copy counts.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('Control+c');
    await expect
      .poll(() => clipboardText(page))
      .toMatch(/^UserPrincipalName\tAttempts\n/);
    const copied = (await clipboardText(page)).trim().split('\n');
    expect(copied).toHaveLength(4);

    // Create Bookmark takes the same rows, from the grid's context menu.
    const first = await selectGridRows(page, cell, 1, 3);
    await page.mouse.click(first.x, first.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Create Bookmark…' }).click();
    const dialog = page.locator('.jp-SentinelBookmarkDialog');
    await expect(dialog).toContainText('3 rows are stored with the bookmark.');
    await expect(dialog).not.toContainText('No row was selected');
    // The rows' accounts are proposed as entities (the proposals fill in after the dialog opens).
    const accounts = copied.slice(1).map(line => line.split('\t')[0]);
    await expect
      .poll(() =>
        dialog
          .getByLabel('Entity value')
          .evaluateAll(inputs => inputs.map(i => (i as HTMLInputElement).value))
      )
      .toEqual(expect.arrayContaining(accounts));
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Cancel' })
      .click();
  });
});
