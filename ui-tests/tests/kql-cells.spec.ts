import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

const QUERY =
  'SigninLogs | where ResultType != "0" | summarize Accounts = dcount(UserPrincipalName) by IPAddress | top 3 by Accounts';

/** What the active notebook's cells hold: type, source, KQL mark, editor MIME type. */
async function cells(page: Page): Promise<
  {
    type: string;
    source: string;
    metadata: Record<string, unknown>;
    mimeType: string;
    kqlClass: boolean;
  }[]
> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as unknown as {
      content: {
        widgets: {
          hasClass(name: string): boolean;
          model: {
            type: string;
            mimeType: string;
            metadata: Record<string, unknown>;
            sharedModel: { getSource(): string };
          };
        }[];
      };
    };
    return panel.content.widgets.map(w => ({
      type: w.model.type,
      source: w.model.sharedModel.getSource(),
      metadata: w.model.metadata,
      mimeType: w.model.mimeType,
      kqlClass: w.hasClass('jp-SentinelKqlCell')
    }));
  });
}

/** The ids of the extension's chunks the page has loaded (its bundler's chunk registry). */
async function pageChunks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const registry = (window as unknown as Record<string, unknown>)[
      'rspackChunkjupyterlab_sentinel'
    ] as [(string | number)[], unknown][] | undefined;
    return (registry ?? []).flatMap(([ids]) => ids.map(String));
  });
}

