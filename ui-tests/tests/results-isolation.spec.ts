import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/** The current notebook panel: several are open at once here. */
async function current(page: Page): Promise<Locator> {
  const id = await page.evaluate(
    () => window.jupyterapp.shell.currentWidget!.id
  );
  return page.locator(`[id="${id}"]`);
}

/** Waits until the current notebook's kernel has started and is idle. */
async function kernelIdle(page: Page): Promise<void> {
  await expect(
    (await current(page)).locator('.jp-Notebook-ExecutionIndicator')
  ).toHaveAttribute('data-status', 'idle', { timeout: 120_000 });
}

/** A query whose result says which notebook made it: `rows` rows, and columns of its own. */
function query(source: string, rows: number, extra = false): string {
  return `range n from 1 to ${rows} step 1 | extend Source = "${source}"${extra ? ', Extra = n * 2' : ''}`;
}

/** The rows the active KQL cell's grid reads from its saved result. */
async function gridRows(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(async () => {
    const results = (await window.galata.getPlugin(
      'jupyterlab-sentinel:results' as never
    )) as unknown as {
      rowsOf(
        cell: undefined,
        limit: number
      ): Promise<{ rows: Record<string, unknown>[] }>;
    };
    return (await results.rowsOf(undefined, 100)).rows;
  });
}

/**
 * Runs the result cell below the KQL cell again (it reads the saved file), then the notebook's
 * last cell, which describes the DataFrame.
 */
async function dataFrame(page: Page): Promise<string[]> {
  await kernelIdle(page);
  await page.notebook.runCell(2, true);
  await page.notebook.runCell(3, true);
  return (await page.notebook.getCellTextOutput(3)) ?? [];
}

/** What the active notebook's metadata says about its results folder. */
async function resultsMetadata(
  page: Page
): Promise<{ folder: string; path: string }> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      model: {
        getMetadata(key: string): { results: { folder: string; path: string } };
      };
    };
    return panel.model.getMetadata('sentinel').results;
  });
}

/** A notebook holding one KQL cell with `source`, written to `path` as a user's file would be. */
async function writeNotebook(
  page: Page,
  path: string,
  source: string
): Promise<void> {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    cells: [
      {
        id: 'intro',
        cell_type: 'markdown',
        metadata: {},
        source: '# Hunt'
      },
      {
        id: 'kql',
        cell_type: 'code',
        metadata: { sentinel: { kql: true }, tags: ['skip-execution'] },
        source,
        outputs: [],
        execution_count: null
      },
      {
        id: 'check',
        cell_type: 'code',
        metadata: {},
        source:
          'print(len(result_df), sorted(set(result_df.Source)), list(result_df.columns))',
        outputs: [],
        execution_count: null
      }
    ]
  };
  expect(
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', path)
  ).toBe(true);
}

/** Opens a notebook of the test's folder (as File ▸ Open does) and waits until it is current. */
async function open(page: Page, folder: string, name: string): Promise<void> {
  await page.evaluate(async path => {
    await window.jupyterapp.commands.execute('docmanager:open', { path });
  }, `${folder}/${name}`);
  await page.waitForFunction(
    name => window.jupyterapp.shell.currentWidget?.title.label === name,
    name
  );
  // Galata's notebook helpers act on the tab it last activated.
  await page.notebook.activate(name);
}

/** Opens a notebook and runs its KQL cell; waits until the result and its result cell are done. */
async function openAndRun(
  page: Page,
  folder: string,
  name: string,
  rows: number
): Promise<void> {
  await open(page, folder, name);
  await kernelIdle(page);
  await page.notebook.selectCells(1);
  const cell = (await current(page)).locator('.jp-Cell').nth(1);
  await cell
    .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
    .click();
  await expect(cell.locator('.jp-SentinelResult-footer')).toContainText(
    `${rows} rows from Demo`,
    { timeout: 120_000 }
  );
  await kernelIdle(page);
  await page.notebook.save();
}

/** The shipped templates, read as the sidebar's Clone copies them. */
const TEMPLATES = path.resolve(
  __dirname,
  '../../jupyterlab_sentinel/templates'
);

/**
 * Runs all the current notebook's cells (Run All) and waits until its last code cell has run:
 * Run All reaches it only when every KQL cell's DataFrame was loaded and every cell succeeded.
 */
async function runAll(page: Page): Promise<void> {
  await kernelIdle(page);
  // A kernel drops what it is sent before its start-up completes, though it reads idle
  // (jupyterlab#15420): wait as Galata's runCell does.
  await page.waitForFunction(() => {
    const status =
      document.querySelector('#jp-main-statusbar')?.textContent ?? '';
    return !['Connecting', 'Initializing', 'Starting'].some(s =>
      status.includes(s)
    );
  });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('notebook:run-all-cells')
  );
  await page.waitForFunction(
    () => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          widgets: {
            model: { type: string; executionCount?: number | null };
          }[];
        };
      };
      const code = panel.content.widgets.filter(w => w.model.type === 'code');
      return code[code.length - 1].model.executionCount != null;
    },
    undefined,
    { timeout: 300_000 }
  );
  await kernelIdle(page);
}

/** Rows and columns of the current notebook's `signins` DataFrame, as the kernel prints them. */
async function signinsInKernel(page: Page): Promise<string> {
  const index = await page.notebook.getCellCount();
  await page.notebook.addCell(
    'code',
    // `succeeded` is the account template's own column, added after loading.
    'print(len(signins), [c for c in signins.columns if c != "succeeded"])'
  );
  await page.notebook.runCell(index, true);
  return ((await page.notebook.getCellTextOutput(index)) ?? []).join('');
}

