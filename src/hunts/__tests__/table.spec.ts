/**
 * The outcome table (sorting, filtering) and the MITRE ATT&CK matrix of a hunt, and the bookmark
 * a rule's hits make.
 */
import { parseRuleFile, type IHuntRule } from '../../kql/hunts/rule';
import {
  classify,
  type IHuntWindow,
  type QueryOutcome
} from '../../kql/hunts/run';
import { huntBookmarkFields, mappedEntities } from '../bookmark';
import { DEFAULT_VIEW, outcomeRows, tacticHeat, tacticMatrix } from '../table';

const WINDOW: IHuntWindow = {
  start: new Date('2024-03-09T12:00:00Z'),
  end: new Date('2024-03-10T12:00:00Z')
};

function rule(
  name: string,
  extra: { tactics?: string[]; techniques?: string[]; severity?: string } = {}
): IHuntRule {
  const text = [
    `id: ${name}`,
    `name: ${name}`,
    'kind: Scheduled',
    `severity: ${extra.severity ?? 'Medium'}`,
    'queryPeriod: 1d',
    'triggerOperator: gt',
    'triggerThreshold: 0',
    `tactics: [${(extra.tactics ?? []).join(', ')}]`,
    `relevantTechniques: [${(extra.techniques ?? []).join(', ')}]`,
    'query: |',
    '  SigninLogs | where TimeGenerated > {{StartTimeISO}}',
    'entityMappings:',
    '  - entityType: Account',
    '    fieldMappings:',
    '      - identifier: FullName',
    '        columnName: UserPrincipalName',
    '  - entityType: IP',
    '    fieldMappings:',
    '      - identifier: Address',
    '        columnName: IPAddress'
  ].join('\n');
  const parsed = parseRuleFile(`${name}.yaml`, text);
  if (!parsed.ok) {
    throw new Error(parsed.invalid.reason);
  }
  return parsed.rule;
}

const result = (r: IHuntRule, outcome: QueryOutcome) =>
  classify(r, WINDOW, outcome, 1);

const spray = result(
  rule('spray', {
    tactics: ['CredentialAccess'],
    techniques: ['T1110.003'],
    severity: 'High'
  }),
  { kind: 'rows', count: 12 }
);
const quiet = result(
  rule('quiet', { tactics: ['CredentialAccess', 'InitialAccess'] }),
  { kind: 'rows', count: 0 }
);
const refused = result(
  rule('refused', { tactics: ['Execution'], severity: 'Low' }),
  { kind: 'refused', reason: 'not supported locally: evaluate python' }
);
const missing = result(rule('missing', { tactics: ['Exfiltration'] }), {
  kind: 'missing-tables',
  tables: ['DeviceEvents']
});
const broken = result(rule('broken', { tactics: ['MadeUpTactic'] }), {
  kind: 'error',
  message: 'boom'
});
const all = [quiet, missing, refused, broken, spray];

describe('outcome table', () => {
  const names = (view = DEFAULT_VIEW) =>
    outcomeRows(all, view).map(r => r.rule.name);

  it('shows fired rules first, then errors, refusals, missing tables, no hits', () => {
    expect(names()).toEqual(['spray', 'broken', 'refused', 'missing', 'quiet']);
  });

  it('sorts by name, rows and severity, either way', () => {
    expect(names({ ...DEFAULT_VIEW, sort: 'name' })).toEqual([
      'broken',
      'missing',
      'quiet',
      'refused',
      'spray'
    ]);
    expect(names({ ...DEFAULT_VIEW, sort: 'rows', descending: true })).toEqual([
      'spray',
      'quiet',
      'broken',
      'missing',
      'refused'
    ]);
    expect(names({ ...DEFAULT_VIEW, sort: 'severity' })[0]).toBe('spray');
    expect(names({ ...DEFAULT_VIEW, sort: 'severity' }).pop()).toBe('refused');
  });

  it('filters by text (name, reason, tactic), outcome and tactic', () => {
    expect(names({ ...DEFAULT_VIEW, text: 'PYTHON' })).toEqual(['refused']);
    expect(names({ ...DEFAULT_VIEW, text: 'initialaccess' })).toEqual([
      'quiet'
    ]);
    expect(
      names({ ...DEFAULT_VIEW, outcomes: ['missing-tables', 'error'] })
    ).toEqual(['broken', 'missing']);
    expect(names({ ...DEFAULT_VIEW, tactic: 'CredentialAccess' })).toEqual([
      'spray',
      'quiet'
    ]);
  });
});

