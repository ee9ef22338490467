import type { IWidgetTracker } from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import { Token } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';
import type { IColumnInfo, ITimeWindow, IWorkspaceInfo } from '../tokens';

/**
 * The MIME type of a KQL cell's result output: a reference to the result's Parquet file with the
 * query's metadata, never the rows themselves (the grid reads the pages it shows from the server).
 */
export const RESULT_MIME_TYPE =
  'application/vnd.jupyterlab-sentinel.result+json';

/** Rows of a KQL cell's result that the analyst picked, with where they came from. */
export interface IResultRows {
  /** The workspace the query ran on. */
  workspace: Pick<IWorkspaceInfo, 'backend' | 'id' | 'name'>;
  /** The KQL text that produced the result. */
  query: string;
  /** The time window the query ran with, or null when none was applied. */
  timespan: ITimeWindow | null;
  /** Result columns with their KQL types. */
  columns: IColumnInfo[];
  /**
   * The rows, one object per row keyed by column name: datetimes as ISO 8601 strings, longs as
   * numbers when they fit in a double and strings otherwise, dynamic values parsed from JSON.
   */
  rows: Record<string, unknown>[];
  /** True when `rows` are the analyst's selection, false when nothing was selected (the whole result, up to `limit`). */
  selected: boolean;
  /** Number of rows in the whole result. */
  totalRows: number;
}

/** A KQL cell's result view (its grid), as the other features see it. */
export interface IResultView extends Widget {
  /**
   * The rows the analyst selected, or the first `limit` rows of the whole result when none is
   * selected. Resolves null while the view shows no result.
   */
  selectedRows(limit: number): Promise<IResultRows | null>;
}

/**
 * The result views of KQL cells, tracked as JupyterLab tracks its widgets (the one last focused is
 * current), and the rows picked in them: what the bookmark dialog reads its evidence from.
 */
export interface ISentinelResults extends IWidgetTracker<IResultView> {
  /** The result view a notebook cell shows, or null. */
  viewOf(cell: Cell): IResultView | null;
  /**
   * The rows of a KQL cell's result grid (the active cell of the current notebook when `cell` is
   * not given): the selected rows, or the first `limit` rows of the whole result when none are
   * selected. Resolves null when the cell shows no result.
   */
  rowsOf(cell?: Cell, limit?: number): Promise<IResultRows | null>;
}

/** The result grids service token. */
export const ISentinelResults = new Token<ISentinelResults>(
  'jupyterlab-sentinel:ISentinelResults',
  'The result views of KQL cells (a widget tracker) and the rows selected in them.'
);

/** Ids of the result grid commands (its context menu and toolbar, declared in `schema/results.json`). */
export namespace CommandIDs {
  export const copyRows = 'sentinel:copy-result-rows';
  export const copyValue = 'sentinel:copy-result-value';
  export const includeValue = 'sentinel:include-result-value';
  export const excludeValue = 'sentinel:exclude-result-value';
  export const hideColumn = 'sentinel:hide-result-column';
  export const showColumns = 'sentinel:show-result-columns';
  export const moveColumnLeft = 'sentinel:move-result-column-left';
  export const moveColumnRight = 'sentinel:move-result-column-right';
  export const exportCsv = 'sentinel:export-result-csv';
  export const showView = 'sentinel:show-result-view';
  export const exportView = 'sentinel:export-result-view';
}
