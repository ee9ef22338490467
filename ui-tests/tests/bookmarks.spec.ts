import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { randomUUID } from 'crypto';
import { userInfo } from 'os';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

const BOOKMARKS = '/sentinel/api/workspaces/demo/bookmarks';

async function openSidebar(page: Page): Promise<Locator> {
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  await expect(sidebar.getByRole('option', { name: /Demo/ })).toHaveAttribute(
    'aria-selected',
    'true',
    { timeout: 120_000 }
  );
  return sidebar;
}

test.describe('Sentinel bookmarks', () => {
  test('lists a bookmark with its labels, shows its details and deletes it after asking', async ({
    page
  }) => {
    const id = randomUUID();
    const name = `Spray from 203.0.113.42 (${id.slice(0, 8)})`;
    const created = await page.request.post(BOOKMARKS, {
      data: {
        id,
        displayName: name,
        query:
          "SigninLogs\n| where IPAddress == '203.0.113.42'\n| where ResultType != 0",
        // Markup in the data must show as text.
        notes: 'Many accounts, one address <b>not bold</b>',
        labels: ['spray', 'credential-access'],
        eventTime: '2026-10-01T04:41:07Z',
        queryStartTime: '2026-09-30T00:00:00Z',
        queryEndTime: '2026-10-02T00:00:00Z',
        entityMappings: [
          {
            entityType: 'Account',
            fieldMappings: [
              { identifier: 'FullName', value: 'adele.vance@contoso.example' }
            ]
          }
        ],
        tactics: ['CredentialAccess']
      }
    });
    expect(created.status()).toBe(201);
    try {
      const sidebar = await openSidebar(page);
      // The page listed the bookmarks before this one existed: the section's refresh button.
      await sidebar
        .locator('[data-command="sentinel:refresh-bookmarks"]')
        .click();
      const list = sidebar.getByRole('listbox', { name: 'Bookmarks' });
      const item = list.getByRole('option', { name, exact: true });
      await expect(item).toBeVisible();
      await expect(
        item.getByRole('list', { name: 'Labels' }).getByText('spray', {
          exact: true
        })
      ).toBeVisible();
      await expect(item).toContainText('SigninLogs');
      // The newest bookmark comes first.
      await expect(list.getByRole('option').first()).toHaveAccessibleName(name);

      await item.click();
      await expect(item).toHaveAttribute('aria-selected', 'true');
      const details = sidebar.getByRole('region', { name: 'Bookmark details' });
      await expect(details.getByRole('heading', { name })).toBeVisible();
      await expect(details).toContainText(
        'Many accounts, one address <b>not bold</b>'
      );
      await expect(details.locator('b')).toHaveCount(0);
      await expect(details).toContainText(
        "| where IPAddress == '203.0.113.42'"
      );
      await expect(details).toContainText(
        'Account: FullName = adele.vance@contoso.example'
      );
      await expect(details).toContainText('CredentialAccess');
      await expect(details).toContainText('Time window');

      // Cancel keeps it.
      const dialog = page.getByRole('dialog');
      await details.getByRole('button', { name: 'Delete' }).click();
      await expect(dialog).toContainText(name);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(item).toBeVisible();

      // From the keyboard: the Delete key on the focused bookmark asks, Delete confirms.
      await item.focus();
      await page.keyboard.press('Delete');
      await expect(dialog).toContainText(name);
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await expect(list.getByRole('option', { name, exact: true })).toHaveCount(
        0
      );
      await expect(details).toHaveCount(0);
      expect((await page.request.get(`${BOOKMARKS}/${id}`)).status()).toBe(404);
    } finally {
      await page.request.delete(`${BOOKMARKS}/${id}`);
    }
  });

  test('shows who made a bookmark and its incident, and runs its query in a new KQL cell', async ({
    page
  }) => {
    const id = randomUUID();
    const name = `Adele from the spray address (${id.slice(0, 8)})`;
    const query =
      'SigninLogs\n| where IPAddress == "203.0.113.42"\n| project TimeGenerated, UserPrincipalName, ResultType';
    // A window that holds the demo's attack: the data set always ends in the current hour.
    const end = new Date();
    const start = new Date(end.getTime() - 14 * 24 * 3600_000);
    const created = await page.request.post(BOOKMARKS, {
      data: {
        id,
        displayName: name,
        query,
        labels: [],
        queryStartTime: start.toISOString(),
        queryEndTime: end.toISOString(),
        incidentInfo: {
          incidentId: '1042',
          title: 'Multi-stage attack involving adele.vance',
          severity: 'High'
        }
      }
    });
    expect(created.status()).toBe(201);
    try {
      await page.notebook.createNew('rerun.ipynb');
      await kernelIdle(page);
      const sidebar = await openSidebar(page);
      await sidebar
        .locator('[data-command="sentinel:refresh-bookmarks"]')
        .click();
      const item = sidebar
        .getByRole('listbox', { name: 'Bookmarks' })
        .getByRole('option', { name, exact: true });
      await item.click();
      const details = sidebar.getByRole('region', { name: 'Bookmark details' });
      await expect(details).toContainText(
        'Multi-stage attack involving adele.vance (severity High)'
      );
      // Made by the account the server runs as: the test's server knows no named user.
      await expect(details).toContainText(`by ${userInfo().username}`);
      await expect(details).not.toContainText('Anonymous');

      await details
        .getByRole('button', { name: 'Run in a New KQL Cell' })
        .click();
      const cell = page.locator('.jp-Notebook .jp-Cell').first();
      await expect(cell).toHaveClass(/jp-SentinelKqlCell/);
      await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
        /\d+ rows from Demo/,
        { timeout: 120_000 }
      );
      // The notebook's first (empty) cell is used: the query is cell 0, its DataFrame cell 1.
      const saved = await page.evaluate(() => {
        const panel = window.jupyterapp.shell.currentWidget as unknown as {
          content: {
            widgets: {
              model: {
                sharedModel: { getSource(): string };
                getMetadata(key: string): unknown;
              };
            }[];
          };
        };
        const model = panel.content.widgets[0].model;
        return {
          source: model.sharedModel.getSource(),
          sentinel: model.getMetadata('sentinel') as { timeRange?: string }
        };
      });
      expect(saved.source).toBe(query);
      expect(saved.sentinel.timeRange).toBe(
        `${start.toISOString()}/${new Date(end.getTime() + 1).toISOString()}`
      );
    } finally {
      await page.request.delete(`${BOOKMARKS}/${id}`);
    }
  });
});
