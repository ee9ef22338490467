import type { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  checkIcon,
  closeIcon,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';
import { SECTION_IDS } from '../sidebar/widget';
import type { ISentinelWorkspaces } from '../tokens';
import { checkTables } from './model';
import type { ISentinelTemplates, ITableCheck, ITemplateInfo } from './tokens';

/** What the template browser needs: the models, and what Clone and Open do. */
export interface ITemplateBrowserProps {
  model: ISentinelTemplates;
  workspaces: ISentinelWorkspaces;
  trans: TranslationBundle;
  onClone: (template: ITemplateInfo) => void;
  onOpen: (template: ITemplateInfo) => void;
  /** Shows the template's details in the main area; without it the sidebar offers no Details. */
  onDetails?: (template: ITemplateInfo) => void;
}

function key(template: ITemplateInfo): string {
  return `${template.source}/${template.id}`;
}

/** A required table, marked present or missing in the active workspace. */
function TableChip({
  check,
  workspace,
  trans
}: {
  check: ITableCheck;
  workspace: string;
  trans: TranslationBundle;
}): JSX.Element {
  let label: string;
  switch (check.state) {
    case 'present':
      label = trans.__('%1: present in %2', check.table, workspace);
      break;
    case 'missing':
      label = trans.__('%1: missing from %2', check.table, workspace);
      break;
    case 'unknown':
      label = trans.__('%1: no workspace schema to check against', check.table);
      break;
  }
  return (
    <li
      className={`jp-SentinelTemplates-table jp-mod-${check.state}`}
      aria-label={label}
      title={label}
    >
      {check.state === 'present' && <checkIcon.react tag="span" />}
      {check.state === 'missing' && <closeIcon.react tag="span" />}
      <span>{check.table}</span>
    </li>
  );
}

function TableChips({
  checks,
  workspace,
  trans
}: {
  checks: ITableCheck[];
  workspace: string;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <ul
      className="jp-SentinelTemplates-tables"
      aria-label={trans.__('Required tables')}
    >
      {checks.map(check => (
        <TableChip
          key={check.table}
          check={check}
          workspace={workspace}
          trans={trans}
        />
      ))}
    </ul>
  );
}

/** One labelled line of the details, left out when empty. */
function Field({
  label,
  values
}: {
  label: string;
  values: string[];
}): JSX.Element | null {
  if (values.length === 0) {
    return null;
  }
  return (
    <>
      <dt>{label}</dt>
      <dd>{values.join(', ')}</dd>
    </>
  );
}

/** Everything about a template, with its actions (Details only where `props` offers it). */
export function TemplateDetails({
  template,
  props
}: {
  template: ITemplateInfo;
  props: ITemplateBrowserProps;
}): JSX.Element {
  const { model, workspaces, trans } = props;
  const source = model.sources.find(s => s.id === template.source);
  const workspace = workspaces.active?.name ?? '';
  const checks = checkTables(template, workspaces.schema);
  const missing = checks.filter(c => c.state === 'missing').length;
  return (
    <section
      className="jp-SentinelTemplates-details"
      aria-label={trans.__('Template details')}
    >
      <h3 className="jp-SentinelTemplates-detailsTitle">{template.title}</h3>
      <p className="jp-SentinelTemplates-fullDescription">
        {template.description}
      </p>
      {checks.length > 0 && (
        <div className="jp-SentinelTemplates-readiness">
          {missing === 0
            ? checks[0].state === 'unknown'
              ? trans.__('Select a workspace to check the required tables.')
              : trans.__('%1 has every table this template needs.', workspace)
            : trans._n(
                '%2 lacks %1 required table.',
                '%2 lacks %1 required tables.',
                missing,
                workspace
              )}
          <TableChips checks={checks} workspace={workspace} trans={trans} />
        </div>
      )}
      <dl className="jp-SentinelTemplates-fields">
        <Field
          label={trans.__('Optional tables')}
          values={template.optionalTables}
        />
        <Field label={trans.__('Data sources')} values={template.dataSources} />
        <Field label={trans.__('Tactics')} values={template.tactics} />
        <Field label={trans.__('Entities')} values={template.entityTypes} />
        <Field label={trans.__('Tags')} values={template.tags} />
        <Field
          label={trans.__('Version')}
          values={template.version ? [template.version] : []}
        />
        <Field
          label={trans.__('Source')}
          values={[`${source?.name ?? template.source}: ${template.id}`]}
        />
      </dl>
      <div className="jp-SentinelTemplates-actions">
        <Button
          className="jp-mod-styled jp-mod-accept"
          onClick={() => props.onClone(template)}
          title={trans.__(
            'Copy the template into the current folder and open it'
          )}
        >
          {trans.__('Clone')}
        </Button>
        <Button
          className="jp-mod-styled"
          onClick={() => props.onOpen(template)}
          title={trans.__('Read the template without copying it')}
        >
          {trans.__('Open')}
        </Button>
        {props.onDetails && (
          <Button
            className="jp-mod-styled"
            onClick={() => props.onDetails?.(template)}
            title={trans.__('Show these details in the main area')}
          >
            {trans.__('Details')}
          </Button>
        )}
      </div>
    </section>
  );
}

/** The template list: search by text and tag, required tables checked, details on selection. */
export function TemplateBrowser(props: ITemplateBrowserProps): JSX.Element {
  const { model, workspaces, trans } = props;
  const selected = model.selected;
  const workspace = workspaces.active?.name ?? '';
  const templates = model.filtered;
  const onKey = (event: React.KeyboardEvent, template: ITemplateInfo): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      model.select(template);
    }
  };
  return (
    <div className="jp-SentinelTemplates">
      <input
        className="jp-SentinelTemplates-search jp-mod-styled"
        type="search"
        placeholder={trans.__('Search templates')}
        aria-label={trans.__('Search templates')}
        value={model.query}
        onChange={event => model.setQuery(event.target.value)}
      />
      {model.allTags.length > 0 && (
        <div
          className="jp-SentinelTemplates-tags"
          role="group"
          aria-label={trans.__('Filter by tag')}
        >
          {model.allTags.map(tag => (
            <button
              key={tag}
              type="button"
              className="jp-SentinelTemplates-tag"
              aria-pressed={model.selectedTags.has(tag)}
              onClick={() => model.toggleTag(tag)}
            >
              {tag}
            </button>
          ))}
        </div>
      )}
      {model.error && (
        <div className="jp-SentinelMessage" role="alert">
          {trans.__('Templates could not be listed: %1', model.error)}
        </div>
      )}
      {model.sources
        .filter(s => s.status === 'error' || s.message)
        .map(s => (
          <div
            key={s.id}
            className="jp-SentinelMessage"
            role={s.status === 'error' ? 'alert' : 'status'}
          >
            {trans.__('%1: %2', s.name, s.message ?? trans.__('not readable'))}
          </div>
        ))}
      {model.loading ? (
        <div className="jp-SentinelMessage">
          {trans.__('Listing templates…')}
        </div>
      ) : templates.length === 0 ? (
        <div className="jp-SentinelMessage">
          {model.templates.length === 0
            ? trans.__('No templates.')
            : trans.__('No template matches the search.')}
        </div>
      ) : (
        <ul
          role="listbox"
          aria-label={trans.__('Templates')}
          className="jp-SentinelTemplates-list"
        >
          {templates.map(template => {
            const isSelected =
              selected !== null && key(selected) === key(template);
            return (
              <li
                key={key(template)}
                role="option"
                aria-selected={isSelected}
                aria-label={template.title}
                tabIndex={0}
                className={
                  'jp-SentinelTemplates-item' +
                  (isSelected ? ' jp-mod-selected' : '')
                }
                onClick={() => model.select(isSelected ? null : template)}
                onKeyDown={event => onKey(event, template)}
              >
                <div className="jp-SentinelTemplates-title">
                  {template.title}
                </div>
                <div className="jp-SentinelTemplates-description">
                  {template.description}
                </div>
                <TableChips
                  checks={checkTables(template, workspaces.schema)}
                  workspace={workspace}
                  trans={trans}
                />
              </li>
            );
          })}
        </ul>
      )}
      {selected && <TemplateDetails template={selected} props={props} />}
    </div>
  );
}

/** The Templates section of the Sentinel sidebar. */
export class TemplatesPanel extends ReactWidget {
  constructor(private readonly _props: ITemplateBrowserProps) {
    super();
    this.id = SECTION_IDS.templates;
    this.addClass('jp-SentinelSection');
    this.title.label = _props.trans.__('Templates');
  }

  protected render(): JSX.Element {
    const { model, workspaces } = this._props;
    // The required tables are checked against the active workspace: follow both models.
    return (
      <UseSignal signal={workspaces.changed}>
        {() => (
          <UseSignal signal={model.changed}>
            {() => <TemplateBrowser {...this._props} />}
          </UseSignal>
        )}
      </UseSignal>
    );
  }
}
