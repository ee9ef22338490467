import { SentinelServer } from '../server';
import type { IColumnInfo } from '../tokens';

/** A cell of a result page: JSON as the server sends it (see `docs/rest-api.md`, `GET results`). */
export type ResultValue =
  | string
  | number
  | boolean
  | null
  | ResultValue[]
  | { [key: string]: ResultValue };

/** Which rows of a saved result to read. */
export interface IPageRequest {
  /** The result's Parquet file, relative to the Jupyter root. */
  path: string;
  /** First row of the page, in the sorted and filtered order. */
  offset: number;
  /** Most rows to read. */
  limit: number;
  /** Column to sort by; the result's own order when not given. */
  sort?: string;
  /** Sort direction. */
  descending?: boolean;
  /** Keeps rows where any cell's text contains this, ignoring case. */
  filter?: string;
  /** Also answer the longest text of each column in a sample of the whole result. */
  textLengths?: boolean;
}

/** One page of a saved result. */
export interface IResultPage {
  /** Result columns with their KQL types. */
  columns: IColumnInfo[];
  /** Rows in the whole result. */
  totalRows: number;
  /** Rows the filter keeps (all rows without a filter). */
  rowCount: number;
  /** Index of the page's first row. */
  offset: number;
  /** The rows, one value per column. */
  rows: ResultValue[][];
  /** When asked: the longest text of each column, in characters, in a sample of the whole result. */
  textLengths?: number[];
}

/** Reads pages of saved results; the grid's only way to its data. */
export interface IResultPages {
  /** Reads one page. Rejects with a `SentinelServerError` (e.g. `result-missing`). */
  page(request: IPageRequest): Promise<IResultPage>;
  /**
   * The address that downloads the whole result as CSV, in the order and with the filter of the
   * request (its offset and limit are ignored).
   */
  csvUrl(request: IPageRequest): string;
}

/** Rows of a grid's block: the first page a query answers with is one block. */
export const BLOCK_ROWS = 200;

/** Most first pages kept for grids that have not read them yet. */
const MAX_FIRST_PAGES = 16;

/** First pages that came with a query's answer, by result path, until a grid reads them. */
const firstPages = new Map<string, IResultPage>();

/**
 * Keeps the first page of a result that just ran (it came with the query's answer), for the
 * grid to draw without asking the server; the grid takes it once, later reads go to the server.
 */
export function keepFirstPage(path: string, page: IResultPage): void {
  firstPages.delete(path);
  firstPages.set(path, page);
  while (firstPages.size > MAX_FIRST_PAGES) {
    firstPages.delete(firstPages.keys().next().value as string);
  }
}

/** The kept first page of a result that answers a request, taken out; null when none does. */
function takeFirstPage(request: IPageRequest): IResultPage | null {
  const page = firstPages.get(request.path);
  if (
    !page ||
    request.offset !== 0 ||
    request.sort !== undefined ||
    request.filter ||
    (request.textLengths && !page.textLengths) ||
    (request.limit > page.rows.length && page.rows.length < page.rowCount)
  ) {
    return null;
  }
  firstPages.delete(request.path);
  return { ...page, rows: page.rows.slice(0, request.limit) };
}

/** Runs waiting for a grid to draw the first rows of a result, by result path. */
const drawing = new Map<string, () => void>();

/**
 * Resolves once a grid has drawn the first rows of the result at `path`, or after `capMs` (no
 * grid draws in a hidden tab, or when the output is not shown): a KQL cell's run loads the
 * DataFrame after its grid is on screen, not while the browser draws it.
 */
export function drawnOrAfter(path: string, capMs: number): Promise<void> {
  return new Promise(resolve => {
    const done = (): void => {
      window.clearTimeout(timer);
      if (drawing.get(path) === done) {
        drawing.delete(path);
      }
      resolve();
    };
    const timer = window.setTimeout(done, capMs);
    drawing.set(path, done);
  });
}

/** Tells the run waiting for it that a grid drew the first rows of the result at `path`. */
export function resultDrawn(path: string): void {
  drawing.get(path)?.();
}

/** The `GET results` endpoint of this extension's server. */
export class ResultsServer implements IResultPages {
  constructor(
    private readonly _server: SentinelServer = new SentinelServer()
  ) {}

  page(request: IPageRequest): Promise<IResultPage> {
    const kept = takeFirstPage(request);
    if (kept) {
      return Promise.resolve(kept);
    }
    const query = viewQuery(request);
    query.offset = String(request.offset);
    query.limit = String(request.limit);
    if (request.textLengths) {
      query.lengths = 'true';
    }
    return this._server.json<IResultPage>(['results'], {}, query);
  }

  csvUrl(request: IPageRequest): string {
    return this._server.urlWith(['results', 'csv'], viewQuery(request));
  }
}

/** The query string of a result, its order and its filter. */
function viewQuery(request: IPageRequest): Record<string, string> {
  const query: Record<string, string> = { path: request.path };
  if (request.sort !== undefined) {
    query.sort = request.sort;
    query.order = request.descending ? 'desc' : 'asc';
  }
  if (request.filter) {
    query.filter = request.filter;
  }
  return query;
}

/** A value as the grid shows it: text, never markup. */
export function displayText(value: ResultValue | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
