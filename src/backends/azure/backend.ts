/**
 * Azure workspaces: the Log Analytics workspaces of the signed-in account's subscriptions (ARM),
 * their tables (ARM's Tables API), queries (`@azure/monitor-query-logs`, converted to Arrow and
 * Parquet by the Jupyter server) and Microsoft Sentinel's hunting bookmarks (SecurityInsights).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import type {
  IBackendAction,
  IBookmark,
  IBookmarkFields,
  IExportOptions,
  IExportResult,
  IJobQuery,
  IIncidentInfo,
  IQueryOptions,
  IQueryResult,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../../tokens';
import { cancellable, QueryCancelledError } from '../errors';
import { decodeRows, SentinelServer } from '../../server';
import {
  ArmGateway,
  parseWorkspaceResourceId,
  tablesToSchema,
  workspaceResourceId,
  type IArmWorkspace
} from './arm';
import {
  AzureAuthError,
  type IAzureTokenProvider,
  tokenCredential
} from './auth';
import {
  bookmarkBody,
  bookmarkOf,
  fieldsLeftOut,
  type IBookmarkResource,
  type IIncidentResource,
  incidentRelationBody
} from './bookmarks';
import { type ICloudEndpoints, scopeOf } from './clouds';
import { type ILogsAnswer, queryLogs } from './logs';

/** What the Azure backend is configured with. */
export interface IAzureBackendOptions {
  /** Where each API lives and the token resources. */
  endpoints: ICloudEndpoints;
  /** The token source (MSAL in the product). */
  tokens: IAzureTokenProvider;
  /** api-version of the SecurityInsights bookmarks API. */
  bookmarkApiVersion: string;
  /** The Jupyter server's API (converts responses to Arrow and Parquet). */
  server?: SentinelServer;
  /** What the sidebar offers when nobody is signed in. */
  signInAction?: IBackendAction;
  /** `fetch` for ARM calls. */
  fetch?: typeof fetch;
  trans?: TranslationBundle;
}

/** Rows a `query()` returns when the caller sets no limit. */
const DEFAULT_ROWS = 10_000;

/** Workspaces whose Sentinel state is asked for at once. */
const PARALLEL = 6;

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  map: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker)
  );
  return results;
}

/**
 * The Jupyter server's answer to `POST loganalytics/export`: a Log Analytics query response
 * written as Parquet inside the Jupyter root.
 */
interface ILogAnalyticsExport {
  /** Path of the written file, relative to the Jupyter root. */
  path: string;
  /** Rows written. */
  rowCount: number;
  /** The response carried a `PartialError`: the file holds the rows it returned. */
  partial: boolean;
  /** The service's message about the partial result. */
  partialMessage?: string;
  /** With `tables=all`: each table of a batch as written, the first being the one above. */
  tables?: Omit<ILogAnalyticsExport, 'tables'>[];
}

/** A workspace as listed, with what queries and bookmarks need. */
interface IKnownWorkspace {
  info: IWorkspaceInfo;
  customerId: string;
}

export class AzureBackend implements IWorkspaceBackend {
  readonly id = 'azure';

  constructor(
    readonly label: string,
    private _options: IAzureBackendOptions
  ) {
    this._trans = _options.trans ?? nullTranslator.load('jupyterlab_sentinel');
    this._server = _options.server ?? new SentinelServer();
    this._arm = new ArmGateway(
      _options.endpoints.arm,
      _options.tokens,
      _options.fetch
    );
  }

  /** Takes new endpoints or a new bookmarks api-version (the settings changed). */
  configure(
    options: Pick<IAzureBackendOptions, 'endpoints' | 'bookmarkApiVersion'>
  ): void {
    this._options = { ...this._options, ...options };
    this._arm = new ArmGateway(
      this._options.endpoints.arm,
      this._options.tokens,
      this._options.fetch
    );
    this._workspaces.clear();
  }

