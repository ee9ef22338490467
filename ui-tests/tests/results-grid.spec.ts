import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import {
  cellRan,
  kernelIdle,
  runKql,
  selectGridRows,
  settledBox
} from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const PER_ACCOUNT =
  'SigninLogs | summarize Attempts = count() by UserPrincipalName | order by UserPrincipalName asc';

/** The rows a KQL cell's grid gives the bookmark dialog: the selection, or the first rows. */
async function rowsOf(
  page: Page,
  limit: number
): Promise<{
  rows: Record<string, unknown>[];
  selected: boolean;
  totalRows: number;
}> {
  return page.evaluate(async limit => {
    const results = (await window.galata.getPlugin(
      'jupyterlab-sentinel:results' as never
    )) as unknown as {
      rowsOf(
        cell: undefined,
        limit: number
      ): Promise<{
        rows: Record<string, unknown>[];
        selected: boolean;
        totalRows: number;
      }>;
    };
    return results.rowsOf(undefined, limit);
  }, limit);
}

/** Inserts a KQL cell below the active cell with `query`, runs it and returns the cell. */
test.describe('Result grid', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('shows, sorts, filters, selects and copies the result', async ({
    page,
    context
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.notebook.createNew('grid.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const kqlCell = await runKql(page, 1, PER_ACCOUNT);
    const footer = kqlCell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText(/\d+ rows from Demo/, {
      timeout: 120_000
    });
    const grid = kqlCell.locator('.jp-SentinelResult-grid');
    await expect(grid).toBeVisible();
    // Data is drawn on a canvas, never as HTML from the data.
    await expect(kqlCell.locator('.jp-SentinelResult table')).toHaveCount(0);
    const shown = Number((await footer.textContent())!.match(/(\d+) rows/)![1]);

    // The grid and the DataFrame hold the same rows, once the cell below has loaded it.
    await cellRan(page, 2);
    await page.notebook.addCell('code', 'print(len(signinlogs_df))');
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual([`${shown}\n`]);

    // Nothing selected: the first rows, in the query's order.
    await page.notebook.selectCells(1);
    let picked = await rowsOf(page, 1000);
    expect(picked.selected).toBe(false);
    expect(picked.totalRows).toBe(shown);
    const users = picked.rows.map(r => r.UserPrincipalName as string);
    expect(users).toEqual([...users].sort());

    // A click on a column header sorts by it, a second click the other way.
    const box = await settledBox(grid);
    const firstColumnHeader = { x: box.x + 48 + 30, y: box.y + 13 };
    await page.mouse.click(firstColumnHeader.x, firstColumnHeader.y);
    await page.mouse.click(firstColumnHeader.x, firstColumnHeader.y);
    await expect
      .poll(async () =>
        (await rowsOf(page, 5)).rows.map(r => r.UserPrincipalName)
      )
      .toEqual([...users].sort().reverse().slice(0, 5));

    // The filter keeps the rows whose text holds it, in any column, ignoring case.
    const someone = users[0].split('@')[0].toUpperCase();
    await kqlCell.locator('.jp-SentinelResult-filter').fill(someone);
    await expect(footer).toContainText(/match(es)? the filter/);
    // Polled as a whole: rows read while the filtered page is still on its way are the old ones.
    await expect
      .poll(async () => {
        const rows = (await rowsOf(page, 100)).rows;
        return (
          rows.length > 0 &&
          rows.every(row => JSON.stringify(row).toUpperCase().includes(someone))
        );
      })
      .toBe(true);
    await kqlCell.locator('.jp-SentinelResult-filter').fill('');
    await expect(footer).not.toContainText('the filter');
    await expect
      .poll(async () => (await rowsOf(page, 1000)).rows.length)
      .toBe(Math.min(shown, 1000));

    // Click a row, shift-click another: the rows between are selected, and copied as text.
    await selectGridRows(page, kqlCell, 0, 2);
    await expect
      .poll(async () => {
        picked = await rowsOf(page, 1000);
        return picked.selected ? picked.rows.length : 0;
      })
      .toBe(3);
    // The click gave the grid the keyboard.
    await page.keyboard.press('Control+c');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain('UserPrincipalName\tAttempts');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.trim().split('\n')).toHaveLength(4);
    expect(copied).toContain(String(picked.rows[0].UserPrincipalName));
  });

  test('draws a chart for render timechart', async ({ page }) => {
    await page.notebook.createNew('chart.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKql(
      page,
      1,
      'SigninLogs | summarize Attempts = count() by bin(TimeGenerated, 1h), ResultType | render timechart with (title="Sign-ins per hour")'
    );
    await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
      'rows from Demo',
      { timeout: 120_000 }
    );
    // JupyterLab's own Vega renderer draws the chart, above the grid.
    const chart = cell.locator('.jp-RenderedVegaCommon5');
    await expect(chart).toBeVisible({ timeout: 60_000 });
    await expect(chart.locator('svg, canvas').first()).toBeVisible();
    // The chart is drawn on a canvas: its spec, saved with the notebook, says what it shows.
    const spec = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          widgets: {
            model: {
              outputs: { toJSON(): { data?: Record<string, unknown> }[] };
            };
          }[];
        };
      };
      const outputs = panel.content.widgets[1].model.outputs.toJSON();
      return outputs[0].data?.['application/vnd.vegalite.v5+json'] as {
        mark: { type: string };
        title: { text: string };
        encoding: { x: { field: string }; color: { field: string } };
      };
    });
    expect(spec.mark.type).toBe('line');
    expect(spec.title.text).toBe('Sign-ins per hour');
    expect(spec.encoding.x.field).toBe('TimeGenerated');
    // ResultType is a string column: one line per value.
    expect(spec.encoding.color.field).toBe('Series');
  });

  test('says so when the saved result is gone', async ({ page, tmpPath }) => {
    await page.notebook.createNew('gone.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKql(page, 1, 'SigninLogs | take 5');
    const footer = cell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText('5 rows from Demo', {
      timeout: 120_000
    });
    await kernelIdle(page);
    await page.notebook.save();
    // The notebook's own results folder: results/gone-<short id>/.
    const saved = /results\/gone-[0-9a-f]{6}\/signinlogs_df\.parquet/.exec(
      (await footer.textContent()) ?? ''
    )![0];
    expect(
      (await page.request.delete(`/api/contents/${tmpPath}/${saved}`)).ok()
    ).toBe(true);
    await page.notebook.close(true);
    await page.notebook.open('gone.ipynb');
    await expect(
      page
        .locator('.jp-Notebook .jp-Cell')
        .nth(1)
        .locator('.jp-SentinelResult-footer')
    ).toContainText('run the KQL cell again', { timeout: 60_000 });
  });
});
