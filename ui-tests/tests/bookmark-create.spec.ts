import { expect, test } from '@jupyterlab/galata';
import { randomUUID } from 'crypto';
import { cellRan, kernelIdle, runKqlToResult, selectGridRows } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const SPRAY =
  'SigninLogs | where ResultType == "50126" | summarize Failures = count() by IPAddress, UserPrincipalName | order by Failures desc';

test.describe('Create Bookmark', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('saves selected rows with an entity and a label, listed and queryable', async ({
    page
  }) => {
    const name = `Spray evidence ${randomUUID().slice(0, 8)}`;
    await page.notebook.createNew('evidence.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(page, 1, SPRAY);
    await cellRan(page, 2);
    await page.notebook.selectCells(1);

    // Select the first two rows of the grid.
    const first = await selectGridRows(page, cell, 0, 1);
    // The grid's context menu offers the command.
    await page.mouse.click(first.x, first.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Create Bookmark…' }).click();

    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Create Bookmark');
    await expect(dialog).toContainText('2 rows are stored with the bookmark.');
    // The addresses and accounts of the rows are proposed as entities.
    const values = dialog.getByLabel('Entity value');
    await expect(values.first()).toBeVisible();
    const proposed = await values.evaluateAll(inputs =>
      inputs.map(i => (i as HTMLInputElement).value)
    );
    expect(proposed.some(v => /^\d+\.\d+\.\d+\.\d+$/.test(v))).toBe(true);
    expect(proposed.some(v => v.includes('@'))).toBe(true);

    // Keep one entity of each kind only, add a host by hand.
    const before = await values.count();
    await dialog.getByRole('button', { name: 'Add entity' }).click();
    await expect(values).toHaveCount(before + 1);
    await dialog.getByLabel('Entity type').last().selectOption('Host');
    await values.last().fill('dc01.contoso.example');
    await dialog.locator('input[name="displayName"]').fill(name);
    await dialog.getByRole('textbox', { name: 'Labels' }).fill('spray,');
    await dialog.getByLabel('Credential Access').check();
    await dialog
      .getByRole('combobox', { name: 'Techniques' })
      .fill('T1110.003');
    await dialog.getByRole('button', { name: 'Create Bookmark' }).click();
    await expect(dialog).toHaveCount(0);

    // The sidebar lists it.
    await page.sidebar.openTab('jp-sentinel-sidebar');
    const list = page
      .locator('#jp-sentinel-sidebar')
      .getByRole('listbox', { name: 'Bookmarks' });
    await expect(list.getByRole('option', { name, exact: true })).toBeVisible({
      timeout: 30_000
    });

    // And the workspace's HuntingBookmark table has it, with its entities and tactics.
    await page.notebook.selectCells(2);
    const check = await runKqlToResult(
      page,
      3,
      `HuntingBookmark | where BookmarkName == "${name}" | project BookmarkName, Tags, Entities, QueryText`
    );
    await expect(check.locator('.jp-SentinelResult-footer')).toContainText(
      '1 row from Demo'
    );
    await cellRan(page, 4);
    await page.notebook.addCell(
      'code',
      'row = huntingbookmark_df.iloc[0]\nprint(row["Tags"], "dc01.contoso.example" in row["Entities"], row["QueryText"].startswith("SigninLogs"))'
    );
    await page.notebook.runCell(5, true);
    expect((await page.notebook.getCellTextOutput(5))?.join('')).toContain(
      'True True'
    );
    expect((await page.notebook.getCellTextOutput(5))?.join('')).toContain(
      'spray'
    );
  });

  test('keeps what was typed when the save fails, and saves once on retry', async ({
    page
  }) => {
    await page.notebook.createNew('retry.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    await runKqlToResult(page, 1, 'SigninLogs | take 3');
    await page.notebook.selectCells(1);
    // The first save is refused by the server (the request fails on the wire), the second goes through.
    let refused = 0;
    await page.route(
      /\/sentinel\/api\/workspaces\/demo\/bookmarks/,
      async route => {
        if (route.request().method() === 'POST' && refused === 0) {
          refused++;
          await route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({
              message: 'The bookmark store is busy',
              reason: 'unavailable'
            })
          });
          return;
        }
        await route.continue();
      }
    );
    // Not awaited: the command resolves when the dialog closes.
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('sentinel:create-bookmark');
    });
    const dialog = page.locator('.jp-Dialog');
    const name = `Retry ${randomUUID().slice(0, 8)}`;
    await dialog.locator('input[name="displayName"]').fill(name);
    await dialog.locator('textarea[name="notes"]').fill('Typed once, kept');
    await dialog.getByRole('button', { name: 'Create Bookmark' }).click();
    await expect(dialog.getByRole('alert')).toContainText(
      'The bookmark store is busy'
    );
    await expect(dialog.locator('input[name="displayName"]')).toHaveValue(name);
    await expect(dialog.locator('textarea[name="notes"]')).toHaveValue(
      'Typed once, kept'
    );
    await dialog.getByRole('button', { name: 'Create Bookmark' }).click();
    // The dialog closes on the click and the save runs after it: wait for its notification.
    await expect(
      page
        .locator('.Toastify__toast')
        .filter({ hasText: `Bookmark “${name}” saved` })
    ).toBeVisible({ timeout: 30_000 });
    await expect(dialog).toHaveCount(0);
    const listed = await page.request.get(
      '/sentinel/api/workspaces/demo/bookmarks'
    );
    const bookmarks = (
      (await listed.json()) as { bookmarks: { displayName: string }[] }
    ).bookmarks;
    expect(bookmarks.filter(b => b.displayName === name)).toHaveLength(1);
  });

  test('saves the first rows of a DataFrame shown in a Python cell', async ({
    page
  }) => {
    await page.notebook.createNew('frame.ipynb');
    await kernelIdle(page);
    await page.notebook.setCell(
      0,
      'code',
      'import pandas as pd\nhits = pd.DataFrame({"IPAddress": ["203.0.113.42", "198.51.100.7"], "Failures": [41, 3]})\nhits'
    );
    await page.notebook.runCell(0, true);
    await page.notebook.selectCells(0);
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute(
        'sentinel:create-bookmark-from-dataframe'
      );
    });
    // The DataFrame the cell shows is proposed.
    const ask = page.locator('.jp-Dialog');
    await expect(ask.locator('input')).toHaveValue('hits');
    await ask.getByRole('button', { name: /Ok/i }).click();
    const dialog = page.locator('.jp-SentinelBookmarkDialog');
    await expect(dialog).toContainText('2 rows are stored with the bookmark.');
    const values = dialog.getByLabel('Entity value');
    await expect(values).toHaveCount(2);
    await expect(values.nth(0)).toHaveValue('203.0.113.42');
    await expect(values.nth(1)).toHaveValue('198.51.100.7');
    const name = `DataFrame evidence ${randomUUID().slice(0, 8)}`;
    await dialog.locator('input[name="displayName"]').fill(name);
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Create Bookmark' })
      .click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    // The dialog closes on the click and the save runs after it: poll the store until it has it.
    let queryResult = '';
    await expect
      .poll(async () => {
        const listed = await page.request.get(
          '/sentinel/api/workspaces/demo/bookmarks'
        );
        const bookmarks = (
          (await listed.json()) as {
            bookmarks: { displayName: string; queryResult: string }[];
          }
        ).bookmarks;
        queryResult =
          bookmarks.find(b => b.displayName === name)?.queryResult ?? '';
        return queryResult !== '';
      })
      .toBe(true);
    expect(JSON.parse(queryResult)).toEqual([
      { IPAddress: '203.0.113.42', Failures: 41 },
      { IPAddress: '198.51.100.7', Failures: 3 }
    ]);
  });

  test('refuses a DataFrame of a notebook whose workspace is not available, rather than save it in the active one', async ({
    page
  }) => {
    await page.notebook.createNew('retired.ipynb');
    await kernelIdle(page);
    // The notebook ran its queries on a workspace no longer listed; Demo is the active one.
    await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        context: {
          model: { setMetadata(key: string, value: unknown): void };
        };
      };
      panel.context.model.setMetadata('sentinel', {
        workspace: { backend: 'local', id: 'retired' }
      });
    });
    await page.notebook.setCell(
      0,
      'code',
      'import pandas as pd\nhits = pd.DataFrame({"IPAddress": ["203.0.113.42"], "Failures": [41]})\nhits'
    );
    await page.notebook.runCell(0, true);
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute(
        'sentinel:create-bookmark-from-dataframe',
        { name: 'hits' }
      );
    });
    await expect(
      page
        .locator('.Toastify__toast')
        .filter({ hasText: 'workspace local/retired, which is not available' })
    ).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('.jp-SentinelBookmarkDialog')).toHaveCount(0);
  });

  test('proposes a window spanning every time of the selected rows', async ({
    page
  }) => {
    await page.notebook.createNew('window.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    // One row whose first and last sightings are hours apart (the spray, then the compromise).
    await runKqlToResult(
      page,
      1,
      'SigninLogs | where IPAddress == "203.0.113.42" | summarize first_seen = min(TimeGenerated), last_seen = max(TimeGenerated) by IPAddress'
    );
    await page.notebook.selectCells(1);
    // Not awaited: the command resolves when the dialog closes.
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('sentinel:create-bookmark');
    });
    const dialog = page.locator('.jp-SentinelBookmarkDialog');
    const start = dialog.getByLabel('Window start (UTC)');
    const end = dialog.getByLabel('Window end (UTC)');
    await expect(start).toHaveValue(/^\d{4}-.*Z$/);
    await expect(end).toHaveValue(/^\d{4}-.*Z$/);
    const hours =
      (Date.parse(await end.inputValue()) -
        Date.parse(await start.inputValue())) /
      3600_000;
    // The address's first attempt (T + 71 s) to the compromise (T + 2 h 41 min 07 s, STORY.md):
    // last_seen counts, not first_seen only.
    expect(hours).toBeCloseTo((2 * 3600 + 41 * 60 + 7 - 71) / 3600, 2);
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Cancel' })
      .click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  });
});
