/**
 * Hunt packs: reading Sentinel rule files (scheduled, NRT, hunting, and files that are not rules),
 * trigger evaluation, and each outcome class of a rule run on DuckDB over a small workspace folder.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
  parseDuration,
  parsePack,
  parseRuleFile,
  type IHuntRule
} from '../hunts/rule';
import { ruleQuery, ruleWindow, runHunt, triggerFires } from '../hunts/run';
import { DuckDbHuntRunner, readPacks, reportJson } from '../node/hunt';
import { signinLogsFolder } from './hunt-fixture';

const SCHEDULED = `id: 0b6e7d2c-1111-4c2b-9f55-000000000001
name: Failed sign-ins from one address
description: |
  'Many failures.'
severity: Medium
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 2
tactics:
  - CredentialAccess
relevantTechniques:
  - T1110
query: |
  SigninLogs
  | where ResultType == "50126"
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
version: 1.0.0
kind: Scheduled
`;

const HUNTING = `id: 0b6e7d2c-1111-4c2b-9f55-000000000002
name: Sign-ins in the hunting window
description: Hunting queries have no kind, trigger or period.
requiredDataConnectors: []
tactics:
  - InitialAccess
relevantTechniques:
  - T1078
query: |
  let starttime = todatetime('{{StartTimeISO}}');
  let endtime = todatetime('{{EndTimeISO}}');
  SigninLogs
  | where TimeGenerated between (starttime .. endtime)
`;

function rule(source: string): IHuntRule {
  const result = parseRuleFile('rule.yaml', source);
  if (!result.ok) {
    throw new Error(result.invalid.reason);
  }
  return result.rule;
}

function reason(source: string): string {
  const result = parseRuleFile('bad.yaml', source);
  if (result.ok) {
    throw new Error('read as a rule');
  }
  return result.invalid.reason;
}

describe('rule files', () => {
  it('reads a scheduled analytics rule', () => {
    const r = rule(SCHEDULED);
    expect(r).toMatchObject({
      id: '0b6e7d2c-1111-4c2b-9f55-000000000001',
      name: 'Failed sign-ins from one address',
      description: 'Many failures.',
      kind: 'Scheduled',
      severity: 'Medium',
      queryPeriodMs: 86_400_000,
      queryFrequencyMs: 3_600_000,
      trigger: { operator: 'gt', threshold: 2 },
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      entityMappings: [
        {
          entityType: 'IP',
          fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }]
        }
      ],
      requiredDataConnectors: [
        { connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] }
      ]
    });
    expect(r.query).toContain('ResultType == "50126"');
  });

  it('reads a hunting query: no kind, no trigger, no period', () => {
    const r = rule(HUNTING);
    expect(r.kind).toBe('Hunting');
    expect(r.trigger).toBeNull();
    expect(r.queryPeriodMs).toBeNull();
    expect(r.severity).toBeNull();
    expect(r.tactics).toEqual(['InitialAccess']);
  });

  it('gives an NRT rule the trigger Sentinel applies: any row', () => {
    const r = rule(
      'name: n\nkind: NRT\nseverity: high\nquery: SigninLogs\ntactics: [Execution]\n'
    );
    expect(r.kind).toBe('NRT');
    expect(r.severity).toBe('High');
    expect(r.trigger).toEqual({ operator: 'gt', threshold: 0 });
  });

  it('reads the ARM spellings of operators and ISO 8601 durations', () => {
    const r = rule(
      'name: n\nkind: Scheduled\nquery: T\nqueryPeriod: P1DT12H\nqueryFrequency: PT5M\ntriggerOperator: GreaterThan\ntriggerThreshold: "3"\n'
    );
    expect(r.queryPeriodMs).toBe(36 * 3_600_000);
    expect(r.queryFrequencyMs).toBe(5 * 60_000);
    expect(r.trigger).toEqual({ operator: 'gt', threshold: 3 });
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('P')).toBeNull();
    expect(parseDuration('fortnight')).toBeNull();
  });

  it('says why a file is not a rule', () => {
    expect(reason('name: x\nquery: a: b\ntactics: []\n')).toBe(
      'it is not valid YAML: bad indentation of a mapping entry (line 2, column 9)'
    );
    expect(reason('- just\n- a list\n')).toBe(
      'not a Sentinel rule: it is not a YAML mapping of rule fields (name, query, …)'
    );
    expect(reason('')).toMatch(/not a YAML mapping/);
    expect(reason('name: x\n')).toBe('not a Sentinel rule: it has no query');
    expect(reason('query: T\n')).toBe('not a Sentinel rule: it has no name');
    expect(reason('name: x\nquery: "  "\n')).toBe(
      'not a Sentinel rule: its query is empty'
    );
    expect(reason('name: x\nkind: Fusion\nquery: T\n')).toMatch(
      /Fusion rule, which Sentinel runs itself/
    );
    expect(reason('name: x\nkind: Weird\nquery: T\n')).toMatch(
      /its kind 'Weird' is not Scheduled or NRT/
    );
    expect(
      reason(
        'name: x\nquery: T\nqueryPeriod: 1d\ntriggerOperator: bigger\ntriggerThreshold: 0\n'
      )
    ).toMatch(/triggerOperator 'bigger' is not gt, lt, eq or ne/);
    expect(
      reason('name: x\nquery: T\ntriggerOperator: gt\ntriggerThreshold: many\n')
    ).toMatch(/triggerThreshold 'many' is not a number/);
    expect(reason('name: x\nquery: T\nqueryPeriod: a week\n')).toMatch(
      /queryPeriod 'a week' is not a duration/
    );
    expect(reason('name: x\nquery: T\nseverity: Severe\n')).toMatch(
      /severity 'Severe' is not one of/
    );
    expect(
      reason('name: x\nquery: T\nentityMappings:\n  - entityType: IP\n')
    ).toMatch(/entityMappings\[0\] needs an entityType and fieldMappings/);
    // The safe loader builds no JavaScript types.
    expect(reason('name: !!js/function "function () {}"\nquery: T\n')).toMatch(
      /not valid YAML: unknown tag/
    );
  });

  it('keeps every file of a pack: rules and the files that are not', () => {
    const pack = parsePack([
      { path: 'a.yaml', text: SCHEDULED },
      { path: 'b.yaml', text: 'not: a rule' },
      { path: 'c.yaml', text: HUNTING }
    ]);
    expect(pack.rules.map(r => r.file)).toEqual(['a.yaml', 'c.yaml']);
    expect(pack.invalid).toEqual([
      { file: 'b.yaml', reason: 'not a Sentinel rule: it has no query' }
    ]);
  });
});

describe('triggers', () => {
  it.each([
    ['gt', 0, 0, false],
    ['gt', 0, 1, true],
    ['lt', 1, 0, true],
    ['lt', 1, 1, false],
    ['eq', 3, 3, true],
    ['eq', 3, 4, false],
    ['ne', 0, 0, false],
    ['ne', 0, 2, true]
  ] as const)(
    '%s %d with %d rows fires: %s',
    (operator, threshold, rows, fires) => {
      expect(triggerFires({ operator, threshold }, rows)).toBe(fires);
    }
  );
});

describe('windows', () => {
  const now = new Date('2024-03-10T12:00:00Z');

  it("is the rule's queryPeriod ending now, or 7 days for a rule without one", () => {
    expect(ruleWindow(rule(SCHEDULED), now)).toEqual({
      start: new Date('2024-03-09T12:00:00Z'),
      end: now
    });
    expect(ruleWindow(rule(HUNTING), now).start).toEqual(
      new Date('2024-03-03T12:00:00Z')
    );
  });

  it("fills a hunting query's {{StartTimeISO}} and {{EndTimeISO}}", () => {
    const query = ruleQuery(rule(HUNTING), ruleWindow(rule(HUNTING), now));
    expect(query).toContain("todatetime('2024-03-03T12:00:00.000Z')");
    expect(query).toContain("todatetime('2024-03-10T12:00:00.000Z')");
    expect(query).not.toContain('{{');
  });
});

describe('running a pack on a workspace folder', () => {
  const now = new Date('2024-03-10T12:00:00Z');
  let folder: string;
  let runner: DuckDbHuntRunner;

  beforeAll(async () => {
    folder = signinLogsFolder('hunts-');
    runner = await DuckDbHuntRunner.open(folder, 30);
  });

  afterAll(() => {
    runner.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const file = (name: string, fields: string) =>
    `name: ${name}\nkind: Scheduled\nqueryPeriod: 1d\ntactics: [Discovery]\n${fields}`;

  it('classifies every outcome and evaluates triggers', async () => {
    const pack = parsePack([
      {
        path: 'hits.yaml',
        text: file(
          'fires',
          'triggerOperator: gt\ntriggerThreshold: 2\nquery: SigninLogs | where ResultType == "50126"\n'
        )
      },
      {
        path: 'below.yaml',
        text: file(
          'hits below its threshold',
          'triggerOperator: gt\ntriggerThreshold: 3\nquery: SigninLogs | where ResultType == "50126"\n'
        )
      },
      {
        path: 'none.yaml',
        text: file(
          'no hits',
          'triggerOperator: gt\ntriggerThreshold: 0\nquery: SigninLogs | where ResultType == "53003"\n'
        )
      },
      {
        path: 'silence.yaml',
        text: file(
          'fires on silence',
          'triggerOperator: lt\ntriggerThreshold: 1\nquery: SigninLogs | where IPAddress == "198.51.100.1"\n'
        )
      },
      {
        path: 'refused.yaml',
        text: file(
          'refused',
          'query: SigninLogs | evaluate python(typeof(*), "result = df")\n'
        )
      },
      {
        path: 'missing.yaml',
        text: file(
          'missing tables',
          'query: union DeviceEvents, (SigninLogs | join AuditLogs on $left.UserPrincipalName == $right.InitiatedBy)\n'
        )
      },
      {
        path: 'error.yaml',
        text: file(
          'error',
          "query: externaldata (ip:string) [@'https://feeds.example/bad.csv'] with (format='csv')\n"
        )
      },
      {
        path: 'syntax.yaml',
        text: file('bad syntax', 'query: SigninLogs | where\n')
      },
      { path: 'hunting.yaml', text: HUNTING }
    ]);
    const progress: number[] = [];
    const report = await runHunt(pack, runner, {
      now,
      onProgress: done => progress.push(done)
    });
    const byName = Object.fromEntries(
      report.results.map(r => [
        r.rule.name,
        [r.outcome, r.rows, r.fired, r.reason, r.missingTables]
      ])
    );
    expect(byName).toEqual({
      // The window is the rule's day: the failure two days ago is not counted.
      fires: ['hits', 3, true, null, []],
      'hits below its threshold': ['hits', 3, false, null, []],
      'no hits': ['no-hits', 0, false, null, []],
      'fires on silence': ['no-hits', 0, true, null, []],
      refused: [
        'refused',
        null,
        false,
        'not supported locally: evaluate python',
        []
      ],
      'missing tables': [
        'missing-tables',
        null,
        false,
        'the workspace has no DeviceEvents, AuditLogs',
        ['DeviceEvents', 'AuditLogs']
      ],
      error: [
        'error',
        null,
        false,
        expect.stringMatching(
          /reads https:\/\/feeds\.example\/bad\.csv from the internet/
        ),
        []
      ],
      'bad syntax': [
        'error',
        null,
        false,
        expect.stringMatching(/^1:\d+: KS\d+: /),
        []
      ],
      // Seven days back: all five sign-ins.
      'Sign-ins in the hunting window': ['hits', 5, true, null, []]
    });
    expect(report.fired).toBe(3);
    expect(report.counts).toEqual({
      hits: 3,
      'no-hits': 2,
      refused: 1,
      'missing-tables': 1,
      error: 2
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report.cancelled).toBe(false);
  });

  it('counts a missing leg of union isfuzzy=true as a missing table', async () => {
    const pack = parsePack([
      {
        path: 'fuzzy.yaml',
        text: file(
          'fuzzy union',
          'query: union isfuzzy=true (DeviceFileEvents | take 1), (SigninLogs | take 1)\n'
        )
      }
    ]);
    const [result] = (await runHunt(pack, runner, { now })).results;
    expect(result.outcome).toBe('missing-tables');
    expect(result.missingTables).toEqual(['DeviceFileEvents']);
  });

  it('measures the compile and run parts of each rule it runs, and reports them', async () => {
    const pack = parsePack([
      {
        path: 'ran.yaml',
        text: file(
          'ran',
          'query: SigninLogs | summarize count() by UserPrincipalName\n'
        )
      },
      {
        path: 'missing.yaml',
        text: file('missing', 'query: NoSuchTable | take 1\n')
      }
    ]);
    const report = await runHunt(pack, runner, { now });
    const [ran, missing] = report.results;
    expect(ran.timing?.compileMs).toBeGreaterThan(0);
    expect(ran.timing?.runMs).toBeGreaterThan(0);
    expect(ran.timing!.compileMs + ran.timing!.runMs).toBeLessThanOrEqual(
      ran.ms + 1
    );
    // Refused before DuckDB: all of its time is the compiler's.
    expect(missing.outcome).toBe('missing-tables');
    expect(missing.timing).toEqual({
      compileMs: expect.any(Number),
      runMs: 0
    });
    const json = reportJson(report) as { rules: Record<string, unknown>[] };
    expect(json.rules[0]).toEqual(
      expect.objectContaining({
        compileMs: expect.any(Number),
        runMs: expect.any(Number)
      })
    );
  });

  it('runs every rule over one window when given', async () => {
    const pack = parsePack([
      {
        path: 'a.yaml',
        text: file(
          'all failures',
          'query: SigninLogs | where ResultType == "50126"\n'
        )
      }
    ]);
    const window = {
      start: new Date('2024-03-01T00:00:00Z'),
      end: new Date('2024-03-09T00:00:00Z')
    };
    const report = await runHunt(pack, runner, { window });
    expect(report.results[0].rows).toBe(1);
    expect(report.results[0].window).toEqual(window);
  });

  it('stops starting rules when cancelled', async () => {
    const controller = new AbortController();
    const pack = parsePack(
      Array.from({ length: 5 }, (_, i) => ({
        path: `${i}.yaml`,
        text: file(`r${i}`, 'query: SigninLogs\n')
      }))
    );
    const report = await runHunt(pack, runner, {
      now,
      concurrency: 1,
      signal: controller.signal,
      onProgress: done => {
        if (done === 2) {
          controller.abort();
        }
      }
    });
    expect(report.results.map(r => r.rule.name)).toEqual(['r0', 'r1']);
    expect(report.cancelled).toBe(true);
  });

  it('reads packs from folders, keeping the files that are not rules', () => {
    const pack = readPacks([
      path.join(
        __dirname,
        '..',
        '..',
        '..',
        'jupyterlab_sentinel',
        'hunts',
        'demo'
      )
    ]);
    expect(pack.rules).toHaveLength(7);
    expect(pack.invalid).toEqual([]);
    const json = reportJson({
      results: [],
      invalid: [{ file: 'x.yaml', reason: 'r' }],
      fired: 0,
      counts: {
        hits: 0,
        'no-hits': 0,
        refused: 0,
        'missing-tables': 0,
        error: 0
      },
      cancelled: false
    });
    expect(json).toMatchObject({ invalid: [{ file: 'x.yaml', reason: 'r' }] });
  });
});
