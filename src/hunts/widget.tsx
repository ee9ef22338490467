/**
 * The Hunts section of the Sentinel sidebar: the packs with their files (invalid ones with the
 * reason), running the selected pack with progress and cancel, the MITRE ATT&CK matrix of the run
 * and its outcome table, sortable and filterable. Everything from rule files and results is
 * rendered as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  PanelWithToolbar,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';
import { TIME_RANGES } from '../cells/metadata';
import type { HuntOutcome, IRuleResult } from '../kql/hunts/run';
import {
  DEFAULT_VIEW,
  type IOutcomeView,
  type OutcomeSortKey,
  outcomeRows,
  tacticHeat,
  tacticMatrix
} from './table';
import { remainingSeconds } from './model';
import type { IHuntPackInfo, IHuntRun, ISentinelHunts } from './tokens';

/** What the section needs: the service, and what its buttons do. */
export interface IHuntsPanelProps {
  model: ISentinelHunts;
  trans: TranslationBundle;
  /**
   * Runs the pack on the active workspace over `window` (a KQL cell's time range), or over each
   * rule's own period when it is empty.
   */
  onRun: (pack: IHuntPackInfo, window: string) => void;
  onCancel: () => void;
  /** Opens the rule's query and window in a KQL cell. */
  onOpen: (result: IRuleResult) => void;
  /** Makes a bookmark of the rule's hits. */
  onBookmark: (result: IRuleResult) => void;
}

/** An outcome as the table names it. */
export function outcomeLabel(
  outcome: HuntOutcome,
  trans: TranslationBundle
): string {
  switch (outcome) {
    case 'hits':
      return trans.__('hits');
    case 'no-hits':
      return trans.__('no hits');
    case 'refused':
      return trans.__('refused');
    case 'missing-tables':
      return trans.__('missing tables');
    case 'error':
      return trans.__('error');
  }
}

const OUTCOMES: HuntOutcome[] = [
  'hits',
  'no-hits',
  'refused',
  'missing-tables',
  'error'
];

function PackList({
  model,
  trans
}: {
  model: ISentinelHunts;
  trans: TranslationBundle;
}): JSX.Element {
  if (model.packs.length === 0) {
    return (
      <p className="jp-SentinelHunts-empty">
        {model.loading
          ? trans.__('Reading hunt packs…')
          : trans.__('No hunt packs.')}
      </p>
    );
  }
  return (
    <ul className="jp-SentinelHunts-packs" aria-label={trans.__('Hunt packs')}>
      {model.packs.map(info => {
        const selected = model.selected?.key === info.key;
        return (
          <li key={info.key} className="jp-SentinelHunts-pack">
            <button
              className="jp-SentinelHunts-packName"
              aria-pressed={selected}
              title={info.location}
              onClick={() => model.select(info.key)}
            >
              {info.name}
              <span className="jp-SentinelHunts-packCount">
                {info.pack
                  ? trans.__(
                      '%1 rules, %2 invalid',
                      info.pack.rules.length,
                      info.pack.invalid.length
                    )
                  : trans.__('unreadable')}
              </span>
            </button>
            {selected && <PackFiles info={info} trans={trans} />}
          </li>
        );
      })}
    </ul>
  );
}

