import { ServerConnection } from '@jupyterlab/services';
import { SentinelServer } from '../../server';
import {
  drawnOrAfter,
  type IResultPage,
  keepFirstPage,
  resultDrawn,
  ResultsServer
} from '../server';

/** A results endpoint that answers every page with `answer` and counts the requests. */
function endpoint(answer: IResultPage): {
  pages: ResultsServer;
  requests: URL[];
} {
  const requests: URL[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    requests.push(
      new URL(input instanceof Request ? input.url : String(input))
    );
    return new Response(JSON.stringify(answer), {
      headers: { 'Content-Type': 'application/json' }
    });
  };
  const server = new SentinelServer(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch,
      Request,
      Headers
    })
  );
  return { pages: new ResultsServer(server), requests };
}

function page(rows: number, rowCount: number): IResultPage {
  return {
    columns: [{ name: 'n', type: 'long' }],
    totalRows: rowCount,
    rowCount,
    offset: 0,
    rows: Array.from({ length: rows }, (_, i) => [i]),
    textLengths: [4]
  };
}

describe('the first page that came with a query', () => {
  it('answers the first read of its result once, without a request', async () => {
    const { pages, requests } = endpoint(page(200, 1000));
    keepFirstPage('nb/results/df.parquet', page(200, 1000));
    const first = await pages.page({
      path: 'nb/results/df.parquet',
      offset: 0,
      limit: 200,
      textLengths: true
    });
    expect(first.rows).toHaveLength(200);
    expect(first.textLengths).toEqual([4]);
    expect(requests).toHaveLength(0);
    await pages.page({ path: 'nb/results/df.parquet', offset: 0, limit: 200 });
    expect(requests).toHaveLength(1);
  });

  it('answers a shorter page, or a longer one when it holds the whole result', async () => {
    const { pages, requests } = endpoint(page(0, 0));
    keepFirstPage('a.parquet', page(200, 1000));
    expect(
      (await pages.page({ path: 'a.parquet', offset: 0, limit: 50 })).rows
    ).toHaveLength(50);
    keepFirstPage('b.parquet', page(30, 30));
    expect(
      (await pages.page({ path: 'b.parquet', offset: 0, limit: 5000 })).rows
    ).toHaveLength(30);
    expect(requests).toHaveLength(0);
  });

  it('leaves other pages, sorted and filtered views and longer pages to the server', async () => {
    const { pages, requests } = endpoint(page(0, 0));
    keepFirstPage('c.parquet', page(200, 1000));
    await pages.page({ path: 'c.parquet', offset: 200, limit: 200 });
    await pages.page({ path: 'c.parquet', offset: 0, limit: 200, sort: 'n' });
    await pages.page({ path: 'c.parquet', offset: 0, limit: 200, filter: 'x' });
    await pages.page({ path: 'c.parquet', offset: 0, limit: 5000 });
    await pages.page({ path: 'other.parquet', offset: 0, limit: 200 });
    expect(requests.map(url => url.searchParams.get('path'))).toEqual([
      'c.parquet',
      'c.parquet',
      'c.parquet',
      'c.parquet',
      'other.parquet'
    ]);
    // Still kept for the grid's own first read.
    await pages.page({ path: 'c.parquet', offset: 0, limit: 200 });
    expect(requests).toHaveLength(5);
  });
});

describe('waiting for a grid to draw a result', () => {
  afterEach(() => jest.useRealTimers());

  it('ends when the grid of that result has drawn', async () => {
    jest.useFakeTimers();
    let done = false;
    const drawn = drawnOrAfter('a.parquet', 1000).then(() => (done = true));
    resultDrawn('b.parquet');
    await Promise.resolve();
    expect(done).toBe(false);
    resultDrawn('a.parquet');
    await drawn;
    expect(done).toBe(true);
  });

  it('ends after its longest wait when no grid draws', async () => {
    jest.useFakeTimers();
    let done = false;
    const drawn = drawnOrAfter('c.parquet', 1000).then(() => (done = true));
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(done).toBe(false);
    jest.advanceTimersByTime(1);
    await drawn;
    expect(done).toBe(true);
  });
});
