/**
 * Azure sign-in before its setup is finished: the client id is set, but the app registration does
 * not list this server's redirect URI, so Entra ID refuses the sign-in (AADSTS50011). The
 * notification's text is cut off; its action shows the redirect URI whole, and Copy puts it on
 * the clipboard.
 */
import { expect, test } from '@jupyterlab/galata';
import { azureEmulatorOptions } from './azure-emulator';

/** Entra ID's words when the redirect URI is not registered. */
const NOT_REGISTERED =
  'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.';

test.use(azureEmulatorOptions);

test('a sign-in refused for the redirect URI shows the URI whole, and Copy copies it', async ({
  page,
  context,
  baseURL
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Entra ID answers the sign-in with its error, as for an app that does not list the URI.
  await context.route('**/oauth2/v2.0/authorize?**', async route => {
    const params = new URL(route.request().url()).searchParams;
    const answer: Record<string, string> = {
      error: 'invalid_request',
      error_description: NOT_REGISTERED,
      state: params.get('state') ?? ''
    };
    const target = new URL(params.get('redirect_uri')!);
    const mode = params.get('response_mode') ?? 'query';
    if (mode === 'form_post') {
      const inputs = Object.entries(answer)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
        .join('');
      await route.fulfill({
        contentType: 'text/html',
        body: `<html><body onload="document.forms[0].submit()"><form method="POST" action="${target}">${inputs}</form></body></html>`
      });
      return;
    }
    const query = new URLSearchParams(answer).toString();
    if (mode === 'fragment') {
      target.hash = query;
    } else {
      target.search = query;
    }
    await route.fulfill({ status: 302, headers: { Location: `${target}` } });
  });

  const account = page.locator('.jp-SentinelAzureStatus');
  await expect(account).toHaveText('Azure: sign in', { timeout: 60_000 });
  const popup = page.waitForEvent('popup');
  await account.getByRole('button').click();
  // The sign-in window comes back with Entra ID's error and closes.
  await (await popup).waitForEvent('close', { timeout: 60_000 });

  // The notification names the problem, its text cut off before the URI ends; its action shows
  // the URI. (Read in the notification center: the toast may be gone by the time one reads it.)
  await page.locator('.jp-Notification-Status').click();
  const notification = page
    .locator('.jp-Notification-Center .Toastify__toast')
    .filter({ hasText: 'does not list this redirect URI' });
  await expect(notification).toBeVisible({ timeout: 60_000 });
  await notification.getByRole('button', { name: 'Show Redirect URI' }).click();

  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Set Up Azure Sign-In');
  const uri = `${baseURL}/sentinel/auth/redirect`;
  const field = dialog.getByRole('textbox', { name: 'Redirect URI' });
  await expect(field).toHaveValue(uri);
  await expect(field).toHaveAttribute('readonly', '');
  // Whole: the field is wide enough that nothing of the URI is scrolled out of view.
  expect(
    await field.evaluate(
      (input: HTMLInputElement) => input.scrollWidth <= input.clientWidth
    )
  ).toBe(true);

  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'The redirect URI is on the clipboard.'
  );
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(uri);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});
