/**
 * Facts of Microsoft's SecurityInsights API specifications that the emulator enforces and the
 * tests check requests against (`stable/2025-09-01/Bookmarks.json`,
 * `preview/2025-07-01-preview/Bookmarks.json`).
 */

/** `BookmarkProperties` of the stable API. */
export const STABLE_BOOKMARK_PROPERTIES = [
  'created',
  'createdBy',
  'displayName',
  'labels',
  'notes',
  'query',
  'queryResult',
  'updated',
  'updatedBy',
  'eventTime',
  'queryStartTime',
  'queryEndTime',
  'incidentInfo'
];

/** What preview API versions add to `BookmarkProperties`. */
export const PREVIEW_BOOKMARK_PROPERTIES = [
  'entityMappings',
  'tactics',
  'techniques'
];
