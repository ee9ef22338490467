/**
 * The KQL cell's query bar, under its editor: the DataFrame variable the result becomes and the
 * time range the query runs with, written to the cell's metadata. It sits under the editor rather
 * than in the cell toolbar because JupyterLab hides a cell toolbar wider than half the cell, which
 * a text box and a picker would make it in most layouts.
 */
import { InputDialog } from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { PanelLayout, Widget } from '@lumino/widgets';
import {
  isIdentifier,
  isTimeRange,
  kqlCellMetadata,
  proposeVariable,
  setKqlTimeRange,
  setKqlVariable,
  TIME_RANGES
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

  private _refresh(): void {
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

/** The time range of a KQL cell's query. */
export class KqlTimeRangeWidget extends KqlCellWidget {
  constructor(
    cell: Cell,
    private readonly _trans: TranslationBundle
  ) {
    super(cell);
    this.addClass('jp-SentinelKqlTimeRange');
    const select = document.createElement('select');
    select.className = 'jp-mod-styled';
    select.setAttribute('aria-label', _trans.__('Time range'));
    select.title = _trans.__(
      'The time range the query runs with, applied to every table as the Log Analytics API applies it'
    );
    select.addEventListener('keydown', event => event.stopPropagation());
    select.addEventListener('change', () => void this._choose(select.value));
    this.node.appendChild(select);
    this._select = select;
  }

  protected render(): void {
    const trans = this._trans;
    const range = kqlCellMetadata(this.cell.model)?.timeRange ?? null;
    const labels: Record<string, string> = {
      PT1H: trans.__('Last hour'),
      P1D: trans.__('Last 24 hours'),
      P7D: trans.__('Last 7 days'),
      P30D: trans.__('Last 30 days')
    };
    const options: [string, string][] = [
      ['', trans.__('Set in query')],
      ...TIME_RANGES.map(r => [r.value, labels[r.value]] as [string, string])
    ];
    const custom = range && !labels[range] ? range : null;
    options.push(
      custom
        ? [custom, custom.replace('/', ' – ')]
        : ['custom', trans.__('Custom…')]
    );
    if (custom) {
      options.push(['custom', trans.__('Other custom range…')]);
    }
    this._select.replaceChildren(
      ...options.map(([value, label]) => {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = label;
        return option;
      })
    );
    this._select.value = range ?? '';
  }

  private async _choose(value: string): Promise<void> {
    if (value !== 'custom') {
      setKqlTimeRange(this.cell.model, value || null);
      return;
    }
    const trans = this._trans;
    const current = kqlCellMetadata(this.cell.model)?.timeRange;
    const end = new Date();
    const start = new Date(end.getTime() - 24 * 3600_000);
    const result = await InputDialog.getText({
      title: trans.__('Custom time range'),
      label: trans.__('Start and end in UTC, ISO 8601, separated by “/”'),
      text:
        current && current.includes('/')
          ? current
          : `${start.toISOString()}/${end.toISOString()}`
    });
    const text = result.value?.trim();
    if (
      result.button.accept &&
      text &&
      isTimeRange(text) &&
      text.includes('/')
    ) {
      setKqlTimeRange(this.cell.model, text);
    }
    this.render();
  }

  private readonly _select: HTMLSelectElement;
}

/** Class of the query bar. */
export const KQL_QUERY_BAR_CLASS = 'jp-SentinelKqlQueryBar';

/** The workspace a notebook's queries run on, as the query bar names it. */
export class KqlWorkspaceLabel extends Widget {
  constructor(
    private readonly _describe: () => string,
    changed: ISignal<unknown, unknown>[]
  ) {
    super();
    this.addClass('jp-SentinelKqlQueryBar-workspace');
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
    workspace?: KqlWorkspaceLabel
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
    layout.addWidget(label(trans.__('Time range')));
    layout.addWidget(new KqlTimeRangeWidget(cell, trans));
    if (workspace) {
      layout.addWidget(workspace);
    }
  }
}
