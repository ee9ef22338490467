import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
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
 * The lateral movement (demo STORY.md stage 6): adele.vance's network logons with the workstation
 * they came from, and the PsExec that made them and what its service started.
 */
const LATERAL_MOVEMENT = `union
  (DeviceLogonEvents | where AccountName == "adele.vance" and isnotempty(RemoteDeviceName)
    | project TimeGenerated, DeviceName, AccountName, RemoteIP, RemoteDeviceName),
  (DeviceProcessEvents
    | where FileName =~ "PsExec64.exe" or InitiatingProcessFileName =~ "PSEXESVC.exe"
    | project TimeGenerated, DeviceName, AccountName, FileName, ProcessCommandLine)
| order by TimeGenerated asc`;

/** The result's view switcher button of a view. */
function viewButton(cell: Locator, view: string): Locator {
  return cell.locator(`.jp-SentinelResult-views [data-view="${view}"]`);
}

/** The node of the entity whose value is `value` (its label: "Host srv-file01…: in 2 rows"). */
function entity(graph: Locator, value: string): Locator {
  return graph.locator(
    `.jp-SentinelEntityGraph-nodes > g[aria-label*=" ${value}: in "]`
  );
}

test.describe('Entity graph view', () => {
  test.beforeEach(async ({ page }) => {
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('draws the lateral movement, selects an entity’s rows into the grid and a bookmark', async ({
    page
  }) => {
    await page.notebook.createNew('entity-graph.ipynb');
    await kernelIdle(page);
    await page.notebook.selectCells(0);
    const cell = await runKqlToResult(page, 1, LATERAL_MOVEMENT);
    await cellRan(page, 2);

    await viewButton(cell, 'entity-graph').click();
    await expect(viewButton(cell, 'entity-graph')).toHaveAttribute(
      'aria-pressed',
      'true'
    );
    const graph = cell.locator('.jp-SentinelEntityGraph');
    await expect(graph.locator('.jp-SentinelEntityGraph-summary')).toHaveText(
      /^\d+ entities · \d+ links$/
    );
    // The two hosts, the account between them and the tool, each drawn by type.
    const server = entity(graph, 'srv-file01.contoso.example');
    const workstation = entity(graph, 'wks-0042.contoso.example');
    const account = entity(graph, 'adele.vance');
    const psexec = entity(graph, 'PsExec64.exe');
    for (const node of [server, workstation, account, psexec]) {
      await expect(node).toHaveCount(1);
    }
    await expect(server).toHaveAttribute('data-entity-type', 'Host');
    await expect(account).toHaveAttribute('data-entity-type', 'Account');
    await expect(psexec).toHaveAttribute('data-entity-type', 'File');
    // The server and the account share rows: a link between them says how many.
    await expect(
      graph.locator('.jp-SentinelEntityGraph-link title', {
        hasText:
          /^srv-file01\.contoso\.example and adele\.vance: \d+ rows?$|^adele\.vance and srv-file01\.contoso\.example: \d+ rows?$/
      })
    ).toHaveCount(1);

    // Clicking the server selects the rows it occurs in: the grid has them for the bookmark.
    const serverRows = Number(
      /in (\d+) rows?$/.exec(
        (await server.getAttribute('aria-label')) ?? ''
      )?.[1]
    );
    expect(serverRows).toBeGreaterThan(0);
    await server.click();
    await expect(server).toHaveAttribute('aria-pressed', 'true');
    await expect(graph.locator('svg')).toHaveClass(/jp-mod-hasSelection/);
    await page.notebook.selectCells(1);
    const dialog = await openBookmarkDialog(page);
    await expect(dialog).toContainText(
      serverRows === 1
        ? '1 row is stored with the bookmark.'
        : `${serverRows} rows are stored with the bookmark.`
    );
    const proposed = await proposedEntities(dialog);
    expect(proposed).toContain('srv-file01.contoso.example');
    expect(proposed).toContain('adele.vance');
    const name = `Entity graph evidence ${randomUUID().slice(0, 8)}`;
    await createBookmarkNamed(page, dialog, name);

    // From the keyboard: Enter on the workstation selects its rows instead.
    await workstation.focus();
    await workstation.press('Enter');
    await expect(workstation).toHaveAttribute('aria-pressed', 'true');
    await expect(psexec).toHaveAttribute('aria-pressed', 'true');

    // Zoom, then export: the picture is what the view shows, entities as text.
    await graph.getByRole('button', { name: 'Zoom In' }).click();
    await expect(graph.locator('svg > g').first()).toHaveAttribute(
      'transform',
      /scale\(1\.5\)/
    );
    const download = page.waitForEvent('download');
    await cell.getByRole('button', { name: 'Export the view as SVG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-entity-graph\.svg$/);
    const svg = readFileSync((await file.path())!, 'utf-8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>srv-file01.contoso.example</text>');
    // Colours are inlined from the theme, so the file stands alone.
    expect(svg).toMatch(/<circle [^>]*fill="rgb\(/);
  });
});
