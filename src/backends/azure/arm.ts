/**
 * The typed gateway to Azure Resource Manager: subscriptions, Log Analytics workspaces, whether
 * Microsoft Sentinel is enabled on them, and their tables. Every request carries an ARM token;
 * failures become `ArmError`s carrying the parsed `CloudError` body.
 */
import type { ITableInfo, KqlTypeName } from '../../tokens';
import type { IAzureTokenProvider, ITokenRequest } from './auth';

/** API versions of the ARM resources read here (newest stable ones). */
export const ARM_API_VERSIONS = {
  subscriptions: '2022-12-01',
  workspaces: '2025-07-01',
  tables: '2025-07-01',
  onboardingStates: '2025-09-01'
} as const;

/** The body of a failed ARM request (`CloudError`). */
export interface ICloudErrorBody {
  error?: {
    code?: string;
    message?: string;
    target?: string;
    details?: { code?: string; message?: string }[];
  };
}

/** A failed ARM request, with the service's code, message and parsed body. */
export class ArmError extends Error {
  constructor(
    /** HTTP status; 0 when the service could not be reached. */
    readonly status: number,
    /** The service's error code, e.g. `AuthorizationFailed`, `ResourceNotFound`. */
    readonly code: string,
    message: string,
    /** The parsed body, or the text when it was not JSON. */
    readonly body: ICloudErrorBody | string | null
  ) {
    super(message);
    this.name = 'ArmError';
  }
}

/** A page of an ARM list. */
interface IArmPage<T> {
  value?: T[];
  nextLink?: string | null;
}

/** A subscription as ARM lists it. */
export interface IArmSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId?: string;
  state?: string;
}

/** A Log Analytics workspace as ARM lists it. */
export interface IArmWorkspace {
  id: string;
  name: string;
  location?: string;
  properties?: {
    customerId?: string;
    provisioningState?: string;
  };
}

/** A column of a table as ARM's Tables API describes it. */
interface IArmColumn {
  name: string;
  type?: string;
  isHidden?: boolean;
}

/** A table as ARM's Tables API lists it. */
export interface IArmTable {
  name: string;
  properties?: {
    plan?: string;
    schema?: {
      name?: string;
      columns?: IArmColumn[];
      standardColumns?: IArmColumn[];
      categories?: string[];
      tableType?: string;
      solutions?: string[];
    };
  };
}

