import { expect, test } from '@jupyterlab/galata';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

test('the schema’s starter query finds the demo’s last day', async ({
  page
}) => {
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await page.notebook.createNew('last-day.ipynb');
  await kernelIdle(page);
  await page.sidebar.openTab('jp-sentinel-sidebar');
  await page
    .locator(
      '.jp-SentinelSchema-table[aria-label="SigninLogs"] .jp-SentinelSchema-row'
    )
    .dblclick();
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
  await expect(cell).toHaveClass(/jp-SentinelKqlCell/);
  await expect(cell.locator('.cm-content')).toContainText('ago(1d)');

  await cell
    .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
    .click();

  // `ago(1d)` finds the demo's sign-ins: the data set ends in the current hour, however long ago
  // it was generated.
  await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
    '100 rows from Demo',
    { timeout: 120_000 }
  );
});
