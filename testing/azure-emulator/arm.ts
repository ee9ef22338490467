/**
 * The Azure Resource Manager routes the extension calls: subscriptions, Log Analytics workspaces,
 * their tables and Sentinel onboarding state, and Sentinel bookmarks, with ARM's paging
 * (`nextLink`), `api-version` check and `CloudError` bodies.
 */
import { randomUUID } from 'crypto';

import type { KqlTypeName } from '../../src/tokens';
import { authorize, isResponse } from './bearer';
import {
  type IFixtureIncident,
  type IFixtureWorkspace,
  type IUserInfo,
  INCIDENTS,
  SUBSCRIPTIONS,
  TENANT_ID,
  WORKSPACES,
  workspaceResourceId
} from './fixture';
import type { IAccessToken, Identity } from './identity';
import {
  type IRequest,
  type IResponse,
  json,
  jsonBody,
  segments
} from './http';
import {
  API_VERSIONS,
  PREVIEW_BOOKMARK_PROPERTIES,
  type Provider,
  STABLE_BOOKMARK_PROPERTIES
} from './spec';
import type { HuntingBookmarkRow, WorkspaceData } from './workspace';

/** What the ARM routes need from the rest of the emulator. */
export interface IArmContext {
  identity: Identity;
  /** Items per page of a list, or null for one page. */
  pageSize: number | null;
  /** The workspace's data, opened on first use. */
  data(workspace: IFixtureWorkspace): Promise<WorkspaceData>;
}

/** A bookmark resource as stored (its properties as the newest write left them). */
interface IBookmarkResource {
  name: string;
  etag: string;
  properties: Record<string, unknown>;
  createdAt: string;
  createdBy: IUserInfo;
}

/** ARM's spelling of column types in the Tables API. */
const ARM_TYPES: Record<KqlTypeName, string> = {
  string: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  bool: 'boolean',
  datetime: 'dateTime',
  guid: 'guid',
  dynamic: 'dynamic',
  // Not in the Tables API's enum (which is open-ended): the KQL name is the honest answer.
  timespan: 'timespan',
  decimal: 'decimal'
};

/** A `CloudError`. */
function cloudError(status: number, code: string, message: string): IResponse {
  return json(status, { error: { code, message } });
}

function notFound(what: string, group: string): IResponse {
  return cloudError(
    404,
    'ResourceNotFound',
    `The Resource '${what}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
  );
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * ARM's 400 for an api-version the route's resource provider lacks: `InvalidApiVersionParameter`
 * for ARM's own routes (subscriptions), `NoRegisteredProviderFound` for a provider's resource
 * types, each naming the versions it has; null when the version is one of them.
 */
function apiVersionProblem(
  parts: string[],
  apiVersion: string
): IResponse | null {
  const lower = parts.map(p => p.toLowerCase());
  // The innermost provider of the path serves the request.
  const at = lower.lastIndexOf('providers');
  const provider = (Object.keys(API_VERSIONS) as Provider[]).find(
    p => at >= 0 && p.toLowerCase() === lower[at + 1]
  );
  const supported: readonly string[] =
    API_VERSIONS[provider ?? 'Microsoft.Resources'];
  if (supported.some(v => same(v, apiVersion))) {
    return null;
  }
  const list = [...supported].reverse().join(', ');
  if (!provider) {
    return cloudError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${list}'.`
    );
  }
  const type = parts
    .slice(at + 2)
    .filter((_, i) => i % 2 === 0)
    .join('/');
  const location = WORKSPACES[0].location;
  return cloudError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${list}'. The supported locations are '${location}'.`
  );
}

/** True when the api-version is a preview one, whose bookmarks carry MITRE and entity fields. */
function isPreview(apiVersion: string): boolean {
  return /-preview$/i.test(apiVersion);
}

/** The ARM routes. */
export class Arm {
  constructor(private readonly _context: IArmContext) {}

