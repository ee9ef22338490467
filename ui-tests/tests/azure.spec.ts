/**
 * The Azure backend in a real browser, against the emulator of the Azure APIs the Playwright
 * config starts: MSAL.js signs in through a popup that comes back by the server's redirect bridge
 * page (the emulator's authorize endpoint signs the analyst in without a login page), then the
 * sidebar, a KQL cell, its DataFrame and a bookmark run on an Azure workspace.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { randomUUID } from 'crypto';
import { azureEmulatorOptions, EMULATOR } from './azure-emulator';
import { kernelIdle, runKql, selectGridRows } from './helpers';

test.use(azureEmulatorOptions);

const SPRAY =
  'SigninLogs | where ResultType == "50126" | summarize Failures = count() by IPAddress, UserPrincipalName | order by Failures desc';

/** Runs a KQL cell until its result shows, on the Azure workspace. */
async function runToResult(
  page: Page,
  index: number,
  query: string
): Promise<Locator> {
  const cell = await runKql(page, index, query);
  await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
    /rows? from sentinel-demo/,
    { timeout: 120_000 }
  );
  return cell;
}

test('signs in with MSAL, queries an Azure workspace into a DataFrame and saves a bookmark there', async ({
  page
}) => {
  // Signed out, the sidebar's Azure group offers to sign in (as does the status bar).
  const account = page.locator('.jp-SentinelAzureStatus');
  await expect(account).toHaveText('Azure: sign in', { timeout: 60_000 });
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  const signedOut = sidebar
    .getByRole('status')
    .filter({ hasText: 'Sign in to list' });
  await signedOut.getByRole('button', { name: 'Sign In' }).click();
  await expect(account).toHaveText('Azure: analyst@contoso.example', {
    timeout: 60_000
  });
  await expect(signedOut).toHaveCount(0);

  // The sidebar lists the subscription's workspaces, and which has Sentinel.
  const subscription = sidebar.getByRole('listbox', {
    name: 'Azure: Security Operations'
  });
  await expect(
    subscription.getByRole('option', { name: /plain-logs/ })
  ).toContainText('Microsoft Sentinel not enabled', { timeout: 60_000 });
  await subscription.getByRole('option', { name: /sentinel-demo/ }).click();
  await expect(page.locator('.jp-SentinelWorkspaceStatus')).toContainText(
    'sentinel-demo'
  );
  await expect(
    sidebar.getByRole('tree', { name: 'Tables' }).getByText('SigninLogs', {
      exact: true
    })
  ).toBeVisible({ timeout: 60_000 });

  // A KQL cell runs on Log Analytics (the emulator) and loads its result as a DataFrame.
  await page.notebook.createNew('azure.ipynb');
  await kernelIdle(page);
  await page.notebook.selectCells(0);
  const cell = await runToResult(page, 1, SPRAY);
  await kernelIdle(page);
  await page.notebook.addCell(
    'code',
    'print(len(signinlogs_df), signinlogs_df["Failures"].dtype, signinlogs_df["Failures"].max() > 1)'
  );
  await page.notebook.runCell(3, true);
  expect((await page.notebook.getCellTextOutput(3))?.join('')).toMatch(
    /^[1-9]\d* int64 True/
  );

  // Two rows of the grid become a bookmark in the workspace, listed in the sidebar.
  await page.notebook.selectCells(1);
  const first = await selectGridRows(page, cell, 0, 1);
  await page.mouse.click(first.x, first.y, { button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Bookmark…' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('2 rows are stored with the bookmark.');
  const name = `Azure spray ${randomUUID().slice(0, 8)}`;
  await dialog.locator('input[name="displayName"]').fill(name);
  await dialog.getByRole('textbox', { name: 'Labels' }).fill('spray,');
  await dialog.getByLabel('Credential Access').check();
  // The workspace's incidents are proposed for the link.
  const spray = dialog.locator('#jp-SentinelBookmarkDialog-incidents option', {
    hasText: '#42 Password spray'
  });
  await expect(spray).toHaveCount(1);
  await dialog
    .locator('input[name="incident"]')
    .fill((await spray.getAttribute('value'))!);
  await dialog.getByRole('button', { name: 'Create Bookmark' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    sidebar
      .getByRole('listbox', { name: 'Bookmarks' })
      .getByRole('option', { name, exact: true })
  ).toBeVisible({ timeout: 30_000 });

  // The tokens expire mid-session: the next query gets new ones and still runs.
  const expired = await page.request.post(
    `${EMULATOR}/__emulator/expire-tokens`
  );
  expect(
    ((await expired.json()) as { expired: number }).expired
  ).toBeGreaterThan(0);
  await page.notebook.selectCells(3);
  const check = await runToResult(
    page,
    4,
    `HuntingBookmark | where BookmarkName == "${name}" | summarize arg_max(TimeGenerated, *) by BookmarkId | project BookmarkName, Tags, Entities`
  );
  await expect(check.locator('.jp-SentinelResult-footer')).toContainText(
    '1 row from sentinel-demo'
  );

  // MSAL did the work: a code redeemed with PKCE at sign-in, its refresh token after the expiry.
  const { requests } = (await (
    await page.request.get(`${EMULATOR}/__emulator/requests`)
  ).json()) as { requests: { path: string; body: string }[] };
  const grants = requests
    .filter(r => r.path.split('?')[0].endsWith('/oauth2/v2.0/token'))
    .map(r => new URLSearchParams(r.body));
  expect(
    grants.some(
      g =>
        g.get('grant_type') === 'authorization_code' && g.has('code_verifier')
    )
  ).toBe(true);
  expect(grants.some(g => g.get('grant_type') === 'refresh_token')).toBe(true);
  // The bookmark was linked to the incident with a relation of its own.
  expect(
    requests.some(
      r =>
        /\/incidents\/[^/]+\/relations\//.test(r.path) &&
        r.body.includes('/bookmarks/')
    )
  ).toBe(true);
});
