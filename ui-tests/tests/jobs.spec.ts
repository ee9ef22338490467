import { expect, galata, test } from '@jupyterlab/galata';
import { cellRan, kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

// A local workspace of the test's own (from the settings), whose table grows after the KQL cell
// ran in JupyterLab: only a job that queries again sees the new row.
const FOLDER = 'sentinel-job-logs';
const NAME = 'Job logs';
const ID = 'job-logs';
const HEADER = 'TimeGenerated,Computer\n';

/** A notebook as JupyterLab leaves it: a KQL cell, then a cell that saves what it found. */
function notebook(): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      },
      sentinel: { workspace: { backend: 'local', id: ID } }
    },
    cells: [
      {
        id: 'kql-hosts',
        cell_type: 'code',
        source:
          'Events | summarize Events = count() by Computer | order by Computer asc',
        metadata: {
          sentinel: { kql: true, variable: 'hosts' },
          tags: ['skip-execution']
        },
        outputs: [],
        execution_count: null
      },
      {
        id: 'save-hosts',
        cell_type: 'code',
        source:
          'from jupyterlab_sentinel.job import running_as_job, save_as_table\n' +
          'if running_as_job():\n' +
          '    save_as_table(hosts, "JobHosts_CL")\n' +
          'print("hosts:", ",".join(hosts["Computer"]))',
        metadata: {},
        outputs: [],
        execution_count: null
      }
    ]
  });
}

test.describe('Scheduled notebook jobs', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:plugin': {
        localWorkspaces: [{ name: NAME, path: FOLDER }]
      }
    }
  });

  test('a job queries again, saves a table, and a later KQL cell reads it', async ({
    page,
    tmpPath
  }) => {
    // A real job: its own process and kernel, on a machine the other tests share.
    test.setTimeout(360_000);
    await page.contents.uploadContent(
      HEADER + '2026-10-01T04:41:07Z,alpha\n' + '2026-10-01T04:42:07Z,beta\n',
      'text',
      `${FOLDER}/Events/day1.csv`
    );
    await page.contents.uploadContent(
      notebook(),
      'text',
      `${tmpPath}/job-hunt.ipynb`
    );
    await page.reload();
    await expect(
      page
        .locator('#jp-main-statusbar')
        .getByRole('button', { name: /^Sentinel:/ })
    ).toHaveText(/^Sentinel: /, { timeout: 120_000 });

    // The KQL cell runs once in JupyterLab, which records what a job runs again.
    await page.evaluate(async path => {
      await window.jupyterapp.commands.execute('docmanager:open', { path });
    }, `${tmpPath}/job-hunt.ipynb`);
    await page.waitForFunction(
      () =>
        window.jupyterapp.shell.currentWidget?.title.label === 'job-hunt.ipynb'
    );
    // Galata's notebook helpers act on the tab it last activated.
    await page.notebook.activate('job-hunt.ipynb');
    await kernelIdle(page);
    const kql = page.locator('.jp-Notebook .jp-Cell').nth(0);
    await page.notebook.selectCells(0);
    await kql
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(kql.locator('.jp-SentinelResult-footer')).toContainText(
      `2 rows from ${NAME}`,
      { timeout: 120_000 }
    );
    await cellRan(page, 1);
    await page.notebook.save();

    // A row arrives after the cell ran.
    await page.contents.uploadContent(
      HEADER + '2026-10-02T09:00:00Z,gamma\n',
      'text',
      `${FOLDER}/Events/day2.csv`
    );

    // jupyter-scheduler's own form, from the notebook's toolbar.
    await page
      .locator('.jp-NotebookPanel-toolbar')
      .getByRole('button', { name: 'Create a job' })
      .click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    // The job list: wait for the job's state (the list shows it when reloaded), then fetch the
    // job's files and open its output notebook.
    const reload = page.getByRole('button', { name: 'Reload', exact: true });
    const row = page
      .getByRole('row')
      .filter({ hasText: 'job-hunt.ipynb' })
      .first();
    await expect(async () => {
      await reload.click();
      await expect(row).toContainText('Completed', { timeout: 2_000 });
    }).toPass({ timeout: 180_000 });
    await row.getByRole('button', { name: 'download' }).click();
    const open = row.getByTitle(/^Open output file "job-hunt-.*\.ipynb"$/);
    await expect(async () => {
      await reload.click();
      await expect(open).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await open.click();
    await page.waitForFunction(() =>
      /^job-hunt-.*\.ipynb$/.test(
        window.jupyterapp.shell.currentWidget?.title.label ?? ''
      )
    );
    // The job queried again: the row that arrived after the cell ran is in its DataFrame.
    await expect(
      page
        .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')
        .nth(2)
        .locator('.jp-OutputArea-output')
    ).toContainText('hosts: alpha,beta,gamma');

    // Back in the notebook, a KQL cell reads the table the job saved.
    await page.notebook.activate('job-hunt.ipynb');
    await page.notebook.selectCells(2);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell', {
        query: 'JobHosts_CL | order by Computer asc'
      })
    );
    const later = page
      .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')
      .nth(3);
    await later
      .locator('.jp-cell-toolbar [data-command="sentinel:run-kql-cell"]')
      .click();
    await expect(later.locator('.jp-SentinelResult-footer')).toContainText(
      `3 rows from ${NAME}`,
      { timeout: 120_000 }
    );
  });
});
