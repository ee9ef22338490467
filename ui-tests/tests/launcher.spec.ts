/**
 * A KQL notebook or cell started as a newcomer would look for it: the Launcher's Sentinel section,
 * File → New, and Edit → Insert KQL Cell Below, not only the Q key.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/** The current notebook's cells: KQL or not, and the workspace the notebook remembers. */
async function currentNotebook(page: Page): Promise<{
  path: string;
  kql: boolean[];
  workspace: unknown;
}> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    const model = widget.content.model;
    const cells = Array.from({ length: model.cells.length }, (_, i) =>
      model.cells.get(i)
    );
    return {
      path: widget.context.path,
      kql: cells.map((cell: any) => cell.getMetadata('sentinel')?.kql === true),
      workspace: model.getMetadata('sentinel')?.workspace ?? null
    };
  });
}

test.beforeEach(async ({ page }) => {
  // The demo workspace is active once the run-query command is enabled.
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
});

test('the Launcher starts a KQL notebook on the active workspace', async ({
  page
}) => {
  // The command resolves to the Launcher widget, which Playwright cannot serialize: return nothing.
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('launcher:create');
  });
  const launcher = page.locator('.jp-Launcher:visible');
  const section = launcher.locator('.jp-Launcher-section', {
    has: page.locator('.jp-Launcher-sectionTitle', { hasText: 'Sentinel' })
  });
  const card = section.locator('.jp-LauncherCard', { hasText: 'KQL Notebook' });
  await expect(card).toBeVisible();
  await expect(card.locator('svg')).toBeVisible();
  await card.click();

  const cell = page.locator('.jp-Notebook .jp-Cell').first();
  await expect(cell).toHaveClass(/jp-SentinelKqlCell/, { timeout: 30_000 });
  await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(1);
  const notebook = await currentNotebook(page);
  expect(notebook.kql).toEqual([true]);
  expect(notebook.workspace).toEqual({ backend: 'local', id: 'demo' });

  // The analyst types at once: the cell is in edit mode.
  await kernelIdle(page);
  await page.keyboard.type('SigninLogs | take 3');
  await expect(cell.locator('.cm-content')).toHaveText('SigninLogs | take 3');
});

test('File → New → KQL Notebook, and Edit → Insert KQL Cell Below', async ({
  page
}) => {
  await page.menu.clickMenuItem('File>New>KQL Notebook');
  const cells = page.locator('.jp-Notebook .jp-Cell');
  await expect(cells.first()).toHaveClass(/jp-SentinelKqlCell/, {
    timeout: 30_000
  });
  await kernelIdle(page);

  await page.menu.clickMenuItem('Edit>Insert KQL Cell Below');
  await expect(cells).toHaveCount(2);
  await expect(cells.nth(1)).toHaveClass(/jp-SentinelKqlCell/);
  expect((await currentNotebook(page)).kql).toEqual([true, true]);
});