/** The parts of a workspace's ARM resource id. */
export interface IWorkspaceResource {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

/** Reads subscription, resource group and name from a workspace's resource id (any case). */
export function parseWorkspaceResourceId(id: string): IWorkspaceResource {
  const match =
    /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.operationalinsights\/workspaces\/([^/]+)\/?$/i.exec(
      id
    );
  if (!match) {
    throw new RangeError(`Not a Log Analytics workspace resource id: ${id}`);
  }
  return {
    subscriptionId: match[1],
    resourceGroup: match[2],
    workspaceName: match[3]
  };
}

/** The resource id of a workspace. */
export function workspaceResourceId(ws: IWorkspaceResource): string {
  return [
    '/subscriptions',
    encodeURIComponent(ws.subscriptionId),
    'resourceGroups',
    encodeURIComponent(ws.resourceGroup),
    'providers/Microsoft.OperationalInsights/workspaces',
    encodeURIComponent(ws.workspaceName)
  ].join('/');
}

/** The KQL type of a column type of ARM's Tables API (`boolean`, `dateTime`…) or of KQL. */
export function kqlTypeOfArm(type: string | undefined): KqlTypeName {
  switch ((type ?? '').toLowerCase()) {
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'long':
      return 'long';
    case 'real':
      return 'real';
    case 'bool':
    case 'boolean':
      return 'bool';
    case 'datetime':
      return 'datetime';
    case 'timespan':
      return 'timespan';
    case 'guid':
      return 'guid';
    case 'decimal':
      return 'decimal';
    default:
      return 'dynamic';
  }
}

/** Maps ARM tables to the schema model every backend uses, sorted by category then name. */
export function tablesToSchema(tables: IArmTable[]): ITableInfo[] {
  return tables
    .map(table => {
      const schema = table.properties?.schema ?? {};
      const seen = new Set<string>();
      const columns = [
        ...(schema.columns ?? []),
        ...(schema.standardColumns ?? [])
      ]
        .filter(c => !c.isHidden && !seen.has(c.name) && seen.add(c.name))
        .map(c => ({ name: c.name, type: kqlTypeOfArm(c.type) }));
      const category =
        schema.categories?.[0] ??
        (schema.tableType === 'CustomLog' || table.name.endsWith('_CL')
          ? 'Custom Logs'
          : 'Other');
      return {
        name: schema.name ?? table.name,
        category,
        // Every Log Analytics table's ingestion time column, which the query timespan applies to.
        timespanColumn: seen.has('TimeGenerated') ? 'TimeGenerated' : null,
        rowCount: null,
        columns
      };
    })
    .sort(
      (a, b) =>
        a.category.localeCompare(b.category) || a.name.localeCompare(b.name)
    );
}

/** Attempts and pauses when ARM throttles (429) or is briefly unavailable (503). */
const MAX_RETRIES = 3;
const DEFAULT_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** The pause a `Retry-After` header asks for, in milliseconds. */
export function retryAfterMs(value: string | null, attempt: number): number {
  const seconds = value === null ? NaN : Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, MAX_RETRY_MS);
  }
  const date = value === null ? NaN : Date.parse(value);
  if (Number.isFinite(date)) {
    return Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_MS);
  }
  return Math.min(DEFAULT_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true }
    );
  });
}

/** Options of one ARM request. */
export interface IArmRequestOptions extends ITokenRequest {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** The typed gateway to ARM. */
export class ArmGateway {
  constructor(
    /** The ARM endpoint, e.g. `https://management.azure.com`. */
    readonly endpoint: string,
    private readonly _tokens: IAzureTokenProvider,
    private readonly _fetch: typeof fetch = (input, init) => fetch(input, init)
  ) {}

  /** The subscriptions the account can see (disabled and deleted ones left out). */
  async listSubscriptions(
    options: IArmRequestOptions = {}
  ): Promise<IArmSubscription[]> {
    const subscriptions = await this.list<IArmSubscription>(
      '/subscriptions',
      ARM_API_VERSIONS.subscriptions,
      options
    );
    return subscriptions.filter(
      s => s.state !== 'Disabled' && s.state !== 'Deleted'
    );
  }

  /** The Log Analytics workspaces of a subscription. */
  listWorkspaces(
    subscriptionId: string,
    options: IArmRequestOptions = {}
  ): Promise<IArmWorkspace[]> {
    return this.list<IArmWorkspace>(
      `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.OperationalInsights/workspaces`,
      ARM_API_VERSIONS.workspaces,
      options
    );
  }

  /**
   * Whether Microsoft Sentinel is enabled on a workspace: it has an onboarding state. A workspace
   * ARM answers 404 for (the SecurityInsights provider is not there) is not onboarded.
   */
  async isSentinelEnabled(
    workspace: IWorkspaceResource,
    options: IArmRequestOptions = {}
  ): Promise<boolean> {
    try {
      const states = await this.list<{ name?: string }>(
        `${workspaceResourceId(workspace)}/providers/Microsoft.SecurityInsights/onboardingStates`,
        ARM_API_VERSIONS.onboardingStates,
        options
      );
      return states.length > 0;
    } catch (error) {
      if (error instanceof ArmError && error.status === 404) {
        return false;
      }
      throw error;
    }
  }

  /** The tables of a workspace with their columns. */
  listTables(
    workspace: IWorkspaceResource,
    options: IArmRequestOptions = {}
  ): Promise<IArmTable[]> {
    return this.list<IArmTable>(
      `${workspaceResourceId(workspace)}/tables`,
      ARM_API_VERSIONS.tables,
      options
    );
  }