  /** The bookmark fields the configured api-version cannot carry. */
  bookmarkFieldsLeftOut(fields: IBookmarkFields): string[] {
    return fieldsLeftOut(fields, this._options.bookmarkApiVersion);
  }

  /**
   * The Log Analytics workspaces of every subscription the account can see, each named with its
   * subscription, and whether Microsoft Sentinel is enabled on it. Rejects with an
   * `AzureAuthError` when nobody is signed in.
   */
  async listWorkspaces(): Promise<IWorkspaceInfo[]> {
    if (!this._options.tokens.account) {
      throw Object.assign(
        new AzureAuthError(
          'not-signed-in',
          this._trans.__(
            'Sign in to list the Log Analytics workspaces of your subscriptions.'
          )
        ),
        { action: this._options.signInAction }
      );
    }
    const subscriptions = await this._arm.listSubscriptions();
    if (subscriptions.length === 0) {
      throw new AzureAuthError(
        'failed',
        this._trans.__(
          'The account %1 sees no Azure subscriptions: ask for the Log Analytics Reader or Microsoft Sentinel Reader role on a workspace, or sign in to another tenant.',
          this._options.tokens.account.username
        )
      );
    }
    const perSubscription = await Promise.all(
      subscriptions.map(async s => ({
        subscription: s,
        workspaces: await this._arm.listWorkspaces(s.subscriptionId)
      }))
    );
    const listed = perSubscription.flatMap(({ subscription, workspaces }) =>
      workspaces.map(ws => ({ subscription, ws }))
    );
    const known = await mapLimited(listed, PARALLEL, async entry =>
      this._describe(entry.ws, entry.subscription.displayName)
    );
    // ARM resource ids are case-insensitive (ARM itself lists them in lower case).
    this._workspaces = new Map(known.map(k => [k.info.id.toLowerCase(), k]));
    return known
      .map(k => k.info)
      .sort(
        (a, b) =>
          (a.group ?? '').localeCompare(b.group ?? '') ||
          a.name.localeCompare(b.name)
      );
  }

  async getSchema(workspaceId: string): Promise<IWorkspaceSchema> {
    const tables = await this._arm.listTables(
      parseWorkspaceResourceId(workspaceId)
    );
    return { workspace: workspaceId, tables: tablesToSchema(tables) };
  }

  async query(
    workspaceId: string,
    query: string,
    options: IQueryOptions = {}
  ): Promise<IQueryResult> {
    const queryId = UUID.uuid4();
    const now = new Date();
    const answer = await this._run(workspaceId, query, queryId, options);
    const response = await cancellable(
      this._server.arrow(
        ['loganalytics', 'arrow'],
        { method: 'POST', body: answer.text },
        { maxRows: String(options.maxRows ?? DEFAULT_ROWS) }
      ),
      queryId,
      options.signal
    );
    const { table, rowCount } = await decodeRows(response);
    return {
      queryId,
      query,
      columns: answer.columns,
      table,
      rowCount,
      truncated: response.truncated,
      elapsedMs: answer.elapsedMs,
      render: answer.render,
      timespan: options.timespan ?? null,
      now,
      diagnostics: []
    };
  }

  async export(
    workspaceId: string,
    query: string,
    path: string,
    options: IExportOptions = {}
  ): Promise<IExportResult> {
    const queryId = UUID.uuid4();
    const answer = await this._run(workspaceId, query, queryId, options);
    // A batch (`A; B`): the server writes table i at tablePath(path, i).
    const batch = answer.tables.length > 1;
    const written = await cancellable(
      this._server.json<ILogAnalyticsExport>(
        ['loganalytics', 'export'],
        { method: 'POST', body: answer.text },
        batch ? { path, tables: 'all' } : { path }
      ),
      queryId,
      options.signal
    );
    // The service answers one `render` for a query: that of its last statement, where `render`
    // belongs (it ends a query), so it is the last table's.
    const last = answer.tables.length - 1;
    const tables = batch
      ? (written.tables ?? []).map((table, i) => ({
          name: answer.tables[i].name,
          path: table.path,
          rowCount: table.rowCount,
          columns: answer.tables[i].columns,
          render: i === last ? answer.render : null
        }))
      : undefined;
    return {
      queryId,
      path: written.path,
      rowCount: written.rowCount,
      columns: answer.columns,
      elapsedMs: answer.elapsedMs,
      diagnostics: [],
      render: tables ? tables[0].render : answer.render,
      partial: written.partial,
      partialMessage: written.partialMessage,
      ...(tables ? { tables } : {}),
      rerun: await this._rerun(workspaceId, query, options.workspaces ?? [])
    };
  }

