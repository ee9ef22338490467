/** What the Galata specs of KQL cells share: waiting for the kernel, inserting and running KQL. */
import { expect } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

/** Waits until the notebook's kernel has started and is idle. */
export async function kernelIdle(page: Page): Promise<void> {
  await expect(
    page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')
  ).toHaveAttribute('data-status', 'idle', { timeout: 120_000 });
}

/** Inserts a KQL cell holding `query` below the active cell; answers the cell at `index`. */
export async function insertKql(
  page: Page,
  index: number,
  query: string
): Promise<Locator> {
  await page.evaluate(
    query =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', { query }),
    query
  );
  return page.locator('.jp-Notebook .jp-Cell').nth(index);
}

/** Inserts a KQL cell, runs it from its toolbar and answers it (the run may still be going). */
export async function runKql(
  page: Page,
  index: number,
  query: string
): Promise<Locator> {
  const cell = await insertKql(page, index, query);
  await cell
    .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
    .click();
  return cell;
}

/** Inserts a KQL cell, runs it on the demo workspace and answers it once its result shows. */
export async function runKqlToResult(
  page: Page,
  index: number,
  query: string
): Promise<Locator> {
  const cell = await runKql(page, index, query);
  await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
    /rows? from Demo/,
    { timeout: 120_000 }
  );
  return cell;
}

/**
 * Waits until the code cell at `index` of the current notebook has run in the kernel (it has an
 * execution count) and the kernel is idle again: a KQL cell's result is loaded into its DataFrame
 * by the Python cell below it, which runs after the grid shows the result.
 */
export async function cellRan(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    index => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content?: {
          widgets: {
            model: { type: string; executionCount?: number | null };
          }[];
        };
      };
      const model = panel?.content?.widgets[index]?.model;
      return model?.type === 'code' && typeof model.executionCount === 'number';
    },
    index,
    { timeout: 120_000 }
  );
  await kernelIdle(page);
}

/**
 * The bounding box of an element scrolled into view, once it stays put: the notebook scrolls to
 * the active cell and the grid sizes its columns after its first rows arrive, and a click at a
 * box measured before either settles lands elsewhere.
 */
export async function settledBox(
  locator: Locator
): Promise<{ x: number; y: number; width: number; height: number }> {
  await locator.scrollIntoViewIfNeeded();
  let last = JSON.stringify(await locator.boundingBox());
  await expect
    .poll(async () => {
      const now = JSON.stringify(await locator.boundingBox());
      const still = now === last && now !== 'null';
      last = now;
      return still;
    })
    .toBe(true);
  return JSON.parse(last) as {
    x: number;
    y: number;
    width: number;
    height: number;
  };
}

/** Height of the result grid's column header and of one row, in pixels (src/results/widget.ts). */
const GRID_HEADER = 26;
const GRID_ROW = 24;

/** Selects rows `first` to `last` (0-based) of a KQL cell's result grid: a click, a shift-click. */
export async function selectGridRows(
  page: Page,
  cell: Locator,
  first: number,
  last: number
): Promise<{ x: number; y: number }> {
  const box = await settledBox(cell.locator('.jp-SentinelResult-grid'));
  const row = (index: number) => ({
    x: box.x + 20,
    y: box.y + GRID_HEADER + GRID_ROW * index + GRID_ROW / 2
  });
  await page.mouse.click(row(first).x, row(first).y);
  await page.keyboard.down('Shift');
  await page.mouse.click(row(last).x, row(last).y);
  await page.keyboard.up('Shift');
  return row(first);
}

/** Opens Create Bookmark for the active cell's result; resolves to the dialog. */
export async function openBookmarkDialog(page: Page): Promise<Locator> {
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('sentinel:create-bookmark');
  });
  return page.locator('.jp-SentinelBookmarkDialog');
}

/** The entity values the bookmark dialog proposes, once it shows the first one. */
export async function proposedEntities(dialog: Locator): Promise<string[]> {
  const values = dialog.getByLabel('Entity value');
  await expect(values.first()).toBeVisible();
  return values.evaluateAll(inputs =>
    inputs.map(i => (i as HTMLInputElement).value)
  );
}

/** Names the bookmark in the open dialog, creates it and waits until the demo workspace lists it. */
export async function createBookmarkNamed(
  page: Page,
  dialog: Locator,
  name: string
): Promise<void> {
  await dialog.locator('input[name="displayName"]').fill(name);
  await page
    .locator('.jp-Dialog')
    .getByRole('button', { name: 'Create Bookmark' })
    .click();
  await expect(page.locator('.jp-Dialog')).toHaveCount(0);
  await expect
    .poll(async () => {
      const listed = await page.request.get(
        '/sentinel/api/workspaces/demo/bookmarks'
      );
      return (
        (await listed.json()) as { bookmarks: { displayName: string }[] }
      ).bookmarks.some(b => b.displayName === name);
    })
    .toBe(true);
}