  /** Every item of an ARM list, following `nextLink` page by page. */
  async list<T>(
    path: string,
    apiVersion: string,
    options: IArmRequestOptions = {}
  ): Promise<T[]> {
    const items: T[] = [];
    let url: string | null = this.url(path, apiVersion);
    const seen = new Set<string>();
    while (url) {
      seen.add(url);
      const page: IArmPage<T> | null = await this.send<IArmPage<T>>(
        'GET',
        url,
        undefined,
        options
      );
      items.push(...(page?.value ?? []));
      const next: string | null = page?.nextLink ?? null;
      // A service that hands back a link already followed would loop forever.
      url = next && !seen.has(next) ? this._sameOrigin(next) : null;
    }
    return items;
  }

  /** The full URL of an ARM path with its API version. */
  url(path: string, apiVersion: string): string {
    const url = new URL(path.replace(/^\/*/, '/'), this.endpoint + '/');
    url.searchParams.set('api-version', apiVersion);
    return url.toString();
  }

  /**
   * Sends one request and returns the parsed JSON body (null when empty). A 401 gets one retry
   * with a fresh token (the cached one expired or was revoked); 429 and 503 are retried after the
   * service's `Retry-After`, up to three times; any other failure becomes an `ArmError`.
   */
  async send<T>(
    method: 'GET' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    options: IArmRequestOptions = {}
  ): Promise<T | null> {
    let forceRefresh = options.forceRefresh ?? false;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this._tokens.getToken('arm', {
        interactive: options.interactive,
        forceRefresh
      });
      let response: Response;
      try {
        response = await this._fetch(url, {
          method,
          signal: options.signal,
          headers: {
            Authorization: `Bearer ${token.token}`,
            Accept: 'application/json',
            ...(body === undefined
              ? {}
              : { 'Content-Type': 'application/json' })
          },
          body: body === undefined ? undefined : JSON.stringify(body)
        });
      } catch (error) {
        if (options.signal?.aborted) {
          throw error;
        }
        throw new ArmError(
          0,
          'NetworkError',
          `Azure Resource Manager (${new URL(url).host}) could not be reached: ${error instanceof Error ? error.message : String(error)}`,
          null
        );
      }
      if (response.status === 401 && !refreshed) {
        refreshed = forceRefresh = true;
        continue;
      }
      if (
        (response.status === 429 || response.status === 503) &&
        attempt < MAX_RETRIES
      ) {
        await sleep(
          retryAfterMs(response.headers.get('Retry-After'), attempt),
          options.signal
        );
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        throw ArmGateway.error(response, text);
      }
      return text ? (JSON.parse(text) as T) : null;
    }
  }

  /** The typed error of a failed response. */
  static error(response: Response, text: string): ArmError {
    let body: ICloudErrorBody | string | null = text || null;
    try {
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (typeof parsed === 'object' && parsed !== null) {
        body = parsed as ICloudErrorBody;
      }
    } catch {
      // Not JSON (a gateway's error page): the text is the body.
    }
    const error = typeof body === 'object' ? body?.error : undefined;
    const code = error?.code ?? `Http${response.status}`;
    const message =
      error?.message ??
      `Azure Resource Manager answered ${response.status} ${response.statusText}`.trim();
    return new ArmError(response.status, code, message, body);
  }

  /** A `nextLink`, refused when it points away from the ARM endpoint (the token would leak). */
  private _sameOrigin(link: string): string {
    const next = new URL(link, this.endpoint + '/');
    if (next.origin !== new URL(this.endpoint).origin) {
      throw new ArmError(
        0,
        'UnexpectedNextLink',
        `Azure Resource Manager sent a next page on another host (${next.host})`,
        null
      );
    }
    return next.toString();
  }
}