function PackFiles({
  info,
  trans
}: {
  info: IHuntPackInfo;
  trans: TranslationBundle;
}): JSX.Element {
  if (!info.pack) {
    return <p className="jp-SentinelHunts-error">{info.error}</p>;
  }
  const { rules, invalid } = info.pack;
  // Open at first when some file is not a rule, so the reason is seen; else out of the way.
  return (
    <>
      {info.notice && (
        <p className="jp-SentinelHunts-notice" role="status">
          {info.notice}
        </p>
      )}
      <details className="jp-SentinelHunts-filesBox" open={invalid.length > 0}>
        <summary>
          {trans.__('Files (%1)', rules.length + invalid.length)}
        </summary>
        <ul className="jp-SentinelHunts-files">
          {rules.map(rule => (
            <li key={rule.file} title={rule.description}>
              <span className="jp-SentinelHunts-file">{rule.file}</span>{' '}
              {rule.name}
            </li>
          ))}
          {invalid.map(file => (
            <li key={file.file} className="jp-SentinelHunts-invalid">
              <span className="jp-SentinelHunts-file">{file.file}</span>{' '}
              {trans.__('not a rule: %1', file.reason)}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

function Progress({
  run,
  running,
  trans,
  onCancel
}: {
  run: IHuntRun;
  running: boolean;
  trans: TranslationBundle;
  onCancel: () => void;
}): JSX.Element {
  const left = remainingSeconds(run, Date.now());
  let status: string;
  if (running) {
    status =
      left === null
        ? trans._n('%2 of %1 rule', '%2 of %1 rules', run.total, run.done)
        : trans._n(
            '%2 of %1 rule, about %3 s left',
            '%2 of %1 rules, about %3 s left',
            run.total,
            run.done,
            left
          );
  } else if (run.report?.cancelled) {
    status = trans._n(
      'Cancelled after %2 of %1 rule on %3',
      'Cancelled after %2 of %1 rules on %3',
      run.total,
      run.done,
      run.workspace.name
    );
  } else {
    status = trans._n(
      '%1 rule on %2: %3 fired',
      '%1 rules on %2: %3 fired',
      run.total,
      run.workspace.name,
      run.report?.fired ?? 0
    );
  }
  return (
    <div className="jp-SentinelHunts-progress">
      <progress
        max={run.total}
        value={run.done}
        aria-label={trans.__('Rules done')}
      />
      <span className="jp-SentinelHunts-status" role="status">
        {status}
      </span>
      {running && (
        <Button small onClick={onCancel}>
          {trans.__('Cancel')}
        </Button>
      )}
    </div>
  );
}

function Matrix({
  results,
  tactic,
  onTactic,
  trans
}: {
  results: ReadonlyArray<IRuleResult>;
  tactic: string | null;
  onTactic: (tactic: string | null) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const columns = tacticMatrix(results);
  return (
    <div
      className="jp-SentinelHunts-matrix"
      role="group"
      aria-label={trans.__('MITRE ATT&CK tactics')}
    >
      {columns.map(column => (
        <button
          key={column.id}
          className="jp-SentinelHunts-tactic"
          data-heat={tacticHeat(column)}
          data-tactic={column.id}
          aria-pressed={tactic === column.id}
          title={[
            trans.__(
              '%1: %2 rules, %3 fired',
              column.label,
              column.rules,
              column.fired
            ),
            ...column.techniques.map(t =>
              trans.__('%1: %2 rules, %3 fired', t.id, t.rules, t.fired)
            )
          ].join('\n')}
          onClick={() => onTactic(tactic === column.id ? null : column.id)}
        >
          <span className="jp-SentinelHunts-tacticLabel">{column.label}</span>
          <span className="jp-SentinelHunts-tacticCount">
            {column.rules ? `${column.fired}/${column.rules}` : '–'}
          </span>
        </button>
      ))}
    </div>
  );
}

function OutcomeTable({
  results,
  view,
  setView,
  trans,
  onOpen,
  onBookmark
}: {
  results: ReadonlyArray<IRuleResult>;
  view: IOutcomeView;
  setView: (view: IOutcomeView) => void;
  trans: TranslationBundle;
  onOpen: (result: IRuleResult) => void;
  onBookmark: (result: IRuleResult) => void;
}): JSX.Element {
  const rows = outcomeRows(results, view);
  const header = (key: OutcomeSortKey, label: string): JSX.Element => {
    const sorted = view.sort === key;
    return (
      <th
        aria-sort={
          sorted ? (view.descending ? 'descending' : 'ascending') : 'none'
        }
      >
        <button
          className="jp-SentinelHunts-sort"
          onClick={() =>
            setView({
              ...view,
              sort: key,
              descending: sorted ? !view.descending : false
            })
          }
        >
          {label}
          {sorted ? (view.descending ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="jp-SentinelHunts-outcomes">
      <div className="jp-SentinelHunts-filters">
        <input
          type="search"
          className="jp-SentinelHunts-filter"
          aria-label={trans.__('Filter rules')}
          placeholder={trans.__('Filter rules')}
          value={view.text}
          onChange={e => setView({ ...view, text: e.target.value })}
        />
        <select
          className="jp-SentinelHunts-outcomeFilter"
          aria-label={trans.__('Outcome')}
          value={view.outcomes[0] ?? ''}
          onChange={e =>
            setView({
              ...view,
              outcomes: e.target.value ? [e.target.value as HuntOutcome] : []
            })
          }
        >
          <option value="">{trans.__('All outcomes')}</option>
          {OUTCOMES.map(o => (
            <option key={o} value={o}>
              {outcomeLabel(o, trans)}
            </option>
          ))}
        </select>
      </div>
      <table className="jp-SentinelHunts-table">
        <thead>
          <tr>
            {header('name', trans.__('Rule'))}
            {header('severity', trans.__('Severity'))}
            {header('outcome', trans.__('Outcome'))}
            {header('rows', trans.__('Rows'))}
            <th>{trans.__('Actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(r => (
            <tr
              key={r.rule.id}
              className="jp-SentinelHunts-row"
              data-rule={r.rule.id}
              data-outcome={r.outcome}
              data-fired={r.fired}
            >
              <td title={r.rule.file}>{r.rule.name}</td>
              <td>{r.rule.severity ?? ''}</td>
              <td className="jp-SentinelHunts-outcome">
                {outcomeLabel(r.outcome, trans)}
                {r.fired ? ` ${trans.__('(fired)')}` : ''}
                {r.reason && (
                  <span className="jp-SentinelHunts-reason">{r.reason}</span>
                )}
              </td>
              <td>{r.rows ?? ''}</td>
              <td className="jp-SentinelHunts-actions">
                {r.outcome === 'hits' && (
                  <>
                    <Button
                      small
                      minimal
                      title={trans.__('Open the hits in a KQL cell')}
                      onClick={() => onOpen(r)}
                    >
                      {trans.__('Open')}
                    </Button>
                    <Button
                      small
                      minimal
                      title={trans.__('Bookmark the hits')}
                      onClick={() => onBookmark(r)}
                    >
                      {trans.__('Bookmark')}
                    </Button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p className="jp-SentinelHunts-empty">
          {trans.__('No rule matches the filter.')}
        </p>
      )}
    </div>
  );
}

/** A preset window as the window menu names it. */
function windowLabel(hours: number, trans: TranslationBundle): string {
  if (hours < 1) {
    return trans._n('Last %1 minute', 'Last %1 minutes', hours * 60);
  }
  return hours < 48 || hours % 24 !== 0
    ? trans._n('Last %1 hour', 'Last %1 hours', hours)
    : trans._n('Last %1 day', 'Last %1 days', hours / 24);
}

/** The section's content. */
export function HuntsBrowser(props: IHuntsPanelProps): JSX.Element {
  const { model, trans } = props;
  const [view, setView] = React.useState<IOutcomeView>(DEFAULT_VIEW);
  const [huntWindow, setHuntWindow] = React.useState('');
  const pack = model.selected;
  const run = model.run;
  return (
    <div className="jp-SentinelHunts">
      <PackList model={model} trans={trans} />
      <div className="jp-SentinelHunts-run">
        <select
          className="jp-SentinelHunts-window"
          aria-label={trans.__('Time window')}
          value={huntWindow}
          onChange={e => setHuntWindow(e.target.value)}
        >
          <option value="">{trans.__('Each rule’s query period')}</option>
          {TIME_RANGES.map(r => (
            <option key={r.value} value={r.value}>
              {windowLabel(r.hours, trans)}
            </option>
          ))}
        </select>
        <Button
          className="jp-SentinelHunts-runButton"
          disabled={model.running || !pack?.pack?.rules.length}
          onClick={() => pack && props.onRun(pack, huntWindow)}
        >
          {pack ? trans.__('Run “%1”', pack.name) : trans.__('Run Hunt Pack')}
        </Button>
      </div>
      {run && (
        <>
          <Progress
            run={run}
            running={model.running}
            trans={trans}
            onCancel={props.onCancel}
          />
          <Matrix
            results={run.results}
            tactic={view.tactic}
            onTactic={tactic => setView({ ...view, tactic })}
            trans={trans}
          />
          <OutcomeTable
            results={run.results}
            view={view}
            setView={setView}
            trans={trans}
            onOpen={props.onOpen}
            onBookmark={props.onBookmark}
          />
        </>
      )}
    </div>
  );
}

/** The Hunts section of the sidebar. */
export class HuntsPanel extends PanelWithToolbar {
  constructor(props: IHuntsPanelProps) {
    super();
    this.addClass('jp-SentinelSection');
    this.addClass('jp-SentinelHuntsPanel');
    this.title.label = props.trans.__('Hunts');
    this.addWidget(
      ReactWidget.create(
        <UseSignal signal={props.model.changed}>
          {() => <HuntsBrowser {...props} />}
        </UseSignal>
      )
    );
  }
}
