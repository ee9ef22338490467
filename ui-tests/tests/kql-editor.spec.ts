import { expect, test } from '@jupyterlab/galata';
import { kernelIdle } from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

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
    const warnings: string[] = [];
    page.on('console', message => {
      if (message.type() === 'warning') {
        warnings.push(message.text());
      }
    });
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
    const signins = completions.getByRole('option', { name: /SigninLogs/ });
    await expect(signins).toBeVisible({ timeout: 30_000 });
    // Tab asks the language service again, not the kernel: no Python completer.
    await page.keyboard.press('Escape');
    await expect(completions).toBeHidden();
    await page.keyboard.press('Tab');
    await expect(signins).toBeVisible();
    await expect(page.locator('.jp-Completer')).toBeHidden();
    await expect(signins.locator('.cm-completionDetail')).toHaveText('table');
    await signins.click();
    // Kusto's completion of a table goes on to the next line's pipe, as in Log Analytics.
    await expect(cell.locator('.cm-content')).toHaveText('SigninLogs| ');

    // After the pipe, the operators; Tab takes the selected one.
    await page.keyboard.type('wh', { delay: 50 });
    const where = completions.getByRole('option', { name: /^where/ });
    await expect(where).toBeVisible();
    await expect(where.locator('.cm-completionDetail')).toHaveText('operator');
    // CodeMirror ignores a key pressed within 75 ms of the list opening, as a person never does.
    await page.waitForTimeout(200);
    await page.keyboard.press('Tab');
    await expect(cell.locator('.cm-content')).toHaveText('SigninLogs| where ');

    // After `| where `, the table's columns, without typing a letter.
    const column = completions.getByRole('option', {
      name: /UserPrincipalName/
    });
    await expect(column).toBeVisible();
    await expect(column.locator('.cm-completionDetail')).toHaveText('column');
    await page.keyboard.press('Escape');

    // A misspelled column gets a squiggle whose hover says what is wrong.
    await page.keyboard.type('UserPrincipleName == "x"', { delay: 20 });
    await page.keyboard.press('Escape');
    const squiggle = cell.locator('.cm-lintRange-error');
    await expect(squiggle).toHaveCount(1, { timeout: 30_000 });
    await expect(squiggle).toHaveText('UserPrincipleName');
    await squiggle.hover();
    const tooltip = page.locator('.cm-tooltip-lint');
    await expect(tooltip).toContainText("'UserPrincipleName'");
    await expect(tooltip).toContainText('did you mean UserPrincipalName?');

    // Quick info on a name: what the table holds.
    // Over the name's first letters: the line reaches past the text, and so would its middle.
    await cell
      .locator('.cm-line')
      .first()
      .hover({ position: { x: 12, y: 6 } });
    await expect(page.locator('.jp-SentinelKqlQuickInfo')).toContainText(
      'SigninLogs: table('
    );

    // All of it came from the language service's Web Worker, not from the page.
    expect(
      page.workers().some(w => w.url().includes('kql-language-service'))
    ).toBe(true);
    expect(warnings.filter(w => w.includes('runs on the page'))).toEqual([]);

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
