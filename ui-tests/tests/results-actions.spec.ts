import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { kernelIdle, runKqlToResult, settledBox } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const PER_ACCOUNT =
  'SigninLogs | summarize Attempts = count() by UserPrincipalName | order by UserPrincipalName asc';

/** Width of the grid's row header and height of its column header and rows (src/results/widget.ts). */
const ROW_HEADER = 48;
const HEADER = 26;
const ROW = 24;

/** The KQL cell's result as the bookmark dialog reads it: columns, rows, and the row count. */
async function resultOf(
  page: Page,
  index: number
): Promise<{
  columns: string[];
  rows: Record<string, unknown>[];
  totalRows: number;
}> {
  return page.evaluate(async index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: { widgets: unknown[] };
    };
    const results = (await window.galata.getPlugin(
      'jupyterlab-sentinel:results' as never
    )) as unknown as {
      rowsOf(
        cell: unknown,
        limit: number
      ): Promise<{
        columns: { name: string }[];
        rows: Record<string, unknown>[];
        totalRows: number;
      }>;
    };
    const rows = await results.rowsOf(panel.content.widgets[index], 1000);
    return {
      columns: rows.columns.map(c => c.name),
      rows: rows.rows,
      totalRows: rows.totalRows
    };
  }, index);
}

/** The text of the notebook's cell at `index`. */
async function cellSource(page: Page, index: number): Promise<string> {
  return page.evaluate(index => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        widgets: { model: { sharedModel: { getSource(): string } } }[];
      };
    };
    return panel.content.widgets[index].model.sharedModel.getSource();
  }, index);
}

/** Right-clicks the first column of the grid at `row` (-1: its header) and picks `item`. */
async function menuOnFirstColumn(
  page: Page,
  cell: Locator,
  row: number,
  item: string
): Promise<void> {
  const box = await settledBox(cell.locator('.jp-SentinelResult-grid'));
  const y = row < 0 ? box.y + HEADER / 2 : box.y + HEADER + ROW * row + ROW / 2;
  await page.mouse.click(box.x + ROW_HEADER + 12, y, { button: 'right' });
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** Clicks the grid's first row and answers the header line Ctrl+C copies. */
async function copiedHeader(page: Page, cell: Locator): Promise<string> {
  const box = await settledBox(cell.locator('.jp-SentinelResult-grid'));
  await page.mouse.click(box.x + 20, box.y + HEADER + ROW / 2);
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('Control+c');
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .not.toBe('');
  return (await page.evaluate(() => navigator.clipboard.readText())).split(
    '\n'
  )[0];
}

test.describe('Result grid actions', () => {
  test.beforeEach(async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('a take on SigninLogs shows TimeGenerated among the first columns', async ({
    page
  }) => {
    await page.notebook.createNew('order.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    await runKqlToResult(page, 1, 'SigninLogs | take 5');
    const { columns } = await resultOf(page, 1);
    expect(columns.slice(0, 3)).toEqual([
      'TenantId',
      'SourceSystem',
      'TimeGenerated'
    ]);
  });

  test('include, exclude and copy a value from the context menu', async ({
    page
  }) => {
    await page.notebook.createNew('values.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(page, 1, PER_ACCOUNT);
    const before = await resultOf(page, 1);
    const first = String(before.rows[0].UserPrincipalName);
    const second = String(before.rows[1].UserPrincipalName);

    await menuOnFirstColumn(page, cell, 1, 'Copy Value');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(second);

    // Exclude: the clause is appended to the cell's query, which runs again.
    await menuOnFirstColumn(page, cell, 0, 'Exclude This Value');
    const footer = cell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText(`${before.totalRows - 1} rows from`, {
      timeout: 120_000
    });
    const source = await cellSource(page, 1);
    expect(source).toBe(
      `${PER_ACCOUNT}\n| where UserPrincipalName != "${first}"`
    );
    expect((await resultOf(page, 1)).rows[0].UserPrincipalName).toBe(second);

    // Include: one account left.
    await kernelIdle(page);
    await menuOnFirstColumn(page, cell, 0, 'Include This Value');
    await expect(footer).toContainText('1 row from', { timeout: 120_000 });
    expect(await cellSource(page, 1)).toBe(
      `${PER_ACCOUNT}\n| where UserPrincipalName != "${first}"\n| where UserPrincipalName == "${second}"`
    );
  });

  test('columns are hidden, shown and moved; the whole result is exported as CSV', async ({
    page
  }) => {
    await page.notebook.createNew('columns.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(page, 1, PER_ACCOUNT);
    const { totalRows } = await resultOf(page, 1);
    expect(await copiedHeader(page, cell)).toBe('UserPrincipalName\tAttempts');

    await menuOnFirstColumn(page, cell, -1, 'Hide Column');
    expect(await copiedHeader(page, cell)).toBe('Attempts');
    // The bookmark dialog still gets every column.
    expect((await resultOf(page, 1)).columns).toEqual([
      'UserPrincipalName',
      'Attempts'
    ]);
    await menuOnFirstColumn(page, cell, -1, 'Show All Columns');
    expect(await copiedHeader(page, cell)).toBe('UserPrincipalName\tAttempts');
    await menuOnFirstColumn(page, cell, -1, 'Move Column Right');
    expect(await copiedHeader(page, cell)).toBe('Attempts\tUserPrincipalName');

    // Every row, not only the pages the grid has read.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      cell.getByRole('button', { name: 'Export as CSV' }).click()
    ]);
    expect(download.suggestedFilename()).toBe('signinlogs_df.csv');
    const text = readFileSync((await download.path())!, 'utf-8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('"UserPrincipalName","Attempts"');
    expect(lines).toHaveLength(totalRows + 1);

    // The notebook opens again with the columns as they were left.
    await kernelIdle(page);
    await page.notebook.save();
    await page.notebook.close(true);
    await page.notebook.open('columns.ipynb');
    const reopened = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await expect(reopened.locator('.jp-SentinelResult-footer')).toContainText(
      /rows? from Demo/,
      { timeout: 60_000 }
    );
    await expect
      .poll(() => copiedHeader(page, reopened))
      .toBe('Attempts\tUserPrincipalName');
  });

  test('a result file overwritten by another query is not shown as its rows', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('overwritten.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    await runKqlToResult(page, 1, PER_ACCOUNT);
    await kernelIdle(page);
    await page.notebook.save();
    // Another query's result written over this one's file.
    const path = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          widgets: {
            model: {
              outputs: { toJSON(): { data?: Record<string, unknown> }[] };
            };
          }[];
        };
      };
      const output = panel.content.widgets[1].model.outputs.toJSON()[0];
      return (
        output.data?.['application/vnd.jupyterlab-sentinel.result+json'] as {
          path: string;
        }
      ).path;
    });
    expect(path.startsWith(tmpPath)).toBe(true);
    const status = await page.evaluate(async path => {
      const xsrf = /_xsrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/sentinel/api/workspaces/demo/export', {
        method: 'POST',
        headers: { 'X-XSRFToken': decodeURIComponent(xsrf) },
        body: JSON.stringify({
          sql: 'SELECT 1 AS Attempts, 2 AS UserPrincipalName',
          path
        })
      });
      return response.status;
    }, path);
    expect(status).toBe(200);
    await page.notebook.close(true);
    await page.notebook.open('overwritten.ipynb');
    const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await expect(cell.locator('.jp-SentinelResult-footer')).toHaveText(
      'This result file does not match the query that made it: run the cell again.',
      { timeout: 60_000 }
    );
    await expect(cell.locator('.jp-SentinelResult-grid')).toBeHidden();
  });
});
