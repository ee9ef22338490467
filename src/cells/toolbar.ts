/**
 * The KQL cell's query bar, under its editor: the DataFrame variable the result becomes and the
 * time range the query runs with, written to the cell's metadata. It sits under the editor rather
 * than in the cell toolbar because JupyterLab hides a cell toolbar wider than half the cell, which
 * a text box and a picker would make it in most layouts.
 */
import type { Cell } from '@jupyterlab/cells';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { PanelLayout, Widget } from '@lumino/widgets';
import { CommandIDs } from './tokens';
import {
  customTimeRange,
  type CustomRangeProblem,
  type DataFrameKind,
  isIdentifier,
  kqlCellMetadata,
  proposeVariable,
  setKqlDataFrame,
  setKqlTimeRange,
  setKqlVariable,
  TIME_RANGES,
  timeWindow
} from './metadata';

/** Base of the toolbar widgets: hidden unless the cell holds KQL, refreshed when it changes. */
abstract class KqlCellWidget extends Widget {
  constructor(protected readonly cell: Cell) {
    super();
    cell.model.metadataChanged.connect(this._refresh, this);
    cell.model.sharedModel.changed.connect(this._refresh, this);
    requestAnimationFrame(() => this._refresh());
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.cell.model?.metadataChanged.disconnect(this._refresh, this);
      this.cell.model?.sharedModel.changed.disconnect(this._refresh, this);
    }
    super.dispose();
  }

  /** Shows the cell's current settings. */
  protected abstract render(): void;

  protected _refresh(): void {
    if (this.isDisposed) {
      return;
    }
    const kql = kqlCellMetadata(this.cell.model) !== null;
    this.setHidden(!kql);
    if (kql) {
      this.render();
    }
  }
}

/** The DataFrame variable of a KQL cell, proposed from its table and editable in place. */
export class KqlVariableWidget extends KqlCellWidget {
  constructor(
    cell: Cell,
    private readonly _trans: TranslationBundle,
    private readonly _otherVariables: (cell: Cell) => string[]
  ) {
    super(cell);
    this.addClass('jp-SentinelKqlVariable');
    const input = document.createElement('input');
    input.className = 'jp-mod-styled';
    input.spellcheck = false;
    input.setAttribute('aria-label', _trans.__('DataFrame variable'));
    input.title = _trans.__('The pandas DataFrame the result is loaded into');
    input.addEventListener('keydown', event => {
      // Keys typed here are for the name, not the notebook's shortcuts.
      event.stopPropagation();
      if (event.key === 'Enter') {
        input.blur();
      } else if (event.key === 'Escape') {
        this.render();
        input.blur();
      }
    });
    input.addEventListener('change', () => this._commit());
    this.node.appendChild(input);
    this._input = input;
  }

  protected render(): void {
    if (document.activeElement === this._input) {
      return;
    }
    const chosen = kqlCellMetadata(this.cell.model)?.variable;
    this._input.value = chosen ?? '';
    this._input.placeholder = chosen
      ? ''
      : proposeVariable(
          this.cell.model.sharedModel.getSource(),
          this._otherVariables(this.cell)
        );
    this._input.classList.remove('jp-mod-invalid');
  }

  private _commit(): void {
    const name = this._input.value.trim();
    const trans = this._trans;
    let problem: string | null = null;
    if (!name) {
      return;
    }
    if (!isIdentifier(name)) {
      problem = trans.__('%1 is not a Python variable name.', name);
    } else if (this._otherVariables(this.cell).includes(name)) {
      problem = trans.__(
        'Another KQL cell of this notebook loads into %1.',
        name
      );
    }
    this._input.classList.toggle('jp-mod-invalid', problem !== null);
    this._input.title =
      problem ?? trans.__('The pandas DataFrame the result is loaded into');
    if (!problem) {
      setKqlVariable(this.cell.model, name);
    }
  }

  private readonly _input: HTMLInputElement;
}

/** The picker's value for a custom range. */
const CUSTOM = 'custom';

/** An instant as the custom range's fields show it: ISO 8601 in UTC, to the second. */
function formatInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A picker of a KQL cell's toolbar, labelled for assistive technology; its keys stay its own (the
 * notebook's shortcuts would take them) and `choose` gets each value picked.
 */
function cellSelect(
  label: string,
  title: string,
  choose: (value: string) => void
): HTMLSelectElement {
  const select = document.createElement('select');
  select.className = 'jp-mod-styled';
  select.setAttribute('aria-label', label);
  select.title = title;
  select.addEventListener('keydown', event => event.stopPropagation());
  select.addEventListener('change', () => choose(select.value));
  return select;
}

/**
 * The time range of a KQL cell's query: Log Analytics' presets, or a custom range typed in two
 * fields beside the picker. A custom range that cannot be used says why under the fields and keeps
 * what was typed; the cell keeps its last valid range until it is fixed (Escape brings that back).
 */
