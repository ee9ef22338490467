/**
 * Hunts on an Azure workspace, against the emulator of the Azure APIs the Playwright config starts
 * (it serves the demo data set): the sidebar runs the shipped pack through the Azure backend and
 * finds the planted attack as on the local demo, and a rule whose table the workspace lacks comes
 * out as "missing tables", not as an error.
 */
import { expect, test } from '@jupyterlab/galata';
import { azureEmulatorOptions } from './azure-emulator';

const FOLDER = 'h19-azure-hunt-rules';

test.use({
  ...azureEmulatorOptions,
  mockSettings: {
    ...azureEmulatorOptions.mockSettings,
    'jupyterlab-sentinel:hunts': { huntFolders: [FOLDER] }
  }
});

test('runs hunt packs on an Azure workspace: the shipped pack finds the attack, a missing table is named', async ({
  page
}) => {
  await page.contents.uploadContent(
    'name: Needs a table the workspace lacks\nkind: Scheduled\nqueryPeriod: 1d\ntactics: [Impact]\nquery: NoSuchTable | take 1\n',
    'text',
    `${FOLDER}/missing.yaml`
  );
  try {
    const account = page.locator('.jp-SentinelAzureStatus');
    await expect(account).toHaveText('Azure: sign in', { timeout: 60_000 });
    await page.sidebar.openTab('jp-sentinel-sidebar');
    const sidebar = page.locator('#jp-sentinel-sidebar');
    await sidebar
      .getByRole('status')
      .filter({ hasText: 'Sign in to list' })
      .getByRole('button', { name: 'Sign In' })
      .click();
    await expect(account).toHaveText('Azure: analyst@contoso.example', {
      timeout: 60_000
    });
    await sidebar
      .getByRole('listbox', { name: 'Azure: Security Operations' })
      .getByRole('option', { name: /sentinel-demo/ })
      .click();
    await expect(page.locator('.jp-SentinelWorkspaceStatus')).toContainText(
      'sentinel-demo'
    );
    await sidebar
      .locator('.jp-AccordionPanel-title', { hasText: 'Schema' })
      .click();

    const hunts = sidebar.locator('.jp-SentinelHuntsPanel');
    // The folder was written after the page loaded its packs.
    await sidebar.locator('[data-command="sentinel:refresh-hunts"]').click();
    await expect(hunts.getByRole('button', { name: /^demo/ })).toContainText(
      '7 rules, 0 invalid',
      { timeout: 60_000 }
    );
    await hunts.getByRole('button', { name: 'Run “demo”' }).click();
    await expect(hunts.getByRole('status')).toHaveText(
      '7 rules on sentinel-demo: 7 fired',
      { timeout: 120_000 }
    );
    const rows = hunts.locator('.jp-SentinelHunts-row');
    await expect(rows.and(page.locator('[data-fired="true"]'))).toHaveCount(7);

    await hunts.getByRole('button', { name: new RegExp(`^${FOLDER}`) }).click();
    await hunts.getByRole('button', { name: `Run “${FOLDER}”` }).click();
    await expect(hunts.getByRole('status')).toHaveText(
      '1 rule on sentinel-demo: 0 fired',
      { timeout: 120_000 }
    );
    await expect(
      rows.and(page.locator('[data-outcome="missing-tables"]'))
    ).toContainText('the workspace has no NoSuchTable');
  } finally {
    await page.contents.deleteDirectory(FOLDER);
  }
});
