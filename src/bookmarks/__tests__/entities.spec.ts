import * as fs from 'fs';
import * as path from 'path';
import { BookmarkDraft, MAX_QUERY_RESULT_CHARS, storedRows } from '../draft';
import {
  detectEntities,
  entityMappings,
  entityOccurrences,
  mayHoldEntities,
  hashAlgorithm,
  isIpAddress
} from '../entities';
import type { IColumnInfo } from '../../tokens';

/** Columns of a demo table, as the demo generator defines them. */
function demoColumns(table: string, names: string[]): IColumnInfo[] {
  const schemas = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '../../../jupyterlab_sentinel/demo/schemas.json'),
      'utf-8'
    )
  ) as Record<string, { name: string; type: string }[] | [string, string][]>;
  const known = new Set(
    (schemas[table] as unknown[]).map(c =>
      Array.isArray(c) ? String(c[0]) : (c as { name: string }).name
    )
  );
  for (const name of names) {
    expect(known.has(name)).toBe(true);
  }
  return names.map(name => ({ name, type: 'string' }));
}

describe('entities from result columns', () => {
  it('reads accounts and addresses from SigninLogs', () => {
    const columns = demoColumns('SigninLogs', [
      'UserPrincipalName',
      'IPAddress',
      'UserId',
      'ResultType'
    ]);
    const rows = [
      {
        UserPrincipalName: 'adele.vance@contoso.example',
        IPAddress: '203.0.113.42',
        UserId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        ResultType: '50126'
      },
      {
        UserPrincipalName: 'Adele.Vance@contoso.example',
        IPAddress: '2001:db8::7',
        UserId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        ResultType: '0'
      }
    ];
    expect(detectEntities(columns, rows)).toEqual([
      {
        entityType: 'Account',
        identifier: 'FullName',
        value: 'adele.vance@contoso.example',
        column: 'UserPrincipalName'
      },
      {
        entityType: 'IP',
        identifier: 'Address',
        value: '203.0.113.42',
        column: 'IPAddress'
      },
      {
        entityType: 'IP',
        identifier: 'Address',
        value: '2001:db8::7',
        column: 'IPAddress'
      },
      {
        entityType: 'Account',
        identifier: 'AadUserId',
        value: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        column: 'UserId'
      }
    ]);
  });

  it('reads hosts, processes and hashes from Defender tables', () => {
    const columns = demoColumns('DeviceProcessEvents', [
      'DeviceName',
      'AccountName',
      'ProcessCommandLine',
      'SHA256',
      'MD5',
      'FolderPath'
    ]);
    const sha256 = 'a'.repeat(64);
    const found = detectEntities(columns, [
      {
        DeviceName: 'ws-014.contoso.example',
        AccountName: 'adele',
        ProcessCommandLine: 'powershell.exe -enc SQBFAFgA',
        SHA256: sha256,
        MD5: 'not-a-hash',
        FolderPath: 'C:\\Windows\\System32'
      }
    ]);
    expect(
      found.map(e => `${e.entityType}.${e.identifier}=${e.value}`)
    ).toEqual([
      'Host.FullName=ws-014.contoso.example',
      'Account.Name=adele',
      'Process.CommandLine=powershell.exe -enc SQBFAFgA',
      `FileHash.Value=${sha256}`,
      'File.Directory=C:\\Windows\\System32'
    ]);
    expect(
      entityMappings(found.filter(e => e.entityType === 'FileHash'))
    ).toEqual([
      {
        entityType: 'FileHash',
        fieldMappings: [
          { identifier: 'Algorithm', value: 'SHA256' },
          { identifier: 'Value', value: sha256 }
        ]
      }
    ]);
  });

  it('reads hosts and accounts from SecurityEvent, IPs from CommonSecurityLog', () => {
    const security = demoColumns('SecurityEvent', [
      'Computer',
      'TargetUserName',
      'TargetUserSid',
      'IpAddress'
    ]);
    expect(
      detectEntities(security, [
        {
          Computer: 'DC01',
          TargetUserName: 'svc-backup',
          TargetUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
          IpAddress: '-'
        }
      ]).map(e => `${e.entityType}.${e.identifier}`)
    ).toEqual(['Host.HostName', 'Account.Name', 'Account.Sid']);
    const network = demoColumns('CommonSecurityLog', [
      'SourceIP',
      'DestinationIP',
      'RequestURL'
    ]);
    expect(
      detectEntities(network, [
        {
          SourceIP: '10.0.0.5',
          DestinationIP: '198.51.100.9',
          RequestURL: 'https://malicious.example/payload'
        }
      ]).map(e => e.entityType)
    ).toEqual(['IP', 'IP', 'URL']);
  });

  it('finds addresses in columns named otherwise, and never invents one', () => {
    const columns: IColumnInfo[] = [
      { name: 'SprayFrom', type: 'string' },
      { name: 'Comment', type: 'string' },
      { name: 'Count', type: 'long' }
    ];
    const found = detectEntities(columns, [
      { SprayFrom: '203.0.113.42', Comment: '203.0.113.42', Count: 3 },
      { SprayFrom: '198.51.100.7', Comment: 'not an address', Count: 1 }
    ]);
    expect(found.map(e => `${e.column}:${e.value}`)).toEqual([
      'SprayFrom:203.0.113.42',
      'SprayFrom:198.51.100.7'
    ]);
  });

  it('caps the entities it proposes', () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      IPAddress: `10.0.0.${i}`
    }));
    expect(
      detectEntities([{ name: 'IPAddress', type: 'string' }], rows, 50)
    ).toHaveLength(50);
  });

  it('tells addresses and hash algorithms apart', () => {
    expect(isIpAddress('256.1.1.1')).toBe(false);
    expect(isIpAddress('fe80::1')).toBe(true);
    expect(isIpAddress('dc01')).toBe(false);
    expect(hashAlgorithm('a'.repeat(32))).toBe('MD5');
    expect(hashAlgorithm('a'.repeat(40))).toBe('SHA1');
  });
});

