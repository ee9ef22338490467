import { ResultDataModel } from '../model';
import type {
  IPageRequest,
  IResultPage,
  IResultPages,
  ResultValue
} from '../server';
import type { DataModel } from '@lumino/datagrid';

/**
 * The page source of the grid, answering as the server's `GET results` does over an in-memory
 * result (sort stable on the original order, filter on any cell's text, ignoring case).
 */
class Pages implements IResultPages {
  constructor(private readonly _rows: ResultValue[][]) {}
  requests: IPageRequest[] = [];
  gate: Promise<void> | null = null;

  csvUrl(request: IPageRequest): string {
    return `csv?path=${request.path}`;
  }

  async page(request: IPageRequest): Promise<IResultPage> {
    this.requests.push(request);
    if (this.gate) {
      await this.gate;
    }
    let rows = this._rows.map((row, i) => ({ row, i }));
    if (request.filter) {
      const needle = request.filter.toLowerCase();
      rows = rows.filter(({ row }) =>
        row.some(v => String(v).toLowerCase().includes(needle))
      );
    }
    if (request.sort !== undefined) {
      const c = request.sort === 'n' ? 0 : 1;
      const sign = request.descending ? -1 : 1;
      rows.sort((a, b) =>
        a.row[c]! < b.row[c]! ? -sign : a.row[c]! > b.row[c]! ? sign : a.i - b.i
      );
    }
    return {
      columns: COLUMNS,
      totalRows: this._rows.length,
      rowCount: rows.length,
      offset: request.offset,
      rows: rows
        .slice(request.offset, request.offset + request.limit)
        .map(r => r.row)
    };
  }
}

const COLUMNS = [
  { name: 'n', type: 'long' as const },
  { name: 'who', type: 'string' as const }
];

function rows(count: number): ResultValue[][] {
  return Array.from({ length: count }, (_, i) => [i, `user${i % 7}`]);
}