describe('ATT&CK matrix', () => {
  const matrix = tacticMatrix(all);
  const column = (id: string) => matrix.find(c => c.id === id)!;

  it('has every tactic in kill-chain order, unknown ones after', () => {
    expect(matrix[0].id).toBe('Reconnaissance');
    expect(matrix.map(c => c.id).indexOf('CredentialAccess')).toBeLessThan(
      matrix.map(c => c.id).indexOf('Exfiltration')
    );
    expect(matrix[matrix.length - 1]).toMatchObject({
      id: 'MadeUpTactic',
      label: 'MadeUpTactic',
      rules: 1
    });
  });

  it('counts rules, hits and fired rules by tactic and technique', () => {
    expect(column('CredentialAccess')).toMatchObject({
      rules: 2,
      hits: 1,
      fired: 1,
      techniques: [{ id: 'T1110.003', rules: 1, fired: 1 }]
    });
    expect(tacticHeat(column('CredentialAccess'))).toBe('fired');
    expect(tacticHeat(column('InitialAccess'))).toBe('quiet');
    expect(tacticHeat(column('Impact'))).toBe('none');
  });

  it('colours hits that do not fire the trigger apart from fired ones', () => {
    const below = classify(
      {
        ...rule('below', { tactics: ['Impact'] }),
        trigger: { operator: 'gt', threshold: 5 }
      },
      WINDOW,
      { kind: 'rows', count: 2 },
      1
    );
    expect(
      tacticHeat(tacticMatrix([below]).find(c => c.id === 'Impact')!)
    ).toBe('hits');
  });
});

describe('bookmark of a rule’s hits', () => {
  const rows = [
    { UserPrincipalName: 'adele@contoso.example', IPAddress: '203.0.113.9' },
    { UserPrincipalName: 'adele@contoso.example', IPAddress: '203.0.113.9' },
    { UserPrincipalName: 'alex@contoso.example', IPAddress: null },
    { UserPrincipalName: '', IPAddress: '198.51.100.7' }
  ];

  it('turns the entity mappings into distinct entities, skipping empty values', () => {
    expect(mappedEntities(spray, rows)).toEqual([
      {
        entityType: 'Account',
        fieldMappings: [
          { identifier: 'FullName', value: 'adele@contoso.example' }
        ]
      },
      {
        entityType: 'IP',
        fieldMappings: [{ identifier: 'Address', value: '203.0.113.9' }]
      },
      {
        entityType: 'Account',
        fieldMappings: [
          { identifier: 'FullName', value: 'alex@contoso.example' }
        ]
      },
      {
        entityType: 'IP',
        fieldMappings: [{ identifier: 'Address', value: '198.51.100.7' }]
      }
    ]);
  });

  it('fills the query with its window, the tactics and the techniques', () => {
    const fields = huntBookmarkFields(spray, rows);
    expect(fields).toMatchObject({
      displayName: 'spray',
      query: 'SigninLogs | where TimeGenerated > 2024-03-09T12:00:00.000Z',
      queryStartTime: '2024-03-09T12:00:00.000Z',
      queryEndTime: '2024-03-10T12:00:00.000Z',
      tactics: ['CredentialAccess'],
      techniques: ['T1110.003'],
      labels: ['hunt', 'spray.yaml']
    });
    expect(fields.entityMappings).toHaveLength(4);
    expect(JSON.parse(fields.queryResult!)).toEqual(rows);
  });
});