  /** Answers an ARM request, or null when the path is not one. */
  async handle(request: IRequest): Promise<IResponse | null> {
    const parts = segments(request.url);
    if (parts.length === 0 || !same(parts[0], 'subscriptions')) {
      return null;
    }
    const token = authorize(this._context.identity, request, 'arm');
    if (isResponse(token)) {
      return token;
    }
    const apiVersion = request.url.searchParams.get('api-version');
    if (!apiVersion) {
      return cloudError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.'
      );
    }
    const refused = apiVersionProblem(parts, apiVersion);
    if (refused) {
      return refused;
    }
    const get = request.method === 'GET';
    if (parts.length === 1 && get) {
      return this._page(request, SUBSCRIPTIONS.map(subscriptionResource), {
        count: { type: 'Total', value: SUBSCRIPTIONS.length }
      });
    }
    const subscription = SUBSCRIPTIONS.find(s =>
      same(s.subscriptionId, parts[1])
    );
    if (!subscription) {
      return cloudError(
        404,
        'SubscriptionNotFound',
        `The subscription '${parts[1]}' could not be found.`
      );
    }
    const rest = parts.slice(2).map(p => p.toLowerCase());
    const inSubscription = WORKSPACES.filter(w =>
      same(w.subscriptionId, subscription.subscriptionId)
    );
    if (rest.length === 0 && get) {
      return json(200, subscriptionResource(subscription));
    }
    if (
      get &&
      rest.join('/') === 'providers/microsoft.operationalinsights/workspaces'
    ) {
      return this._page(request, inSubscription.map(workspaceResource));
    }
    if (
      rest[0] !== 'resourcegroups' ||
      rest[2] !== 'providers' ||
      rest[3] !== 'microsoft.operationalinsights' ||
      rest[4] !== 'workspaces'
    ) {
      return unknownRoute(request);
    }
    const group = parts[3];
    const inGroup = inSubscription.filter(w => same(w.resourceGroup, group));
    if (inGroup.length === 0) {
      return cloudError(
        404,
        'ResourceGroupNotFound',
        `Resource group '${group}' could not be found.`
      );
    }
    if (rest.length === 5) {
      return get
        ? this._page(request, inGroup.map(workspaceResource))
        : unknownRoute(request);
    }
    const workspace = inGroup.find(w => same(w.name, parts[7]));
    if (!workspace) {
      return notFound(
        `Microsoft.OperationalInsights/workspaces/${parts[7]}`,
        group
      );
    }
    return this._workspaceRoute(
      request,
      workspace,
      parts.slice(8),
      apiVersion,
      token
    );
  }

  private async _workspaceRoute(
    request: IRequest,
    workspace: IFixtureWorkspace,
    rest: string[],
    apiVersion: string,
    token: IAccessToken
  ): Promise<IResponse> {
    const get = request.method === 'GET';
    const path = rest.map(p => p.toLowerCase());
    const base = workspaceResourceId(workspace);
    if (path.length === 0 && get) {
      return json(200, workspaceResource(workspace));
    }
    if (path[0] === 'tables' && path.length <= 2 && get) {
      const data = await this._context.data(workspace);
      const tables = data.tables.map(t => tableResource(base, workspace, t));
      if (path.length === 1) {
        return this._page(request, tables);
      }
      const table = tables.find(t => same(t.name, rest[1]));
      return table
        ? json(200, table)
        : notFound(
            `Microsoft.OperationalInsights/workspaces/${workspace.name}/tables/${rest[1]}`,
            workspace.resourceGroup
          );
    }
    if (path[0] !== 'providers' || path[1] !== 'microsoft.securityinsights') {
      return unknownRoute(request);
    }
    if (path[2] === 'onboardingstates' && get && path.length <= 4) {
      const state = {
        id: `${base}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
        name: 'default',
        type: 'Microsoft.SecurityInsights/onboardingStates',
        properties: { customerManagedKey: false }
      };
      if (path.length === 3) {
        return json(200, { value: workspace.sentinel ? [state] : [] });
      }
      return workspace.sentinel && path[3] === 'default'
        ? json(200, state)
        : cloudError(
            404,
            'NotFound',
            `Resource '${rest[3]}' of type 'onboardingStates' was not found.`
          );
    }
    if (path[2] === 'incidents' && workspace.sentinel) {
      return this._incidents(request, workspace, rest.slice(3));
    }
    if (path[2] === 'bookmarks' && path.length <= 4) {
      if (!workspace.sentinel) {
        return cloudError(
          400,
          'BadRequest',
          `The workspace '${workspace.name}' is not onboarded to Microsoft Sentinel.`
        );
      }
      return this._bookmarks(request, workspace, rest[3], apiVersion, token);
    }
    return unknownRoute(request);
  }

  private async _bookmarks(
    request: IRequest,
    workspace: IFixtureWorkspace,
    id: string | undefined,
    apiVersion: string,
    token: IAccessToken
  ): Promise<IResponse> {
    const store = this._store(workspace);
    const show = (b: IBookmarkResource) =>
      bookmarkResource(workspace, b, isPreview(apiVersion));
    if (id === undefined) {
      return request.method === 'GET'
        ? this._page(request, [...store.values()].map(show))
        : unknownRoute(request);
    }
    const existing = store.get(id.toLowerCase());
    switch (request.method) {
      case 'GET':
        return existing
          ? json(200, show(existing))
          : cloudError(404, 'NotFound', `Bookmark '${id}' was not found.`);
      case 'DELETE':
        if (!existing) {
          return { status: 204 };
        }
        store.delete(id.toLowerCase());
        await this._audit(workspace, existing, token.user, true);
        return { status: 200 };
      case 'PUT': {
        const body = jsonBody(request);
        const problem = bookmarkProblem(body);
        if (problem) {
          return cloudError(400, 'BadRequest', problem);
        }
        const sent = (body as { properties: Record<string, unknown> })
          .properties;
        const allowed = isPreview(apiVersion)
          ? [...STABLE_BOOKMARK_PROPERTIES, ...PREVIEW_BOOKMARK_PROPERTIES]
          : STABLE_BOOKMARK_PROPERTIES;
        const now = new Date().toISOString();
        const properties: Record<string, unknown> = {};
        for (const name of allowed) {
          if (sent[name] !== undefined && sent[name] !== null) {
            properties[name] = sent[name];
          }
        }
        const user = userInfo(token.user);
        properties.created =
          existing?.properties.created ?? properties.created ?? now;
        properties.createdBy = existing?.properties.createdBy ?? user;
        properties.updated = now;
        properties.updatedBy = user;
        const bookmark: IBookmarkResource = {
          name: existing?.name ?? id,
          etag: `"${randomUUID()}"`,
          properties,
          createdAt: existing?.createdAt ?? now,
          createdBy: existing?.createdBy ?? token.user
        };
        store.set(id.toLowerCase(), bookmark);
        await this._audit(workspace, bookmark, token.user, false);
        return json(existing ? 200 : 201, show(bookmark));
      }
      default:
        return unknownRoute(request);
    }
  }

  /**
   * Incidents (read only) and their relations: `PUT incidents/{id}/relations/{name}` with a
   * bookmark's resource id links the bookmark, which then shows the incident in `incidentInfo`.
   */
  private _incidents(
    request: IRequest,
    workspace: IFixtureWorkspace,
    rest: string[]
  ): IResponse {
    const base = `${workspaceResourceId(workspace)}/providers/Microsoft.SecurityInsights/incidents`;
    const show = (i: IFixtureIncident) => incidentResource(base, i);
    if (rest.length === 0) {
      return request.method === 'GET'
        ? this._page(request, INCIDENTS.map(show))
        : unknownRoute(request);
    }
    const incident = INCIDENTS.find(i => same(i.name, rest[0]));
    if (!incident) {
      return cloudError(
        404,
        'NotFound',
        `Incident '${rest[0]}' was not found.`
      );
    }
    if (rest.length === 1) {
      return request.method === 'GET'
        ? json(200, show(incident))
        : unknownRoute(request);
    }
    if (rest[1].toLowerCase() !== 'relations' || rest.length > 3) {
      return unknownRoute(request);
    }
    const relations = this._relations(incident);
    const relationResource = (bookmark: string, relationName: string) => ({
      id: `${base}/${incident.name}/relations/${relationName}`,
      name: relationName,
      type: 'Microsoft.SecurityInsights/incidents/relations',
      etag: `"${randomUUID()}"`,
      properties: {
        relatedResourceId: `${workspaceResourceId(workspace)}/providers/Microsoft.SecurityInsights/bookmarks/${bookmark}`,
        relatedResourceName: bookmark,
        relatedResourceType: 'Microsoft.SecurityInsights/Bookmarks'
      }
    });
    if (rest.length === 2) {
      return request.method === 'GET'
        ? this._page(
            request,
            [...relations].map(([name, bookmark]) =>
              relationResource(bookmark, name)
            )
          )
        : unknownRoute(request);
    }
    const relationName = rest[2];
    const existing = relations.get(relationName.toLowerCase());
    switch (request.method) {
      case 'GET':
        return existing
          ? json(200, relationResource(existing, relationName))
          : cloudError(
              404,
              'NotFound',
              `Relation '${relationName}' was not found.`
            );
      case 'DELETE':
        relations.delete(relationName.toLowerCase());
        return { status: existing ? 200 : 204 };
      case 'PUT': {
        const body = jsonBody(request) as {
          properties?: { relatedResourceId?: unknown };
        } | null;
        const related = body?.properties?.relatedResourceId;
        const match =
          typeof related === 'string'
            ? /\/providers\/Microsoft\.SecurityInsights\/bookmarks\/([^/]+)$/i.exec(
                related
              )
            : null;
        const bookmark = match
          ? this._store(workspace).get(match[1].toLowerCase())
          : undefined;
        if (
          !bookmark ||
          !(related as string)
            .toLowerCase()
            .startsWith(workspaceResourceId(workspace).toLowerCase())
        ) {
          return cloudError(
            400,
            'BadRequest',
            `Related resource '${String(related)}' is not a bookmark of this workspace.`
          );
        }
        relations.set(relationName.toLowerCase(), bookmark.name);
        bookmark.properties.incidentInfo = {
          incidentId: incident.name,
          severity: incident.severity,
          title: incident.title,
          relationName
        };
        return json(
          existing ? 200 : 201,
          relationResource(bookmark.name, relationName)
        );
      }
      default:
        return unknownRoute(request);
    }
  }

  private _relations(incident: IFixtureIncident): Map<string, string> {
    let relations = this._incidentRelations.get(incident.name);
    if (!relations) {
      relations = new Map();
      this._incidentRelations.set(incident.name, relations);
    }
    return relations;
  }

  /** Appends the bookmark's new state to the workspace's `HuntingBookmark` table. */
  private async _audit(
    workspace: IFixtureWorkspace,
    bookmark: IBookmarkResource,
    user: IUserInfo,
    deleted: boolean
  ): Promise<void> {
    const p = bookmark.properties;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const now = new Date().toISOString();
    const row: HuntingBookmarkRow = {
      TimeGenerated: now,
      TenantId: workspace.customerId,
      BookmarkId: bookmark.name,
      BookmarkName: text(p.displayName),
      BookmarkType: null,
      CreatedBy: JSON.stringify(p.createdBy ?? null),
      CreatedTime: text(p.created),
      UpdatedBy: JSON.stringify(
        deleted ? userInfo(user) : (p.updatedBy ?? null)
      ),
      LastUpdatedTime: deleted ? now : text(p.updated),
      EventTime: text(p.eventTime),
      Notes: text(p.notes),
      Tags: JSON.stringify(p.labels ?? []),
      QueryText: text(p.query),
      QueryResultRow: text(p.queryResult),
      QueryStartTime: text(p.queryStartTime),
      QueryEndTime: text(p.queryEndTime),
      Entities: JSON.stringify(p.entityMappings ?? []),
      SoftDeleted: deleted,
      SourceSystem: 'Azure',
      Type: 'HuntingBookmark',
      _ResourceId: workspaceResourceId(workspace),
      _SubscriptionId: workspace.subscriptionId
    };
    const data = await this._context.data(workspace);
    await data.appendBookmarkRow(row);
  }

  /** One page of a list, with a `nextLink` to the next when there is one. */
  private _page(
    request: IRequest,
    items: unknown[],
    extra: Record<string, unknown> = {}
  ): IResponse {
    const size = this._context.pageSize;
    if (size === null) {
      return json(200, { value: items, ...extra });
    }
    const skip = Number(request.url.searchParams.get('$skipToken') ?? '0') || 0;
    const value = items.slice(skip, skip + size);
    const body: Record<string, unknown> = { value, ...extra };
    if (skip + size < items.length) {
      // The link uses the host the client asked, as the request URL does.
      const next = new URL(request.url.toString());
      next.searchParams.set('$skipToken', String(skip + size));
      body.nextLink = next.toString();
    }
    return json(200, body);
  }

  private _store(workspace: IFixtureWorkspace): Map<string, IBookmarkResource> {
    let store = this._bookmarkStores.get(workspace.customerId);
    if (!store) {
      store = new Map();
      this._bookmarkStores.set(workspace.customerId, store);
    }
    return store;
  }

  /** Relation name → bookmark name, per incident. */
  private readonly _incidentRelations = new Map<string, Map<string, string>>();
  private readonly _bookmarkStores = new Map<
    string,
    Map<string, IBookmarkResource>
  >();
}

function unknownRoute(request: IRequest): IResponse {
  return cloudError(
    404,
    'InvalidResourceType',
    `The resource type could not be found for ${request.method} ${request.url.pathname} (the emulator does not implement it).`
  );
}

/** The user as a bookmark's `createdBy`/`updatedBy` shows it. */
function userInfo(user: IUserInfo): IUserInfo {
  return { objectId: user.objectId, email: user.email, name: user.name };
}

/** Why a bookmark body is refused, or null. */
function bookmarkProblem(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'The request content was invalid and could not be deserialized.';
  }
  const properties = (body as { properties?: unknown }).properties;
  if (properties === null || typeof properties !== 'object') {
    return "Required property 'properties' not found in JSON.";
  }
  const p = properties as Record<string, unknown>;
  for (const name of ['displayName', 'query']) {
    if (typeof p[name] !== 'string' || (p[name] as string).trim() === '') {
      return `Required property '${name}' not found in JSON. Path 'properties'.`;
    }
  }
  for (const name of ['notes', 'queryResult']) {
    if (
      p[name] !== undefined &&
      p[name] !== null &&
      typeof p[name] !== 'string'
    ) {
      return `Error converting value to type 'String'. Path 'properties.${name}'.`;
    }
  }
  for (const name of [
    'created',
    'updated',
    'eventTime',
    'queryStartTime',
    'queryEndTime'
  ]) {
    const value = p[name];
    if (
      value !== undefined &&
      value !== null &&
      (typeof value !== 'string' || Number.isNaN(new Date(value).getTime()))
    ) {
      return `Could not convert string to DateTime: ${String(value)}. Path 'properties.${name}'.`;
    }
  }
  for (const name of ['labels', 'tactics', 'techniques', 'entityMappings']) {
    if (p[name] !== undefined && p[name] !== null && !Array.isArray(p[name])) {
      return `Cannot deserialize the current JSON value into an array. Path 'properties.${name}'.`;
    }
  }
  return null;
}

function bookmarkResource(
  workspace: IFixtureWorkspace,
  bookmark: IBookmarkResource,
  preview: boolean
): Record<string, unknown> {
  const properties = { ...bookmark.properties };
  if (!preview) {
    for (const name of PREVIEW_BOOKMARK_PROPERTIES) {
      delete properties[name];
    }
  }
  return {
    id: `${workspaceResourceId(workspace)}/providers/Microsoft.SecurityInsights/bookmarks/${bookmark.name}`,
    name: bookmark.name,
    type: 'Microsoft.SecurityInsights/bookmarks',
    etag: bookmark.etag,
    systemData: {
      createdBy: bookmark.createdBy.email ?? bookmark.createdBy.objectId,
      createdByType: bookmark.createdBy.email ? 'User' : 'Application',
      createdAt: bookmark.createdAt,
      lastModifiedBy:
        (properties.updatedBy as IUserInfo).email ??
        (properties.updatedBy as IUserInfo).objectId,
      lastModifiedByType: (properties.updatedBy as IUserInfo).email
        ? 'User'
        : 'Application',
      lastModifiedAt: properties.updated
    },
    properties
  };
}

function incidentResource(
  base: string,
  incident: IFixtureIncident
): Record<string, unknown> {
  return {
    id: `${base}/${incident.name}`,
    name: incident.name,
    type: 'Microsoft.SecurityInsights/incidents',
    etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
    properties: {
      incidentNumber: incident.incidentNumber,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      createdTimeUtc: '2026-10-02T08:00:00Z',
      lastModifiedTimeUtc: '2026-10-02T09:00:00Z',
      labels: [],
      owner: {},
      additionalData: { alertsCount: 1, bookmarksCount: 0, commentsCount: 0 }
    }
  };
}

function subscriptionResource(s: {
  subscriptionId: string;
  displayName: string;
}): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: TENANT_ID,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off'
    }
  };
}

function workspaceResource(w: IFixtureWorkspace): Record<string, unknown> {
  return {
    properties: {
      customerId: w.customerId,
      provisioningState: 'Succeeded',
      sku: { name: 'PerGB2018' },
      retentionInDays: 90,
      features: {
        legacy: 0,
        searchVersion: 1,
        enableLogAccessUsingOnlyResourcePermissions: true
      },
      workspaceCapping: { dailyQuotaGb: -1.0 },
      publicNetworkAccessForIngestion: 'Enabled',
      publicNetworkAccessForQuery: 'Enabled'
    },
    id: workspaceResourceId(w),
    name: w.name,
    type: 'Microsoft.OperationalInsights/workspaces',
    location: w.location,
    tags: {}
  };
}

function tableResource(
  base: string,
  workspace: IFixtureWorkspace,
  table: WorkspaceData['tables'][number]
): { name: string } & Record<string, unknown> {
  const custom = table.name.endsWith('_CL');
  const columns = table.columns.map(c => ({
    name: c.name,
    type: ARM_TYPES[c.type]
  }));
  return {
    properties: {
      totalRetentionInDays: 90,
      archiveRetentionInDays: 0,
      plan: 'Analytics',
      retentionInDaysAsDefault: true,
      totalRetentionInDaysAsDefault: true,
      schema: {
        name: table.name,
        tableType: custom ? 'CustomLog' : 'Microsoft',
        // Microsoft's tables list their columns as standard ones; custom tables as their own.
        columns: custom ? columns : [],
        standardColumns: custom ? [] : columns,
        categories: [table.category],
        solutions:
          workspace.sentinel && table.name === 'HuntingBookmark'
            ? ['SecurityInsights']
            : []
      },
      provisioningState: 'Succeeded',
      retentionInDays: 90
    },
    id: `${base}/tables/${table.name}`,
    name: table.name
  };
}
