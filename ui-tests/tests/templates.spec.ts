import { expect, galata, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

const HOST = 'Host investigation with a process tree';
const ACCOUNT = 'Account investigation';

async function openTemplates(page: Page): Promise<Locator> {
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  // The required tables are checked once the demo workspace's schema is known.
  await expect(sidebar.getByRole('option', { name: /Demo/ })).toHaveAttribute(
    'aria-selected',
    'true',
    { timeout: 120_000 }
  );
  const list = sidebar.getByRole('listbox', { name: 'Templates' });
  await expect(list.getByRole('option').first()).toBeVisible();
  return sidebar;
}

async function contentOf(page: Page, path: string): Promise<string> {
  const response = await page.request.get(`/api/contents/${path}?content=1`);
  expect(response.ok()).toBe(true);
  return JSON.stringify((await response.json()).content);
}

test.describe('Sentinel templates', () => {
  test('browses the shipped templates and searches by text and tag', async ({
    page
  }) => {
    const sidebar = await openTemplates(page);
    const list = sidebar.getByRole('listbox', { name: 'Templates' });
    await expect(list.getByRole('option')).toHaveCount(6);

    const search = sidebar.getByRole('searchbox', { name: 'Search templates' });
    await search.fill('process tree');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option', { name: HOST })).toBeVisible();

    await search.fill('');
    const tags = sidebar.getByRole('group', { name: 'Filter by tag' });
    await tags.getByRole('button', { name: 'identity', exact: true }).click();
    await expect(list.getByRole('option', { name: ACCOUNT })).toBeVisible();
    await expect(list.getByRole('option', { name: HOST })).toHaveCount(0);
    await tags.getByRole('button', { name: 'identity', exact: true }).click();
    await expect(list.getByRole('option')).toHaveCount(6);

    await list.getByRole('option', { name: HOST }).click();
    const details = sidebar.getByRole('region', { name: 'Template details' });
    await expect(details.getByRole('heading', { name: HOST })).toBeVisible();
    await expect(details).toContainText('wks-0042');
  });

  test('clones into the current folder and asks on a name clash', async ({
    page,
    tmpPath
  }) => {
    const sidebar = await openTemplates(page);
    const list = sidebar.getByRole('listbox', { name: 'Templates' });
    await list.getByRole('option', { name: ACCOUNT }).click();
    const details = sidebar.getByRole('region', { name: 'Template details' });
    const clone = details.getByRole('button', { name: 'Clone' });
    const dialog = page.getByRole('dialog');

    // No clash: the copy is written into the file browser's folder and opened.
    await clone.click();
    await expect(
      page.activity.getTabLocator('account-investigation.ipynb')
    ).toBeVisible();
    expect(
      await page.contents.fileExists(`${tmpPath}/account-investigation.ipynb`)
    ).toBe(true);
    await expect(
      page
        .locator('.jp-NotebookPanel .jp-RenderedMarkdown')
        .getByText('Set the account below')
    ).toBeVisible();

    // Cancel: nothing is written.
    await clone.click();
    await expect(dialog).toContainText('already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    expect(
      await page.contents.fileExists(`${tmpPath}/account-investigation-1.ipynb`)
    ).toBe(false);

    // Save under the proposed name: a second copy, opened.
    await clone.click();
    await dialog
      .getByRole('button', { name: 'Save as account-investigation-1.ipynb' })
      .click();
    await expect(
      page.activity.getTabLocator('account-investigation-1.ipynb')
    ).toBeVisible();
    expect(
      await page.contents.fileExists(`${tmpPath}/account-investigation-1.ipynb`)
    ).toBe(true);

    // Overwrite: the first copy is replaced by a fresh one.
    // Starting the kernel fills in the notebook's language_info, so closing asks about saving.
    await page.menu.clickMenuItem('File>Close All Tabs');
    for (const name of [
      'account-investigation.ipynb',
      'account-investigation-1.ipynb'
    ]) {
      const tab = page.activity.getTabLocator(name);
      await expect(async () => {
        if (await dialog.isVisible()) {
          await dialog.getByRole('button', { name: 'Discard' }).click();
        }
        await expect(tab).toHaveCount(0, { timeout: 500 });
      }).toPass();
    }
    await page.contents.uploadContent(
      JSON.stringify({
        cells: [],
        metadata: { mine: true },
        nbformat: 4,
        nbformat_minor: 5
      }),
      'text',
      `${tmpPath}/account-investigation.ipynb`
    );
    expect(
      await contentOf(page, `${tmpPath}/account-investigation.ipynb`)
    ).toContain('"mine":true');
    await clone.click();
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await expect(
      page.activity.getTabLocator('account-investigation.ipynb')
    ).toBeVisible();
    const replaced = await contentOf(
      page,
      `${tmpPath}/account-investigation.ipynb`
    );
    expect(replaced).not.toContain('"mine":true');
    expect(replaced).toContain('clonedFrom');
    await expect(
      page
        .locator('.jp-NotebookPanel .jp-RenderedMarkdown')
        .getByText('Set the account below')
    ).toBeVisible();
    expect(
      await page.contents.fileExists(`${tmpPath}/account-investigation-2.ipynb`)
    ).toBe(false);
  });

  test('opens a template read-only without writing a file', async ({
    page,
    tmpPath
  }) => {
    const sidebar = await openTemplates(page);
    const list = sidebar.getByRole('listbox', { name: 'Templates' });
    await list.getByRole('option', { name: HOST }).click();
    await sidebar
      .getByRole('region', { name: 'Template details' })
      .getByRole('button', { name: 'Open' })
      .click();
    await expect(
      page.activity.getTabLocator(`${HOST} (template)`)
    ).toBeVisible();
    await expect(
      page
        .locator('.jp-SentinelTemplatePreview')
        .getByText('Encoded PowerShell, decoded')
    ).toBeVisible();
    const listing = await page.request.get(`/api/contents/${tmpPath}`);
    expect((await listing.json()).content).toEqual([]);
  });
});

// A team folder (from the settings) with a template that needs a table the demo workspace lacks.
const TEAM = 'sentinel-team-templates';

test.describe('Sentinel templates against the workspace schema', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:templates': {
        templateFolders: [{ name: 'Team', path: TEAM }]
      }
    }
  });

  test('marks required tables present or missing in the demo workspace', async ({
    page
  }) => {
    const notebook = {
      cells: [],
      metadata: {
        sentinel: {
          title: 'CloudTrail console logins',
          description: 'AWS console logins without MFA.',
          requiredTables: ['AWSCloudTrail', 'SigninLogs'],
          tags: ['aws']
        }
      },
      nbformat: 4,
      nbformat_minor: 5
    };
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      `${TEAM}/cloudtrail.ipynb`
    );
    try {
      // The templates were listed when the page loaded, before the folder existed.
      await page.reload();
      const sidebar = await openTemplates(page);
      const list = sidebar.getByRole('listbox', { name: 'Templates' });
      const cloud = list.getByRole('option', {
        name: 'CloudTrail console logins'
      });
      await expect(cloud).toBeVisible();
      await expect(
        cloud.getByLabel('AWSCloudTrail: missing from Demo (synthetic)')
      ).toBeVisible();
      await expect(
        cloud.getByLabel('SigninLogs: present in Demo (synthetic)')
      ).toBeVisible();

      const host = list.getByRole('option', { name: HOST });
      await expect(
        host.getByLabel('DeviceProcessEvents: present in Demo (synthetic)')
      ).toBeVisible();

      await cloud.click();
      await expect(
        sidebar.getByRole('region', { name: 'Template details' })
      ).toContainText('Demo (synthetic) lacks 1 required table.');
    } finally {
      await page.contents.deleteDirectory(TEAM);
    }
  });

  test('lists a GitHub repository as a source, saying why it cannot be reached offline', async ({
    page
  }) => {
    // Microsoft's public notebooks repository is a source by default. This machine reaches no
    // GitHub: the source says why, and the shipped templates are all there.
    const sidebar = await openTemplates(page);
    await expect(
      sidebar
        .getByRole('alert')
        .filter({ hasText: 'Microsoft Sentinel notebooks:' })
    ).toContainText('GitHub cannot be reached');
    const list = sidebar.getByRole('listbox', { name: 'Templates' });
    await expect(
      list.getByRole('option', { name: new RegExp(HOST) })
    ).toBeVisible();
    const sources = await page.request.get('/sentinel/api/templates');
    const github = (
      (await sources.json()) as {
        sources: { kind: string; path: string; status: string }[];
      }
    ).sources.find(s => s.kind === 'github');
    expect(github).toMatchObject({
      status: 'error',
      path: 'https://github.com/Azure/Azure-Sentinel-Notebooks/tree/master'
    });
  });
});