export class KqlTimeRangeWidget extends KqlCellWidget {
  constructor(
    cell: Cell,
    private readonly _trans: TranslationBundle
  ) {
    super(cell);
    this.addClass('jp-SentinelKqlTimeRange');
    const select = cellSelect(
      _trans.__('Time range'),
      _trans.__(
        'The time range the query runs with, applied to every table as the Log Analytics API applies it'
      ),
      value => this._choose(value)
    );
    this._select = select;

    const field = (label: string): HTMLInputElement => {
      const input = document.createElement('input');
      input.className = 'jp-mod-styled';
      input.spellcheck = false;
      input.placeholder = '2026-11-25 08:00';
      input.setAttribute('aria-label', label);
      input.title = _trans.__(
        'A date and time in UTC: 2026-11-25 08:00, or ISO 8601 with a zone'
      );
      input.addEventListener('keydown', event => {
        // Keys typed here are for the range, not the notebook's shortcuts.
        event.stopPropagation();
        if (event.key === 'Enter') {
          this._commit();
        } else if (event.key === 'Escape') {
          this._problem = null;
          this.render();
        }
      });
      input.addEventListener('change', () => this._commit());
      return input;
    };
    this._start = field(_trans.__('Custom range start (UTC)'));
    this._end = field(_trans.__('Custom range end (UTC)'));
    const dash = document.createElement('span');
    dash.textContent = '–';
    dash.setAttribute('aria-hidden', 'true');
    this._custom = document.createElement('span');
    this._custom.className = 'jp-SentinelKqlTimeRange-custom';
    this._custom.append(this._start, dash, this._end);
    this._message = document.createElement('span');
    this._message.className = 'jp-SentinelKqlTimeRange-problem';
    this._message.setAttribute('role', 'alert');
    this.node.append(select, this._custom, this._message);
  }

  protected render(): void {
    const trans = this._trans;
    const range = kqlCellMetadata(this.cell.model)?.timeRange ?? null;
    const labels: Record<string, string> = {
      PT30M: trans.__('Last 30 minutes'),
      PT1H: trans.__('Last hour'),
      PT4H: trans.__('Last 4 hours'),
      PT12H: trans.__('Last 12 hours'),
      P1D: trans.__('Last 24 hours'),
      PT48H: trans.__('Last 48 hours'),
      P3D: trans.__('Last 3 days'),
      P7D: trans.__('Last 7 days'),
      P30D: trans.__('Last 30 days'),
      P90D: trans.__('Last 90 days')
    };
    const options: [string, string][] = [
      ['', trans.__('Set in query')],
      ...TIME_RANGES.map(r => [r.value, labels[r.value]] as [string, string]),
      [CUSTOM, trans.__('Custom')]
    ];
    if (this._select.options.length !== options.length) {
      this._select.replaceChildren(
        ...options.map(([value, label]) => {
          const option = document.createElement('option');
          option.value = value;
          option.textContent = label;
          return option;
        })
      );
    }
    const custom = range !== null && !labels[range];
    this._select.value = custom || this._problem ? CUSTOM : (range ?? '');
    this._custom.hidden = !custom && !this._problem;
    if (custom && !this._problem) {
      const span = timeWindow(range, new Date());
      if (span && !this._custom.contains(document.activeElement)) {
        this._start.value = formatInstant(span.start);
        this._end.value = formatInstant(span.end);
      }
    }
    this._showProblem();
  }

  /** A preset is stored as it is; Custom starts from the last 24 hours, to be edited in place. */
  private _choose(value: string): void {
    this._problem = null;
    if (value !== CUSTOM) {
      setKqlTimeRange(this.cell.model, value || null);
      return;
    }
    const end = new Date();
    const start = new Date(end.getTime() - 24 * 3600_000);
    this._start.value = formatInstant(start);
    this._end.value = formatInstant(end);
    this._commit();
    this._start.focus();
  }

  /** Stores the typed range, or says why it cannot be one, keeping what was typed. */
  private _commit(): void {
    const answer = customTimeRange(this._start.value, this._end.value);
    if ('range' in answer) {
      this._problem = null;
      if (kqlCellMetadata(this.cell.model)?.timeRange !== answer.range) {
        setKqlTimeRange(this.cell.model, answer.range);
      }
    } else {
      this._problem = answer.problem;
    }
    this.render();
  }

  private _showProblem(): void {
    const trans = this._trans;
    const problem = this._problem;
    let text = '';
    if (problem?.kind === 'unreadable') {
      const example = trans.__(
        'Write a date and time in UTC, as 2026-11-25 08:00, or ISO 8601 with a zone.'
      );
      text = problem.text
        ? problem.field === 'start'
          ? trans.__('The start “%1” is not a date and time.', problem.text)
          : trans.__('The end “%1” is not a date and time.', problem.text)
        : problem.field === 'start'
          ? trans.__('The start is empty.')
          : trans.__('The end is empty.');
      text += ' ' + example;
    } else if (problem?.kind === 'order') {
      text = trans.__(
        'The end (%1) is not after the start (%2).',
        formatInstant(problem.end),
        formatInstant(problem.start)
      );
    }
    if (text) {
      text +=
        ' ' +
        trans.__(
          'Until it is fixed, the query runs with the last valid range.'
        );
    }
    this._message.textContent = text;
    this._message.hidden = !text;
    this._start.classList.toggle(
      'jp-mod-invalid',
      problem?.kind === 'order' ||
        (problem?.kind === 'unreadable' && problem.field === 'start')
    );
    this._end.classList.toggle(
      'jp-mod-invalid',
      problem?.kind === 'order' ||
        (problem?.kind === 'unreadable' && problem.field === 'end')
    );
  }

