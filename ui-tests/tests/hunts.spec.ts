/**
 * The Hunts section of the Sentinel sidebar: the shipped pack runs on the demo workspace and its
 * rules find the planted attack (STORY.md), one rule's hits open as a KQL cell, and a bookmark of
 * them carries the entities its entity mappings name.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const BOOKMARKS = '/sentinel/api/workspaces/demo/bookmarks';
const RULE = 'Successful sign-in from an address that sprayed passwords';

test('runs the shipped pack on the demo, opens a hit as a KQL cell and bookmarks it with its entities', async ({
  page
}) => {
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await page.notebook.createNew('hunt.ipynb');
  await kernelIdle(page);

  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  // Room for the outcome table: the schema's list is not needed here.
  await sidebar
    .locator('.jp-AccordionPanel-title', { hasText: 'Schema' })
    .click();
  const hunts = sidebar.locator('.jp-SentinelHuntsPanel');
  const pack = hunts.getByRole('button', { name: /^demo/ });
  await expect(pack).toContainText('7 rules, 0 invalid', { timeout: 60_000 });
  await expect(pack).toHaveAttribute('aria-pressed', 'true');
  await expect(hunts.locator('.jp-SentinelHunts-files li')).toHaveCount(7);

  await hunts.getByRole('button', { name: 'Run “demo”' }).click();
  await expect(hunts.getByRole('status')).toHaveText(
    /^7 rules on Demo.*: 7 fired$/,
    {
      timeout: 120_000
    }
  );
  // Every stage of the attack is found.
  const rows = hunts.locator('.jp-SentinelHunts-row');
  await expect(rows).toHaveCount(7);
  await expect(rows.and(page.locator('[data-fired="true"]'))).toHaveCount(7);
  // The matrix colours the tactics the attack went through, and only those.
  const matrix = hunts.getByRole('group', { name: 'MITRE ATT&CK tactics' });
  for (const tactic of [
    'CredentialAccess',
    'InitialAccess',
    'Execution',
    'LateralMovement',
    'Exfiltration'
  ]) {
    await expect(matrix.locator(`[data-tactic="${tactic}"]`)).toHaveAttribute(
      'data-heat',
      'fired'
    );
  }
  await expect(matrix.locator('[data-tactic="Impact"]')).toHaveAttribute(
    'data-heat',
    'none'
  );
  // The matrix filters the table: one tactic's rules, from the keyboard.
  await matrix.locator('[data-tactic="LateralMovement"]').focus();
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('PsExec');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(7);
  // And the text filter.
  await hunts.getByRole('searchbox', { name: 'Filter rules' }).fill('sprayed');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toContainText(RULE);

  // Open: the rule's query in a KQL cell of the open notebook, run over the rule's window.
  await row.getByRole('button', { name: 'Open' }).click();
  const cell = page.locator('.jp-Notebook .jp-Cell').first();
  await expect(cell.locator('.jp-InputArea-editor')).toContainText(
    'let sprayers = SigninLogs'
  );
  await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
    /1 row from Demo/,
    { timeout: 120_000 }
  );

  // Bookmark: saved with the account and the address the rule's entity mappings name.
  await row.getByRole('button', { name: 'Bookmark' }).click();
  const list = sidebar.getByRole('listbox', { name: 'Bookmarks' });
  const item = list.getByRole('option', { name: RULE, exact: true });
  await expect(item).toBeVisible({ timeout: 30_000 });
  try {
    await item.click();
    const details = sidebar.getByRole('region', { name: 'Bookmark details' });
    await expect(details).toContainText(/Account: FullName = \S+@\S+/);
    await expect(details).toContainText(/IP: Address = \d+\.\d+\.\d+\.\d+/);
    await expect(details).toContainText('CredentialAccess');
    await expect(details).toContainText('T1110.003');
  } finally {
    const listed = (await (await page.request.get(BOOKMARKS)).json()) as {
      bookmarks?: { id: string; displayName: string }[];
    };
    for (const b of listed.bookmarks ?? []) {
      if (b.displayName === RULE) {
        await page.request.delete(`${BOOKMARKS}/${b.id}`);
      }
    }
  }
});

test.describe('a folder of rules in the Jupyter root', () => {
  const FOLDER = 'h19-hunt-rules';
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:hunts': { huntFolders: [FOLDER] }
    }
  });

  test('lists every YAML file, the invalid one with its reason, and names why rules did not run', async ({
    page
  }) => {
    const rule = (name: string, query: string) =>
      `name: ${name}\nkind: Scheduled\nqueryPeriod: 14d\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics: [Impact]\nquery: ${query}\n`;
    await page.contents.uploadContent(
      rule('Needs a table the demo lacks', 'NoSuchTable | take 1'),
      'text',
      `${FOLDER}/missing.yaml`
    );
    await page.contents.uploadContent(
      rule(
        'Runs Python in the cluster',
        'SigninLogs | evaluate python(typeof(*), "result = df")'
      ),
      'text',
      `${FOLDER}/nested/refused.yml`
    );
    await page.contents.uploadContent(
      'name: No query here\n',
      'text',
      `${FOLDER}/notes.yaml`
    );
    try {
      await page.waitForFunction(
        () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
        undefined,
        { timeout: 120_000 }
      );
      await page.sidebar.openTab('jp-sentinel-sidebar');
      const sidebar = page.locator('#jp-sentinel-sidebar');
      await sidebar
        .locator('.jp-AccordionPanel-title', { hasText: 'Schema' })
        .click();
      const hunts = sidebar.locator('.jp-SentinelHuntsPanel');
      // The packs were read when the page loaded, before the files existed.
      await sidebar.locator('[data-command="sentinel:refresh-hunts"]').click();
      const pack = hunts.getByRole('button', {
        name: new RegExp(`^${FOLDER}`)
      });
      await expect(pack).toContainText('2 rules, 1 invalid');
      await pack.click();
      const invalid = hunts.locator('.jp-SentinelHunts-invalid');
      await expect(invalid).toHaveCount(1);
      await expect(invalid).toContainText('notes.yaml');
      await expect(invalid).toContainText(/not a rule: .*query/);

      await hunts.getByRole('button', { name: `Run “${FOLDER}”` }).click();
      await expect(hunts.getByRole('status')).toHaveText(/: 0 fired$/, {
        timeout: 120_000
      });
      const rows = hunts.locator('.jp-SentinelHunts-row');
      await expect(
        rows.and(page.locator('[data-outcome="missing-tables"]'))
      ).toContainText('the workspace has no NoSuchTable');
      await expect(
        rows.and(page.locator('[data-outcome="refused"]'))
      ).toContainText('not supported locally: evaluate python');
      // Neither can be opened or bookmarked: they have no hits.
      await expect(rows.getByRole('button', { name: 'Open' })).toHaveCount(0);
      await expect(
        hunts
          .getByRole('group', { name: 'MITRE ATT&CK tactics' })
          .locator('[data-tactic="Impact"]')
      ).toHaveAttribute('data-heat', 'quiet');
    } finally {
      await page.contents.deleteDirectory(FOLDER);
    }
  });
});

test.describe('a GitHub repository of rules', () => {
  // A closed port: the server's fetch fails at once, as it does offline.
  const API = 'http://127.0.0.1:9';
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:hunts': {
        githubSources: [
          {
            name: 'Team detections',
            owner: 'contoso',
            repo: 'sentinel-rules',
            branch: 'main',
            paths: ['Detections', 'Hunting Queries'],
            apiUrl: API
          }
        ]
      }
    }
  });

  test('is listed by name beside the shipped pack, with the reason it cannot be read', async ({
    page
  }) => {
    await page.sidebar.openTab('jp-sentinel-sidebar');
    const sidebar = page.locator('#jp-sentinel-sidebar');
    await sidebar
      .locator('.jp-AccordionPanel-title', { hasText: 'Schema' })
      .click();
    const hunts = sidebar.locator('.jp-SentinelHuntsPanel');
    await expect(hunts.getByRole('button', { name: /^demo/ })).toContainText(
      '7 rules, 0 invalid',
      { timeout: 60_000 }
    );
    const pack = hunts.getByRole('button', { name: /^Team detections/ });
    await expect(pack).toContainText('unreadable');
    await expect(pack).toHaveAttribute(
      'title',
      `${API}/contoso/sentinel-rules/tree/main`
    );
    await pack.click();
    await expect(hunts.locator('.jp-SentinelHunts-error')).toHaveText(
      /^GitHub cannot be reached: /
    );
    await expect(
      hunts.getByRole('button', { name: 'Run “Team detections”' })
    ).toBeDisabled();
  });
});
