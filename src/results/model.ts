import { DataModel } from '@lumino/datagrid';
import { Signal } from '@lumino/signaling';
import type { ISignal } from '@lumino/signaling';
import type { IColumnInfo } from '../tokens';
import {
  BLOCK_ROWS,
  displayText,
  type IPageRequest,
  type IResultPage,
  type IResultPages,
  type ResultValue
} from './server';
import { measureSince } from '../timing';

/** How the grid orders a result. */
export interface IResultSort {
  /** Column to sort by. */
  column: string;
  /** Largest first. */
  descending: boolean;
}

/** Options of a result data model. */
export interface IResultDataModelOptions {
  /** Where pages come from. */
  pages: IResultPages;
  /** The result's Parquet file, relative to the Jupyter root. */
  path: string;
  /** The result's columns, as the query returned them. */
  columns: IColumnInfo[];
  /** Rows in the result, as the query reported them. */
  rowCount: number;
  /**
   * The longest text of each column, measured when the result was saved: the first page is then
   * read without measuring them again.
   */
  textLengths?: ReadonlyArray<number>;
  /** Rows fetched per request. */
  blockSize?: number;
  /** Most blocks kept in memory; older ones are read again when scrolled back to. */
  maxBlocks?: number;
}

/** Largest page the server answers. */
const MAX_PAGE_ROWS = 5000;

/**
 * Families of KQL types that the compiler and the saved file may name differently for one column
 * (the compiler's `guid` or `long` is DuckDB's VARCHAR or INTEGER read back as `string` or `int`).
 */
const TYPE_FAMILY: Readonly<Record<string, string>> = {
  int: 'number',
  long: 'number',
  real: 'number',
  decimal: 'number',
  string: 'text',
  guid: 'text',
  dynamic: 'text'
};

/**
 * True when a file's columns are the query's: the same names in the same order, of the same types
 * (within a family of types the compiler and the file may name differently).
 */
export function sameColumns(
  file: ReadonlyArray<IColumnInfo>,
  query: ReadonlyArray<IColumnInfo>
): boolean {
  const family = (type: string): string => TYPE_FAMILY[type] ?? type;
  return (
    file.length === query.length &&
    file.every(
      (c, i) =>
        c.name === query[i].name && family(c.type) === family(query[i].type)
    )
  );
}

/**
 * The rows of a saved result for a `DataGrid`, read from the server a block at a time as the grid
 * scrolls to them, so a result of a million rows costs the browser only what is on screen. Sorting
 * and filtering happen on the server; a view change drops the blocks of the previous view.
 */
export class ResultDataModel extends DataModel {
  constructor(options: IResultDataModelOptions) {
    super();
    this._pages = options.pages;
    this._path = options.path;
    this._columns = options.columns;
    this._shown = options.columns.map((_, i) => i);
    this._rowCount = options.rowCount;
    this._totalRows = options.rowCount;
    this._blockSize = options.blockSize ?? BLOCK_ROWS;
    this._maxBlocks = options.maxBlocks ?? 100;
    if (options.textLengths?.length === options.columns.length) {
      this._textLengths = options.textLengths;
    }
  }

  /** The result's Parquet file, relative to the Jupyter root. */
  get path(): string {
    return this._path;
  }

  /** The result's columns, in the result's order, shown or not. */
  get columns(): ReadonlyArray<IColumnInfo> {
    return this._columns;
  }

  /** The grid's columns, left to right, as indexes into `columns`. */
  get shownColumns(): ReadonlyArray<number> {
    return this._shown;
  }

  /** The result column a grid column shows. */
  columnAt(gridColumn: number): IColumnInfo | undefined {
    return this._columns[this._shown[gridColumn]];
  }

