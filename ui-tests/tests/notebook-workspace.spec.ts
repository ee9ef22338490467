import { expect, galata, test } from '@jupyterlab/galata';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

// A second local workspace (from the settings): a folder with one small CSV table.
const FOLDER = 'sentinel-proxy-logs';
const NAME = 'Proxy logs';

/** A notebook whose metadata says its queries ran on a workspace. */
function notebook(workspace: string): string {
  return JSON.stringify({
    cells: [],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      },
      sentinel: { workspace: { backend: 'local', id: workspace } }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

test.describe('A notebook remembers its workspace', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'jupyterlab-sentinel:plugin': {
        localWorkspaces: [{ name: NAME, path: FOLDER }]
      }
    }
  });

  test('opening or switching to a notebook makes its workspace active', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      'TimeGenerated,Url\n2026-10-01T04:41:07Z,https://example.org/\n',
      'text',
      `${FOLDER}/ProxyEvents.csv`
    );
    await page.contents.uploadContent(
      notebook('proxy-logs'),
      'text',
      `${tmpPath}/proxy-hunt.ipynb`
    );
    await page.contents.uploadContent(
      notebook('demo'),
      'text',
      `${tmpPath}/demo-hunt.ipynb`
    );
    try {
      await page.reload();
      const status = page
        .locator('#jp-main-statusbar')
        .getByRole('button', { name: /^Sentinel:/ });
      await expect(status).toHaveText('Sentinel: Demo (synthetic)', {
        timeout: 120_000
      });

      await page.notebook.open('proxy-hunt.ipynb');
      await expect(status).toHaveText(`Sentinel: ${NAME}`, { timeout: 30_000 });

      await page.notebook.open('demo-hunt.ipynb');
      await expect(status).toHaveText('Sentinel: Demo (synthetic)', {
        timeout: 30_000
      });

      // Back to the first notebook's tab: its workspace again.
      await page.notebook.activate('proxy-hunt.ipynb');
      await expect(status).toHaveText(`Sentinel: ${NAME}`, { timeout: 30_000 });
    } finally {
      await page.contents.deleteDirectory(FOLDER);
    }
  });
});