  private readonly _select: HTMLSelectElement;
  private readonly _custom: HTMLSpanElement;
  private readonly _start: HTMLInputElement;
  private readonly _end: HTMLInputElement;
  private readonly _message: HTMLSpanElement;
  private _problem: CustomRangeProblem | null = null;
}

/** Whether the notebook's queries run on a Spark workspace, and the signals that may change it. */
export interface ISparkWorkspaceState {
  isSpark(): boolean;
  changed: ISignal<unknown, unknown>[];
}

/**
 * What the linked cell holds, on a Spark workspace: the saved result as a pandas DataFrame, or a
 * Spark DataFrame of the whole query in the kernel (for results past the row limit). Hidden on
 * other workspaces, where only pandas is offered.
 */
export class KqlDataFrameKindWidget extends KqlCellWidget {
  constructor(
    cell: Cell,
    trans: TranslationBundle,
    private readonly _spark: ISparkWorkspaceState
  ) {
    super(cell);
    this.addClass('jp-SentinelKqlDataFrameKind');
    const select = cellSelect(
      trans.__('DataFrame kind'),
      trans.__(
        'pandas loads the saved result (up to the row limit); a Spark DataFrame runs the whole query through Spark Connect in the kernel'
      ),
      value => setKqlDataFrame(this.cell.model, value as DataFrameKind)
    );
    const options: [DataFrameKind, string][] = [
      ['pandas', trans.__('pandas DataFrame')],
      ['spark', trans.__('Spark DataFrame')]
    ];
    select.replaceChildren(
      ...options.map(([value, label]) => {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = label;
        return option;
      })
    );
    this.node.appendChild(select);
    this._select = select;
    for (const signal of _spark.changed) {
      signal.connect(this._refresh, this);
    }
  }

  dispose(): void {
    if (!this.isDisposed) {
      for (const signal of this._spark.changed) {
        signal.disconnect(this._refresh, this);
      }
    }
    super.dispose();
  }

  protected render(): void {
    this.setHidden(!this._spark.isSpark());
    this._select.value =
      kqlCellMetadata(this.cell.model)?.dataframe ?? 'pandas';
  }

  private readonly _select: HTMLSelectElement;
}

/** Class of the query bar. */
export const KQL_QUERY_BAR_CLASS = 'jp-SentinelKqlQueryBar';

/**
 * The workspaces a notebook's queries run on, as the query bar names them: a button that opens
 * the picker (`sentinel:choose-notebook-workspaces`, through JupyterLab's command linker).
 */
export class KqlWorkspaceLabel extends Widget {
  constructor(
    private readonly _describe: () => string,
    changed: ISignal<unknown, unknown>[],
    caption: string
  ) {
    super({ node: document.createElement('button') });
    this.addClass('jp-SentinelKqlQueryBar-workspace');
    this.node.setAttribute('type', 'button');
    this.node.title = caption;
    this.node.dataset.commandlinkerCommand = CommandIDs.chooseWorkspaces;
    for (const signal of changed) {
      signal.connect(this._render, this);
    }
    this._render();
  }

  private _render(): void {
    if (!this.isDisposed) {
      this.node.textContent = this._describe();
    }
  }
}

/** The query bar of one KQL cell. */
export class KqlQueryBar extends Widget {
  constructor(
    cell: Cell,
    trans: TranslationBundle,
    otherVariables: (cell: Cell) => string[],
    workspace?: KqlWorkspaceLabel,
    spark?: ISparkWorkspaceState
  ) {
    super();
    this.addClass(KQL_QUERY_BAR_CLASS);
    this.node.setAttribute('role', 'toolbar');
    this.node.setAttribute('aria-label', trans.__('KQL query settings'));
    const layout = new PanelLayout();
    this.layout = layout;
    const label = (text: string): Widget => {
      const widget = new Widget();
      widget.addClass('jp-SentinelKqlQueryBar-label');
      widget.node.textContent = text;
      return widget;
    };
    layout.addWidget(label(trans.__('DataFrame')));
    layout.addWidget(new KqlVariableWidget(cell, trans, otherVariables));
    if (spark) {
      layout.addWidget(new KqlDataFrameKindWidget(cell, trans, spark));
    }
    layout.addWidget(label(trans.__('Time range')));
    layout.addWidget(new KqlTimeRangeWidget(cell, trans));
    if (workspace) {
      layout.addWidget(workspace);
    }
  }
}
