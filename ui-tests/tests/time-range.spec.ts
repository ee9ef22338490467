import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { insertKql, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/** The time range the active KQL cell's metadata holds. */
async function storedRange(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        activeCell: { model: { getMetadata(key: string): unknown } };
      };
    };
    const sentinel = panel.content.activeCell.model.getMetadata('sentinel') as
      { timeRange?: string } | undefined;
    return sentinel?.timeRange ?? null;
  });
}

test.describe('KQL time range', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('offers Log Analytics’ presets and says why a custom range cannot be used', async ({
    page
  }) => {
    await page.notebook.createNew('time-range.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await insertKql(
      page,
      1,
      'SigninLogs | summarize Signins = count()'
    );
    const bar = cell.locator('.jp-SentinelKqlQueryBar');
    const picker = bar.getByLabel('Time range');
    await expect(picker.locator('option')).toHaveText([
      'Set in query',
      'Last 30 minutes',
      'Last hour',
      'Last 4 hours',
      'Last 12 hours',
      'Last 24 hours',
      'Last 48 hours',
      'Last 3 days',
      'Last 7 days',
      'Last 30 days',
      'Last 90 days',
      'Custom'
    ]);

    // A preset runs with its window, ending when the query runs.
    await picker.selectOption({ label: 'Last 4 hours' });
    expect(await storedRange(page)).toBe('PT4H');
    await cell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    const footer = cell.locator('.jp-SentinelResult-footer');
    await expect(footer).toContainText('1 row from Demo', {
      timeout: 120_000
    });
    await kernelIdle(page);

    // Custom: two fields in place, starting from the last 24 hours.
    await page.notebook.selectCells(1);
    await picker.selectOption({ label: 'Custom' });
    const start = bar.getByLabel('Custom range start (UTC)');
    const end = bar.getByLabel('Custom range end (UTC)');
    await expect(start).toBeVisible();
    expect(await storedRange(page)).toMatch(/^\S+Z\/\S+Z$/);

    // Each field is stored when it is left or Enter is pressed.
    await start.fill('2026-11-20 06:00');
    await start.press('Enter');
    const stored = (await storedRange(page)) as string;
    expect(stored).toMatch(/^2026-11-20T06:00:00\.000Z\/\S+Z$/);

    // An end before the start says why, keeps what was typed, and keeps the last valid range.
    const problem = bar.getByRole('alert');
    await end.fill('2026-11-19 06:00');
    await end.press('Enter');
    await expect(problem).toHaveText(
      'The end (2026-11-19T06:00:00Z) is not after the start (2026-11-20T06:00:00Z). Until it is fixed, the query runs with the last valid range.'
    );
    await expect(end).toHaveValue('2026-11-19 06:00');
    await expect(end).toHaveClass(/jp-mod-invalid/);
    await expect(picker).toHaveValue('custom');
    expect(await storedRange(page)).toBe(stored);

    // Text that is no date says so too.
    await start.fill('last monday');
    await start.press('Enter');
    await expect(problem).toContainText(
      'The start “last monday” is not a date and time.'
    );
    await expect(start).toHaveValue('last monday');

    // Fixed, the range is stored and the query runs with it.
    await start.fill('2026-11-18 06:00');
    await start.press('Enter');
    await end.fill('2026-11-21 06:00');
    await end.press('Enter');
    await expect(problem).toBeHidden();
    await expect(end).not.toHaveClass(/jp-mod-invalid/);
    expect(await storedRange(page)).toBe(
      '2026-11-18T06:00:00.000Z/2026-11-21T06:00:00.000Z'
    );
    await cell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(cell.locator('.jp-OutputArea-output').first()).toContainText(
      '1 row from Demo',
      { timeout: 120_000 }
    );
  });
});
