/**
 * The Sentinel sidebar's sections as an analyst arranges them: the schema gets the most room at
 * first, a handle resizes two sections, a section collapsed and expanded again gets its size back
 * (it used to come back a few pixels tall), and sizes and collapsed sections stay across a reload.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

const SECTIONS_KEY = 'jupyterlab-sentinel:sidebar-sections';

/** The height of a section, in pixels. */
async function height(section: Locator): Promise<number> {
  return (await section.boundingBox())?.height ?? 0;
}

/** Waits until JupyterLab's workspace holds the sections' state `check` accepts. */
async function kept(
  page: Page,
  check: (state: Record<string, { size: number; expanded: boolean }>) => boolean
): Promise<void> {
  await expect
    .poll(async () => {
      const state = await page.evaluate(async key => {
        const response = await fetch('/lab/api/workspaces/default');
        const workspace = await response.json();
        return workspace.data?.[key] ?? null;
      }, SECTIONS_KEY);
      return state !== null && check(state);
    })
    .toBe(true);
}

test('sections are resizable, come back whole when expanded and keep their sizes across reloads', async ({
  page
}) => {
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await page.sidebar.openTab('jp-sentinel-sidebar');
  const sidebar = page.locator('#jp-sentinel-sidebar');
  const workspaces = sidebar.locator('#jp-sentinel-workspaces');
  const schema = sidebar.locator('#jp-sentinel-schema');
  const templates = sidebar.locator('#jp-sentinel-templates');
  const title = (name: string) =>
    sidebar.locator('.jp-AccordionPanel-title', { hasText: name });
  await expect(schema).toBeVisible();

  // At first the schema, the longest list, has the most room.
  await expect
    .poll(async () => (await height(schema)) / (await height(workspaces)))
    .toBeGreaterThan(2);

  // The handle under the schema moves the boundary between it and the templates.
  const before = await height(schema);
  const handle = sidebar
    .locator('.jp-SidePanel-content > .lm-SplitPanel-handle')
    .nth(1);
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y - 60, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(async () => Math.round(before - (await height(schema))))
    .toBeGreaterThan(50);
  const resized = await height(schema);

  // Collapsed and expanded, the schema comes back at its size.
  await title('Schema').click();
  await expect(schema).toBeHidden();
  await title('Schema').click();
  await expect(schema).toBeVisible();
  await expect
    .poll(async () => Math.abs((await height(schema)) - resized))
    .toBeLessThan(4);

  // Templates collapsed, then a reload: still collapsed, the schema still at its size.
  await title('Templates').click();
  await expect(templates).toBeHidden();
  await kept(page, state => state['jp-sentinel-templates']?.expanded === false);
  const schemaShare = (await height(schema)) / (await height(workspaces));
  await page.reload();
  await page.waitForFunction(
    () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
    undefined,
    { timeout: 120_000 }
  );
  await expect(schema).toBeVisible();
  await expect(templates).toBeHidden();
  await expect
    .poll(async () =>
      Math.abs(
        (await height(schema)) / (await height(workspaces)) - schemaShare
      )
    )
    .toBeLessThan(0.1);

  // Expanded after the reload, the templates come back whole, not a few pixels tall.
  await title('Templates').click();
  await expect(templates).toBeVisible();
  await expect.poll(async () => height(templates)).toBeGreaterThan(80);
});