describe('entity occurrences', () => {
  it('lists the rows each entity occurs in, across the columns that hold it', () => {
    const columns = demoColumns('DeviceProcessEvents', [
      'DeviceName',
      'FileName',
      'InitiatingProcessFileName',
      'InitiatingProcessFolderPath'
    ]);
    const rows = [
      {
        DeviceName: 'wks-0042.contoso.example',
        FileName: 'powershell.exe',
        InitiatingProcessFileName: 'OUTLOOK.EXE',
        InitiatingProcessFolderPath:
          'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE'
      },
      {
        DeviceName: 'wks-0042.contoso.example',
        FileName: 'PsExec64.exe',
        InitiatingProcessFileName: 'powershell.exe',
        InitiatingProcessFolderPath: null
      },
      {
        DeviceName: 'srv-file01.contoso.example',
        FileName: 'cmd.exe',
        InitiatingProcessFileName: 'PSEXESVC.exe',
        InitiatingProcessFolderPath: null
      }
    ];
    const found = entityOccurrences(columns, rows).map(
      o =>
        `${o.entity.entityType}.${o.entity.identifier}=${o.entity.value}: ${o.rows.join(',')}`
    );
    expect(found).toEqual([
      'Host.FullName=wks-0042.contoso.example: 0,1',
      'Host.FullName=srv-file01.contoso.example: 2',
      'File.Name=powershell.exe: 0,1',
      'File.Name=PsExec64.exe: 1',
      'File.Name=cmd.exe: 2',
      'File.Name=OUTLOOK.EXE: 0',
      'File.Name=PSEXESVC.exe: 2',
      'File.Directory=C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE: 0'
    ]);
    expect(detectEntities(columns, rows, 3).map(e => e.value)).toEqual([
      'wks-0042.contoso.example',
      'srv-file01.contoso.example',
      'powershell.exe'
    ]);
  });

  it('keeps rows in order and once when a later column names an earlier row', () => {
    const columns = demoColumns('DeviceProcessEvents', [
      'FileName',
      'InitiatingProcessFileName'
    ]);
    const rows = [
      { FileName: 'a.exe', InitiatingProcessFileName: 'b.exe' },
      { FileName: 'b.exe', InitiatingProcessFileName: 'a.exe' },
      { FileName: 'c.exe', InitiatingProcessFileName: 'C.EXE' }
    ];
    expect(
      entityOccurrences(columns, rows).map(
        o => `${o.entity.value}: ${o.rows.join(',')}`
      )
    ).toEqual(['a.exe: 0,1', 'b.exe: 0,1', 'c.exe: 2']);
  });

  it('reads process paths from SecurityEvent 4688 and bare host names as domains', () => {
    const security = demoColumns('SecurityEvent', [
      'NewProcessName',
      'ParentProcessName'
    ]);
    expect(
      detectEntities(security, [
        {
          NewProcessName:
            'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          ParentProcessName: 'OUTLOOK.EXE'
        }
      ]).map(e => `${e.entityType}.${e.identifier}=${e.value}`)
    ).toEqual([
      'File.Directory=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'
    ]);
    const network = demoColumns('DeviceNetworkEvents', ['RemoteUrl']);
    expect(
      detectEntities(network, [
        { RemoteUrl: 'outlook.office365.com' },
        { RemoteUrl: 'http://203.0.113.50/stage2.ps1' },
        { RemoteUrl: '' }
      ]).map(e => `${e.entityType}.${e.identifier}=${e.value}`)
    ).toEqual([
      'DNS.DomainName=outlook.office365.com',
      'URL.Url=http://203.0.113.50/stage2.ps1'
    ]);
  });
});

