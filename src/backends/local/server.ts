/**
 * The local backend's query calls to the Jupyter server, through the extension's one gateway
 * (`src/server.ts`): SQL on a local workspace, its full result written as Parquet, cancellation.
 */
import type { IExternalData } from '../../kql';
import {
  type IArrowResponse,
  SentinelServer,
  SentinelServerError
} from '../../server';
import type { IResultPage } from '../../results/server';

/** The body of `POST workspaces/{id}/query`. */
export interface IQueryRequest {
  /** One read-only SELECT. */
  sql: string;
  /** Client-chosen id the query can be cancelled by. */
  queryId: string;
  /** Row limit; the server's default and cap apply. */
  maxRows?: number;
  /** Time limit in seconds; the server's default and cap apply. */
  timeoutSeconds?: number;
  /** Relations of `externaldata` the SQL reads; the server serves local copies only. */
  externalData?: IExternalData[];
  /** True when the SQL reads the workspace's IP geolocation table (`geo_info_from_ip_address`). */
  geoIp?: boolean;
  /** The other workspaces of a cross-workspace query (their ids). */
  workspaces?: string[];
}

/** The body of `POST workspaces/{id}/export`. */
export interface IExportRequest {
  /** One read-only SELECT. */
  sql: string;
  /** Where to write the Parquet file, relative to the Jupyter root; must end in `.parquet`. */
  path: string;
  /** Client-chosen id the export can be cancelled by. */
  queryId: string;
  /** Time limit in seconds; the server's default and cap apply. */
  timeoutSeconds?: number;
  /** Relations of `externaldata` the SQL reads, as for a query. */
  externalData?: IExternalData[];
  /** True when the SQL reads the workspace's IP geolocation table. */
  geoIp?: boolean;
  /** The other workspaces of a cross-workspace query (their ids). */
  workspaces?: string[];
  /** Rows of the result's first page to answer with the export (`firstPage`). */
  firstPageRows?: number;
}

/** The body of `POST workspaces/{id}/export` for a batch: one statement per result table. */
export interface IExportBatchRequest {
  /** Each tabular statement: its SQL, the file its result is written at, what it reads. */
  statements: Pick<IExportRequest, 'sql' | 'path' | 'externalData' | 'geoIp'>[];
  /** Client-chosen id the whole batch can be cancelled by. */
  queryId: string;
  /** Time limit of the whole batch in seconds; the server's default and cap apply. */
  timeoutSeconds?: number;
}

/** The answer of `POST workspaces/{id}/export`. */
export interface IExportResponse {
  /** Path of the written file, relative to the Jupyter root. */
  path: string;
  /** Rows written. */
  rowCount: number;
  /** True when the engine had more rows than the server's row limit (Spark: only those are written). */
  truncated?: boolean;
  /** Time the server spent, in milliseconds. */
  elapsedMs: number;
  /** Columns as the server wrote them (KQL types). */
  columns: { name: string; type: string }[];
  /** The result's first page, when asked with `firstPageRows`. */
  firstPage?: IResultPage;
}

/** SQL on local workspaces, run by the Jupyter server. */
export class LocalQueries {
  constructor(
    private readonly _server: SentinelServer = new SentinelServer()
  ) {}

  /** Runs SQL on a workspace and returns the Arrow stream with the figures from its headers. */
  query(workspaceId: string, request: IQueryRequest): Promise<IArrowResponse> {
    return this._server.arrow(['workspaces', workspaceId, 'query'], {
      method: 'POST',
      body: JSON.stringify(request)
    });
  }

  /** Writes the full result of SQL on a workspace as Parquet inside the Jupyter root. */
  exportResult(
    workspaceId: string,
    request: IExportRequest
  ): Promise<IExportResponse> {
    return this._server.json<IExportResponse>(
      ['workspaces', workspaceId, 'export'],
      { method: 'POST', body: JSON.stringify(request) }
    );
  }

  /**
   * Writes the result of each statement of a batch as Parquet, in one request: one id cancels
   * it, one time limit covers it (`Lake.export_batch`).
   */
  exportBatch(
    workspaceId: string,
    request: IExportBatchRequest
  ): Promise<{ tables: IExportResponse[] }> {
    return this._server.json<{ tables: IExportResponse[] }>(
      ['workspaces', workspaceId, 'export'],
      { method: 'POST', body: JSON.stringify(request) }
    );
  }

  /**
   * Interrupts a running query. Resolves false when the server does not know the id: the query
   * finished already, or has not started yet.
   */
  async cancelQuery(queryId: string): Promise<boolean> {
    try {
      await this._server.fetch(['queries', queryId], { method: 'DELETE' });
      return true;
    } catch (error) {
      if (error instanceof SentinelServerError && error.status === 404) {
        return false;
      }
      throw error;
    }
  }
}