  /**
   * The query as a notebook job sends it again to the query API, with a credential of its own
   * (a service principal or managed identity, `jupyterlab_sentinel/job.py`), never this sign-in.
   */
  private async _rerun(
    workspaceId: string,
    query: string,
    others: string[]
  ): Promise<IJobQuery> {
    const { endpoints } = this._options;
    const customerIds = await Promise.all(
      others.map(id => this._customerId(id))
    );
    return {
      backend: this.id,
      workspace: workspaceId,
      endpoint: endpoints.logAnalytics,
      scope: scopeOf(endpoints.resources.logAnalytics),
      customerId: await this._customerId(workspaceId),
      kql: query,
      ...(customerIds.length ? { workspaces: customerIds } : {})
    };
  }

  async listBookmarks(workspaceId: string): Promise<IBookmark[]> {
    const resources = await this._arm.list<IBookmarkResource>(
      this._sentinelPath(workspaceId, 'bookmarks'),
      this._options.bookmarkApiVersion
    );
    return resources
      .map(bookmarkOf)
      .sort((a, b) => b.created.localeCompare(a.created));
  }

  /**
   * Creates the bookmark with the caller's id: `PUT` is idempotent, so a retried save updates the
   * bookmark the first attempt made instead of making a second one.
   */
  createBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    return this._put(workspaceId, id, fields);
  }

  updateBookmark(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    return this._put(workspaceId, id, fields);
  }

  async deleteBookmark(workspaceId: string, id: string): Promise<void> {
    await this._arm.send(
      'DELETE',
      this._arm.url(
        `${this._sentinelPath(workspaceId, 'bookmarks')}/${encodeURIComponent(id)}`,
        this._options.bookmarkApiVersion
      ),
      undefined,
      { interactive: true }
    );
  }

  /** The workspace's incidents that are not closed, newest first. */
  async listIncidents(workspaceId: string): Promise<IIncidentInfo[]> {
    const incidents = await this._arm.list<IIncidentResource>(
      this._sentinelPath(workspaceId, 'incidents'),
      this._options.bookmarkApiVersion
    );
    return incidents
      .filter(i => i.properties?.status !== 'Closed')
      .sort((a, b) =>
        (b.properties?.createdTimeUtc ?? '').localeCompare(
          a.properties?.createdTimeUtc ?? ''
        )
      )
      .map(i => ({
        id: i.name,
        number: i.properties?.incidentNumber,
        title: i.properties?.title ?? i.name,
        severity: i.properties?.severity,
        status: i.properties?.status
      }));
  }

  /**
   * Saves the bookmark, then links it to its incident with the incident's relations API (the
   * service fills the bookmark's `incidentInfo` from the relation). Both calls are idempotent:
   * the relation is named after the bookmark.
   */
  private async _put(
    workspaceId: string,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark> {
    const apiVersion = this._options.bookmarkApiVersion;
    const path = `${this._sentinelPath(workspaceId, 'bookmarks')}/${encodeURIComponent(id)}`;
    let resource = await this._arm.send<IBookmarkResource>(
      'PUT',
      this._arm.url(path, apiVersion),
      bookmarkBody(fields, apiVersion),
      { interactive: true }
    );
    const incident = fields.incidentInfo?.incidentId.trim();
    if (resource && incident) {
      try {
        await this._arm.send(
          'PUT',
          this._arm.url(
            `${this._sentinelPath(workspaceId, 'incidents')}/${encodeURIComponent(incident)}/relations/${encodeURIComponent(id)}`,
            apiVersion
          ),
          incidentRelationBody(resource.id ?? path),
          { interactive: true }
        );
      } catch (error) {
        throw new Error(
          this._trans.__(
            'The bookmark was saved, but not linked to the incident %1: %2',
            incident,
            error instanceof Error ? error.message : String(error)
          )
        );
      }
      resource = await this._arm.send<IBookmarkResource>(
        'GET',
        this._arm.url(path, apiVersion)
      );
    }
    if (!resource) {
      throw new Error(
        this._trans.__('Azure answered the bookmark without a body')
      );
    }
    return bookmarkOf(resource);
  }

  /** The path of a SecurityInsights resource type of a workspace. */
  private _sentinelPath(
    workspaceId: string,
    type: 'bookmarks' | 'incidents'
  ): string {
    return `${workspaceResourceId(parseWorkspaceResourceId(workspaceId))}/providers/Microsoft.SecurityInsights/${type}`;
  }

  private async _describe(
    ws: IArmWorkspace,
    subscription: string
  ): Promise<IKnownWorkspace> {
    const resource = parseWorkspaceResourceId(ws.id);
    const id = workspaceResourceId(resource);
    let sentinel: boolean | null;
    try {
      sentinel = await this._arm.isSentinelEnabled(resource);
    } catch {
      // A reader without Sentinel permissions still queries the workspace.
      sentinel = null;
    }
    const customerId = ws.properties?.customerId ?? '';
    const info: IWorkspaceInfo = {
      id,
      name: ws.name,
      backend: this.id,
      group: subscription,
      status: customerId ? 'ready' : 'missing',
      sentinel: sentinel === true
    };
    if (!customerId) {
      info.message = this._trans.__('no workspace id (still provisioning?)');
    } else if (sentinel === false) {
      info.message = this._trans.__('Microsoft Sentinel not enabled');
    }
    return { info, customerId };
  }

  /** The workspace id Log Analytics knows a workspace by, listing the workspaces if needed. */
  private async _customerId(workspaceId: string): Promise<string> {
    const key = workspaceId.toLowerCase();
    if (!this._workspaces.has(key)) {
      await this.listWorkspaces();
    }
    const known = this._workspaces.get(key);
    if (!known?.customerId) {
      throw new Error(
        this._trans.__(
          'The Azure workspace %1 is not among the signed-in account’s workspaces',
          workspaceId
        )
      );
    }
    return known.customerId;
  }

  private async _run(
    workspaceId: string,
    query: string,
    queryId: string,
    options: IQueryOptions | IExportOptions
  ): Promise<ILogsAnswer> {
    const { endpoints, tokens } = this._options;
    const customerId = await this._customerId(workspaceId);
    const additionalWorkspaces = await Promise.all(
      (options.workspaces ?? []).map(id => this._customerId(id))
    );
    if (options.signal?.aborted) {
      throw new QueryCancelledError(queryId);
    }
    return cancellable(
      queryLogs({
        endpoint: endpoints.logAnalytics,
        scope: scopeOf(endpoints.resources.logAnalytics),
        credential: forceRefresh =>
          tokenCredential(tokens, 'logAnalytics', {
            interactive: true,
            forceRefresh
          }),
        workspaceId: customerId,
        additionalWorkspaces,
        query,
        timespan: options.timespan,
        timeoutSeconds: options.timeoutSeconds,
        signal: options.signal
      }),
      queryId,
      options.signal
    );
  }

  private readonly _trans: TranslationBundle;
  private readonly _server: SentinelServer;
  private _arm: ArmGateway;
  private _workspaces = new Map<string, IKnownWorkspace>();
}
