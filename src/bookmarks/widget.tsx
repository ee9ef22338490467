import type { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  PanelWithToolbar,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';
import type { IBookmark, IEntityMapping } from '../tokens';
import { firstLine } from './model';
import type { ISentinelBookmarks } from './tokens';

/** What the bookmark list needs: the model, and what Delete does (the caller confirms). */
export interface IBookmarkBrowserProps {
  model: ISentinelBookmarks;
  trans: TranslationBundle;
  onDelete: (bookmark: IBookmark) => void;
  /** Runs the bookmark's query, with its time window, in a new KQL cell. */
  onRun?: (bookmark: IBookmark) => void;
}

/** An ISO time as the user's locale writes it; the text itself when it is not a time. */
export function formatTime(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString();
}

/** The incident a bookmark is evidence for, as one line: its title and severity, else its id. */
export function formatIncident(
  incident: IBookmark['incidentInfo'],
  trans: TranslationBundle
): string {
  if (!incident) {
    return '';
  }
  const name = incident.title || incident.incidentId;
  return incident.severity
    ? trans.__('%1 (severity %2)', name, incident.severity)
    : name;
}

/** An entity as one line: `Account: FullName = a@b, Sid = …`. */
export function formatEntity(entity: IEntityMapping): string {
  const fields = entity.fieldMappings
    .map(f => `${f.identifier} = ${f.value}`)
    .join(', ');
  return fields ? `${entity.entityType}: ${fields}` : entity.entityType;
}

function Labels({
  labels,
  trans
}: {
  labels: string[];
  trans: TranslationBundle;
}): JSX.Element | null {
  if (labels.length === 0) {
    return null;
  }
  return (
    <ul className="jp-SentinelBookmarks-labels" aria-label={trans.__('Labels')}>
      {labels.map(label => (
        <li key={label} className="jp-SentinelBookmarks-label">
          {label}
        </li>
      ))}
    </ul>
  );
}

/** One labelled entry of the details, left out when empty. */
function Field({
  label,
  children
}: {
  label: string;
  children: React.ReactNode;
}): JSX.Element | null {
  if (
    children === null ||
    children === undefined ||
    children === false ||
    children === '' ||
    (Array.isArray(children) && children.length === 0)
  ) {
    return null;
  }
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Everything about the selected bookmark, as text, with Delete. */
function BookmarkDetails({
  bookmark,
  props
}: {
  bookmark: IBookmark;
  props: IBookmarkBrowserProps;
}): JSX.Element {
  const { trans } = props;
  const timeWindow =
    bookmark.queryStartTime || bookmark.queryEndTime
      ? trans.__(
          '%1 to %2',
          formatTime(bookmark.queryStartTime) || '…',
          formatTime(bookmark.queryEndTime) || '…'
        )
      : '';
  const entities = bookmark.entityMappings ?? [];
  return (
    <section
      className="jp-SentinelBookmarks-details"
      aria-label={trans.__('Bookmark details')}
    >
      <h3 className="jp-SentinelBookmarks-detailsTitle">
        {bookmark.displayName}
      </h3>
      <Labels labels={bookmark.labels} trans={trans} />
      <dl className="jp-SentinelBookmarks-fields">
        <Field label={trans.__('Event time')}>
          {formatTime(bookmark.eventTime)}
        </Field>
        <Field label={trans.__('Time window')}>{timeWindow}</Field>
        <Field label={trans.__('Incident')}>
          {formatIncident(bookmark.incidentInfo, trans)}
        </Field>
        <Field label={trans.__('Tactics')}>
          {(bookmark.tactics ?? []).join(', ')}
        </Field>
        <Field label={trans.__('Techniques')}>
          {(bookmark.techniques ?? []).join(', ')}
        </Field>
        <Field label={trans.__('Entities')}>
          {entities.length > 0 && (
            <ul className="jp-SentinelBookmarks-entities">
              {entities.map((entity, i) => (
                <li key={i}>{formatEntity(entity)}</li>
              ))}
            </ul>
          )}
        </Field>
        <Field label={trans.__('Created')}>
          {bookmark.createdBy?.name
            ? trans.__(
                '%1 by %2',
                formatTime(bookmark.created),
                bookmark.createdBy.name
              )
            : formatTime(bookmark.created)}
        </Field>
        {bookmark.updated !== bookmark.created && (
          <Field label={trans.__('Updated')}>
            {formatTime(bookmark.updated)}
          </Field>
        )}
      </dl>
      {bookmark.notes && (
        <>
          <h4 className="jp-SentinelBookmarks-heading">{trans.__('Notes')}</h4>
          <p className="jp-SentinelBookmarks-notes">{bookmark.notes}</p>
        </>
      )}
      {bookmark.query && (
        <>
          <h4 className="jp-SentinelBookmarks-heading">{trans.__('Query')}</h4>
          <pre className="jp-SentinelBookmarks-query">{bookmark.query}</pre>
        </>
      )}
      <div className="jp-SentinelBookmarks-actions">
        {bookmark.query && props.onRun && (
          <Button
            className="jp-mod-styled jp-mod-accept"
            onClick={() => props.onRun?.(bookmark)}
            title={trans.__(
              'Run the query of “%1” with its time window in a new KQL cell',
              bookmark.displayName
            )}
          >
            {trans.__('Run in a New KQL Cell')}
          </Button>
        )}
        <Button
          className="jp-mod-styled jp-mod-warn"
          onClick={() => props.onDelete(bookmark)}
          title={trans.__('Delete “%1”', bookmark.displayName)}
        >
          {trans.__('Delete')}
        </Button>
      </div>
    </section>
  );
}

/** Moves the focus to the previous or next option of the same list. */
function moveFocus(event: React.KeyboardEvent<HTMLElement>): void {
  const target =
    event.key === 'ArrowDown'
      ? event.currentTarget.nextElementSibling
      : event.currentTarget.previousElementSibling;
  if (target instanceof HTMLElement) {
    event.preventDefault();
    target.focus();
  }
}

/** The bookmarks of the active workspace, newest first; details of the selected one below. */
export function BookmarkBrowser(props: IBookmarkBrowserProps): JSX.Element {
  const { model, trans, onDelete } = props;
  const workspace = model.workspace;
  if (!workspace) {
    return (
      <div className="jp-SentinelMessage">
        {trans.__('No workspace selected.')}
      </div>
    );
  }
  if (model.error) {
    return (
      <div className="jp-SentinelMessage" role="alert">
        {trans.__(
          'The bookmarks of %1 could not be listed: %2',
          workspace.name,
          model.error
        )}
      </div>
    );
  }
  if (workspace.status !== 'ready') {
    return (
      <div className="jp-SentinelMessage">
        {trans.__('%1 is not ready yet.', workspace.name)}
      </div>
    );
  }
  if (model.bookmarks.length === 0) {
    return (
      <div className="jp-SentinelMessage">
        {model.loading
          ? trans.__('Listing bookmarks…')
          : trans.__('%1 has no bookmarks yet.', workspace.name)}
      </div>
    );
  }
  const selected = model.selected;
  const onKey = (
    event: React.KeyboardEvent<HTMLElement>,
    bookmark: IBookmark,
    isSelected: boolean
  ): void => {
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        model.select(isSelected ? null : bookmark.id);
        break;
      case 'Delete':
        event.preventDefault();
        onDelete(bookmark);
        break;
      case 'ArrowDown':
      case 'ArrowUp':
        moveFocus(event);
        break;
    }
  };
  return (
    <div className="jp-SentinelBookmarks">
      <ul
        role="listbox"
        aria-label={trans.__('Bookmarks')}
        className="jp-SentinelBookmarks-list"
      >
        {model.bookmarks.map(bookmark => {
          const isSelected = selected?.id === bookmark.id;
          const query = firstLine(bookmark.query);
          return (
            <li
              key={bookmark.id}
              role="option"
              aria-selected={isSelected}
              aria-label={bookmark.displayName}
              tabIndex={0}
              className={
                'jp-SentinelBookmarks-item' +
                (isSelected ? ' jp-mod-selected' : '')
              }
              onClick={() => model.select(isSelected ? null : bookmark.id)}
              onKeyDown={event => onKey(event, bookmark, isSelected)}
            >
              <div className="jp-SentinelBookmarks-header">
                <span className="jp-SentinelBookmarks-name">
                  {bookmark.displayName}
                </span>
                <time
                  className="jp-SentinelBookmarks-time"
                  dateTime={bookmark.created}
                >
                  {formatTime(bookmark.created)}
                </time>
              </div>
              <Labels labels={bookmark.labels} trans={trans} />
              {query && (
                <div className="jp-SentinelBookmarks-summary" title={query}>
                  {query}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {selected && <BookmarkDetails bookmark={selected} props={props} />}
    </div>
  );
}

/**
 * The Bookmarks section of the Sentinel sidebar. Its toolbar (shown in the section's title) is
 * filled by the plugin with command buttons.
 */
export class BookmarksPanel extends PanelWithToolbar {
  constructor(props: IBookmarkBrowserProps) {
    super();
    this.addClass('jp-SentinelSection');
    this.addClass('jp-SentinelBookmarksPanel');
    this.title.label = props.trans.__('Bookmarks');
    this.addWidget(
      ReactWidget.create(
        <UseSignal signal={props.model.changed}>
          {() => <BookmarkBrowser {...props} />}
        </UseSignal>
      )
    );
  }
}
