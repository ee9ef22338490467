import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

async function kernelIdle(page: Page): Promise<void> {
  await expect(
    page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')
  ).toHaveAttribute('data-status', 'idle', { timeout: 120_000 });
}

test.describe('KQL editor', () => {
  test.beforeEach(async ({ page }) => {
    // The demo workspace and its schema are ready once the run-query command is enabled.
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('completes tables and columns, and squiggles a misspelled column', async ({
    page
  }) => {
    await page.notebook.createNew('editor.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('sentinel:insert-kql-cell')
    );
    const cell = page.locator('.jp-Notebook .jp-Cell').nth(1);
    const completions = page.locator('.cm-tooltip-autocomplete');

    // A table, as the analyst types its first letters.
    await page.keyboard.type('Sig', { delay: 50 });
    await expect(
      completions.getByRole('option', { name: /SigninLogs/ })
    ).toBeVisible({ timeout: 30_000 });
    await completions.getByRole('option', { name: /SigninLogs/ }).click();
    // Kusto's completion of a table goes on to the next line's pipe, as in Log Analytics.
    await expect(cell.locator('.cm-content')).toHaveText('SigninLogs| ');

    // After a pipe, the operators; in a where clause, the table's columns.
    await page.keyboard.type('wh', { delay: 50 });
    await expect(
      completions.getByRole('option', { name: /^where/ })
    ).toBeVisible();
    // CodeMirror ignores a key pressed within 75 ms of the list opening, as a person never does.
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.keyboard.type('UserPr', { delay: 50 });
    await expect(
      completions.getByRole('option', { name: /UserPrincipalName/ })
    ).toBeVisible();
    await page.keyboard.press('Escape');

    // A misspelled column gets a squiggle whose hover says what is wrong.
    await page.keyboard.type('incipleName == "x"', { delay: 20 });
    const squiggle = cell.locator('.cm-lintRange-error');
    await expect(squiggle).toHaveCount(1, { timeout: 30_000 });
    await expect(squiggle).toHaveText('UserPrincipleName');
    await squiggle.hover();
    const tooltip = page.locator('.cm-tooltip-lint');
    await expect(tooltip).toContainText("'UserPrincipleName'");
    await expect(tooltip).toContainText('did you mean UserPrincipalName?');

    // Python cells are left alone.
    await page.notebook.addCell(
      'code',
      'SigninLogs | where UserPrincipleName == 1'
    );
    await page.waitForTimeout(1500);
    await expect(
      page.locator('.jp-Notebook .jp-Cell').last().locator('.cm-lintRange')
    ).toHaveCount(0);
    await expect(squiggle).toHaveCount(1);
  });
});
