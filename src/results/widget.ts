import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  DataGrid,
  TextRenderer
} from '@lumino/datagrid';
import type {
  PartialJSONObject,
  PartialJSONValue,
  ReadonlyJSONObject
} from '@lumino/coreutils';
import { MessageLoop, type Message } from '@lumino/messaging';
import { Panel, PanelLayout, Widget } from '@lumino/widgets';
import {
  downloadIcon,
  imageIcon,
  type LabIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import type { IColumnInfo } from '../tokens';
import { METADATA_KEY } from '../cells/metadata';
import {
  downloadBlob,
  PICTURE_MIME_TYPE,
  svgToPngBase64,
  svgToPngBlob
} from '../views/export';
import {
  readViewChoice,
  writeViewChoice,
  type IViewChoice
} from '../views/metadata';
import { rowRuns, rowsInRanges } from '../views/selection';
import type {
  IInvestigationViews,
  IInvestigationViewWidget
} from '../views/tokens';
import { copyCellsAtOnce } from './blit';
import { ResultDataModel } from './model';
import { readResultOutput, type IResultOutput } from './output';
import {
  displayText,
  type IResultPages,
  resultDrawn,
  type ResultValue
} from './server';
import { RESULT_MIME_TYPE, type IResultRows } from './tokens';

/** Class of the grid's node: the context menu's selector. */
export const RESULT_GRID_CLASS = 'jp-SentinelResult-grid';
/** Class of the investigation view's panel: the context menu's selector. */
export const RESULT_VIEW_CLASS = 'jp-SentinelResult-view';

const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 26;
const VISIBLE_ROWS = 12;
/** The output metadata key of the grid's layout. */
const LAYOUT_KEY = 'jupyterlab-sentinel';

/** How the analyst left a result's grid: its columns shown, in order, and their widths. */
interface IResultLayout {
  /** Names of the columns shown, left to right. */
  columns: string[];
  /** Width of each column, in pixels, by name. */
  widths: Record<string, number>;
}

/** The layout saved in an output's metadata, or null. */
function savedLayout(metadata: unknown): IResultLayout | null {
  const value = (metadata as Record<string, unknown> | undefined)?.[
    LAYOUT_KEY
  ] as Partial<IResultLayout> | undefined;
  if (
    !value ||
    !Array.isArray(value.columns) ||
    !value.columns.every(c => typeof c === 'string') ||
    typeof value.widths !== 'object' ||
    value.widths === null
  ) {
    return null;
  }
  const widths = Object.fromEntries(
    Object.entries(value.widths).filter(
      ([, w]) => typeof w === 'number' && Number.isFinite(w) && w > 0
    )
  );
  return { columns: value.columns, widths };
}

/** Widest a column is made to fit its values (the analyst can drag it wider). */
const MAX_COLUMN_WIDTH = 420;
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
  constructor(
    private readonly _onSort: (column: number) => void,
    private readonly _onContextMenu: (hit: DataGrid.HitTestResult) => void,
    private readonly _onMouseUp: () => void
  ) {
    super();
  }

  onMouseUp(grid: DataGrid, event: MouseEvent): void {
    super.onMouseUp(grid, event);
    this._onMouseUp();
  }

  onContextMenu(grid: DataGrid, event: MouseEvent): void {
    // JupyterLab's context menu opens on the same event: its commands read the cell hit here.
    this._onContextMenu(grid.hitTest(event.clientX, event.clientY));
    super.onContextMenu(grid, event);
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

/**
 * The data grid of a result. JupyterLab's notebook attaches the outputs of a cell it restores
 * (a page reload, a cell scrolled into view) with an after-attach message but no before-attach,
 * where a `DataGrid` starts listening to the mouse and keyboard: without this, such a grid
 * could not be clicked, selected or copied from.
 */
class ResultGrid extends DataGrid {
  constructor(options: DataGrid.IOptions) {
    super(options);
    copyCellsAtOnce(this);
  }

  /** Paints the whole grid on the next frame. */
  paintAll(): void {
    this.repaintContent();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // The DOM ignores a listener added twice: this only makes up for a missed before-attach.
    this.onBeforeAttach(msg);
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

/**
 * Most rows an investigation view reads unless the settings say otherwise: the first ones of the
 * grid's order when it has more.
 */
export const VIEW_ROW_LIMIT = 100_000;
/** Rows per request when a view reads its rows (the server's largest page). */
const VIEW_PAGE_ROWS = 5000;
/** Requests a view has under way at once. */
const VIEW_READERS = 4;

/** The metadata of the notebook cell a result is shown in, as the result view reads and writes it. */
export interface IResultCellMetadata {
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: PartialJSONValue): void;
  deleteMetadata(key: string): void;
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
  /** The investigation views the result can be shown as, or null for the grid alone. */
  views: IInvestigationViews | null;
  /** The application's translator, which the investigation views translate their text with. */
  translator: ITranslator;
  /** The metadata of the notebook cell a widget is in, or null when it is in none. */
  cellOf: (widget: Widget) => IResultCellMetadata | null;
  /** Most rows an investigation view reads (the setting); `VIEW_ROW_LIMIT` when not given. */
  viewRowLimit?: () => number;
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
    _options.views?.changed.connect(this._renderViewButtons, this);
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
    const same =
      result !== null &&
      this._grid !== null &&
      JSON.stringify(result) === JSON.stringify(this._result);
    this._mimeModel = model;
    if (same) {
      // Only the output's metadata changed (the grid saved its layout there): nothing to redraw.
      return;
    }
    this._disposeContent();
    if (!result) {
      this._showMessage(trans.__('This result output cannot be read.'));
      return;
    }
    this._result = result;
    // User Timing marks: the grid benchmark reads the time to the first rows on screen.
    this._rendered = performance.now();
    const layout = this.layout as PanelLayout;
    layout.addWidget(this._filterBar());
    this._renderViewButtons();
    const grid = this._createGrid(result);
    layout.addWidget(grid);
    this._footer = new Widget();
    this._footer.addClass('jp-SentinelResult-footer');
    layout.addWidget(this._footer);

    const path = await this._resolve(result);
    if (this._result !== result || this._grid !== grid) {
      return;
    }
    const data = new ResultDataModel({
      pages: this._options.pages,
      path,
      columns: result.columns,
      rowCount: result.rowCount,
      textLengths: result.textLengths
    });
    // The grid paints once its first rows and their column widths are known, not before.
    await data.loadFirstBlock();
    if (this._result !== result || this._grid !== grid) {
      return;
    }
    this._model = data;
    grid.dataModel = data;
    grid.selectionModel = new BasicSelectionModel({
      dataModel: data,
      selectionMode: 'row'
    });
    grid.selectionModel.changed.connect(this._onGridSelection, this);
    data.stateChanged.connect(this._updateFooter, this);
    data.stateChanged.connect(this._onGridView, this);
    data.changed.connect(this._fitColumnsOnce, this);
    this._updateFooter();
    this._fitColumnsOnce();
    this._restoreView();
  }

  /** The id of the investigation view shown beside the grid, or null for the grid alone. */
  get activeView(): string | null {
    return this._choice.active;
  }

  /** The investigation view shown, once drawn. */
  get view(): IInvestigationViewWidget | null {
    return this._view;
  }

  /**
   * Shows the result as an investigation view beside the grid (null: the grid alone) and
   * remembers the choice in the cell's metadata. Resolves once the view is drawn; false when
   * the view does not exist or cannot draw this result.
   */
  async showView(id: string | null): Promise<boolean> {
    const result = this._result;
    const factory = id === null ? null : (this._options.views?.get(id) ?? null);
    if (
      !result ||
      (id !== null &&
        (!factory ||
          factory.unavailable(result.columns, this._options.trans) !== null))
    ) {
      return false;
    }
    this._choice = { ...this._choice, active: id };
    this._keepPicture = false;
    this._rememberChoice();
    return this._drawView();
  }

  /** Downloads the picture of the view shown, as SVG or PNG; false when no view is shown. */
  async exportView(format: 'svg' | 'png'): Promise<boolean> {
    const view = this._view;
    const result = this._result;
    if (!view || !result || !this._choice.active) {
      return false;
    }
    const svg = view.toSvg();
    const name = `${result.variable || 'result'}-${this._choice.active}.${format}`;
    downloadBlob(
      format === 'svg'
        ? new Blob([svg], { type: 'image/svg+xml' })
        : await svgToPngBlob(svg),
      name
    );
    return true;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // The cell, whose metadata holds the view chosen, is known once the output is in it.
    this._restoreView();
  }
  /** The result cell last right-clicked (its row and result column), or null. */
  get menuCell(): { row: number; column: number } | null {
    const hit = this._menuHit;
    const data = this._model;
    if (!hit || !data) {
      return null;
    }
    const column = data.shownColumns[hit.column];
    if (hit.region === 'body' && column !== undefined) {
      return { row: hit.row, column };
    }
    return null;
  }

  /** The grid column last right-clicked, on a header or a cell, or null. */
  get menuColumn(): number | null {
    const hit = this._menuHit;
    return hit && (hit.region === 'body' || hit.region === 'column-header')
      ? hit.column
      : null;
  }

  /** Hides a grid column (the last one shown stays). */
  hideColumn(gridColumn: number): void {
    const data = this._model;
    if (!data || data.shownColumns.length < 2) {
      return;
    }
    this._setShown(data.shownColumns.filter((_, i) => i !== gridColumn));
  }

  /** Shows every column of the result, in its own order. */
  showAllColumns(): void {
    this._setShown([]);
  }

  /** Moves a grid column `step` places to the right (left when negative). */
  moveColumn(gridColumn: number, step: number): void {
    const data = this._model;
    const target = gridColumn + step;
    if (!data || target < 0 || target >= data.shownColumns.length) {
      return;
    }
    const order = [...data.shownColumns];
    const [moved] = order.splice(gridColumn, 1);
    order.splice(target, 0, moved);
    this._setShown(order);
  }

  /** The address that downloads the whole result, as the grid orders and filters it, as CSV. */
  csvUrl(): string | null {
    const data = this._model;
    return data && !data.mismatch
      ? this._options.pages.csvUrl(data.viewRequest())
      : null;
  }

  /**
   * Downloads the whole result as CSV. The browser saves it as the server streams it: the rows
   * never pass through the page. False when there is no result to export.
   */
  exportCsv(): boolean {
    const url = this.csvUrl();
    if (!url) {
      return false;
    }
    const link = document.createElement('a');
    link.href = url;
    link.download = '';
    document.body.appendChild(link);
    link.click();
    link.remove();
    return true;
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
    // What the grid shows: its columns, in its order.
    const shown = data.shownColumns;
    this._options.copy(
      toTsv(
        shown.map(c => data.columns[c]),
        rows.map(row => shown.map(c => row[c] ?? null))
      )
    );
    return rows.length;
  }

  dispose(): void {
    this._options.views?.changed.disconnect(this._renderViewButtons, this);
    this._disposeContent();
    super.dispose();
  }

  /** The grid of a result, with no data yet: sized to its rows, themed, keyboard reachable. */
  private _createGrid(result: IResultOutput): ResultGrid {
    const { trans } = this._options;
    const grid = new ResultGrid({
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
    grid.keyHandler = new ResultKeyHandler(() => void this.copySelection());
    grid.mouseHandler = new ResultMouseHandler(
      column => this._sortBy(column),
      hit => {
        this._menuHit = hit;
      },
      () => this._onMouseUp()
    );
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
    this.restyle();
    // A grid laid out while hidden (a notebook restored behind another tab, a cell out of view)
    // measured its viewport as empty, and no resize message follows when it shows: measure again
    // whenever its box changes.
    this._resizeObserver = new ResizeObserver(() => {
      if (grid.isAttached) {
        grid.processMessage(Widget.ResizeMessage.UnknownSize);
      }
    });
    this._resizeObserver.observe(grid.node);
    return grid;
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

  private _filterBar(): Widget {
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
        const data = this._model;
        if (data) {
          this._grid?.selectionModel?.clear();
          void data.setView(data.sort, input.value.trim());
        }
      }, 250);
    });
    bar.node.appendChild(input);
    const download = document.createElement('button');
    download.type = 'button';
    download.className =
      'jp-Button jp-mod-minimal jp-ToolbarButtonComponent jp-SentinelResult-export';
    download.title = trans.__(
      'Download the whole result, every row, in the grid’s order and with its filter, as a CSV file'
    );
    download.setAttribute('aria-label', trans.__('Export as CSV'));
    downloadIcon.element({ container: download, tag: 'span' });
    const label = document.createElement('span');
    label.className = 'jp-ToolbarButtonComponent-label';
    label.textContent = trans.__('Export CSV');
    download.appendChild(label);
    download.addEventListener('click', () => this.exportCsv());
    bar.node.appendChild(download);
    const views = document.createElement('div');
    views.className = 'jp-SentinelResult-views';
    views.setAttribute('role', 'group');
    views.setAttribute('aria-label', trans.__('Show the result as'));
    bar.node.appendChild(views);
    this._viewButtons = views;
    return bar;
  }

  /**
   * The view switcher: the grid and each kind of view, pressed when shown, disabled with the
   * reason when it cannot draw this result; and the export of the view shown.
   */
  private _renderViewButtons(): void {
    const group = this._viewButtons;
    const result = this._result;
    if (!group || !result) {
      return;
    }
    const { trans } = this._options;
    const factories = this._options.views?.factories ?? [];
    group.replaceChildren();
    if (!factories.length) {
      return;
    }
    const button = (
      label: string,
      icon: LabIcon,
      title: string,
      onClick: () => void
    ): HTMLButtonElement => {
      const element = document.createElement('button');
      element.type = 'button';
      element.className =
        'jp-Button jp-mod-minimal jp-ToolbarButtonComponent jp-SentinelResult-viewButton';
      element.title = title;
      icon.element({ container: element, tag: 'span' });
      const text = document.createElement('span');
      text.className = 'jp-ToolbarButtonComponent-label';
      text.textContent = label;
      element.appendChild(text);
      element.addEventListener('click', () => {
        if (element.getAttribute('aria-disabled') !== 'true') {
          onClick();
        }
      });
      group.appendChild(element);
      return element;
    };
    const choices: {
      id: string | null;
      label: string;
      icon: LabIcon;
      reason: string | null;
    }[] = [
      { id: null, label: trans.__('Grid'), icon: tableRowsIcon, reason: null },
      ...factories.map(f => ({
        id: f.id,
        label: f.label(trans),
        icon: f.icon,
        reason: f.unavailable(result.columns, trans)
      }))
    ];
    for (const choice of choices) {
      const element = button(
        choice.label,
        choice.icon,
        choice.reason ?? trans.__('Show the result as: %1', choice.label),
        () => void this.showView(choice.id)
      );
      element.dataset.view = choice.id ?? 'grid';
      element.setAttribute(
        'aria-pressed',
        String(this._choice.active === choice.id)
      );
      // Still focusable and hoverable, so that the reason in its tooltip can be read.
      element.setAttribute('aria-disabled', String(choice.reason !== null));
    }
    if (this._choice.active !== null) {
      button(
        trans.__('SVG'),
        downloadIcon,
        trans.__('Download the picture of this view as an SVG file'),
        () => void this.exportView('svg')
      ).setAttribute('aria-label', trans.__('Export the view as SVG'));
      button(
        trans.__('PNG'),
        imageIcon,
        trans.__('Download the picture of this view as a PNG file'),
        () => void this.exportView('png')
      ).setAttribute('aria-label', trans.__('Export the view as PNG'));
    }
  }

  /** The table of the cell's batch this result is (0 for a query of one statement). */
  private _tableIndex(): number {
    return this._result?.table?.index ?? 0;
  }

  /** Reads the view chosen for this result from its cell, once, and shows it. */
  private _restoreView(): void {
    if (this._restored || !this._result || !this._model || !this.isAttached) {
      return;
    }
    const cell = this._options.cellOf(this);
    if (!cell) {
      return;
    }
    this._restored = true;
    this._choice = readViewChoice(
      cell.getMetadata(METADATA_KEY),
      this._tableIndex()
    );
    if (this._choice.active !== null) {
      // The saved picture stays as it is until the analyst changes the view: a notebook opened
      // and read is not modified by drawing it again at another width.
      this._keepPicture = PICTURE_MIME_TYPE in (this._mimeModel?.data ?? {});
      void this._drawView();
    }
  }

  /** Writes the view chosen and the views' settings into the cell's metadata. */
  private _rememberChoice(): void {
    const cell = this._options.cellOf(this);
    if (!cell) {
      return;
    }
    const current = cell.getMetadata(METADATA_KEY);
    const next = writeViewChoice(current, this._tableIndex(), this._choice);
    if (JSON.stringify(next) === JSON.stringify(current ?? {})) {
      return;
    }
    if (Object.keys(next).length) {
      cell.setMetadata(METADATA_KEY, next);
    } else {
      cell.deleteMetadata(METADATA_KEY);
    }
  }

  /**
   * Draws the chosen view above the grid with the rows it reads from the server (the grid's
   * order and filter, up to `VIEW_ROW_LIMIT`), saying so when it shows fewer than the result has.
   */
  private async _drawView(): Promise<boolean> {
    const result = this._result;
    const data = this._model;
    this._disposeView();
    this._renderViewButtons();
    const id = this._choice.active;
    const factory = id === null ? null : (this._options.views?.get(id) ?? null);
    if (!result || !data || !factory) {
      this._schedulePicture();
      return id === null;
    }
    const { trans } = this._options;
    const generation = ++this._viewGeneration;
    const started = performance.now();
    const panel = new Panel();
    panel.addClass(RESULT_VIEW_CLASS);
    const note = document.createElement('div');
    note.className = 'jp-SentinelResult-viewNote';
    note.textContent = trans.__('Reading the rows…');
    panel.node.appendChild(note);
    (this.layout as PanelLayout).insertWidget(1, panel);
    this._viewPanel = panel;
    let rows: Record<string, unknown>[];
    try {
      rows = await this._viewRows(result, data);
    } catch (error) {
      if (generation === this._viewGeneration) {
        note.textContent = trans.__(
          'The rows could not be read: %1',
          error instanceof Error ? error.message : String(error)
        );
      }
      return false;
    }
    if (generation !== this._viewGeneration || this.isDisposed) {
      return false;
    }
    const read = performance.now();
    const view = await factory.create({
      columns: result.columns,
      rows,
      translator: this._options.translator,
      config: this._choice.config[factory.id] ?? {},
      onConfigChanged: (config: ReadonlyJSONObject) => {
        this._choice = {
          ...this._choice,
          config: { ...this._choice.config, [factory.id]: config }
        };
        this._keepPicture = false;
        this._rememberChoice();
        this._schedulePicture();
      },
      onSelectRows: selected => this._selectInGrid(selected)
    });
    if (generation !== this._viewGeneration || this.isDisposed) {
      view.dispose();
      return false;
    }
    if (rows.length < data.filteredRows) {
      note.textContent = trans.__(
        '%1 shows the first %2 of %3 rows.',
        factory.label(trans),
        rows.length.toLocaleString(),
        data.filteredRows.toLocaleString()
      );
    } else {
      note.remove();
    }
    this._view = view;
    this._viewRowCount = rows.length;
    panel.addWidget(view);
    view.setSelection(this._gridSelection());
    // The view draws when attached: the next frame is the first one on screen with it. The
    // benchmark reads this User Timing measure; some environments (jsdom) have no User Timing.
    requestAnimationFrame(() =>
      performance.measure?.('sentinel-view-first-paint', {
        start: started,
        end: performance.now(),
        detail: { view: factory.id, rows: rows.length, readMs: read - started }
      })
    );
    this._schedulePicture();
    return true;
  }

  /** The rows of the grid's current order and filter for a view, read once per order and filter. */
  private async _viewRows(
    result: IResultOutput,
    data: ResultDataModel
  ): Promise<Record<string, unknown>[]> {
    const key = this._gridViewKey(data);
    if (this._viewRowsCache?.key === key) {
      return this._viewRowsCache.rows;
    }
    // Several pages at once: the server answers them on its threads while the browser parses.
    const limit = this._options.viewRowLimit?.() ?? VIEW_ROW_LIMIT;
    const total = Math.min(limit, data.filteredRows);
    const starts: number[] = [];
    for (let start = 0; start < total; start += VIEW_PAGE_ROWS) {
      starts.push(start);
    }
    const pages: ResultValue[][][] = new Array(starts.length);
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < starts.length) {
        const index = next++;
        const start = starts[index];
        pages[index] = await data.rows(
          start,
          Math.min(total, start + VIEW_PAGE_ROWS)
        );
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(VIEW_READERS, starts.length) }, reader)
    );
    const values = pages.flat();
    const rows = values.map(row =>
      Object.fromEntries(result.columns.map((c, i) => [c.name, row[i] ?? null]))
    );
    this._viewRowsCache = { key, rows };
    return rows;
  }

  /**
   * What the rows a view was given depend on: the grid's order, its filter, its row count and
   * the most rows a view reads.
   */
  private _gridViewKey(data: ResultDataModel): string {
    return JSON.stringify([
      data.sort,
      data.filter,
      data.filteredRows,
      this._options.viewRowLimit?.() ?? VIEW_ROW_LIMIT
    ]);
  }

  /** Draws the view again when the grid's order or filter changed (its row ids are the grid's). */
  private _onGridView(data: ResultDataModel): void {
    if (
      this._view &&
      !data.loading &&
      this._viewRowsCache &&
      this._viewRowsCache.key !== this._gridViewKey(data)
    ) {
      void this._drawView();
    }
  }

  /** The grid's selected rows that the view was given. */
  private _gridSelection(): Set<number> {
    return rowsInRanges(
      selectedRanges(this._grid?.selectionModel?.selections() ?? []),
      this._viewRowCount
    );
  }

  private _onGridSelection(): void {
    if (!this._selectingFromView) {
      this._view?.setSelection(this._gridSelection());
    }
  }

  /** Selects in the grid the rows selected in the view, so that its commands act on them. */
  private _selectInGrid(rows: readonly number[]): void {
    const grid = this._grid;
    const model = grid?.selectionModel;
    const data = this._model;
    if (!grid || !model || !data) {
      return;
    }
    const last = data.columnCount('body') - 1;
    const runs = rowRuns(rows);
    this._selectingFromView = true;
    try {
      model.clear();
      for (const [first, end] of runs) {
        model.select({
          r1: first,
          c1: 0,
          r2: end,
          c2: last,
          cursorRow: first,
          cursorColumn: 0,
          clear: 'none'
        });
      }
    } finally {
      this._selectingFromView = false;
    }
    if (runs.length) {
      grid.scrollToRow(runs[0][0]);
    }
  }

  /**
   * Keeps a picture of the view shown in the output's data (PNG), for where the notebook is
   * opened without this extension; the grid's own renderer still wins where it is installed.
   */
  private _schedulePicture(): void {
    window.clearTimeout(this._pictureTimer);
    this._pictureTimer = window.setTimeout(() => void this._savePicture(), 400);
  }

  private async _savePicture(): Promise<void> {
    const model = this._mimeModel;
    if (!model || this.isDisposed || this._keepPicture) {
      return;
    }
    const { [PICTURE_MIME_TYPE]: saved, ...rest } = model.data;
    let picture: string | null = null;
    if (this._view && this._choice.active !== null) {
      try {
        picture = await svgToPngBase64(this._view.toSvg());
      } catch {
        // A picture that cannot be drawn leaves the output without one, as with the grid.
        picture = null;
      }
    }
    if (this.isDisposed || this._mimeModel !== model || picture === saved) {
      return;
    }
    model.setData({
      data: (picture === null
        ? rest
        : { ...rest, [PICTURE_MIME_TYPE]: picture }) as PartialJSONObject
    });
  }

  private _disposeView(): void {
    this._viewGeneration++;
    this._view = null;
    this._viewRowCount = 0;
    this._viewPanel?.dispose();
    this._viewPanel = null;
  }

  private _sortBy(column: number): void {
    const data = this._model;
    const name = data?.columnAt(column)?.name;
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

  /**
   * Sizes the columns to their header and to the longest text in a sample of the whole result
   * (the first rows alone would cut longer values further down), once the first block is read.
   */
  private _fitColumnsOnce(): void {
    const data = this._model;
    const grid = this._grid;
    const result = this._result;
    if (!data || !grid || !result || this._fitted || data.loading) {
      return;
    }
    const lengths = data.textLengths;
    if (data.filteredRows && !lengths && !data.mismatch) {
      return;
    }
    this._fitted = true;
    this._widths = data.columns.map((column, c) =>
      Math.min(
        MAX_COLUMN_WIDTH,
        Math.max(
          56,
          Math.max(column.name.length + 2, lengths?.[c] ?? 0) * 7.5 + 16
        )
      )
    );
    const saved = savedLayout(this._mimeModel?.metadata);
    if (saved) {
      const index = new Map(data.columns.map((c, i) => [c.name, i]));
      for (const [name, width] of Object.entries(saved.widths)) {
        const c = index.get(name);
        if (c !== undefined) {
          this._widths[c] = width;
        }
      }
      data.setShownColumns(
        saved.columns.flatMap(name => index.get(name) ?? [])
      );
    }
    // Each column resize of a shown grid repaints the cells right of it, one canvas copy per
    // cell, which costs about a millisecond each without a GPU: resize with the viewport hidden,
    // then paint the whole grid once.
    const viewport = grid.viewport;
    viewport.hide();
    this._applyWidths();
    MessageLoop.flush();
    viewport.show();
    grid.paintAll();
    // The grid draws on the next animation frame: measure once that frame is done.
    const rendered = this._rendered;
    requestAnimationFrame(() => {
      performance.measure('sentinel-result-first-paint', {
        start: rendered,
        end: performance.now(),
        detail: { rows: result.rowCount }
      });
      resultDrawn(data.path);
    });
  }

  /** Gives each grid column the width of the result column it shows. */
  private _applyWidths(): void {
    const grid = this._grid;
    const data = this._model;
    if (!grid || !data || !this._widths) {
      return;
    }
    data.shownColumns.forEach((c, i) =>
      grid.resizeColumn('body', i, this._widths![c] ?? 140)
    );
  }

  /** Shows these result columns (all when empty), keeping the widths the analyst gave them. */
  private _setShown(order: ReadonlyArray<number>): void {
    const grid = this._grid;
    const data = this._model;
    if (!grid || !data) {
      return;
    }
    if (this._widths) {
      data.shownColumns.forEach((c, i) => {
        this._widths![c] = grid.columnSize('body', i);
      });
    }
    grid.selectionModel?.clear();
    data.setShownColumns(order);
    this._applyWidths();
    this._saveLayout();
  }

  /**
   * Keeps the columns shown, their order and their widths in the output's metadata, so that the
   * notebook opens with the grid as the analyst left it.
   */
  private _saveLayout(): void {
    const grid = this._grid;
    const data = this._model;
    const model = this._mimeModel;
    if (!grid || !data || !model || !this._widths) {
      return;
    }
    data.shownColumns.forEach((c, i) => {
      this._widths![c] = grid.columnSize('body', i);
    });
    const layout: IResultLayout = {
      columns: data.shownColumns.map(c => data.columns[c].name),
      widths: Object.fromEntries(
        data.columns.map((c, i) => [c.name, Math.round(this._widths![i])])
      )
    };
    if (
      JSON.stringify(layout) === JSON.stringify(savedLayout(model.metadata))
    ) {
      return;
    }
    model.setData({
      metadata: {
        ...model.metadata,
        [LAYOUT_KEY]: layout as unknown as PartialJSONObject
      }
    });
  }

  /** Saves the layout when a drag on a header's edge changed a column's width. */
  private _onMouseUp(): void {
    const grid = this._grid;
    const data = this._model;
    if (
      grid &&
      data &&
      this._widths &&
      data.shownColumns.some(
        (c, i) =>
          Math.round(grid.columnSize('body', i)) !==
          Math.round(this._widths![c])
      )
    ) {
      this._saveLayout();
    }
  }

  private _updateFooter(): void {
    const footer = this._footer;
    const result = this._result;
    const data = this._model;
    if (!footer || !result || !data) {
      return;
    }
    const { trans } = this._options;
    this._grid?.setHidden(data.mismatch);
    if (data.mismatch) {
      footer.node.textContent = trans.__(
        'This result file does not match the query that made it: run the cell again.'
      );
      footer.node.classList.add('jp-mod-mismatch');
      return;
    }
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
    if (result.table) {
      // A batch's tables each have a grid: the footer says which statement's this is.
      parts.unshift(
        trans.__(
          'Table %1 of %2: %3',
          result.table.index + 1,
          result.table.count,
          result.table.name
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

  /** Reads the theme's colours and fonts again (on a theme change). */
  restyle(): void {
    // The investigation view reads the theme's colours when it draws.
    this._view?.update();
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
    this._resizeObserver?.disconnect();
    this._resizeObserver = null;
    this._model?.stateChanged.disconnect(this._updateFooter, this);
    this._model?.stateChanged.disconnect(this._onGridView, this);
    window.clearTimeout(this._pictureTimer);
    this._disposeView();
    this._viewRowsCache = null;
    this._viewButtons = null;
    this._restored = false;
    for (const widget of [...(this.layout as PanelLayout).widgets]) {
      widget.dispose();
    }
    this._grid = null;
    this._model = null;
    this._footer = null;
    this._fitted = false;
    this._widths = null;
    this._menuHit = null;
    this._message?.remove();
    this._message = null;
  }

  private _result: IResultOutput | null = null;
  private _model: ResultDataModel | null = null;
  private _grid: ResultGrid | null = null;
  private _message: HTMLElement | null = null;
  private _footer: Widget | null = null;
  private _resizeObserver: ResizeObserver | null = null;
  private _fitted = false;
  private _widths: number[] | null = null;
  private _mimeModel: IRenderMime.IMimeModel | null = null;
  private _menuHit: DataGrid.HitTestResult | null = null;
  private _rendered = 0;
  private _viewButtons: HTMLElement | null = null;
  private _choice: IViewChoice = { active: null, config: {} };
  private _restored = false;
  private _view: IInvestigationViewWidget | null = null;
  private _viewPanel: Panel | null = null;
  private _viewRowCount = 0;
  private _viewGeneration = 0;
  private _viewRowsCache: {
    key: string;
    rows: Record<string, unknown>[];
  } | null = null;
  private _selectingFromView = false;
  private _pictureTimer = 0;
  private _keepPicture = false;
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
