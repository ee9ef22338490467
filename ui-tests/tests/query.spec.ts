import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

// Galata's layout mock intercepts every URL containing `/api/workspaces`, our REST API's included:
// use JupyterLab's real (temporary) workspace store instead.
test.use({ mockState: false });

/** What `sentinel:run-query` returns. */
interface IRunQueryResult {
  workspace: string;
  queryId: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
  render: { visualization: string } | null;
}

/** Runs a query through the command in the page: Kusto.Language, the compiler and Arrow all load there. */
async function runQuery(
  page: Page,
  args: Record<string, unknown>
): Promise<IRunQueryResult> {
  return page.evaluate(
    async commandArgs =>
      (await window.jupyterapp.commands.execute(
        'sentinel:run-query',
        commandArgs
      )) as unknown as IRunQueryResult,
    args
  );
}

test.describe('KQL queries on the demo workspace', () => {
  test.beforeEach(async ({ page }) => {
    // The command is enabled once the demo workspace is active and ready.
    await page.waitForFunction(
      () => window.jupyterapp.commands.isEnabled('sentinel:run-query'),
      undefined,
      { timeout: 120_000 }
    );
  });

  test('compiles in the browser and finds the password spray', async ({
    page
  }) => {
    const result = await runQuery(page, {
      query: `SigninLogs
| where IPAddress in ("203.0.113.17", "203.0.113.42", "203.0.113.88") and ResultType == "50126"
| summarize Accounts = dcount(UserPrincipalName) by IPAddress
| sort by IPAddress asc
| render columnchart`
    });
    expect(result.workspace).toBe('demo');
    expect(result.columns).toEqual([
      { name: 'IPAddress', type: 'string' },
      { name: 'Accounts', type: 'long' }
    ]);
    expect(result.rows.map(row => row[0])).toEqual([
      '203.0.113.17',
      '203.0.113.42',
      '203.0.113.88'
    ]);
    for (const [, accounts] of result.rows) {
      expect(accounts).toBeGreaterThan(20);
    }
    expect(result.rowCount).toBe(3);
    expect(result.truncated).toBe(false);
    expect(result.render?.visualization).toBe('columnchart');
    // The query compiled in the KQL language service's worker: Kusto.Language never set its
    // globals on the page.
    expect(
      await page.evaluate(() => typeof (window as { Kusto?: unknown }).Kusto)
    ).toBe('undefined');
  });

  test('returns typed values: the compromised account and its sign-in time', async ({
    page
  }) => {
    const result = await runQuery(page, {
      query: `SigninLogs
| where IPAddress == "203.0.113.42" and ResultType == "0"
| project TimeGenerated, UserPrincipalName`
    });
    expect(result.columns.map(c => c.type)).toEqual(['datetime', 'string']);
    expect(result.rows).toHaveLength(1);
    const [time, user] = result.rows[0];
    expect(user).toBe('adele.vance@contoso.example');
    // The demo moves by whole hours to end now: the minutes and seconds are the story's.
    expect(String(time)).toMatch(/T\d\d:41:07(\.0+)?Z$/);
  });

  test('applies the time window to the tables', async ({ page }) => {
    const all = await runQuery(page, {
      query: 'SigninLogs | summarize First = min(TimeGenerated)'
    });
    const first = new Date(String(all.rows[0][0]));
    const start = new Date(first.getTime() + 10 * 86_400_000);
    const end = new Date(start.getTime() + 86_400_000);
    const windowed = await runQuery(page, {
      query:
        'SigninLogs | summarize First = min(TimeGenerated), Last = max(TimeGenerated), Count = count()',
      start: start.toISOString(),
      end: end.toISOString()
    });
    const [from, to, count] = windowed.rows[0];
    expect(new Date(String(from)).getTime()).toBeGreaterThanOrEqual(
      start.getTime()
    );
    expect(new Date(String(to)).getTime()).toBeLessThan(end.getTime());
    expect(count).toBeGreaterThan(0);
  });

  test('cuts the result at the row limit and says so', async ({ page }) => {
    const result = await runQuery(page, {
      query: 'SigninLogs | project UserPrincipalName',
      maxRows: 5
    });
    expect(result.rows).toHaveLength(5);
    expect(result.rowCount).toBe(5);
    expect(result.truncated).toBe(true);
  });

  test('reports bad KQL with line and column', async ({ page }) => {
    const message = await page.evaluate(async () => {
      try {
        await window.jupyterapp.commands.execute('sentinel:run-query', {
          query: 'SigninLogs\n| where NoSuchColumn == 1'
        });
        return 'no error';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
    expect(message).toMatch(/^2:9 .*NoSuchColumn/);
    // The analyst is told too, through JupyterLab's notifications.
    await expect
      .poll(async () => (await page.notifications).map(n => n.message))
      .toContainEqual(expect.stringMatching(/^The query could not run: 2:9 /));
  });
});
