import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';
import { StatusButton } from '../../workspaces/status';
import type { IAzureAccount } from './auth';

/** The status bar item naming the signed-in Azure account; a click signs in or out. */
export class AzureAccountStatus extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    private readonly _onClick: () => void
  ) {
    super();
    this.addClass('jp-mod-highlighted');
    this.addClass('jp-SentinelAzureStatus');
  }

  /** The signed-in account, or null. */
  get account(): IAzureAccount | null {
    return this._account;
  }
  set account(value: IAzureAccount | null) {
    this._account = value;
    this.update();
  }

  /** The redirect URI to register, named in the tooltip before sign-in. */
  redirectUri = '';

  protected render(): JSX.Element {
    const account = this._account;
    const text = account
      ? this._trans.__('Azure: %1', account.username)
      : this._trans.__('Azure: sign in');
    const title = account
      ? this._trans.__(
          'Signed in to Azure as %1 (%2), tenant %3. Click to sign out.',
          account.name,
          account.username,
          account.tenantId
        )
      : this._trans.__(
          'Click to sign in to Azure. The app registration must list %1 as a single-page application redirect URI.',
          this.redirectUri
        );
    return <StatusButton text={text} title={title} onClick={this._onClick} />;
  }

  private _account: IAzureAccount | null = null;
}
