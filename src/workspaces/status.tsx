import { TextItem } from '@jupyterlab/statusbar';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { ISentinelWorkspaces, IWorkspaceInfo } from '../tokens';

/** The status bar text and tooltip for the active workspace. */
export function workspaceStatusText(
  model: ISentinelWorkspaces,
  trans: TranslationBundle
): { text: string; title: string } {
  const active = model.active;
  if (!active) {
    return {
      text: trans.__('Sentinel: no workspace'),
      title: trans.__('No Sentinel workspace is active. Click to choose one.')
    };
  }
  const backend = model.backendOf(active)?.label ?? active.backend;
  // With one backend its name says nothing; with several (local and Azure) it tells them apart.
  const name =
    model.backends.length > 1
      ? trans.__('%1 · %2', active.name, backend)
      : active.name;
  const state = stateText(active, trans);
  return {
    text: state
      ? trans.__('Sentinel: %1 (%2)', name, state)
      : trans.__('Sentinel: %1', name),
    title: trans.__(
      'Active Sentinel workspace: %1 (%2). Click to open the Sentinel sidebar.',
      active.name,
      backend
    )
  };
}

function stateText(ws: IWorkspaceInfo, trans: TranslationBundle): string {
  switch (ws.status) {
    case 'ready':
      return '';
    case 'generating':
      return trans.__('generating');
    case 'missing':
      return trans.__('unavailable');
  }
}

/** A status bar text that acts as a button: a click, Enter or Space runs `onClick`. */
export function StatusButton(props: {
  text: string;
  title: string;
  onClick: () => void;
}): JSX.Element {
  const { text, title, onClick } = props;
  return (
    <TextItem
      source={text}
      title={title}
      role="button"
      tabIndex={0}
      onClick={onClick}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onClick();
        }
      }}
    />
  );
}

/**
 * The status bar item naming the active Sentinel workspace; follows `ISentinelWorkspaces.changed`
 * and runs `onClick` (opening the sidebar) on click, Enter or Space.
 */
export class WorkspaceStatus extends ReactWidget {
  constructor(
    private readonly _model: ISentinelWorkspaces,
    private readonly _trans: TranslationBundle,
    private readonly _onClick: () => void
  ) {
    super();
    this.addClass('jp-mod-highlighted');
    this.addClass('jp-SentinelWorkspaceStatus');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => {
          const { text, title } = workspaceStatusText(this._model, this._trans);
          return (
            <StatusButton text={text} title={title} onClick={this._onClick} />
          );
        }}
      </UseSignal>
    );
  }
}
