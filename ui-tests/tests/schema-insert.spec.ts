import { expect, test } from '@jupyterlab/galata';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

test('double-clicking a table inserts a KQL cell with a starter query', async ({
  page
}) => {
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await page.notebook.createNew('starter.ipynb');
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const table = page.locator(
    '.jp-SentinelSchema-table[aria-label="SigninLogs"] .jp-SentinelSchema-row'
  );
  await table.dblclick();

  const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
  await expect(cell).toHaveClass(/jp-SentinelKqlCell/);
  const source = await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        widgets: { model: { sharedModel: { getSource(): string } } }[];
      };
    };
    return panel.content.widgets[1].model.sharedModel.getSource();
  });
  expect(source).toBe(
    'SigninLogs\n| where TimeGenerated > ago(1d)\n| take 100'
  );

  // The table's button does the same (it shows on hover).
  await page
    .locator(
      '.jp-SentinelSchema-table[aria-label="AuditLogs"] .jp-SentinelSchema-row'
    )
    .hover();
  await page
    .getByRole('button', { name: 'Insert a KQL cell querying AuditLogs' })
    .click();
  await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(3);

  // A column's name goes to the active cell's cursor.
  await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        activeCell: {
          model: { sharedModel: { setSource(s: string): void } };
          editor: {
            setCursorPosition(p: { line: number; column: number }): void;
          };
        };
      };
    };
    const cell = panel.content.activeCell;
    cell.model.sharedModel.setSource('AuditLogs\n| project ');
    cell.editor.setCursorPosition({ line: 1, column: 10 });
  });
  await table.click();
  await page
    .locator('.jp-SentinelSchema-column[aria-label="IPAddress string"]')
    .dblclick();
  const edited = await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        activeCell: { model: { sharedModel: { getSource(): string } } };
      };
    };
    return panel.content.activeCell.model.sharedModel.getSource();
  });
  expect(edited).toBe('AuditLogs\n| project IPAddress');
});
