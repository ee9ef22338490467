/**
 * A template's details, readable: nothing in the sidebar's details runs past its right edge (they
 * were clipped), and Details shows them in the main area with the required tables checked against
 * the active workspace and the template's Clone and Open.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const ACCOUNT = 'Account investigation';

/** How many elements inside `region` reach past its right edge, or are cut off inside. */
async function clipped(region: Locator): Promise<number> {
  return region.evaluate(element => {
    const right = element.getBoundingClientRect().right;
    return Array.from(element.querySelectorAll<HTMLElement>('*')).filter(
      e =>
        e.getBoundingClientRect().right > right + 1 ||
        e.scrollWidth > e.clientWidth + 1
    ).length;
  });
}

test('template details are readable in the sidebar and in the main area', async ({
  page,
  tmpPath
}) => {
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  await expect(sidebar.getByRole('option', { name: /Demo/ })).toHaveAttribute(
    'aria-selected',
    'true',
    { timeout: 120_000 }
  );
  const list = sidebar.getByRole('listbox', { name: 'Templates' });
  await list.getByRole('option', { name: ACCOUNT }).click();
  const details = sidebar.getByRole('region', { name: 'Template details' });
  await expect(details.getByRole('heading', { name: ACCOUNT })).toBeVisible();
  expect(await clipped(details)).toBe(0);

  // Details: the same, in the main area, wide enough to read.
  await details.getByRole('button', { name: 'Details' }).click();
  const tab = page.activity.getTabLocator(`${ACCOUNT} (details)`);
  await expect(tab).toBeVisible();
  const view = page
    .locator('.jp-SentinelTemplateDetails')
    .getByRole('region', { name: 'Template details' });
  await expect(view.getByRole('heading', { name: ACCOUNT })).toBeVisible();
  await expect(view).toContainText('Set the account in the first cell');
  await expect(view).toContainText(
    'Demo (synthetic) has every table this template needs.'
  );
  const tables = view.getByRole('list', { name: 'Required tables' });
  await expect(tables.getByRole('listitem')).toHaveCount(3);
  await expect(
    tables.getByRole('listitem', {
      name: 'SigninLogs: present in Demo (synthetic)'
    })
  ).toBeVisible();
  expect(await clipped(view)).toBe(0);
  // Where the sidebar would have it cut, the main area has room.
  expect((await view.boundingBox())!.width).toBeGreaterThan(
    (await details.boundingBox())!.width
  );
  // No Details button in the details themselves.
  await expect(view.getByRole('button', { name: 'Details' })).toHaveCount(0);

  // Details again reveals the open view instead of opening a second.
  await details.getByRole('button', { name: 'Details' }).click();
  await expect(page.locator('.jp-SentinelTemplateDetails')).toHaveCount(1);

  // Clone from the view: the copy is written into the file browser's folder and opened.
  await view.getByRole('button', { name: 'Clone' }).click();
  await expect(
    page.activity.getTabLocator('account-investigation.ipynb')
  ).toBeVisible();
  expect(
    await page.contents.fileExists(`${tmpPath}/account-investigation.ipynb`)
  ).toBe(true);
});
