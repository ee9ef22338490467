import { expect, test } from '@jupyterlab/galata';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const QUERY =
  'SigninLogs | where ResultType != "0" | summarize Accounts = dcount(UserPrincipalName) by IPAddress | top 3 by Accounts';

test('Run All waits for a KQL cell’s DataFrame before the cells after it', async ({
  page
}) => {
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await page.notebook.createNew('run-all.ipynb');
  await expect(
    page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')
  ).toHaveAttribute('data-status', 'idle', { timeout: 120_000 });
  await page.notebook.setCell(0, 'code', 'import time');
  await page.evaluate(
    query =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', { query }),
    QUERY
  );
  await page.notebook.addCell('code', 'print("rows", len(signinlogs_df))');

  await page.evaluate(() =>
    window.jupyterapp.commands.execute('notebook:run-all-cells')
  );

  const last = page.locator('.jp-Notebook .jp-Cell').last();
  await expect(last.locator('.jp-OutputArea-output')).toContainText('rows 3', {
    timeout: 120_000
  });
  await expect(last.locator('.jp-OutputArea-output')).not.toContainText(
    'NameError'
  );
});
