import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import {
  cellRan,
  createBookmarkNamed,
  kernelIdle,
  openBookmarkDialog,
  proposedEntities,
  runKqlToResult,
  settledBox
} from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/** The compromised account's events in three tables (demo STORY.md): one lane per table. */
const ACCOUNT_EVENTS = `union
  (SigninLogs | where UserPrincipalName == "adele.vance@contoso.example"
    | project TimeGenerated, Type, Account = UserPrincipalName, Address = IPAddress),
  (OfficeActivity | where UserId == "adele.vance@contoso.example"
    | project TimeGenerated, Type, Account = UserId, Address = ClientIP),
  (DeviceProcessEvents | where AccountName == "adele.vance"
    | project TimeGenerated, Type, Account = AccountName, Address = DeviceName)
| order by TimeGenerated asc`;

/** Width of the lane labels left of the timeline's plot (src/views/timeline/widget.ts). */
const LABEL_WIDTH = 200;
/** Height of a lane when there are few (src/views/timeline/widget.ts). */
const LANE_HEIGHT = 24;

/** The result's view switcher button of a view. */
function viewButton(cell: Locator, view: string): Locator {
  return cell.locator(`.jp-SentinelResult-views [data-view="${view}"]`);
}

/** Shift+drag across the whole plot of lane `lane`: selects every event of that lane. */
async function brushLane(
  page: Page,
  canvas: Locator,
  lane: number
): Promise<void> {
  const box = await settledBox(canvas);
  const y = box.y + lane * LANE_HEIGHT + LANE_HEIGHT / 2;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + LABEL_WIDTH + 1, y - 6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, y, { steps: 4 });
  await page.mouse.move(box.x + box.width - 1, y + 6, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

test.describe('Timeline view', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('draws the account’s events across tables, selects them into the grid and a bookmark, survives a reload', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('timeline.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    let cell = await runKqlToResult(page, 1, ACCOUNT_EVENTS);
    await cellRan(page, 2);

    await viewButton(cell, 'timeline').click();
    await expect(viewButton(cell, 'timeline')).toHaveAttribute(
      'aria-pressed',
      'true'
    );
    const timeline = cell.locator('.jp-SentinelTimeline');
    const status = timeline.locator('.jp-SentinelTimeline-status');
    // One lane per table, in the order the story went: mail, endpoint and sign-ins.
    await expect(status).toContainText('3 lanes');
    const canvas = timeline.locator('canvas');
    await expect(canvas).toHaveAttribute(
      'aria-label',
      /Timeline of \d+ events by TimeGenerated in 3 lanes/
    );
    // The choice is in the cell's metadata, not in the KQL.
    const metadata = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: { widgets: { model: { getMetadata(k: string): unknown } }[] };
      };
      return panel.content.widgets[1].model.getMetadata('sentinel');
    });
    expect(metadata).toMatchObject({ views: { 0: { active: 'timeline' } } });

    // Hovering an event shows its details as text.
    const tooltip = timeline.locator('.jp-SentinelTimeline-tooltip');
    const box = await settledBox(canvas);
    for (
      let x = box.x + LABEL_WIDTH + 1;
      x < box.x + box.width && !(await tooltip.isVisible());
      x += 2
    ) {
      await page.mouse.move(x, box.y + LANE_HEIGHT / 2);
    }
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText('TimeGenerated: ');
    await expect(tooltip).toContainText('Type: OfficeActivity');
    expect(await tooltip.evaluate(node => node.childElementCount)).toBe(0);

    // Select the first lane's events with a Shift+drag: the grid selects the same rows.
    await brushLane(page, canvas, 0);
    await expect(status).toContainText(/[1-9]\d* rows? selected/);
    const selected = Number(
      /(\d+) rows? selected/.exec((await status.textContent()) ?? '')?.[1]
    );
    await page.notebook.selectCells(1);
    const dialog = await openBookmarkDialog(page);
    await expect(dialog).toContainText(
      selected === 1
        ? '1 row is stored with the bookmark.'
        : `${selected} rows are stored with the bookmark.`
    );
    const proposed = await proposedEntities(dialog);
    expect(proposed).toContain('adele.vance@contoso.example');
    const name = `Timeline evidence ${randomUUID().slice(0, 8)}`;
    await createBookmarkNamed(page, dialog, name);

    // Export SVG downloads the picture of the view, with the lanes as text.
    const download = page.waitForEvent('download');
    await cell.getByRole('button', { name: 'Export the view as SVG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-timeline\.svg$/);
    const svg = readFileSync((await file.path())!, 'utf-8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>OfficeActivity</text>');

    const png = page.waitForEvent('download');
    await cell.getByRole('button', { name: 'Export the view as PNG' }).click();
    expect((await png).suggestedFilename()).toMatch(/-timeline\.png$/);

    // The saved output carries a picture for where the extension is not installed.
    await page.notebook.save();
    await expect
      .poll(async () => {
        const saved = await page.request.get(
          `/api/contents/${tmpPath}/timeline.ipynb`
        );
        const notebook = (await saved.json()) as {
          content: {
            cells: { outputs?: { data?: Record<string, unknown> }[] }[];
          };
        };
        return Object.keys(notebook.content.cells[1].outputs?.[0]?.data ?? {});
      })
      .toContain('image/png');
    await page.notebook.save();

    // After a reload the cell shows the timeline again.
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.notebook.isOpen('timeline.ipynb'), { timeout: 30_000 })
      .toBe(true);
    cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await expect(viewButton(cell, 'timeline')).toHaveAttribute(
      'aria-pressed',
      'true',
      { timeout: 60_000 }
    );
    await expect(cell.locator('.jp-SentinelTimeline-status')).toContainText(
      '3 lanes'
    );

    // Back to the grid alone: the view goes, and so does the choice.
    await viewButton(cell, 'grid').click();
    await expect(cell.locator('.jp-SentinelTimeline')).toHaveCount(0);
  });

  test('is unavailable without a datetime column, and drawn in the dark theme’s colours', async ({
    page
  }) => {
    await page.notebook.createNew('timeline-dark.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const counts = await runKqlToResult(
      page,
      1,
      'SigninLogs | summarize Failures = count() by IPAddress | take 5'
    );
    const disabled = viewButton(counts, 'timeline');
    await expect(disabled).toHaveAttribute('aria-disabled', 'true');
    await expect(disabled).toHaveAttribute(
      'title',
      'The timeline needs a datetime column; this result has none.'
    );
    // Forced: Playwright waits for a control marked disabled to be enabled before clicking it.
    await disabled.click({ force: true });
    await expect(counts.locator('.jp-SentinelTimeline')).toHaveCount(0);

    await page.notebook.selectCells(2);
    const cell = await runKqlToResult(page, 3, ACCOUNT_EVENTS);
    await viewButton(cell, 'timeline').click();
    const canvas = cell.locator('.jp-SentinelTimeline canvas');
    await expect(canvas).toBeVisible();

    await page.theme.setDarkTheme();
    // The canvas's background is the dark theme's --jp-layout-color0, read when it drew.
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        '.jp-SentinelTimeline canvas'
      );
      const context = canvas?.getContext('2d');
      if (!canvas || !context) {
        return false;
      }
      const probe = document.createElement('div');
      probe.style.color = 'var(--jp-layout-color0)';
      document.body.appendChild(probe);
      const expected = getComputedStyle(probe).color;
      probe.remove();
      const [r, g, b] = context.getImageData(2, 2, 1, 1).data;
      return (
        document.body.dataset.jpThemeLight === 'false' &&
        expected === `rgb(${r}, ${g}, ${b})`
      );
    });

    // The view's context menu switches views too.
    await canvas.click({ button: 'right' });
    // Lumino gives a submenu's item the list item role, without a name: find it by its text.
    await page.locator('.lm-Menu').getByText('Show Result As').hover();
    await expect(
      page.getByRole('menuitemcheckbox', { name: 'Show as Timeline' })
    ).toHaveAttribute('aria-checked', 'true');
    await page.getByRole('menuitem', { name: 'Show as Grid' }).click();
    await expect(cell.locator('.jp-SentinelTimeline')).toHaveCount(0);
    await expect(viewButton(cell, 'grid')).toHaveAttribute(
      'aria-pressed',
      'true'
    );
  });
});
