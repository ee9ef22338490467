/**
 * The redirect URI an Entra ID app registration must list, shown whole and copyable: a
 * notification's text is cut off after a few lines, and a URI half-read cannot be registered.
 */
import { Clipboard, Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Button, copyIcon, ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

/** What the setup dialog shows. */
export interface IRedirectUriProps {
  /** The redirect URI to register. */
  uri: string;
  /** Why the dialog opened (the sign-in failure), when it did for one. */
  problem?: string;
  trans: TranslationBundle;
}

/** The steps, the URI in a read-only field, and Copy. */
export function RedirectUriSetup({
  uri,
  problem,
  trans
}: IRedirectUriProps): JSX.Element {
  const [copied, setCopied] = React.useState(false);
  const copy = (): void => {
    Clipboard.copyToSystem(uri);
    setCopied(true);
  };
  return (
    <div className="jp-SentinelRedirectUri">
      {problem && <p className="jp-SentinelRedirectUri-problem">{problem}</p>}
      <p>
        {trans.__(
          'In Entra ID, open your app registration → Authentication → Add a platform → Single-page application, and add this redirect URI:'
        )}
      </p>
      <div className="jp-SentinelRedirectUri-field">
        <input
          className="jp-mod-styled"
          type="text"
          readOnly
          value={uri}
          // Wide enough for the whole URI: a half-read one cannot be registered.
          size={Math.max(uri.length + 2, 20)}
          aria-label={trans.__('Redirect URI')}
          onFocus={event => event.currentTarget.select()}
        />
        <Button
          className="jp-mod-styled"
          onClick={copy}
          title={trans.__('Copy the redirect URI to the clipboard')}
        >
          <copyIcon.react tag="span" className="jp-SentinelRedirectUri-icon" />
          {trans.__('Copy')}
        </Button>
      </div>
      <p role="status" className="jp-SentinelRedirectUri-status">
        {copied ? trans.__('The redirect URI is on the clipboard.') : ''}
      </p>
      <p>
        {trans.__(
          'Then set the registration’s application (client) id in Settings → Sentinel: Azure.'
        )}
      </p>
    </div>
  );
}

/** Shows the setup dialog; answers true when the analyst asked for the settings. */
export async function showRedirectUriSetup(
  props: IRedirectUriProps
): Promise<boolean> {
  const { trans } = props;
  const result = await showDialog({
    title: trans.__('Set Up Azure Sign-In'),
    body: ReactWidget.create(<RedirectUriSetup {...props} />),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Close') }),
      Dialog.okButton({ label: trans.__('Open Settings') })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}
