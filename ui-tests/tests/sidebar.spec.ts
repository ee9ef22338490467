import { expect, test } from '@jupyterlab/galata';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

test.describe('Sentinel sidebar', () => {
  test('shows the demo workspace and the schema of its tables', async ({
    page
  }) => {
    await page.sidebar.openTab('jp-sentinel-sidebar');
    const sidebar = page.locator('#jp-sentinel-sidebar');
    await expect(sidebar).toBeVisible();

    const demo = sidebar.getByRole('option', { name: /Demo/ });
    await expect(demo).toBeVisible();
    // The demo workspace is active by default.
    await expect(demo).toHaveAttribute('aria-selected', 'true', {
      timeout: 120_000
    });

    const tables = sidebar.getByRole('tree', { name: 'Tables' });
    const signins = tables.getByRole('treeitem', {
      name: 'SigninLogs',
      exact: true
    });
    await expect(signins).toBeVisible({ timeout: 120_000 });

    await signins.focus();
    await page.keyboard.press('Enter');
    await expect(signins).toHaveAttribute('aria-expanded', 'true');
    await expect(
      signins.getByRole('treeitem', { name: 'TimeGenerated datetime' })
    ).toBeVisible();
  });

  test('filters tables by column name', async ({ page }) => {
    await page.sidebar.openTab('jp-sentinel-sidebar');
    const sidebar = page.locator('#jp-sentinel-sidebar');
    const tables = sidebar.getByRole('tree', { name: 'Tables' });
    await expect(
      tables.getByRole('treeitem', { name: 'SigninLogs', exact: true })
    ).toBeVisible({ timeout: 120_000 });

    await sidebar
      .getByRole('searchbox', { name: 'Filter tables and columns' })
      .fill('UserPrincipalName');
    await expect(
      tables.getByRole('treeitem', { name: 'UserPrincipalName string' }).first()
    ).toBeVisible();
    await expect(
      tables.getByRole('treeitem', { name: 'Syslog', exact: true })
    ).toHaveCount(0);
  });
});