test.describe('KQL cells', () => {
  test.beforeEach(async ({ page }) => {
    // The demo workspace is active and ready once the run-query command is enabled.
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('runs a query from the cell toolbar into a pandas DataFrame', async ({
    page,
    tmpPath
  }) => {
    await page.notebook.createNew('spray.ipynb');
    await kernelIdle(page);

    // Command mode, then the shortcut inserts a KQL cell below and edits it.
    await page.notebook.selectCells(0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('q');
    const kqlCell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await expect(kqlCell).toHaveClass(/jp-SentinelKqlCell/);
    await page.keyboard.type(QUERY);

    let state = await cells(page);
    expect(state).toHaveLength(2);
    expect(state[1].source).toBe(QUERY);
    expect(state[1].metadata.sentinel).toEqual({ kql: true });
    // nbconvert and papermill skip the KQL: the notebook re-runs from its saved results.
    expect(state[1].metadata.tags).toEqual(['skip-execution']);
    // The editor highlights KQL, not the kernel's Python.
    expect(state[1].mimeType).toBe('text/x-kusto');
    expect(state[0].mimeType).toBe('text/x-ipython');

    await kqlCell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();

    const resultCell = page.locator('.jp-Notebook .jp-Cell').nth(2);
    await expect(resultCell.locator('.jp-OutputArea-output')).toContainText(
      'IPAddress',
      { timeout: 120_000 }
    );
    await expect(kqlCell.locator('.jp-OutputArea-output')).toContainText(
      '3 rows from Demo'
    );
    // The query compiled in the KQL language service's Web Worker: the page has loaded chunks of
    // the extension, but never Kusto.Language nor the compiler.
    const chunks = await pageChunks(page);
    expect(chunks.some(c => c.includes('lib_index_js'))).toBe(true);
    expect(chunks.filter(c => /kusto|kql_sql_emitter/.test(c))).toEqual([]);
    await kernelIdle(page);
    state = await cells(page);
    expect(state[1].metadata.sentinel).toEqual({
      kql: true,
      variable: 'signinlogs_df',
      // What a scheduled job runs again: the SQL the server ran.
      job: expect.objectContaining({
        backend: 'local',
        workspace: 'demo',
        statements: [{ sql: expect.stringContaining('"SigninLogs"') }]
      })
    });
    // The notebook's own folder under results/: its name and a short id. The kernel has the
    // package, so the result loads through job.result, which queries again in a job.
    expect(state[2].source).toMatch(
      /^from jupyterlab_sentinel\.job import result\nsigninlogs_df = result\("results\/spray-[0-9a-f]{6}\/signinlogs_df\.parquet", cell="[^"]+"\)\nsigninlogs_df\.head\(\)$/
    );
    const saved = /results\/spray-[0-9a-f]{6}\/signinlogs_df\.parquet/.exec(
      state[2].source
    )![0];
    expect(state[2].metadata.sentinel).toEqual({
      resultOf: expect.any(String)
    });
    expect(state[2].kqlClass).toBe(false);

    // The DataFrame is in the kernel.
    await page.notebook.addCell('code', 'print(len(signinlogs_df))');
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['3\n']);

    // Running the KQL cell again updates the linked cell instead of adding one.
    await page.notebook.selectCells(1);
    await kqlCell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(kqlCell.locator('.jp-OutputArea-output')).toContainText(
      '3 rows from Demo',
      { timeout: 120_000 }
    );
    await kernelIdle(page);
    expect(await cells(page)).toHaveLength(4);
    // The notebook remembers the workspace it ran against.
    const workspace = await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        model: { getMetadata(key: string): unknown };
      };
      return panel.model.getMetadata('sentinel');
    });
    expect(workspace).toEqual({
      workspace: { backend: 'local', id: 'demo' },
      results: {
        folder: saved.split('/')[1],
        path: `${tmpPath}/spray.ipynb`
      }
    });

    // Saved, copied out of JupyterLab with its results, the notebook re-runs with nbconvert alone.
    await page.notebook.save();
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kql-cells-'));
    fs.mkdirSync(path.join(copy, path.dirname(saved)), { recursive: true });
    const notebook = await page.request.get(
      `/api/contents/${tmpPath}/spray.ipynb?content=1&type=notebook`
    );
    fs.writeFileSync(
      path.join(copy, 'spray.ipynb'),
      JSON.stringify((await notebook.json()).content)
    );
    const parquet = await page.request.get(
      `/api/contents/${tmpPath}/${saved}?content=1&type=file&format=base64`
    );
    fs.writeFileSync(
      path.join(copy, saved),
      Buffer.from((await parquet.json()).content, 'base64')
    );
    execFileSync(
      'jupyter',
      [
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--output',
        'rerun.ipynb',
        'spray.ipynb'
      ],
      { cwd: copy, stdio: 'pipe', timeout: 120_000 }
    );
    const rerun = JSON.parse(
      fs.readFileSync(path.join(copy, 'rerun.ipynb'), 'utf-8')
    ) as {
      cells: {
        outputs?: {
          text?: string[];
          data?: Record<string, string | string[]>;
        }[];
      }[];
    };
    expect(rerun.cells[3].outputs?.[0]?.text).toEqual(['3\n']);
    // The KQL cell was skipped, not sent to Python: it keeps its result and has no error.
    const summary = rerun.cells[1].outputs?.[0]?.data?.['text/plain'];
    expect([summary].flat().join('')).toContain('3 rows from Demo');
    fs.rmSync(copy, { recursive: true, force: true });
  });

  test('shows errors with line and column as text, keeping the query', async ({
    page
  }) => {
    await page.notebook.createNew('typo.ipynb');
    await kernelIdle(page);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell')
    );
    const typo = 'SigninLogs\n| wher ResultType == "0"';
    await page.keyboard.type(typo);
    // Shift+Enter runs the KQL: nothing reaches the Python kernel.
    await page.keyboard.press('Shift+Enter');
    const kqlCell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    const output = kqlCell.locator('.jp-OutputArea-output');
    await expect(output).toContainText('The query has errors:', {
      timeout: 120_000
    });
    await expect(output).toContainText('Line 2, column');
    await expect(output.locator('pre')).toHaveCount(1);
    const state = await cells(page);
    expect(state[1].source).toBe(typo);
    // No result cell was added and the kernel never saw the KQL.
    expect(state.filter(c => c.metadata.sentinel)).toHaveLength(1);
    await expect(kqlCell.locator('.jp-InputPrompt')).not.toContainText('[1]');
  });

  test('says what to do when the notebook has no kernel to load the result', async ({
    page
  }) => {
    await page.notebook.createNew('no-kernel.ipynb', { kernel: null });
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', {
        query: 'SigninLogs | take 3'
      })
    );
    const kqlCell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await kqlCell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    const output = kqlCell.locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    );
    await expect(output).toContainText('the notebook has no kernel', {
      timeout: 120_000
    });
    await expect(output).toContainText('Kernel ▸ Change Kernel');
    // The result is saved and its cell is there, for when a kernel is chosen.
    await expect(kqlCell.locator('.jp-SentinelResult-footer')).toContainText(
      '3 rows from Demo'
    );
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(3);
  });

  test('fills kernel variables into the query, and names one that is missing', async ({
    page
  }) => {
    await page.notebook.createNew('params.ipynb');
    await kernelIdle(page);
    await page.notebook.setCell(
      0,
      'code',
      'import datetime as dt\naccount = "adele.vance@contoso.example"\nsince = dt.timedelta(days=30)'
    );
    await page.notebook.runCell(0, true);
    await page.notebook.selectCells(0);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', {
        query:
          'SigninLogs\n| where UserPrincipalName == {account} and TimeGenerated > ago({since})\n| summarize Accounts = dcount(UserPrincipalName)'
      })
    );
    const kqlCell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    await kqlCell
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(kqlCell.locator('.jp-SentinelResult-footer')).toContainText(
      '1 row from Demo',
      { timeout: 120_000 }
    );
    await kernelIdle(page);
    await page.notebook.addCell('code', 'print(signinlogs_df.Accounts[0])');
    await page.notebook.runCell(3, true);
    expect(await page.notebook.getCellTextOutput(3)).toEqual(['1\n']);
    // The cell keeps its text; the result remembers the query that ran.
    const state = await cells(page);
    expect(state[1].source).toContain('{account}');

    // A name the kernel does not have is named, with its place.
    await page.notebook.selectCells(1);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', {
        query: 'SigninLogs\n| where UserPrincipalName == {acount}'
      })
    );
    const typo = page.locator('.jp-Notebook .jp-Cell').nth(2);
    await typo
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(typo.locator('.jp-OutputArea-output')).toContainText(
      'Line 2, column 30: {acount} names no variable of the kernel',
      { timeout: 60_000 }
    );

    // An error after a written-in value is placed in the query as written.
    await page.notebook.selectCells(2);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', {
        query:
          'SigninLogs\n| where UserPrincipalName == {account} and NoSuchColumn > 1'
      })
    );
    const unknown = page.locator('.jp-Notebook .jp-Cell').nth(3);
    await unknown
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(unknown.locator('.jp-OutputArea-output')).toContainText(
      'Line 2, column 44:',
      { timeout: 60_000 }
    );
  });
});
