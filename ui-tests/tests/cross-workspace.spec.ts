import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { cellRan, insertKql, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

// A second local workspace (from the settings): a folder with a small SigninLogs of its own.
const FOLDER = 'sentinel-cross-logs';
const NAME = 'Cross logs';
const ID = 'cross-logs';

const QUERY =
  'SigninLogs | summarize Rows = count() by TenantId | order by TenantId asc';

/** The Sentinel metadata of the current notebook. */
function sentinelMetadata(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      model: { getMetadata(key: string): unknown };
    };
    return panel.model.getMetadata('sentinel');
  });
}

test.describe('Queries on several workspaces', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:plugin': {
        localWorkspaces: [{ name: NAME, path: FOLDER }]
      }
    }
  });

  test('a KQL cell reads two workspaces, each row naming its own, and the notebook remembers them', async ({
    page
  }) => {
    await page.contents.uploadContent(
      'TimeGenerated,UserPrincipalName,ResultType\n' +
        '2026-10-01T04:41:07Z,adele@cross.example,0\n' +
        '2026-10-01T04:42:07Z,alex@cross.example,50126\n',
      'text',
      `${FOLDER}/SigninLogs.csv`
    );
    try {
      await page.reload();
      // Both local workspaces are listed once the status bar names the active one.
      await expect(
        page
          .locator('#jp-main-statusbar')
          .getByRole('button', { name: /^Sentinel:/ })
      ).toHaveText('Sentinel: Demo (synthetic)', { timeout: 120_000 });
      await page.notebook.createNew('cross.ipynb');
      await kernelIdle(page);

      const cell = await insertKql(page, 1, QUERY);
      const picker = cell.locator('.jp-SentinelKqlQueryBar-workspace');
      await expect(picker).toHaveText('on Demo (synthetic)');
      await picker.click();
      const dialog = page.locator('.jp-Dialog');
      await expect(
        dialog.getByRole('checkbox', { name: 'Demo (synthetic)' })
      ).toBeChecked();
      await dialog.getByRole('checkbox', { name: NAME }).check();
      await dialog
        .getByRole('button', { name: 'Use These Workspaces' })
        .click();
      await expect(picker).toHaveText(`on Demo (synthetic) + ${NAME}`);
      expect(await sentinelMetadata(page)).toEqual({
        workspace: { backend: 'local', id: 'demo' },
        workspaces: [ID]
      });

      // The sidebar's schema is the union the notebook's queries read, TenantId first.
      await page.sidebar.openTab('jp-sentinel-sidebar');
      const schema = page.locator('#jp-sentinel-schema');
      await expect(schema.locator('.jp-SentinelSchema-union')).toContainText(
        `Demo (synthetic), ${NAME}`
      );
      await schema
        .locator(
          '.jp-SentinelSchema-table[aria-label="SigninLogs"] .jp-SentinelSchema-row'
        )
        .click();
      await expect(
        schema.locator(
          '.jp-SentinelSchema-column[aria-label="TenantId string"]'
        )
      ).toBeVisible();

      await cell
        .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
        .click();
      await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
        `2 rows from Demo (synthetic) + ${NAME}`,
        { timeout: 120_000 }
      );
      // The DataFrame cell below shows the rows of both workspaces, TenantId naming each.
      await cellRan(page, 2);
      const frame = page
        .locator('.jp-Notebook .jp-Cell')
        .nth(2)
        .locator('.jp-OutputArea-output table');
      await expect(frame.locator('tbody tr')).toHaveCount(2);
      await expect(frame.locator('tbody tr').nth(0)).toContainText(ID);
      await expect(frame.locator('tbody tr').nth(0)).toContainText('2');
      await expect(frame.locator('tbody tr').nth(1)).toContainText('demo');

      // One workspace's table by its name, as Log Analytics' workspace() reads it.
      await page.notebook.selectCells(2);
      const one = await insertKql(
        page,
        3,
        `workspace("${NAME}").SigninLogs | where ResultType != "0" | project UserPrincipalName, TenantId`
      );
      await one
        .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
        .click();
      await expect(one.locator('.jp-SentinelResult-footer')).toContainText(
        '1 row',
        { timeout: 120_000 }
      );
      await cellRan(page, 4);
      const row = page
        .locator('.jp-Notebook .jp-Cell')
        .nth(4)
        .locator('.jp-OutputArea-output table tbody tr');
      await expect(row).toHaveCount(1);
      await expect(row).toContainText('alex@cross.example');
      await expect(row).toContainText(ID);

      await page.notebook.save();
      await page.reload({ waitForIsReady: false });
      await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
      const reopened = page
        .locator('.jp-Notebook .jp-Cell')
        .nth(1)
        .locator('.jp-SentinelKqlQueryBar-workspace');
      await expect(reopened).toHaveText(`on Demo (synthetic) + ${NAME}`, {
        timeout: 120_000
      });
      expect(await sentinelMetadata(page)).toEqual(
        expect.objectContaining({
          workspace: { backend: 'local', id: 'demo' },
          workspaces: [ID]
        })
      );
    } finally {
      await page.contents.deleteDirectory(FOLDER);
    }
  });
});
