import {
  Dialog,
  Notification,
  ReactWidget,
  showDialog
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { IResultRows } from '../results/tokens';
import type { IBookmark, ISentinelWorkspaces } from '../tokens';
import { BookmarkDraft, MAX_QUERY_RESULT_CHARS } from './draft';
import { ENTITY_IDENTIFIERS } from './entities';
import { isTechniqueId, TACTICS, TECHNIQUES } from './mitre';
import type { ISentinelBookmarks } from './tokens';

/** An instant as the dialog shows it: ISO 8601 in UTC, to the second. */
function isoText(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

/** Chips for a list of words, with a text box whose pending word is kept in `pending`. */
function Chips(props: {
  label: string;
  values: string[];
  pending: string;
  placeholder: string;
  list?: string;
  invalid?: (value: string) => boolean;
  removeLabel: (value: string) => string;
  onChange: (values: string[], pending: string) => void;
}): JSX.Element {
  const { values, pending, onChange } = props;
  const commit = (text: string): void => {
    const parts = text.split(',');
    const rest = parts.pop() ?? '';
    const added = parts
      .map(p => p.trim())
      .filter(p => p && !values.includes(p));
    onChange([...values, ...added], rest);
  };
  return (
    <div className="jp-SentinelBookmarkDialog-chips">
      {values.map(value => (
        <span
          key={value}
          className={
            'jp-SentinelBookmarkDialog-chip' +
            (props.invalid?.(value) ? ' jp-mod-invalid' : '')
          }
        >
          {value}
          <button
            type="button"
            className="jp-SentinelBookmarkDialog-chipRemove"
            aria-label={props.removeLabel(value)}
            onClick={() =>
              onChange(
                values.filter(v => v !== value),
                pending
              )
            }
          >
            ×
          </button>
        </span>
      ))}
      <input
        className="jp-mod-styled"
        aria-label={props.label}
        placeholder={props.placeholder}
        list={props.list}
        value={pending}
        onChange={event => commit(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Backspace' && !pending && values.length) {
            onChange(values.slice(0, -1), '');
          }
        }}
      />
    </div>
  );
}

/** The form of the bookmark dialog; every change goes into the draft. */
function BookmarkForm(props: {
  draft: BookmarkDraft;
  trans: TranslationBundle;
  onChange: () => void;
}): JSX.Element {
  const { draft, trans, onChange } = props;
  const set = (apply: () => void): void => {
    apply();
    onChange();
  };
  const timeInput = (
    label: string,
    value: Date | null,
    store: (date: Date | null) => void
  ): JSX.Element => (
    <TimeInput
      label={label}
      value={value}
      onChange={date => set(() => store(date))}
    />
  );
  const stored = draft.stored;
  return (
    <div className="jp-SentinelBookmarkDialog-form">
      {draft.error && (
        <div className="jp-SentinelBookmarkDialog-error" role="alert">
          {draft.error}
        </div>
      )}
      <label>
        {trans.__('Name')}
        <input
          className="jp-mod-styled"
          name="displayName"
          value={draft.displayName}
          onChange={e => set(() => (draft.displayName = e.target.value))}
        />
      </label>
      <label>
        {trans.__('Notes')}
        <textarea
          className="jp-mod-styled"
          name="notes"
          rows={3}
          value={draft.notes}
          onChange={e => set(() => (draft.notes = e.target.value))}
        />
      </label>
      <div className="jp-SentinelBookmarkDialog-field">
        <span>{trans.__('Labels')}</span>
        <Chips
          label={trans.__('Labels')}
          values={draft.labels}
          pending={draft.pendingLabel}
          placeholder={trans.__('Type a label, then a comma')}
          removeLabel={v => trans.__('Remove label %1', v)}
          onChange={(values, pending) =>
            set(() => {
              draft.labels = values;
              draft.pendingLabel = pending;
            })
          }
        />
      </div>
      <label>
        {trans.__('Query')}
        <textarea
          className="jp-mod-styled jp-SentinelBookmarkDialog-query"
          name="query"
          rows={3}
          value={draft.query}
          onChange={e => set(() => (draft.query = e.target.value))}
        />
      </label>
      <div className="jp-SentinelBookmarkDialog-times">
        {timeInput(
          trans.__('Window start (UTC)'),
          draft.start,
          d => (draft.start = d)
        )}
        {timeInput(
          trans.__('Window end (UTC)'),
          draft.end,
          d => (draft.end = d)
        )}
        {timeInput(
          trans.__('Event time (UTC)'),
          draft.eventTime,
          d => (draft.eventTime = d)
        )}
      </div>
      <div className="jp-SentinelBookmarkDialog-field">
        <span>{trans.__('Entities')}</span>
        <table className="jp-SentinelBookmarkDialog-entities">
          <thead>
            <tr>
              <th>{trans.__('Type')}</th>
              <th>{trans.__('Identifier')}</th>
              <th>{trans.__('Value')}</th>
              <th>{trans.__('From column')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.entities.map((entity, i) => (
              <tr key={i}>
                <td>
                  <select
                    className="jp-mod-styled"
                    aria-label={trans.__('Entity type')}
                    value={entity.entityType}
                    onChange={e =>
                      set(() => {
                        entity.entityType = e.target.value;
                        entity.identifier =
                          ENTITY_IDENTIFIERS[e.target.value][0];
                      })
                    }
                  >
                    {Object.keys(ENTITY_IDENTIFIERS).map(type => (
                      <option key={type} value={type}>
                        {type}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    className="jp-mod-styled"
                    aria-label={trans.__('Identifier')}
                    value={entity.identifier}
                    onChange={e =>
                      set(() => (entity.identifier = e.target.value))
                    }
                  >
                    {(
                      ENTITY_IDENTIFIERS[entity.entityType] ?? [
                        entity.identifier
                      ]
                    ).map(id => (
                      <option key={id} value={id}>
                        {id}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    className="jp-mod-styled"
                    aria-label={trans.__('Entity value')}
                    value={entity.value}
                    onChange={e => set(() => (entity.value = e.target.value))}
                  />
                </td>
                <td className="jp-SentinelBookmarkDialog-column">
                  {entity.column}
                </td>
                <td>
                  <button
                    type="button"
                    className="jp-Button jp-mod-minimal"
                    aria-label={trans.__('Remove entity %1', entity.value)}
                    onClick={() => set(() => draft.entities.splice(i, 1))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          onClick={() =>
            set(() =>
              draft.entities.push({
                entityType: 'Account',
                identifier: 'FullName',
                value: '',
                column: ''
              })
            )
          }
        >
          {trans.__('Add entity')}
        </button>
      </div>
      <fieldset className="jp-SentinelBookmarkDialog-tactics">
        <legend>{trans.__('MITRE ATT&CK tactics')}</legend>
        {TACTICS.map(tactic => (
          <label key={tactic.id}>
            <input
              type="checkbox"
              checked={draft.tactics.includes(tactic.id)}
              onChange={e =>
                set(() => {
                  draft.tactics = e.target.checked
                    ? [...draft.tactics, tactic.id]
                    : draft.tactics.filter(t => t !== tactic.id);
                })
              }
            />
            {tactic.label}
          </label>
        ))}
      </fieldset>
      <div className="jp-SentinelBookmarkDialog-field">
        <span>{trans.__('Techniques')}</span>
        <Chips
          label={trans.__('Techniques')}
          values={draft.techniques}
          pending={draft.pendingTechnique}
          placeholder={trans.__('T1110.003, then a comma')}
          list="jp-SentinelBookmarkDialog-techniques"
          invalid={v => !isTechniqueId(v)}
          removeLabel={v => trans.__('Remove technique %1', v)}
          onChange={(values, pending) =>
            set(() => {
              draft.techniques = values;
              draft.pendingTechnique = pending;
            })
          }
        />
        <datalist id="jp-SentinelBookmarkDialog-techniques">
          {Object.entries(TECHNIQUES).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </datalist>
      </div>
      <label>
        {trans.__('Incident to link (optional)')}
        <input
          className="jp-mod-styled"
          name="incident"
          list="jp-SentinelBookmarkDialog-incidents"
          value={draft.incidentId}
          onChange={e => set(() => (draft.incidentId = e.target.value))}
        />
      </label>
      <datalist id="jp-SentinelBookmarkDialog-incidents">
        {draft.incidents.map(incident => (
          <option key={incident.id} value={incident.id}>
            {[
              incident.number !== undefined ? `#${incident.number}` : '',
              incident.title,
              incident.severity ? `(${incident.severity})` : ''
            ]
              .filter(Boolean)
              .join(' ')}
          </option>
        ))}
      </datalist>
      <div className="jp-SentinelBookmarkDialog-rows">
        {stored.kept === stored.offered
          ? trans._n(
              '%1 row is stored with the bookmark.',
              '%1 rows are stored with the bookmark.',
              stored.kept
            )
          : trans.__(
              '%1 of %2 rows are stored with the bookmark: the stored result is limited to %3 KB.',
              stored.kept,
              stored.offered,
              MAX_QUERY_RESULT_CHARS / 1024
            )}
        {!draft.source.selected &&
          ' ' +
            trans.__(
              'No row was selected: these are the first rows of the result.'
            )}
      </div>
    </div>
  );
}

/** An ISO 8601 instant in a text box; what is typed stays until it parses. */
function TimeInput(props: {
  label: string;
  value: Date | null;
  onChange: (date: Date | null) => void;
}): JSX.Element {
  const [text, setText] = React.useState(isoText(props.value));
  const valid = !text.trim() || !Number.isNaN(new Date(text).getTime());
  return (
    <label>
      {props.label}
      <input
        className={'jp-mod-styled' + (valid ? '' : ' jp-mod-invalid')}
        aria-label={props.label}
        aria-invalid={!valid}
        value={text}
        placeholder="2026-10-01T00:00:00Z"
        onChange={e => {
          setText(e.target.value);
          const trimmed = e.target.value.trim();
          const date = trimmed ? new Date(trimmed) : null;
          if (!date || !Number.isNaN(date.getTime())) {
            props.onChange(date);
          }
        }}
      />
    </label>
  );
}

/** The body of the bookmark dialog. */
export class BookmarkDialogBody extends ReactWidget {
  constructor(
    private readonly _draft: BookmarkDraft,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-SentinelBookmarkDialog');
  }

  protected render(): JSX.Element {
    return (
      <BookmarkForm
        draft={this._draft}
        trans={this._trans}
        onChange={() => this.update()}
      />
    );
  }
}

/** What creating a bookmark needs. */
export interface ICreateBookmarkOptions {
  /** The rows the bookmark is evidence from. */
  rows: IResultRows;
  /** Finds the rows' workspace and its backend. */
  workspaces: ISentinelWorkspaces;
  /** Saves the bookmark (and lists the bookmarks again). */
  bookmarks: ISentinelBookmarks;
  /** User-facing text. */
  trans: TranslationBundle;
}

/**
 * Asks for the bookmark's fields, proposed from the rows, and saves it in the rows' workspace.
 * When the save fails the dialog opens again with everything typed and the reason; saving again
 * uses the same bookmark id, so a save that did reach the workspace is not made twice. Resolves
 * with the saved bookmark, or null when the analyst cancels.
 */
export async function createBookmark(
  options: ICreateBookmarkOptions
): Promise<IBookmark | null> {
  const { rows, workspaces, bookmarks, trans } = options;
  const draft = new BookmarkDraft(rows);
  // Looked up at each save: the workspace may have gone (signed out) since the rows were shown.
  const rowsWorkspace = () => {
    const workspace = workspaces.find(
      rows.workspace.backend,
      rows.workspace.id
    );
    return { workspace, backend: workspace && workspaces.backendOf(workspace) };
  };
  const source = rowsWorkspace();
  if (source.workspace && source.backend?.listIncidents) {
    // Proposals only: without them the analyst can still type an incident id.
    draft.incidents = await source.backend
      .listIncidents(source.workspace.id)
      .catch(() => []);
  }
  for (;;) {
    const result = await showDialog({
      title: trans.__('Create Bookmark'),
      body: new BookmarkDialogBody(draft, trans),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Create Bookmark') })
      ],
      focusNodeSelector: 'input[name="displayName"]'
    });
    if (!result.button.accept) {
      return null;
    }
    draft.commitPending();
    const problem = draft.problem();
    if (problem) {
      draft.error = trans.__(problem);
      continue;
    }
    const { workspace, backend } = rowsWorkspace();
    if (!workspace || !backend) {
      draft.error = trans.__(
        'The workspace %1 the rows came from is not available.',
        rows.workspace.name
      );
      continue;
    }
    try {
      const fields = draft.fields();
      const saved = await bookmarks.create(workspace, draft.id, fields);
      draft.error = null;
      const leftOut = backend.bookmarkFieldsLeftOut?.(fields) ?? [];
      if (leftOut.length) {
        Notification.warning(
          trans.__(
            'Bookmark “%1” saved in %2 without its %3: the workspace’s bookmarks API version has no such fields. A preview version in Settings → Sentinel: Azure keeps them.',
            saved.displayName,
            workspace.name,
            leftOut.join(', ')
          )
        );
      } else {
        Notification.success(
          trans.__(
            'Bookmark “%1” saved in %2.',
            saved.displayName,
            workspace.name
          ),
          { autoClose: 5000 }
        );
      }
      return saved;
    } catch (error) {
      draft.error = trans.__(
        'The bookmark could not be saved: %1',
        error instanceof Error ? error.message : String(error)
      );
    }
  }
}
