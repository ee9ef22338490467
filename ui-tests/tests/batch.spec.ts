import { expect, test } from '@jupyterlab/galata';
import { cellRan, kernelIdle, runKql } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const BATCH = 'SigninLogs | count; SigninLogs | take 5';

test.describe('A KQL cell of several statements', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('gives one DataFrame and one grid per result table, and re-runs from its saved results', async ({
    page
  }) => {
    await page.notebook.createNew('batch.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKql(page, 1, BATCH);

    // One grid per tabular statement, in the order of the text, each saying which it is.
    const footers = cell.locator('.jp-SentinelResult-footer');
    await expect(footers).toHaveCount(2, { timeout: 120_000 });
    await expect(footers.nth(0)).toContainText(
      'Table 1 of 2: PrimaryResult · 1 row from Demo'
    );
    await expect(footers.nth(0)).toContainText('→ signinlogs_df');
    await expect(footers.nth(1)).toContainText(
      'Table 2 of 2: Table_1 · 5 rows from Demo'
    );
    await expect(footers.nth(1)).toContainText('→ signinlogs_df_table_1');
    await expect(cell.locator('.jp-SentinelResult-grid')).toHaveCount(2);
    for (const grid of await cell.locator('.jp-SentinelResult-grid').all()) {
      await expect(grid).toBeVisible();
    }

    // Both DataFrames are in the kernel, loaded by the one cell below the KQL cell.
    await cellRan(page, 2);
    const check =
      'print(len(signinlogs_df), len(signinlogs_df_table_1), int(signinlogs_df["Count"][0]) > 5)';
    await page.notebook.addCell('code', check);
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['1 5 True\n']);
    await page.notebook.save();

    // After a reload both grids show again from the saved files.
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.notebook.isOpen('batch.ipynb'), { timeout: 30_000 })
      .toBe(true);
    const reopened = page.locator('.jp-Notebook .jp-Cell').nth(1);
    const restored = reopened.locator('.jp-SentinelResult-footer');
    await expect(restored).toHaveCount(2, { timeout: 60_000 });
    await expect(restored.nth(1)).toContainText('5 rows from Demo');
    await kernelIdle(page);

    // In the reloaded page's new kernel, without the KQL running again: the DataFrames come
    // back from the saved results alone.
    await page.notebook.setCell(
      3,
      'code',
      'print("signinlogs_df_table_1" in dir())'
    );
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['False\n']);
    await page.notebook.runCell(2, true);
    await page.notebook.setCell(3, 'code', check);
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['1 5 True\n']);
  });
});
