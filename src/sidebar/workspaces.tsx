import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { CommandRegistry } from '@lumino/commands';
import type { ISentinelWorkspaces, IWorkspaceInfo } from '../tokens';

/** Props of the workspace list. */
export interface IWorkspaceListProps {
  model: ISentinelWorkspaces;
  trans: TranslationBundle;
  /** Runs the commands of backend problems' actions (e.g. signing in). */
  commands?: CommandRegistry;
}

function statusText(ws: IWorkspaceInfo, trans: TranslationBundle): string {
  switch (ws.status) {
    case 'ready':
      return ws.message ?? '';
    case 'generating':
      return trans.__('generating the demo data…');
    case 'missing':
      return ws.message ?? trans.__('folder not found');
  }
}

/** The workspaces of every backend, grouped by backend; click or Enter makes one active. */
export function WorkspaceList({
  model,
  trans,
  commands
}: IWorkspaceListProps): JSX.Element {
  const select = (ws: IWorkspaceInfo): void => {
    void model.select(ws.backend, ws.id);
  };
  const renderItem = (ws: IWorkspaceInfo): JSX.Element => {
    const isActive =
      model.active?.backend === ws.backend && model.active.id === ws.id;
    const status = statusText(ws, trans);
    return (
      <li
        key={ws.id}
        role="option"
        aria-selected={isActive}
        tabIndex={0}
        title={ws.path ?? ws.name}
        className={
          'jp-SentinelWorkspaces-item' +
          (isActive ? ' jp-mod-active' : '') +
          (ws.status !== 'ready' ? ' jp-mod-unavailable' : '')
        }
        onClick={() => select(ws)}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            select(ws);
          }
        }}
      >
        <span className="jp-SentinelWorkspaces-name">{ws.name}</span>
        {ws.engine === 'spark' && (
          <span
            className="jp-SentinelWorkspaces-engine"
            title={trans.__('Queries run on Spark, through Spark Connect')}
          >
            {trans.__('Spark')}
          </span>
        )}
        {status && (
          <span className="jp-SentinelWorkspaces-status">{status}</span>
        )}
      </li>
    );
  };
  return (
    <div className="jp-SentinelWorkspaces">
      {model.backends.map(backend => {
        const workspaces = model.workspaces.filter(
          w => w.backend === backend.id
        );
        // Azure workspaces come in subscriptions; local ones have no group.
        const groups = workspaces.length
          ? [...new Set(workspaces.map(w => w.group ?? ''))]
          : [''];
        return (
          <div key={backend.id} className="jp-SentinelWorkspaces-group">
            <div className="jp-SentinelWorkspaces-groupLabel">
              {backend.label}
            </div>
            {model.errors
              .filter(problem => problem.backendId === backend.id)
              .map(problem => {
                const action = commands && problem.action;
                return (
                  <div
                    key={problem.message}
                    className="jp-SentinelMessage"
                    role={action ? 'status' : 'alert'}
                  >
                    {problem.message}
                    {action && (
                      <button
                        className="jp-mod-styled jp-mod-accept jp-SentinelWorkspaces-action"
                        onClick={() => void commands.execute(action.command)}
                      >
                        {action.label}
                      </button>
                    )}
                  </div>
                );
              })}
            {groups.map(group => (
              <React.Fragment key={group}>
                {group && (
                  <div className="jp-SentinelWorkspaces-subgroupLabel">
                    {group}
                  </div>
                )}
                <ul
                  role="listbox"
                  aria-label={
                    group ? `${backend.label}: ${group}` : backend.label
                  }
                >
                  {workspaces
                    .filter(ws => (ws.group ?? '') === group)
                    .map(ws => renderItem(ws))}
                </ul>
              </React.Fragment>
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** The Workspaces section of the sidebar. */
export class WorkspacesPanel extends ReactWidget {
  constructor(
    private readonly _model: ISentinelWorkspaces,
    private readonly _trans: TranslationBundle,
    private readonly _commands?: CommandRegistry
  ) {
    super();
    this.addClass('jp-SentinelSection');
    this.title.label = _trans.__('Workspaces');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <WorkspaceList
            model={this._model}
            trans={this._trans}
            commands={this._commands}
          />
        )}
      </UseSignal>
    );
  }
}
