import {
  bookmarkBody,
  bookmarkOf,
  fieldsLeftOut,
  incidentRelationBody,
  PREVIEW_BOOKMARK_API_VERSION,
  STABLE_BOOKMARK_API_VERSION
} from '../backends/azure/bookmarks';
import {
  PREVIEW_BOOKMARK_PROPERTIES,
  STABLE_BOOKMARK_PROPERTIES
} from '../../testing/azure-emulator/spec';
import type { IBookmarkFields } from '../tokens';

const PREVIEW_PROPERTIES = [
  ...STABLE_BOOKMARK_PROPERTIES,
  ...PREVIEW_BOOKMARK_PROPERTIES
];
const TACTICS = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'Exfiltration',
  'CommandAndControl',
  'Impact',
  'PreAttack',
  'ImpairProcessControl',
  'InhibitResponseFunction'
];

const FIELDS: IBookmarkFields = {
  displayName: 'Password spray from 203.0.113.7',
  query: 'SigninLogs | where ResultType == "50126"',
  queryResult: '[{"UserPrincipalName":"adele.vance@contoso.example"}]',
  notes: 'Many accounts, one address',
  labels: ['spray', 'triage'],
  eventTime: '2026-10-03T04:05:06.1234567Z',
  queryStartTime: '2026-10-01T00:00:00Z',
  queryEndTime: '2026-10-08T00:00:00Z',
  entityMappings: [
    {
      entityType: 'Account',
      fieldMappings: [
        { identifier: 'FullName', value: 'adele.vance@contoso.example' }
      ]
    },
    {
      entityType: 'IP',
      fieldMappings: [{ identifier: 'Address', value: '203.0.113.7' }]
    }
  ],
  tactics: ['CredentialAccess'],
  techniques: ['T1110'],
  incidentInfo: { incidentId: 'b8a1f7a0-5a2e-4d3c-9f5e-0b1c2d3e4f50' }
};

describe('the SecurityInsights bookmark request body', () => {
  it('carries every field with the preview api-version, in the documented shape', () => {
    const body = bookmarkBody(FIELDS, PREVIEW_BOOKMARK_API_VERSION);
    const properties = body.properties as unknown as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['properties']);
    for (const key of Object.keys(properties)) {
      expect(PREVIEW_PROPERTIES).toContain(key);
    }
    expect(body.properties).toEqual({
      displayName: FIELDS.displayName,
      query: FIELDS.query,
      queryResult: FIELDS.queryResult,
      notes: FIELDS.notes,
      labels: ['spray', 'triage'],
      eventTime: FIELDS.eventTime,
      queryStartTime: FIELDS.queryStartTime,
      queryEndTime: FIELDS.queryEndTime,
      entityMappings: [
        {
          entityType: 'Account',
          fieldMappings: [
            { identifier: 'FullName', value: 'adele.vance@contoso.example' }
          ]
        },
        {
          entityType: 'IP',
          fieldMappings: [{ identifier: 'Address', value: '203.0.113.7' }]
        }
      ],
      tactics: ['CredentialAccess'],
      techniques: ['T1110']
    });
    for (const tactic of body.properties.tactics ?? []) {
      expect(TACTICS).toContain(tactic);
    }
  });

  it('links the incident with a relation of its own, not in the bookmark body', () => {
    expect(
      bookmarkBody(FIELDS, STABLE_BOOKMARK_API_VERSION).properties
    ).not.toHaveProperty('incidentInfo');
    // Spec example `incidents/relations/CreateIncidentRelation.json` shapes the body like this.
    expect(
      incidentRelationBody(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/bookmarks/b'
      )
    ).toEqual({
      properties: {
        relatedResourceId:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/bookmarks/b'
      }
    });
  });

  it('leaves out what the stable api-version has no property for, and says which', () => {
    const body = bookmarkBody(FIELDS, STABLE_BOOKMARK_API_VERSION);
    for (const key of Object.keys(body.properties)) {
      expect(STABLE_BOOKMARK_PROPERTIES).toContain(key);
    }
    expect(body.properties.entityMappings).toBeUndefined();
    expect(fieldsLeftOut(FIELDS, STABLE_BOOKMARK_API_VERSION)).toEqual([
      'entities',
      'tactics',
      'techniques'
    ]);
    expect(fieldsLeftOut(FIELDS, PREVIEW_BOOKMARK_API_VERSION)).toEqual([]);
  });

  it('sends the required query even for rows without one, and no empty optional fields', () => {
    const body = bookmarkBody(
      { displayName: 'From a DataFrame', labels: [], notes: '' },
      STABLE_BOOKMARK_API_VERSION
    );
    expect(body.properties.query).toMatch(/^\/\//);
    expect(body.properties).not.toHaveProperty('notes');
    expect(body.properties).not.toHaveProperty('incidentInfo');
  });

  it('reads the service’s answer (spec example CreateBookmark.json) as a bookmark', () => {
    const bookmark = bookmarkOf({
      name: '73e01a99-5cd7-4139-a149-9f2736ff2ab5',
      type: 'Microsoft.SecurityInsights/bookmarks',
      etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
      id: '/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/bookmarks/73e01a99-5cd7-4139-a149-9f2736ff2ab5',
      properties: {
        created: '2019-01-01T13:15:30Z',
        createdBy: {
          name: 'john doe',
          email: 'john@contoso.com',
          objectId: '2046feea-040d-4a46-9e2b-91c2941bfa70'
        },
        displayName: 'My bookmark',
        labels: ['Tag1', 'Tag2'],
        notes: 'Found a suspicious activity',
        query:
          'SecurityEvent | where TimeGenerated > ago(1d) and TimeGenerated < ago(2d)',
        queryResult: 'Security Event query result',
        updated: '2019-01-01T13:15:30Z'
      }
    });
    expect(bookmark).toMatchObject({
      id: '73e01a99-5cd7-4139-a149-9f2736ff2ab5',
      displayName: 'My bookmark',
      labels: ['Tag1', 'Tag2'],
      created: '2019-01-01T13:15:30Z',
      createdBy: { name: 'john doe' }
    });
  });
});
