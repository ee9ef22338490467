import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  DataGrid,
  TextRenderer
} from '@lumino/datagrid';
import { PanelLayout, Widget } from '@lumino/widgets';
import type { IColumnInfo } from '../tokens';
import { ResultDataModel } from './model';
import { readResultOutput, type IResultOutput } from './output';
import { displayText, type IResultPages, type ResultValue } from './server';
import { RESULT_MIME_TYPE, type IResultRows } from './tokens';

/** Class of the grid's node: the context menu's selector. */
export const RESULT_GRID_CLASS = 'jp-SentinelResult-grid';

const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 26;
const VISIBLE_ROWS = 12;
/** Most rows copied to the clipboard at once. */
const MAX_COPY_ROWS = 100_000;

/** A CSS variable's value on the page, for the canvas, which cannot read CSS variables itself. */
function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** The grid's colours and fonts from JupyterLab's theme, read when the theme changes. */
function themeStyle(): {
  style: DataGrid.Style;
  text: TextRenderer.IOptions;
  header: TextRenderer.IOptions;
} {
  const background = cssVariable('--jp-layout-color0', 'white');
  const stripe = cssVariable('--jp-layout-color1', background);
  const brand = cssVariable('--jp-brand-color1', '#1976d2');
  const fontFamily = cssVariable('--jp-code-font-family', 'monospace');
  const uiFont = cssVariable('--jp-ui-font-family', 'sans-serif');
  return {
    style: {
      ...DataGrid.defaultStyle,
      voidColor: background,
      backgroundColor: background,
      rowBackgroundColor: i => (i % 2 ? stripe : background),
      gridLineColor: cssVariable('--jp-border-color3', '#eee'),
      headerBackgroundColor: cssVariable('--jp-layout-color2', '#eee'),
      headerGridLineColor: cssVariable('--jp-border-color2', '#ccc'),
      selectionFillColor: `color-mix(in srgb, ${brand} 25%, transparent)`,
      selectionBorderColor: brand,
      headerSelectionFillColor: `color-mix(in srgb, ${brand} 20%, transparent)`,
      cursorBorderColor: brand
    },
    text: {
      font: `12px ${fontFamily}`,
      textColor: cssVariable('--jp-content-font-color1', 'black')
    },
    header: {
      font: `600 12px ${uiFont}`,
      textColor: cssVariable('--jp-ui-font-color1', 'black')
    }
  };
}

/**
 * Mouse handling of the result grid: a click on a column header sorts by that column (again for
 * the other direction, a third time for the result's own order); the header's edges still resize.
 */
class ResultMouseHandler extends BasicMouseHandler {
  constructor(private readonly _onSort: (column: number) => void) {
    super();
  }

  onMouseDown(grid: DataGrid, event: MouseEvent): void {
    const hit = grid.hitTest(event.clientX, event.clientY);
    const nearEdge = hit.x < 6 || hit.width - hit.x < 6;
    if (hit.region === 'column-header' && !nearEdge && event.button === 0) {
      this._onSort(hit.column);
      return;
    }
    super.onMouseDown(grid, event);
  }
}

/** The rows selected in a grid: sorted, merged ranges `[start, end)`. */
export function selectedRanges(
  selections: Iterable<{ r1: number; r2: number }>
): [number, number][] {
  const ranges = [...selections]
    .map(
      s => [Math.min(s.r1, s.r2), Math.max(s.r1, s.r2) + 1] as [number, number]
    )
    .filter(([start]) => start >= 0)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) {
      last[1] = Math.max(last[1], range[1]);
    } else {
      merged.push([...range]);
    }
  }
  return merged;
}

/** Rows as tab-separated text with a header line; tabs and line breaks in values become spaces. */
export function toTsv(columns: IColumnInfo[], rows: ResultValue[][]): string {
  const clean = (text: string): string => text.replace(/[\t\r\n]+/g, ' ');
  return [
    columns.map(c => clean(c.name)).join('\t'),
    ...rows.map(row => row.map(v => clean(displayText(v))).join('\t'))
  ].join('\n');
}

/** Options of a result view. */
export interface IResultViewOptions {
  /** Where pages come from. */
  pages: IResultPages;
  /** Resolves the result file against the notebook's folder. */
  resolver: IRenderMime.IResolver | null;
  /** User-facing text. */
  trans: TranslationBundle;
  /** Writes text to the clipboard. */
  copy: (text: string) => void;
}

/**
 * A KQL cell's result: a filter box, a virtual grid over the saved result (sorted and filtered on
 * the server, read a block at a time) and a footer with the counts. Values are drawn as text on a
 * canvas: nothing from the data is ever HTML.
 */
