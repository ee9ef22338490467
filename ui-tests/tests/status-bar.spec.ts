import { expect, galata, test } from '@jupyterlab/galata';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

// A second local workspace (from the settings): a folder with one small CSV table.
const FOLDER = 'sentinel-firewall-logs';
const NAME = 'Firewall logs';

test.describe('The active workspace in the status bar', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:plugin': {
        localWorkspaces: [{ name: NAME, path: FOLDER }]
      }
    }
  });

  test('follows a switch of workspace in the sidebar, with the schema, and opens the sidebar', async ({
    page
  }) => {
    await page.contents.uploadContent(
      [
        'TimeGenerated,SourceIp,DestinationPort,Action',
        '2026-10-01T04:41:07Z,203.0.113.42,445,Deny',
        '2026-10-01T04:42:11Z,10.0.3.17,443,Allow'
      ].join('\n') + '\n',
      'text',
      `${FOLDER}/FirewallEvents.csv`
    );
    try {
      // The workspaces were listed when the page loaded, before the folder existed.
      await page.reload();
      const status = page
        .locator('#jp-main-statusbar')
        .getByRole('button', { name: /^Sentinel:/ });
      await expect(status).toHaveText('Sentinel: Demo (synthetic)', {
        timeout: 120_000
      });

      await page.sidebar.openTab('jp-sentinel-sidebar');
      const sidebar = page.locator('#jp-sentinel-sidebar');
      const tables = sidebar.getByRole('tree', { name: 'Tables' });
      await expect(
        tables.getByRole('treeitem', { name: 'SigninLogs', exact: true })
      ).toBeVisible({ timeout: 120_000 });

      const firewall = sidebar.getByRole('option', { name: NAME });
      await firewall.click();
      await expect(firewall).toHaveAttribute('aria-selected', 'true');
      await expect(status).toHaveText(`Sentinel: ${NAME}`);
      await expect(status).toHaveAttribute('title', /Local workspaces/);
      await expect(
        tables.getByRole('treeitem', { name: 'FirewallEvents', exact: true })
      ).toBeVisible();
      await expect(
        tables.getByRole('treeitem', { name: 'SigninLogs', exact: true })
      ).toHaveCount(0);
      // The bookmarks follow too: the new workspace has none.
      await expect(sidebar).toContainText(`${NAME} has no bookmarks yet.`);

      // Back to the demo from the keyboard.
      const demo = sidebar.getByRole('option', { name: /Demo/ });
      await demo.focus();
      await page.keyboard.press('Enter');
      await expect(status).toHaveText('Sentinel: Demo (synthetic)');
      await expect(
        tables.getByRole('treeitem', { name: 'SigninLogs', exact: true })
      ).toBeVisible();

      // A click on the status bar item opens the Sentinel sidebar.
      await page.sidebar.openTab('filebrowser');
      await expect(sidebar).toBeHidden();
      await status.click();
      await expect(sidebar).toBeVisible();
    } finally {
      await page.contents.deleteDirectory(FOLDER);
    }
  });
});
