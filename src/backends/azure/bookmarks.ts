/**
 * Hunting bookmarks as Microsoft Sentinel's SecurityInsights API shapes them (resource
 * `Microsoft.SecurityInsights/bookmarks`). Entity mappings, tactics and techniques exist only in
 * the preview api-versions: with a stable one they are left out of the request, and the caller is
 * told which fields were.
 */
import type { IBookmark, IBookmarkFields, IEntityMapping } from '../../tokens';

/** The newest stable api-version of the bookmarks API. */
export const STABLE_BOOKMARK_API_VERSION = '2025-09-01';

/** The preview api-version that carries entity mappings, tactics and techniques: the default. */
export const PREVIEW_BOOKMARK_API_VERSION = '2025-07-01-preview';

/** True for an api-version whose bookmarks carry entities, tactics and techniques. */
export function isPreviewApiVersion(apiVersion: string): boolean {
  return /-preview$/i.test(apiVersion.trim());
}

/** The service's `UserInfo`. */
interface IUserInfo {
  objectId?: string | null;
  email?: string;
  name?: string;
}

/** `BookmarkProperties` of the API. */
export interface IBookmarkProperties {
  displayName: string;
  query: string;
  queryResult?: string;
  notes?: string;
  labels?: string[];
  eventTime?: string;
  queryStartTime?: string;
  queryEndTime?: string;
  created?: string;
  updated?: string;
  createdBy?: IUserInfo;
  updatedBy?: IUserInfo;
  incidentInfo?: {
    incidentId?: string;
    severity?: string;
    title?: string;
    relationName?: string;
  };
  entityMappings?: {
    entityType?: string;
    fieldMappings?: { identifier?: string; value?: string }[];
  }[];
  tactics?: string[];
  techniques?: string[];
}

/** The bookmark resource (`ResourceWithEtag` + properties). */
export interface IBookmarkResource {
  id?: string;
  name?: string;
  type?: string;
  etag?: string;
  properties: IBookmarkProperties;
}

/** The fields a stable api-version has no property for, by their names in the dialog. */
export function fieldsLeftOut(
  fields: IBookmarkFields,
  apiVersion: string
): string[] {
  if (isPreviewApiVersion(apiVersion)) {
    return [];
  }
  const left: string[] = [];
  if (fields.entityMappings?.length) {
    left.push('entities');
  }
  if (fields.tactics?.length) {
    left.push('tactics');
  }
  if (fields.techniques?.length) {
    left.push('techniques');
  }
  return left;
}

/**
 * The request body of `PUT …/bookmarks/{id}` for a bookmark's fields. `query` is required by the
 * service: a bookmark made from DataFrame rows without a query says so in KQL comment syntax. The
 * incident is not in it: `incidentInfo` is what the service reports once the incident relation
 * (`incidentRelationBody`) exists.
 */
export function bookmarkBody(
  fields: IBookmarkFields,
  apiVersion: string,
  etag?: string
): IBookmarkResource {
  const properties: IBookmarkProperties = {
    displayName: fields.displayName,
    query: fields.query?.trim()
      ? fields.query
      : '// Rows from a notebook DataFrame: no query',
    labels: fields.labels
  };
  const optional = {
    queryResult: fields.queryResult,
    notes: fields.notes,
    eventTime: fields.eventTime,
    queryStartTime: fields.queryStartTime,
    queryEndTime: fields.queryEndTime
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== '') {
      (properties as unknown as Record<string, string>)[key] = value;
    }
  }
  if (isPreviewApiVersion(apiVersion)) {
    if (fields.entityMappings?.length) {
      properties.entityMappings = fields.entityMappings.map(e => ({
        entityType: e.entityType,
        fieldMappings: e.fieldMappings.map(f => ({ ...f }))
      }));
    }
    if (fields.tactics?.length) {
      properties.tactics = [...fields.tactics];
    }
    if (fields.techniques?.length) {
      properties.techniques = [...fields.techniques];
    }
  }
  return etag ? { etag, properties } : { properties };
}

/** A bookmark resource as the model every backend uses. */
export function bookmarkOf(resource: IBookmarkResource): IBookmark {
  const p = resource.properties;
  const entityMappings: IEntityMapping[] | undefined = p.entityMappings?.map(
    e => ({
      entityType: e.entityType ?? '',
      fieldMappings: (e.fieldMappings ?? []).map(f => ({
        identifier: f.identifier ?? '',
        value: f.value ?? ''
      }))
    })
  );
  const by = p.createdBy?.name ?? p.createdBy?.email;
  return {
    id: resource.name ?? resource.id?.split('/').pop() ?? '',
    displayName: p.displayName,
    query: p.query,
    queryResult: p.queryResult,
    notes: p.notes,
    labels: p.labels ?? [],
    eventTime: p.eventTime,
    queryStartTime: p.queryStartTime,
    queryEndTime: p.queryEndTime,
    entityMappings,
    tactics: p.tactics,
    techniques: p.techniques,
    incidentInfo: p.incidentInfo?.incidentId
      ? {
          incidentId: p.incidentInfo.incidentId,
          title: p.incidentInfo.title,
          severity: p.incidentInfo.severity
        }
      : undefined,
    created: p.created ?? '',
    updated: p.updated ?? p.created ?? '',
    createdBy: by ? { name: by } : undefined
  };
}

/** An incident as the SecurityInsights API lists it, as far as it is read here. */
export interface IIncidentResource {
  name: string;
  properties?: {
    incidentNumber?: number;
    title?: string;
    severity?: string;
    status?: string;
    createdTimeUtc?: string;
  };
}

/** The body of `PUT …/incidents/{incidentId}/relations/{relationName}` linking a bookmark. */
export function incidentRelationBody(bookmarkResourceId: string): {
  properties: { relatedResourceId: string };
} {
  return { properties: { relatedResourceId: bookmarkResourceId } };
}