describe('columns that can hold entities', () => {
  it('are the ones named for entities and string columns', () => {
    expect(mayHoldEntities({ name: 'ProcessId', type: 'long' })).toBe(true);
    expect(mayHoldEntities({ name: 'note', type: 'string' })).toBe(true);
    expect(mayHoldEntities({ name: 'count_', type: 'long' })).toBe(false);
    expect(mayHoldEntities({ name: 'TimeGenerated', type: 'datetime' })).toBe(
      false
    );
  });
});

describe('bookmark draft', () => {
  const source = {
    workspace: { backend: 'local', id: 'demo', name: 'Demo' },
    query: 'SigninLogs | where ResultType == "50126"',
    timespan: null,
    columns: [
      { name: 'TimeGenerated', type: 'datetime' as const },
      { name: 'UserPrincipalName', type: 'string' as const }
    ],
    rows: [
      {
        TimeGenerated: '2026-10-01T04:45:00.0000000Z',
        UserPrincipalName: 'megan.rossi@contoso.example'
      },
      {
        TimeGenerated: '2026-10-01T04:41:07.0000000Z',
        UserPrincipalName: 'adele.vance@contoso.example'
      }
    ],
    selected: true,
    totalRows: 476
  };

  it('proposes a name, the event time and a window from the picked rows', () => {
    const draft = new BookmarkDraft(source);
    expect(draft.displayName).toBe('SigninLogs: 2 rows');
    expect(draft.eventTime?.toISOString()).toBe('2026-10-01T04:41:07.000Z');
    expect(draft.start?.toISOString()).toBe('2026-10-01T04:41:07.000Z');
    expect(draft.end?.toISOString()).toBe('2026-10-01T04:45:00.000Z');
    expect(draft.entities).toHaveLength(2);
    const fields = draft.fields();
    expect(JSON.parse(fields.queryResult!)).toEqual(source.rows);
    expect(fields.entityMappings?.[0]).toEqual({
      entityType: 'Account',
      fieldMappings: [
        { identifier: 'FullName', value: 'megan.rossi@contoso.example' }
      ]
    });
  });

  it('keeps the query window when one was applied', () => {
    const window = {
      start: new Date('2026-09-30T00:00:00Z'),
      end: new Date('2026-10-02T00:00:00Z')
    };
    const draft = new BookmarkDraft({ ...source, timespan: window });
    expect(draft.fields()).toMatchObject({
      queryStartTime: '2026-09-30T00:00:00.000Z',
      queryEndTime: '2026-10-02T00:00:00.000Z'
    });
  });

  it('takes a label or technique still being typed, and refuses bad input', () => {
    const draft = new BookmarkDraft(source);
    draft.pendingLabel = ' spray ';
    draft.pendingTechnique = 'T1110.003';
    draft.commitPending();
    expect(draft.fields()).toMatchObject({
      labels: ['spray'],
      techniques: ['T1110.003']
    });
    expect(draft.problem()).toBeNull();
    draft.techniques.push('Brute force');
    expect(draft.problem()).toContain('Brute force');
    draft.techniques.pop();
    draft.displayName = '  ';
    expect(draft.problem()).toBe('A bookmark needs a name.');
  });

  it('keeps one id across retries', () => {
    const draft = new BookmarkDraft(source);
    const id = draft.id;
    draft.error = 'The bookmark store is busy';
    expect(draft.id).toBe(id);
    expect(new BookmarkDraft(source).id).not.toBe(id);
  });

  it('stores as many rows as fit, and says how many', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      n: i,
      text: 'x'.repeat(100)
    }));
    const stored = storedRows(rows);
    expect(stored.json.length).toBeLessThanOrEqual(MAX_QUERY_RESULT_CHARS);
    expect(stored.kept).toBeLessThan(2000);
    expect(stored.kept).toBeGreaterThan(400);
    expect(JSON.parse(stored.json)).toEqual(rows.slice(0, stored.kept));
    expect(storedRows(rows.slice(0, 3))).toEqual({
      json: JSON.stringify(rows.slice(0, 3)),
      kept: 3,
      offered: 3
    });
  });
});

describe('entity patterns on adversarial values', () => {
  it('rejects a long address without a dot in its domain in linear time', () => {
    const value = `a@${'.'.repeat(100_000)} `;
    const columns: IColumnInfo[] = [
      { name: 'UserPrincipalName', type: 'string' }
    ];
    expect(
      detectEntities(columns, [
        { UserPrincipalName: value },
        { UserPrincipalName: 'a@b.c' }
      ])
    ).toEqual([
      {
        entityType: 'Account',
        identifier: 'FullName',
        value: 'a@b.c',
        column: 'UserPrincipalName'
      }
    ]);
  });
});
