/**
 * The server's limits as the local backend's gateway reports them: a query past its time limit
 * (422, never 408, which browsers resend) and a server with no free query worker (503 with
 * `Retry-After`) become `SentinelServerError`s that say so.
 */
import { ServerConnection } from '@jupyterlab/services';

import { LocalQueries } from '../backends/local/server';
import { SentinelServer, SentinelServerError } from '../server';

/** A gateway whose every request is answered `status` with a JSON `body` and `headers`. */
function answering(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): LocalQueries {
  const fetch = async (): Promise<Response> =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers }
    });
  return new LocalQueries(
    new SentinelServer(
      ServerConnection.makeSettings({
        baseUrl: 'http://localhost:8888/',
        fetch,
        Request,
        Headers
      })
    )
  );
}

const REQUEST = { sql: 'SELECT 1', queryId: 'q1' };

describe('SentinelServer limits', () => {
  it('reports a query past its time limit with the server message', async () => {
    const server = answering(422, {
      message: 'The query ran past its time limit of 2 s',
      reason: 'timeout'
    });
    const error = await server.query('demo', REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentinelServerError);
    const failure = error as SentinelServerError;
    expect(failure.status).toBe(422);
    expect(failure.reason).toBe('timeout');
    expect(failure.message).toBe('The query ran past its time limit of 2 s');
    expect(failure.retryAfterSeconds).toBeNull();
  });

  it('carries the Retry-After of a server with no free query worker', async () => {
    const server = answering(
      503,
      { message: 'The server is running 4 queries', reason: 'busy' },
      { 'Retry-After': '5' }
    );
    const error = (await server
      .exportResult('demo', { ...REQUEST, path: 'r.parquet' })
      .catch((e: unknown) => e)) as SentinelServerError;
    expect(error.reason).toBe('busy');
    expect(error.retryAfterSeconds).toBe(5);
  });
});
