import { WidgetTracker } from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Widget } from '@lumino/widgets';
import type { IResultRows, ISentinelResults } from './tokens';
import type { ResultView } from './widget';

/** Most rows `rowsOf` reads when the caller gives no limit. */
const DEFAULT_ROW_LIMIT = 1000;

/** A widget and its ancestors, nearest first. */
export function lineage(widget: Widget): Widget[] {
  const widgets: Widget[] = [];
  for (let w: Widget | null = widget; w; w = w.parent) {
    widgets.push(w);
  }
  return widgets;
}

/**
 * Every result view, however it was made (a run, a notebook opened or restored); the one last
 * focused is current. A cell's view is found through the widget tree: the cell is one of the
 * view's ancestors.
 */
export class ResultTracker
  extends WidgetTracker<ResultView>
  implements ISentinelResults
{
  constructor(options: ResultTracker.IOptions) {
    super({ namespace: options.namespace });
    this._notebooks = options.notebooks;
  }

  viewOf(cell: Cell): ResultView | null {
    // A batch's cell has a view per table: the one last focused is the one meant.
    const current = this.currentWidget;
    if (current && lineage(current).includes(cell)) {
      return current;
    }
    return this.find(view => lineage(view).includes(cell)) ?? null;
  }

  async rowsOf(
    cell?: Cell,
    limit = DEFAULT_ROW_LIMIT
  ): Promise<IResultRows | null> {
    const target = cell ?? this._notebooks?.activeCell ?? null;
    const view = target ? this.viewOf(target) : null;
    return view ? view.selectedRows(limit) : null;
  }

  private readonly _notebooks: INotebookTracker | null;
}

/** The result tracker's statics. */
export namespace ResultTracker {
  /** What the tracker is made with. */
  export interface IOptions {
    /** The tracker's namespace. */
    namespace: string;
    /** The notebooks, whose active cell `rowsOf` reads when given no cell. */
    notebooks: INotebookTracker | null;
  }
}