  /**
   * Shows the result's columns in this order (indexes into `columns`; the others are hidden).
   * Unknown and repeated indexes are ignored; an empty order shows every column.
   */
  setShownColumns(order: ReadonlyArray<number>): void {
    const valid = [...new Set(order)].filter(
      i => Number.isInteger(i) && i >= 0 && i < this._columns.length
    );
    this._shown = valid.length ? valid : this._columns.map((_, i) => i);
    this.emitChanged({ type: 'model-reset' });
    this._stateChanged.emit();
  }

  /**
   * The longest text of each result column in a sample of the whole result (not only the first
   * rows), in characters, once the first block is read; null before.
   */
  get textLengths(): ReadonlyArray<number> | null {
    return this._textLengths;
  }

  /**
   * True when the saved file's columns are not the ones the query produced (another result was
   * written over it): the model then shows no rows.
   */
  get mismatch(): boolean {
    return this._mismatch;
  }

  /** Rows in the whole result. */
  get totalRows(): number {
    return this._totalRows;
  }

  /** Rows the current filter keeps. */
  get filteredRows(): number {
    return this._rowCount;
  }

  /** The current sort, or null for the result's own order. */
  get sort(): IResultSort | null {
    return this._sort;
  }

  /** The current filter text ('' for none). */
  get filter(): string {
    return this._filter;
  }

  /** True while a block is being read. */
  get loading(): boolean {
    return this._pending.size > 0;
  }

  /** Why the last read failed, or null. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted when the counts, the view, the loading state or the error change. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  rowCount(region: DataModel.RowRegion): number {
    return region === 'body' ? this._rowCount : 1;
  }

  columnCount(region: DataModel.ColumnRegion): number {
    return region === 'body' ? this._shown.length : 1;
  }

  data(region: DataModel.CellRegion, row: number, column: number): string {
    switch (region) {
      case 'column-header': {
        const name = this.columnAt(column)?.name ?? '';
        if (this._sort?.column !== name) {
          return name;
        }
        return `${name} ${this._sort.descending ? '▼' : '▲'}`;
      }
      case 'row-header':
        return String(row + 1);
      case 'corner-header':
        return '';
      case 'body':
        return displayText(this.value(row, this._shown[column]));
    }
  }

  /**
   * A cell's value by result column (see `columnAt` for a grid column), or undefined while its
   * block is being read (the read is started).
   */
  value(row: number, column: number): ResultValue | undefined {
    const index = Math.floor(row / this._blockSize);
    const block = this._blocks.get(index);
    if (!block) {
      void this._load(index);
      return undefined;
    }
    // Most recently used last, so eviction drops the block seen longest ago.
    this._blocks.delete(index);
    this._blocks.set(index, block);
    return block[row - index * this._blockSize]?.[column];
  }

  /**
   * Changes the order and the filter; resolves once the first block of the new view is read. The
   * grid shows the new row count and the selection should be cleared by the caller.
   */
  async setView(sort: IResultSort | null, filter: string): Promise<void> {
    this._sort = sort;
    this._filter = filter;
    this._generation++;
    this._blocks.clear();
    this._pending.clear();
    const page = await this._read(0);
    if (page) {
      this._rowCount = page.rowCount;
      this._blocks.set(0, page.rows);
    }
    this.emitChanged({ type: 'model-reset' });
    this._stateChanged.emit();
  }

  /** Reads the first block of the view, so that a grid can draw its first rows in one paint. */
  async loadFirstBlock(): Promise<void> {
    await this._load(0);
  }

  /** A cell's value by result column, read from the server when its block is not in memory. */
  async valueOf(row: number, column: number): Promise<ResultValue> {
    const cached = this.value(row, column);
    if (cached !== undefined) {
      return cached;
    }
    const [values] = await this.rows(row, row + 1);
    return values?.[column] ?? null;
  }

