/**
 * What the Azure backend's tests against the emulator (testing/azure-emulator) share: tokens from
 * the emulator's token endpoint (client credentials; MSAL's browser flow is covered by Galata), a
 * Jupyter server that records the responses it is asked to convert (pytest covers the conversion),
 * and a small workspace folder.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as path from 'path';

import type {
  IAccessToken,
  IAzureAccount,
  IAzureTokenProvider,
  ITokenRequest
} from '../backends/azure/auth';
import { type AzureResource, scopeOf } from '../backends/azure/clouds';
import { SentinelServer } from '../server';
import { tablePath } from '../tokens';

/** Tokens from the emulator's token endpoint, cached per resource like MSAL caches them. */
export class ClientCredentialTokens implements IAzureTokenProvider {
  constructor(
    private readonly _authority: string,
    private readonly _resources: Record<AzureResource, string>
  ) {}

  readonly account: IAzureAccount | null = {
    username: 'sentinel-tests',
    name: 'sentinel-tests',
    tenantId: 'test'
  };
  readonly accountChanged: Signal<IAzureTokenProvider, IAzureAccount | null> =
    new Signal(this);
  /** Token requests that reached the token endpoint. */
  issued = 0;

  signIn(): Promise<IAzureAccount> {
    return Promise.resolve(this.account!);
  }

  signOut(): Promise<void> {
    return Promise.resolve();
  }

  async getToken(
    resource: AzureResource,
    request: ITokenRequest = {}
  ): Promise<IAccessToken> {
    const cached = this._cache.get(resource);
    if (cached && !request.forceRefresh && cached.expiresOn > Date.now()) {
      return cached;
    }
    const response = await fetch(`${this._authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'sentinel-tests',
        client_secret: 'not-a-secret',
        scope: scopeOf(this._resources[resource])
      })
    });
    const body = (await response.json()) as {
      access_token: string;
      expires_in: number;
    };
    this.issued++;
    const token = {
      token: body.access_token,
      expiresOn: Date.now() + body.expires_in * 1000
    };
    this._cache.set(resource, token);
    return token;
  }

  private _cache = new Map<AzureResource, IAccessToken>();
}

/** What the backend sent to the Jupyter server to convert. */
export interface IConversion {
  endpoint: string;
  query: Record<string, string>;
  text: string;
}

/** A Jupyter server that records the responses it is asked to convert. */
export function recordingServer(conversions: IConversion[]): SentinelServer {
  const fetchRecorded = async (
    input: RequestInfo | URL,
    init?: RequestInit
  ): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = await request.text();
    const endpoint = url.pathname.split('/').pop() ?? '';
    conversions.push({
      endpoint,
      query: Object.fromEntries(url.searchParams),
      text
    });
    const tables = (JSON.parse(text) as { tables: { rows: unknown[][] }[] })
      .tables;
    const rows = tables[0].rows.length;
    if (endpoint === 'arrow') {
      const ipc = tableToIPC(
        tableFromArrays({ row: Int32Array.from({ length: rows }, (_, i) => i) })
      );
      return new Response(ipc, {
        headers: { 'X-Sentinel-Row-Count': String(rows) }
      });
    }
    return new Response(
      JSON.stringify({
        path: url.searchParams.get('path'),
        rowCount: rows,
        columns: [],
        elapsedMs: 1,
        // With tables=all, every table of a batch, as loganalytics.py writes them.
        ...(url.searchParams.get('tables') === 'all'
          ? {
              tables: tables.map((table, i) => ({
                path: tablePath(url.searchParams.get('path')!, i),
                rowCount: table.rows.length,
                partial: false
              }))
            }
          : {}),
        // As jupyterlab_sentinel/loganalytics.py answers a response with a PartialError.
        ...('error' in JSON.parse(text)
          ? {
              partial: true,
              partialMessage: (
                JSON.parse(text) as { error: { message: string } }
              ).error.message
            }
          : { partial: false })
      })
    );
  };
  return new SentinelServer(
    ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: fetchRecorded,
      Request,
      Headers
    })
  );
}

/** A workspace folder with a few sign-ins. */
export async function writeWorkspace(folder: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const file = path.join(folder, 'SigninLogs.parquet').replace(/'/g, "''");
  await connection.run(`
    COPY (
      SELECT TIMESTAMP '2026-10-01 00:00:00' + INTERVAL (i) HOUR AS TimeGenerated,
             'user' || (i % 3) || '@contoso.example' AS UserPrincipalName,
             CASE WHEN i % 4 = 0 THEN '50126' ELSE '0' END AS ResultType,
             '203.0.113.' || i AS IPAddress
      FROM range(12) t(i)
    ) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
}
