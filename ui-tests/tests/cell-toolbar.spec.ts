import { expect, test } from '@jupyterlab/galata';
import { insertKql, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

test.describe('KQL cell toolbar', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('names the DataFrame and applies the time range', async ({ page }) => {
    await page.notebook.createNew('toolbar.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await insertKql(
      page,
      1,
      'SigninLogs\n| summarize n = count()'
    );
    const toolbar = cell.locator('.jp-cell-toolbar');
    const bar = cell.locator('.jp-SentinelKqlQueryBar');
    const variable = bar.getByLabel('DataFrame variable');
    // The bar names the workspace the notebook's queries run on.
    await expect(bar).toContainText('on Demo (synthetic)');
    await expect(variable).toHaveAttribute('placeholder', 'signinlogs_df');

    // A name that is not a Python identifier is refused and not stored.
    await variable.fill('2 signins');
    await variable.press('Enter');
    await expect(variable).toHaveClass(/jp-mod-invalid/);
    await variable.fill('signins');
    await variable.press('Enter');
    await expect(variable).not.toHaveClass(/jp-mod-invalid/);

    const run = toolbar.locator('[data-command="sentinel:run-kql-cell"]');
    await run.click();
    const footer = cell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText(
      /saved as results\/toolbar-[0-9a-f]{6}\/signins\.parquet/,
      {
        timeout: 120_000
      }
    );
    await kernelIdle(page);
    await page.notebook.addCell(
      'code',
      'total = int(signins.n[0]); print(total > 0)'
    );
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['True\n']);

    // The last 7 days of a month of sign-ins: fewer rows reach the query.
    await page.notebook.selectCells(1);
    await bar.getByLabel('Time range').selectOption('P7D');
    await run.click();
    await expect(footer).toContainText(
      /saved as results\/toolbar-[0-9a-f]{6}\/signins\.parquet/,
      {
        timeout: 120_000
      }
    );
    await kernelIdle(page);
    await page.notebook.addCell(
      'code',
      'week = int(signins.n[0]); print(0 < week < total)'
    );
    await page.notebook.runCell(4, true);
    expect(await page.notebook.getCellTextOutput(4)).toEqual(['True\n']);
    const metadata = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          widgets: { model: { getMetadata(key: string): unknown } }[];
        };
      };
      return panel.content.widgets[1].model.getMetadata('sentinel');
    });
    expect(metadata).toEqual({
      kql: true,
      variable: 'signins',
      timeRange: 'P7D',
      // A scheduled job runs the SQL again over the last 7 days before its own time.
      job: expect.objectContaining({
        backend: 'local',
        workspace: 'demo',
        timeRange: 'P7D'
      })
    });
  });

  test('shows the time running and cancels the query', async ({ page }) => {
    await page.notebook.createNew('cancel.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await insertKql(
      page,
      1,
      'range x from 1 to 20000000000 step 1\n| summarize sum(x % 7)'
    );
    await cell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    const output = cell.locator('.jp-OutputArea-output');
    await expect(output).toContainText(
      /Running on Demo \(synthetic\)… \d+\.\d s/,
      {
        timeout: 60_000
      }
    );
    const cancel = cell.locator(
      '.jp-cell-toolbar [data-command="sentinel:cancel-kql-cell"]'
    );
    await expect(cancel).toBeVisible();
    await cancel.click();
    await expect(output).toContainText('The query was cancelled.', {
      timeout: 30_000
    });
    await expect(cancel).toBeHidden();
    // No result cell was added.
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(2);
  });
});