function flush(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

describe('ResultDataModel', () => {
  it('reads the blocks the grid asks for, once each', async () => {
    const pages = new Pages(rows(1000));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 1000,
      blockSize: 100
    });
    const changes: DataModel.ChangedArgs[] = [];
    model.changed.connect((_, args) => changes.push(args));
    expect(model.rowCount('body')).toBe(1000);
    expect(model.columnCount('body')).toBe(2);
    expect(model.data('body', 250, 0)).toBe('');
    expect(model.data('body', 260, 1)).toBe('');
    await flush();
    expect(pages.requests).toEqual([
      { path: 'r.parquet', offset: 200, limit: 100 }
    ]);
    expect(model.data('body', 250, 0)).toBe('250');
    expect(model.data('body', 260, 1)).toBe('user1');
    expect(changes).toEqual([
      {
        type: 'cells-changed',
        region: 'body',
        row: 200,
        column: 0,
        rowSpan: 100,
        columnSpan: 2
      }
    ]);
    expect(model.data('column-header', 0, 1)).toBe('who');
    expect(model.data('row-header', 41, 0)).toBe('42');
  });

  it('forgets the blocks seen longest ago beyond its budget', async () => {
    const pages = new Pages(rows(1000));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 1000,
      blockSize: 100,
      maxBlocks: 2
    });
    for (const row of [0, 100, 200]) {
      model.value(row, 0);
      await flush();
    }
    expect(pages.requests.map(r => r.offset)).toEqual([0, 100, 200]);
    expect(model.value(0, 0)).toBeUndefined();
    await flush();
    expect(pages.requests.map(r => r.offset)).toEqual([0, 100, 200, 0]);
    expect(model.value(200, 0)).toBe(200);
  });

  it('sorts and filters on the server and shows the new count', async () => {
    const pages = new Pages(rows(50));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 50,
      blockSize: 20
    });
    const resets: string[] = [];
    model.changed.connect((_, args) => resets.push(args.type));
    await model.setView({ column: 'n', descending: true }, 'USER3');
    expect(pages.requests[0]).toEqual({
      path: 'r.parquet',
      offset: 0,
      limit: 20,
      textLengths: true,
      sort: 'n',
      descending: true,
      filter: 'USER3'
    });
    expect(resets).toEqual(['model-reset']);
    expect(model.filteredRows).toBe(7);
    expect(model.totalRows).toBe(50);
    expect(model.data('body', 0, 0)).toBe('45');
    expect(model.data('column-header', 0, 0)).toBe('n ▼');
    expect(await model.rows(1, 3)).toEqual([
      [38, 'user3'],
      [31, 'user3']
    ]);
  });

  it('drops blocks of a view that changed while they were read', async () => {
    const pages = new Pages(rows(50));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 50,
      blockSize: 10
    });
    let open: () => void = () => undefined;
    pages.gate = new Promise(resolve => (open = resolve));
    model.value(0, 0);
    const view = model.setView({ column: 'n', descending: true }, '');
    open();
    pages.gate = null;
    await view;
    await flush();
    // The block read for the old order is not shown in the new one.
    expect(model.value(0, 0)).toBe(49);
  });

  it('reads a long range of rows in pages the server accepts', async () => {
    const pages = new Pages(rows(12000));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 12000
    });
    const all = await model.rows(0, 12000);
    expect(all).toHaveLength(12000);
    expect(pages.requests.map(r => [r.offset, r.limit])).toEqual([
      [0, 5000],
      [5000, 5000],
      [10000, 2000]
    ]);
  });

  it('says why a page could not be read', async () => {
    const model = new ResultDataModel({
      pages: {
        page: () =>
          Promise.reject(
            new Error(
              'The result file r.parquet is gone: run the KQL cell again.'
            )
          ),
        csvUrl: () => ''
      },
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 3
    });
    const states: (string | null)[] = [];
    model.stateChanged.connect(() => states.push(model.error));
    model.value(0, 0);
    await flush();
    expect(model.error).toContain('run the KQL cell again');
    expect(model.loading).toBe(false);
  });

  it('shows no rows of a file whose columns are not the query’s', async () => {
    const pages = new Pages(rows(30));
    for (const columns of [
      [
        { name: 'who', type: 'string' as const },
        { name: 'n', type: 'long' as const }
      ],
      [
        { name: 'n', type: 'datetime' as const },
        { name: 'who', type: 'string' as const }
      ],
      [{ name: 'n', type: 'long' as const }]
    ]) {
      const model = new ResultDataModel({
        pages,
        path: 'r.parquet',
        columns,
        rowCount: 30
      });
      const resets: string[] = [];
      model.changed.connect((_, args) => resets.push(args.type));
      expect(model.data('body', 0, 0)).toBe('');
      await flush();
      expect(model.mismatch).toBe(true);
      expect(model.rowCount('body')).toBe(0);
      expect(resets).toEqual(['model-reset']);
    }
    // The compiler's `int` is the file's `long`, its `guid` the file's `string`: the same result.
    const same = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: [
        { name: 'n', type: 'int' },
        { name: 'who', type: 'guid' }
      ],
      rowCount: 30
    });
    same.value(0, 0);
    await flush();
    expect(same.mismatch).toBe(false);
    expect(same.data('body', 3, 1)).toBe('user3');
  });

  it('hides and moves columns, reading values by result column', async () => {
    const pages = new Pages(rows(10));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 10
    });
    model.value(0, 0);
    await flush();
    model.setShownColumns([1, 0]);
    expect(model.columnCount('body')).toBe(2);
    expect(model.data('column-header', 0, 0)).toBe('who');
    expect(model.data('body', 4, 0)).toBe('user4');
    expect(model.data('body', 4, 1)).toBe('4');
    expect(model.columnAt(1)?.name).toBe('n');
    model.setShownColumns([1]);
    expect(model.columnCount('body')).toBe(1);
    expect(model.data('body', 4, 0)).toBe('user4');
    // Values stay addressed by result column, whatever is shown.
    expect(model.value(4, 0)).toBe(4);
    expect(await model.valueOf(4, 0)).toBe(4);
    model.setShownColumns([]);
    expect(model.shownColumns).toEqual([0, 1]);
  });

  it('asks once for the longest text of each column over the whole result', async () => {
    const requests: IPageRequest[] = [];
    const model = new ResultDataModel({
      pages: {
        page: async request => {
          requests.push(request);
          return {
            columns: COLUMNS,
            totalRows: 500,
            rowCount: 500,
            offset: request.offset,
            rows: rows(500).slice(
              request.offset,
              request.offset + request.limit
            ),
            ...(request.textLengths ? { textLengths: [3, 5] } : {})
          };
        },
        csvUrl: request =>
          `csv?path=${request.path}&sort=${request.sort ?? ''}&filter=${request.filter ?? ''}`
      },
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 500,
      blockSize: 100
    });
    model.value(0, 0);
    await flush();
    model.value(300, 0);
    await flush();
    expect(model.textLengths).toEqual([3, 5]);
    expect(requests.map(r => [r.offset, r.textLengths ?? false])).toEqual([
      [0, true],
      [300, false]
    ]);
    await model.setView({ column: 'who', descending: false }, 'user3');
    expect(requests[2].textLengths).toBeUndefined();
    expect(model.viewRequest()).toMatchObject({
      path: 'r.parquet',
      sort: 'who',
      filter: 'user3'
    });
  });

  it('reads the first block without measuring lengths the result output saved', async () => {
    const pages = new Pages(rows(500));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 500,
      textLengths: [3, 9],
      blockSize: 100
    });
    await model.loadFirstBlock();
    expect(model.value(0, 1)).toBe('user0');
    expect(model.textLengths).toEqual([3, 9]);
    expect(pages.requests.map(r => r.textLengths ?? false)).toEqual([false]);
  });

  it('measures them when the saved lengths do not match the columns', async () => {
    const pages = new Pages(rows(500));
    const model = new ResultDataModel({
      pages,
      path: 'r.parquet',
      columns: COLUMNS,
      rowCount: 500,
      textLengths: [3],
      blockSize: 100
    });
    await model.loadFirstBlock();
    expect(pages.requests.map(r => r.textLengths ?? false)).toEqual([true]);
  });
});
