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

/**
 * The api-versions each emulated resource provider accepts: those of Microsoft's public API
 * specifications that our client and Microsoft's SDKs send (`azure-mgmt-loganalytics` sends
 * `2025-07-01`, `azure-mgmt-securityinsight` 1.0 `2021-10-01`) and their neighbours. ARM refuses
 * any other with a 400.
 */
export const API_VERSIONS = {
  'Microsoft.Resources': [
    '2014-04-01',
    '2015-01-01',
    '2016-06-01',
    '2018-06-01',
    '2019-06-01',
    '2019-11-01',
    '2020-01-01',
    '2021-01-01',
    '2022-01-01',
    '2022-09-01',
    '2022-12-01'
  ],
  'Microsoft.OperationalInsights': [
    '2015-03-20',
    '2015-11-01-preview',
    '2020-03-01-preview',
    '2020-08-01',
    '2020-10-01',
    '2021-06-01',
    '2021-12-01-preview',
    '2022-10-01',
    '2023-09-01',
    '2025-02-01',
    '2025-07-01'
  ],
  'Microsoft.SecurityInsights': [
    '2019-01-01-preview',
    '2020-01-01',
    '2021-09-01-preview',
    '2021-10-01',
    '2022-11-01',
    '2023-02-01',
    '2024-03-01',
    '2024-09-01',
    '2025-01-01-preview',
    '2025-07-01-preview',
    '2025-09-01'
  ]
} as const;

/** A resource provider the emulator serves. */
export type Provider = keyof typeof API_VERSIONS;
