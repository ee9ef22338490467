/**
 * Keeps the KQL cells of one notebook looking like KQL cells: a CSS class on the cell widget and
 * the KQL language on its editor, whenever a cell is added, its metadata changes (toggled, undone,
 * edited by a collaborator), or the notebook resets every code cell to the kernel's language.
 */
import type { Cell, ICellModel } from '@jupyterlab/cells';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { PanelLayout } from '@lumino/widgets';
import type { IChangedArgs } from '@jupyterlab/coreutils';
import type { Notebook } from '@jupyterlab/notebook';
import type { CellList } from '@jupyterlab/notebook';
import type { IObservableList } from '@jupyterlab/observables';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { KQL_MIME } from './language';
import type { ISentinelWorkspaces, IWorkspaceInfo } from '../tokens';
import { WorkspaceUnavailableError } from '../workspaces/errors';
import { isKqlCell, otherVariables } from './metadata';
import {
  type ISparkWorkspaceState,
  KqlQueryBar,
  KqlWorkspaceLabel
} from './toolbar';
import { notebookWorkspaces } from './workspaces';

/** Class of the widget of a KQL cell. */
export const KQL_CELL_CLASS = 'jp-SentinelKqlCell';

/** Marks the KQL cells of a notebook widget for as long as it lives. */
export class KqlCellMarker implements IDisposable {
  constructor(
    private readonly _notebook: Notebook,
    private readonly _trans: TranslationBundle,
    private readonly _workspaces?: ISentinelWorkspaces
  ) {
    _notebook.modelChanged.connect(this._onModelChanged, this);
    this._onModelChanged();
    _notebook.disposed.connect(this.dispose, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  /** Re-reads one cell's metadata and updates its class and editor language. */
  update(model: ICellModel): void {
    const kql = isKqlCell(model);
    const widget = this._notebook.widgets.find(w => w.model === model);
    widget?.toggleClass(KQL_CELL_CLASS, kql);
    if (widget && kql) {
      this._addQueryBar(widget);
    }
    if (model.type !== 'code') {
      return;
    }
    if (kql && model.mimeType !== KQL_MIME) {
      model.mimeType = KQL_MIME;
    } else if (!kql && model.mimeType === KQL_MIME) {
      model.mimeType = this._notebook.codeMimetype;
    }
  }

  private _onModelChanged(): void {
    const cells = this._notebook.model?.cells;
    if (!cells || cells === this._cells) {
      return;
    }
    this._cells?.changed.disconnect(this._onCellsChanged, this);
    this._cells = cells;
    cells.changed.connect(this._onCellsChanged, this);
    for (const model of cells) {
      this._watch(model);
    }
  }

  private _onCellsChanged(
    _: CellList,
    change: IObservableList.IChangedArgs<ICellModel>
  ): void {
    // The notebook created the widgets of added cells in its own handler, connected before ours.
    for (const model of change.newValues) {
      this._watch(model);
    }
  }

  private _watch(model: ICellModel): void {
    if (!this._watched.has(model)) {
      this._watched.add(model);
      model.metadataChanged.connect(() => this.update(model), this);
      model.mimeTypeChanged.connect(
        (_, change) => this._onMimeTypeChanged(model, change),
        this
      );
    }
    this.update(model);
  }

  private _onMimeTypeChanged(
    model: ICellModel,
    change: IChangedArgs<string>
  ): void {
    // The notebook gives every code cell the kernel's language (on kernel changes, on insertion).
    if (change.newValue !== KQL_MIME && isKqlCell(model)) {
      this.update(model);
    }
  }

  /** Puts the query bar between the cell's editor and its output, once the cell has them. */
  private _addQueryBar(cell: Cell): void {
    // A notebook renders a cell's editor lazily (when it scrolls into view).
    void cell.ready.then(() => {
      if (!cell.isDisposed && isKqlCell(cell.model)) {
        this._insertQueryBar(cell);
      }
    });
  }

  private _insertQueryBar(cell: Cell): void {
    const layout = cell.layout as PanelLayout | null;
    if (!layout || layout.widgets.some(w => w instanceof KqlQueryBar)) {
      return;
    }
    const inputArea = cell.inputArea?.node;
    const input = layout.widgets.findIndex(
      w => !!inputArea && w.node.contains(inputArea)
    );
    if (input < 0) {
      return;
    }
    const bar = new KqlQueryBar(
      cell,
      this._trans,
      target => otherVariables(this._notebook.model?.cells ?? [], target.model),
      this._workspaceLabel(),
      this._sparkState()
    );
    layout.insertWidget(input + 1, bar);
  }

  /** Whether the notebook's queries run on one Spark workspace (the DataFrame kind picker). */
  private _sparkState(): ISparkWorkspaceState | undefined {
    const workspaces = this._workspaces;
    const model = this._notebook.model;
    if (!workspaces || !model) {
      return undefined;
    }
    return {
      isSpark: () => {
        try {
          const chosen = notebookWorkspaces(workspaces, model);
          return chosen.length === 1 && chosen[0].engine === 'spark';
        } catch (error) {
          if (error instanceof WorkspaceUnavailableError) {
            return false;
          }
          throw error;
        }
      },
      changed: [workspaces.changed, model.metadataChanged]
    };
  }

  /** The name of the workspace the notebook's queries run on (`ISentinelWorkspaces.workspaceOf`). */
  private _workspaceLabel(): KqlWorkspaceLabel | undefined {
    const workspaces = this._workspaces;
    const model = this._notebook.model;
    if (!workspaces || !model) {
      return undefined;
    }
    const trans = this._trans;
    return new KqlWorkspaceLabel(
      () => {
        let chosen: IWorkspaceInfo[];
        try {
          chosen = notebookWorkspaces(workspaces, model);
        } catch (error) {
          if (error instanceof WorkspaceUnavailableError) {
            return trans.__(
              'on %1/%2 (not available)',
              error.backend,
              error.id
            );
          }
          throw error;
        }
        return chosen.length
          ? trans.__('on %1', chosen.map(w => w.name).join(' + '))
          : '';
      },
      [workspaces.changed, model.metadataChanged],
      trans.__('Choose the workspaces this notebook queries')
    );
  }

  private _cells: CellList | null = null;
  private readonly _watched = new WeakSet<ICellModel>();
  private _isDisposed = false;
}
