import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { insertKql, kernelIdle } from './helpers';

/** The middle of the first place `text` is written in an editor, in page coordinates. */
async function textCentre(
  editor: Locator,
  text: string
): Promise<{ x: number; y: number }> {
  const centre = await editor
    .locator('.cm-content')
    .evaluate((content, text) => {
      const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          const box = range.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
      }
      return null;
    }, text);
  expect(centre).not.toBeNull();
  return centre!;
}

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
    // CodeMirror ignores a key pressed within 75 ms of the list opening (or of its update by a late
    // answer), as a person never does: a Tab that came too soon asks again, and the next one takes it.
    await expect(async () => {
      await page.keyboard.press('Tab');
      await expect(cell.locator('.cm-content')).toHaveText(
        'SigninLogs| where ',
        { timeout: 1000 }
      );
    }).toPass({ timeout: 30_000 });

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
    // The hint is said once (it was appended a second time: "… (did you mean …?)").
    await expect(tooltip).toContainText("Did you mean 'UserPrincipalName'?");
    await expect(tooltip).not.toContainText(/did you mean.*did you mean/is);

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
    // A second misspelling in the KQL cell, checked after the Python cell exists: once its squiggle
    // shows, the language service has had its turn at the Python cell too.
    await page.evaluate(() => {
      const panel = window.jupyterapp.shell.currentWidget as unknown as {
        content: {
          widgets: { model: { sharedModel: { setSource(s: string): void } } }[];
        };
      };
      panel.content.widgets[1].model.sharedModel.setSource(
        'SigninLogs | where UserPrincipleName == "x" and ResultTyp == "0"'
      );
    });
    await expect(squiggle).toHaveCount(2, { timeout: 30_000 });
    await expect(
      page.locator('.jp-Notebook .jp-Cell').last().locator('.cm-lintRange')
    ).toHaveCount(0);
  });

  test('takes {variable} placeholders for kernel variables, typed from the kernel', async ({
    page
  }) => {
    await page.notebook.createNew('variables.ipynb');
    await kernelIdle(page);
    await page.notebook.setCell(
      0,
      'code',
      'account = "adele.vance@contoso.example"\nn = 5'
    );
    await page.notebook.runCell(0);
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await insertKql(
      page,
      1,
      'SigninLogs\n| where UserPrincipalName == {account}\n| take {n}\n| where Foo == 1'
    );

    // Only the real error is squiggled, at its place after the placeholders; they are not
    // ("Client parameters are not supported or enabled. KS213").
    const squiggles = cell.locator('.cm-lintRange-error');
    await expect(squiggles).toHaveCount(1, { timeout: 30_000 });
    await expect(squiggles).toHaveText('Foo');
    await squiggles.hover();
    await expect(page.locator('.cm-tooltip-lint')).toContainText("'Foo'");
    await expect(page.locator('.cm-tooltip-lint')).not.toContainText('KS213');

    // The hover says what a placeholder is, with the variable's type in the kernel.
    await page.mouse.move(0, 0);
    const where = await textCentre(cell, 'account');
    await page.mouse.move(where.x, where.y);
    await expect(page.locator('.jp-SentinelKqlQuickInfo')).toHaveText(
      '{account}: string (kernel variable)'
    );

    // A string where the count belongs is the analyst's error, squiggled on the placeholder.
    await page.notebook.setCell(0, 'code', 'account = "x"\nn = "five"');
    await page.notebook.runCell(0);
    await kernelIdle(page);
    await page.notebook.selectCells(1);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await expect(squiggles).toHaveCount(2, { timeout: 30_000 });
    await expect(squiggles.first()).toHaveText('{n}');
  });
});