test.describe('Results of different notebooks', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('never mix: one folder, one DataFrame name, a duplicate run again', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(600_000);
    // Two notebooks in one folder, each loading its result into `result_df`.
    await writeNotebook(page, `${tmpPath}/first.ipynb`, query('first', 3));
    await writeNotebook(
      page,
      `${tmpPath}/second.ipynb`,
      query('second', 5, true)
    );
    await openAndRun(page, tmpPath, 'first.ipynb', 3);
    await openAndRun(page, tmpPath, 'second.ipynb', 5);

    // Each grid and each DataFrame shows its own rows.
    await page.notebook.selectCells(1);
    expect((await gridRows(page)).map(r => r.Source)).toEqual(
      Array(5).fill('second')
    );
    expect(await dataFrame(page)).toEqual([
      "5 ['second'] ['n', 'Source', 'Extra']\n"
    ]);
    await open(page, tmpPath, 'first.ipynb');
    await page.notebook.selectCells(1);
    expect((await gridRows(page)).map(r => r.Source)).toEqual(
      Array(3).fill('first')
    );
    expect(await dataFrame(page)).toEqual(["3 ['first'] ['n', 'Source']\n"]);
    const first = await resultsMetadata(page);
    expect(first).toEqual({
      folder: expect.stringMatching(/^first-[0-9a-f]{6}$/),
      path: `${tmpPath}/first.ipynb`
    });
    await page.notebook.save();
    await page.notebook.close(true);

    // Duplicated in the file browser, the copy runs another query into its own files.
    await page.sidebar.openTab('filebrowser');
    await page
      .locator('.jp-DirListing-item', { hasText: 'first.ipynb' })
      .first()
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    const copy = page.locator('.jp-DirListing-item', {
      hasText: 'first-Copy1.ipynb'
    });
    await expect(copy).toBeVisible();
    await open(page, tmpPath, 'first-Copy1.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(1);
    await page.evaluate(
      source => {
        const panel = window.jupyterapp.shell.currentWidget as unknown as {
          content: {
            activeCell: {
              model: { sharedModel: { setSource(s: string): void } };
            };
          };
        };
        panel.content.activeCell.model.sharedModel.setSource(source);
      },
      query('copy', 7)
    );
    const copied = (await current(page)).locator('.jp-Cell').nth(1);
    await copied
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(copied.locator('.jp-SentinelResult-footer')).toContainText(
      '7 rows from Demo',
      { timeout: 120_000 }
    );
    await kernelIdle(page);
    const own = await resultsMetadata(page);
    expect(own.folder).toMatch(/^first-Copy1-[0-9a-f]{6}$/);
    expect(own.path).toBe(`${tmpPath}/first-Copy1.ipynb`);
    expect((await gridRows(page)).map(r => r.Source)).toEqual(
      Array(7).fill('copy')
    );
    await page.notebook.save();

    // The original's DataFrame, loaded again from its saved result, is still its own.
    await open(page, tmpPath, 'first.ipynb');
    expect(await dataFrame(page)).toEqual(["3 ['first'] ['n', 'Source']\n"]);
    await page.notebook.save();

    // After a reload, the original's grid still shows its own rows. The reload resets the layout: a
    // restored tab would become current again after the original is opened, and the layout is saved
    // to the server after a delay, so closing the tabs first does not keep them from coming back.
    await page.goto('?reset');
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
    await open(page, tmpPath, 'first.ipynb');
    await expect(
      (await current(page))
        .locator('.jp-Cell')
        .nth(1)
        .locator('.jp-SentinelResult-footer')
    ).toContainText('3 rows from Demo', { timeout: 60_000 });
    await page.notebook.selectCells(1);
    expect((await gridRows(page)).map(r => r.Source)).toEqual(
      Array(3).fill('first')
    );
  });
  test('keep two templates cloned into one folder working with Run All', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(900_000);
    // Both load sign-ins into `signins`: the account's few and every successful one of a month.
    for (const name of [
      'account-investigation.ipynb',
      'anomalous-sign-in-locations.ipynb'
    ]) {
      expect(
        await page.contents.uploadContent(
          fs.readFileSync(path.join(TEMPLATES, name), 'utf-8'),
          'text',
          `${tmpPath}/${name}`
        )
      ).toBe(true);
    }
    await open(page, tmpPath, 'account-investigation.ipynb');
    await runAll(page);
    const account = await signinsInKernel(page);
    // The columns the account's query projects.
    const columns = [
      'TimeGenerated',
      'IPAddress',
      'Country',
      'City',
      'ResultType',
      'ResultDescription',
      'AppDisplayName',
      'ClientAppUsed',
      'UserAgent',
      'RiskLevelDuringSignIn',
      'AuthenticationRequirement',
      'IsInteractive'
    ];
    expect(account).toMatch(/^\d+ \[/);
    expect(account).toContain(`[${columns.map(c => `'${c}'`).join(', ')}]`);
    await open(page, tmpPath, 'anomalous-sign-in-locations.ipynb');
    await runAll(page);
    expect(await signinsInKernel(page)).not.toBe(account);

    // The account's notebook still reads its own sign-ins: its grid, and its DataFrame loaded again.
    await open(page, tmpPath, 'account-investigation.ipynb');
    const kql = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: { widgets: { hasClass(name: string): boolean }[] };
      };
      return panel.content.widgets.findIndex(w =>
        w.hasClass('jp-SentinelKqlCell')
      );
    });
    await page.notebook.selectCells(kql);
    const grid = await gridRows(page);
    const rows = Number(/^(\d+) /.exec(account)![1]);
    expect(grid).toHaveLength(Math.min(rows, 100));
    expect(Object.keys(grid[0])).toEqual(columns);
    await page.notebook.runCell(kql + 1, true);
    expect(await signinsInKernel(page)).toBe(account);
  });
});