export class ResultView extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly _options: IResultViewOptions) {
    super();
    this.addClass('jp-SentinelResult');
    this.layout = new PanelLayout();
    ResultView._views.add(this);
  }

  /** Every result view on the page. */
  static get views(): ReadonlySet<ResultView> {
    return ResultView._views;
  }

  /** Reads the theme again for every view (on a theme change). */
  static restyleAll(): void {
    for (const view of ResultView._views) {
      view._restyle();
    }
  }

  /** The result shown, once rendered. */
  get result(): IResultOutput | null {
    return this._result;
  }

  /** The grid, once rendered. */
  get grid(): DataGrid | null {
    return this._grid;
  }

  /** The grid's data, once rendered. */
  get model(): ResultDataModel | null {
    return this._model;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const { trans } = this._options;
    const result = readResultOutput(model.data[RESULT_MIME_TYPE]);
    this._disposeContent();
    if (!result) {
      this._showMessage(trans.__('This result output cannot be read.'));
      return;
    }
    this._result = result;
    // User Timing marks: the grid benchmark reads the time to the first rows on screen.
    this._rendered = performance.now();
    const path = await this._resolve(result);
    const data = new ResultDataModel({
      pages: this._options.pages,
      path,
      columns: result.columns,
      rowCount: result.rowCount
    });
    this._model = data;
    const layout = this.layout as PanelLayout;
    layout.addWidget(this._filterBar(data));
    const grid = new DataGrid({
      defaultSizes: {
        rowHeight: ROW_HEIGHT,
        columnWidth: 140,
        rowHeaderWidth: 48,
        columnHeaderHeight: HEADER_HEIGHT
      },
      minimumSizes: {
        rowHeight: 18,
        columnWidth: 40,
        rowHeaderWidth: 32,
        columnHeaderHeight: 20
      }
    });
    grid.addClass(RESULT_GRID_CLASS);
    grid.dataModel = data;
    grid.selectionModel = new BasicSelectionModel({
      dataModel: data,
      selectionMode: 'row'
    });
    grid.keyHandler = new ResultKeyHandler(() => void this.copySelection());
    grid.mouseHandler = new ResultMouseHandler(column => this._sortBy(column));
    // The viewport takes the grid's keys: Tab reaches it like any other control.
    const keys = grid.viewport.node;
    keys.tabIndex = 0;
    keys.setAttribute('role', 'grid');
    keys.setAttribute(
      'aria-label',
      trans.__('Result of the query: %1 rows', result.rowCount)
    );
    const rows = Math.max(1, Math.min(VISIBLE_ROWS, result.rowCount));
    grid.node.style.height = `${rows * ROW_HEIGHT + HEADER_HEIGHT + 18}px`;
    this._grid = grid;
    this._restyle();
    layout.addWidget(grid);
    this._footer = new Widget();
    this._footer.addClass('jp-SentinelResult-footer');
    layout.addWidget(this._footer);
    data.stateChanged.connect(this._updateFooter, this);
    data.changed.connect(this._fitColumnsOnce, this);
    this._updateFooter();
  }

  /**
   * The rows the analyst selected, or the first `limit` rows when none is selected, as the
   * bookmark dialog reads them.
   */
  async selectedRows(limit: number): Promise<IResultRows | null> {
    const result = this._result;
    const data = this._model;
    if (!result || !data) {
      return null;
    }
    const ranges = selectedRanges(
      this._grid?.selectionModel?.selections() ?? []
    );
    const rows: ResultValue[][] = [];
    if (ranges.length) {
      for (const [start, end] of ranges) {
        if (rows.length >= limit) {
          break;
        }
        rows.push(
          ...(await data.rows(
            start,
            Math.min(end, start + limit - rows.length)
          ))
        );
      }
    } else {
      rows.push(...(await data.rows(0, Math.min(limit, data.filteredRows))));
    }
    return {
      workspace: result.workspace,
      query: result.query,
      timespan: result.timespan
        ? {
            start: new Date(result.timespan.start),
            end: new Date(result.timespan.end)
          }
        : null,
      columns: result.columns,
      rows: rows.map(row =>
        Object.fromEntries(
          result.columns.map((c, i) => [c.name, row[i] ?? null])
        )
      ),
      selected: ranges.length > 0,
      totalRows: result.rowCount
    };
  }

  /** Copies the selected rows (or the cell under the cursor's row) as tab-separated text. */
  async copySelection(): Promise<number> {
    const data = this._model;
    const grid = this._grid;
    if (!data || !grid) {
      return 0;
    }
    let ranges = selectedRanges(grid.selectionModel?.selections() ?? []);
    if (!ranges.length) {
      ranges = [[0, data.filteredRows]];
    }
    const rows: ResultValue[][] = [];
    for (const [start, end] of ranges) {
      const room = MAX_COPY_ROWS - rows.length;
      if (room <= 0) {
        break;
      }
      rows.push(...(await data.rows(start, Math.min(end, start + room))));
    }
    this._options.copy(toTsv([...data.columns], rows));
    return rows.length;
  }

  dispose(): void {
    ResultView._views.delete(this);
    this._disposeContent();
    super.dispose();
  }

  private async _resolve(result: IResultOutput): Promise<string> {
    const resolver = this._options.resolver;
    if (!resolver) {
      return result.path;
    }
    try {
      return decodeURI(await resolver.resolveUrl(result.file));
    } catch {
      return result.path;
    }
  }

  private _filterBar(data: ResultDataModel): Widget {
    const { trans } = this._options;
    const bar = new Widget();
    bar.addClass('jp-SentinelResult-filterBar');
    const input = document.createElement('input');
    input.type = 'search';
    input.className = 'jp-mod-styled jp-SentinelResult-filter';
    input.placeholder = trans.__('Filter rows');
    input.setAttribute('aria-label', trans.__('Filter the result rows'));
    let timer = 0;
    input.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        this._grid?.selectionModel?.clear();
        void data.setView(data.sort, input.value.trim());
      }, 250);
    });
    bar.node.appendChild(input);
    return bar;
  }

  private _sortBy(column: number): void {
    const data = this._model;
    const name = data?.columns[column]?.name;
    if (!data || name === undefined) {
      return;
    }
    const current = data.sort;
    const next =
      current?.column !== name
        ? { column: name, descending: false }
        : current.descending
          ? null
          : { column: name, descending: true };
    this._grid?.selectionModel?.clear();
    void data.setView(next, data.filter);
  }

  /** Sizes the columns to their header and first rows, once the first block is read. */
  private _fitColumnsOnce(): void {
    const data = this._model;
    const grid = this._grid;
    const result = this._result;
    if (!data || !grid || !result || this._fitted || data.loading) {
      return;
    }
    const sample = Math.min(50, data.filteredRows);
    const widths = data.columns.map((column, c) => {
      let longest = column.name.length + 2;
      for (let r = 0; r < sample; r++) {
        longest = Math.max(longest, displayText(data.value(r, c)).length);
      }
      return Math.min(420, Math.max(56, longest * 7.5 + 16));
    });
    if (sample && data.value(0, 0) === undefined && data.columns.length) {
      return;
    }
    this._fitted = true;
    widths.forEach((width, c) => grid.resizeColumn('body', c, width));
    // The grid draws on the next animation frame: measure once that frame is done.
    const rendered = this._rendered;
    requestAnimationFrame(() =>
      performance.measure('sentinel-result-first-paint', {
        start: rendered,
        end: performance.now(),
        detail: { rows: result.rowCount }
      })
    );
  }

  private _updateFooter(): void {
    const footer = this._footer;
    const result = this._result;
    const data = this._model;
    if (!footer || !result || !data) {
      return;
    }
    const { trans } = this._options;
    const parts = [
      trans._n(
        '%1 row from %2',
        '%1 rows from %2',
        result.rowCount,
        result.workspace.name
      ),
      trans.__('%1 s', (result.elapsedMs / 1000).toFixed(1)),
      trans.__('saved as %1 → %2', result.file, result.variable)
    ];
    if (data.filter) {
      parts.splice(
        1,
        0,
        trans._n(
          '%1 matches the filter',
          '%1 match the filter',
          data.filteredRows
        )
      );
    }
    footer.node.textContent = parts.join(' · ');
    footer.node.classList.toggle('jp-mod-loading', data.loading);
    if (result.partial) {
      this._appendWarning(
        trans.__(
          'Partial result: %1',
          result.partialMessage ??
            trans.__('the workspace returned part of the rows only.')
        )
      );
    }
    if (data.error) {
      this._appendWarning(data.error);
    }
  }

  private _appendWarning(text: string): void {
    const warning = document.createElement('span');
    warning.className = 'jp-SentinelResult-warning';
    warning.textContent = text;
    this._footer?.node.appendChild(warning);
  }

  private _restyle(): void {
    const grid = this._grid;
    if (!grid) {
      return;
    }
    const theme = themeStyle();
    grid.style = theme.style;
    const body = new TextRenderer({
      ...theme.text,
      elideDirection: 'right'
    });
    const header = new TextRenderer({
      ...theme.header,
      elideDirection: 'right',
      backgroundColor: theme.style.headerBackgroundColor
    });
    grid.cellRenderers.update({
      body,
      'column-header': header,
      'row-header': header,
      'corner-header': header
    });
  }

  private _showMessage(text: string): void {
    const message = document.createElement('div');
    message.className = 'jp-SentinelResult-message';
    message.textContent = text;
    this.node.appendChild(message);
    this._message = message;
  }

  private _disposeContent(): void {
    this._model?.stateChanged.disconnect(this._updateFooter, this);
    for (const widget of [...(this.layout as PanelLayout).widgets]) {
      widget.dispose();
    }
    this._grid = null;
    this._model = null;
    this._footer = null;
    this._fitted = false;
    this._message?.remove();
    this._message = null;
  }

  private static readonly _views = new Set<ResultView>();
  private _result: IResultOutput | null = null;
  private _model: ResultDataModel | null = null;
  private _grid: DataGrid | null = null;
  private _message: HTMLElement | null = null;
  private _footer: Widget | null = null;
  private _fitted = false;
  private _rendered = 0;
}

/** Keyboard handling of the result grid: the grid's own, with Ctrl/Cmd+C copying through the server. */
class ResultKeyHandler extends BasicKeyHandler {
  constructor(private readonly _copy: () => void) {
    super();
  }

  onKeyDown(grid: DataGrid, event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      event.stopPropagation();
      this._copy();
      return;
    }
    super.onKeyDown(grid, event);
  }
}