  /** Reads rows `[start, end)` of the current view, whatever is in memory. */
  async rows(start: number, end: number): Promise<ResultValue[][]> {
    const rows: ResultValue[][] = [];
    for (let offset = start; offset < end; offset += MAX_PAGE_ROWS) {
      const page = await this._pages.page(
        this._request(offset, Math.min(MAX_PAGE_ROWS, end - offset))
      );
      rows.push(...page.rows);
      if (page.rows.length < Math.min(MAX_PAGE_ROWS, end - offset)) {
        break;
      }
    }
    return rows;
  }

  private async _load(index: number): Promise<void> {
    if (this._pending.has(index)) {
      return;
    }
    const page = await this._read(index);
    if (!page) {
      return;
    }
    this._blocks.set(index, page.rows);
    while (this._blocks.size > this._maxBlocks) {
      this._blocks.delete(this._blocks.keys().next().value as number);
    }
    const row = index * this._blockSize;
    if (page.rowCount !== this._rowCount) {
      // The file changed under the grid (the cell ran again): show the new rows.
      this._rowCount = page.rowCount;
      this._totalRows = page.totalRows;
      this.emitChanged({ type: 'model-reset' });
      this._stateChanged.emit();
      return;
    }
    if (page.rows.length) {
      this.emitChanged({
        type: 'cells-changed',
        region: 'body',
        row,
        column: 0,
        rowSpan: page.rows.length,
        columnSpan: this._shown.length
      });
    }
  }

  /** Reads a block; null when the view changed meanwhile or the read failed. */
  private async _read(index: number): Promise<IResultPage | null> {
    const started = this._generation;
    this._pending.add(index);
    if (this._pending.size === 1) {
      this._stateChanged.emit();
    }
    const requested = performance.now();
    try {
      const page = await this._pages.page(
        this._request(index * this._blockSize, this._blockSize)
      );
      if (index === 0 && !this._firstPageRead) {
        this._firstPageRead = true;
        measureSince('sentinel-result-first-page', requested, {
          rows: page.rowCount
        });
      }
      if (this._generation !== started) {
        return null;
      }
      if (!sameColumns(page.columns, this._columns)) {
        this._mismatch = true;
        this._rowCount = 0;
        this._blocks.clear();
        this.emitChanged({ type: 'model-reset' });
        this._stateChanged.emit();
        return null;
      }
      if (page.textLengths && !this._textLengths) {
        this._textLengths = page.textLengths;
      }
      if (this._error !== null) {
        this._error = null;
        this._stateChanged.emit();
      }
      this._totalRows = page.totalRows;
      return page;
    } catch (error) {
      if (this._generation === started) {
        this._error = error instanceof Error ? error.message : String(error);
        this._stateChanged.emit();
      }
      return null;
    } finally {
      if (this._generation === started) {
        this._pending.delete(index);
        if (this._pending.size === 0) {
          this._stateChanged.emit();
        }
      }
    }
  }

  /** The current view (order and filter) as a request of the whole result. */
  viewRequest(): IPageRequest {
    return this._request(0, this._rowCount);
  }

  private _request(offset: number, limit: number): IPageRequest {
    const request: IPageRequest = { path: this._path, offset, limit };
    if (offset === 0 && !this._textLengths) {
      request.textLengths = true;
    }
    if (this._sort) {
      request.sort = this._sort.column;
      request.descending = this._sort.descending;
    }
    if (this._filter) {
      request.filter = this._filter;
    }
    return request;
  }

  private readonly _pages: IResultPages;
  private readonly _path: string;
  private readonly _columns: IColumnInfo[];
  private _shown: number[];
  private _textLengths: ReadonlyArray<number> | null = null;
  private _firstPageRead = false;
  private _mismatch = false;
  private readonly _blockSize: number;
  private readonly _maxBlocks: number;
  private _rowCount: number;
  private _totalRows: number;
  private _sort: IResultSort | null = null;
  private _filter = '';
  private _generation = 0;
  private _error: string | null = null;
  private readonly _blocks = new Map<number, ResultValue[][]>();
  private readonly _pending = new Set<number>();
  private readonly _stateChanged = new Signal<this, void>(this);
}
