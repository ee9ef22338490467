import type { IColumnInfo } from '../../../tokens';
import { buildProcessForest, type IProcessNode } from '../model';
import {
  CRADLE,
  DEVICE_PROCESS_COLUMNS,
  DEVICE_PROCESS_ROWS,
  PS_CMD,
  SECURITY_EVENT_COLUMNS,
  SECURITY_EVENT_ROWS,
  SRV,
  WKS
} from './story';

/** A tree as indented lines: name, row (or "missing") and flag kinds. */
function outline(roots: readonly IProcessNode[], depth = 0): string[] {
  return roots.flatMap(node => [
    `${'  '.repeat(depth)}${node.name} ${node.missing ? 'missing' : `row ${node.row}`}${
      node.flags.length ? ` [${node.flags.map(f => f.kind).join(', ')}]` : ''
    }`,
    ...outline(node.children, depth + 1)
  ]);
}

describe('process forest from DeviceProcessEvents', () => {
  const forest = buildProcessForest(
    DEVICE_PROCESS_COLUMNS,
    DEVICE_PROCESS_ROWS
  )!;

  it('builds one tree per host, hosts and children by time, missing parents as such', () => {
    expect(forest.hosts.map(h => h.host)).toEqual([WKS, SRV]);
    expect(outline(forest.hosts[0].roots)).toEqual([
      'explorer.exe missing',
      '  OUTLOOK.EXE row 2',
      '    powershell.exe row 1 [encoded-powershell, download-cradle, office-shell]',
      '      PsExec64.exe row 3 [lolbin]',
      '  powershell.exe row 5'
    ]);
    expect(outline(forest.hosts[1].roots)).toEqual([
      'PSEXESVC.exe missing [lolbin]',
      '  cmd.exe row 0',
      '    powershell.exe row 4 [web-transfer]'
    ]);
    expect(forest.missingParents).toBe(2);
    expect(forest.hosts.map(h => h.count)).toEqual([5, 3]);
    expect(forest.hosts[0].rows).toEqual([1, 2, 3, 5]);
    expect(forest.nodes.map(n => n.row)).toEqual([
      null,
      2,
      1,
      3,
      5,
      null,
      0,
      4
    ]);
  });

  it('keeps what the rows say about a missing parent, and the rows naming it', () => {
    const explorer = forest.hosts[0].roots[0];
    expect(explorer).toMatchObject({
      missing: true,
      name: 'explorer.exe',
      commandLine: 'explorer.exe',
      account: 'adele.vance',
      rows: [2, 5],
      time: Date.parse('2026-11-27T08:02:40Z')
    });
  });

  it('shows why a process stands out', () => {
    const powershell = forest.nodes.find(n => n.row === 1)!;
    expect(powershell.commandLine).toBe(PS_CMD);
    expect(powershell.pid).toBe('7712');
    expect(powershell.flags).toEqual([
      { kind: 'encoded-powershell', detail: CRADLE },
      { kind: 'download-cradle', detail: 'http://203.0.113.50/stage2.ps1' },
      { kind: 'office-shell', detail: 'outlook.exe' }
    ]);
    expect(forest.nodes.find(n => n.row === 3)!.flags).toEqual([
      { kind: 'lolbin', binary: 'psexec', detail: 'psexec64.exe' }
    ]);
    expect(forest.nodes.find(n => n.row === 4)!.flags).toEqual([
      { kind: 'web-transfer', detail: 'https://203.0.113.50/u' }
    ]);
  });
});

describe('process forest from SecurityEvent 4688', () => {
  it('reads process creations only, parents from ParentProcessName', () => {
    const forest = buildProcessForest(
      SECURITY_EVENT_COLUMNS,
      SECURITY_EVENT_ROWS
    )!;
    expect(forest.skippedRows).toBe(1);
    expect(forest.hosts.map(h => h.host)).toEqual([WKS]);
    expect(outline(forest.hosts[0].roots)).toEqual([
      'OUTLOOK.EXE missing',
      '  powershell.exe row 1 [encoded-powershell, download-cradle, office-shell]'
    ]);
    expect(forest.hosts[0].roots[0].path).toBe(
      'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE'
    );
    expect(forest.hosts[0].roots[0].children[0].account).toBe(
      'CONTOSO\\adele.vance'
    );
  });

  const columns: IColumnInfo[] = [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Computer', type: 'string' },
    { name: 'NewProcessId', type: 'string' },
    { name: 'NewProcessName', type: 'string' },
    { name: 'ProcessId', type: 'string' },
    { name: 'ParentProcessName', type: 'string' }
  ];
  const event = (
    time: string,
    pid: string,
    name: string,
    parentPid: string,
    parentName: string
  ): Record<string, unknown> => ({
    TimeGenerated: `2026-11-27T${time}Z`,
    Computer: 'SRV-DC01',
    NewProcessId: pid,
    NewProcessName: `C:\\Windows\\System32\\${name}`,
    ProcessId: parentPid,
    ParentProcessName: `C:\\Windows\\System32\\${parentName}`
  });

  it('matches a reused process id to the parent running at the time', () => {
    const forest = buildProcessForest(columns, [
      event('10:00:00', '0x1f4', 'cmd.exe', '0x4', 'services.exe'),
      event('10:00:05', '0x300', 'whoami.exe', '0x1f4', 'cmd.exe'),
      event('11:00:00', '0x1f4', 'cmd.exe', '0x4', 'services.exe'),
      event('11:00:05', '0x301', 'net.exe', '0x1f4', 'cmd.exe'),
      // Same id, another image: not that cmd.exe's child.
      event('11:00:06', '0x302', 'hostname.exe', '0x1f4', 'wmiprvse.exe')
    ])!;
    expect(outline(forest.hosts[0].roots)).toEqual([
      'services.exe missing',
      '  cmd.exe row 0',
      '    whoami.exe row 1',
      '  cmd.exe row 2',
      '    net.exe row 3',
      'wmiprvse.exe missing',
      '  hostname.exe row 4'
    ]);
    expect(forest.hosts[0].roots[0].pid).toBe('4');
    expect(forest.nodes.find(n => n.row === 1)!.pid).toBe('768');
  });

  it('breaks a cycle of processes naming each other as parent', () => {
    const forest = buildProcessForest(columns, [
      event('10:00:00', '0x10', 'a.exe', '0x20', 'b.exe'),
      event('10:00:00', '0x20', 'b.exe', '0x10', 'a.exe'),
      event('10:00:00', '0x30', 'c.exe', '0x30', 'c.exe')
    ])!;
    expect(outline(forest.hosts[0].roots)).toEqual([
      'a.exe missing',
      '  b.exe row 1',
      '    a.exe row 0',
      'c.exe missing',
      '  c.exe row 2'
    ]);
    expect(forest.nodes.filter(n => !n.missing)).toHaveLength(3);
  });

  it('never takes a parent that started after its child', () => {
    const forest = buildProcessForest(columns, [
      event('10:00:05', '0x300', 'whoami.exe', '0x1f4', 'cmd.exe'),
      event('10:00:06', '0x1f4', 'cmd.exe', '0x4', 'services.exe')
    ])!;
    expect(outline(forest.hosts[0].roots)).toEqual([
      'cmd.exe missing',
      '  whoami.exe row 0',
      'services.exe missing',
      '  cmd.exe row 1'
    ]);
  });
});

describe('process forest from Defender ids', () => {
  const columns: IColumnInfo[] = [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceName', type: 'string' },
    { name: 'FileName', type: 'string' },
    { name: 'ProcessId', type: 'long' },
    { name: 'ProcessCommandLine', type: 'string' },
    { name: 'InitiatingProcessId', type: 'long' },
    { name: 'InitiatingProcessFileName', type: 'string' },
    { name: 'InitiatingProcessCreationTime', type: 'datetime' },
    { name: 'InitiatingProcessParentId', type: 'long' },
    { name: 'InitiatingProcessParentFileName', type: 'string' }
  ];
  const row = (
    time: string,
    file: string,
    pid: number,
    parentFile: string,
    parentPid: number,
    parentStart: string | null,
    grandparentFile: string | null,
    grandparentPid: number | null
  ): Record<string, unknown> => ({
    Timestamp: `2026-11-27T${time}Z`,
    DeviceName: 'wks-0042',
    FileName: file,
    ProcessId: pid,
    ProcessCommandLine: file,
    InitiatingProcessId: parentPid,
    InitiatingProcessFileName: parentFile,
    InitiatingProcessCreationTime: parentStart && `2026-11-27T${parentStart}Z`,
    InitiatingProcessParentId: grandparentPid,
    InitiatingProcessParentFileName: grandparentFile
  });

  it('links a missing parent to its own parent, and uses the parent start time', () => {
    const forest = buildProcessForest(columns, [
      row(
        '09:00:00',
        'explorer.exe',
        900,
        'userinit.exe',
        880,
        null,
        null,
        null
      ),
      row(
        '09:10:00',
        'cmd.exe',
        1000,
        'explorer.exe',
        900,
        '09:00:00',
        null,
        null
      ),
      // The launcher is not in the result; explorer.exe (900) started it.
      row(
        '09:20:00',
        'rundll32.exe',
        1200,
        'launcher.exe',
        1100,
        '09:15:00',
        'explorer.exe',
        900
      ),
      // A later explorer.exe reuses 900, but the parent started at 09:00: the first one.
      row(
        '09:30:00',
        'explorer.exe',
        900,
        'userinit.exe',
        880,
        null,
        null,
        null
      ),
      row(
        '09:40:00',
        'notepad.exe',
        1300,
        'explorer.exe',
        900,
        '09:00:00',
        null,
        null
      )
    ])!;
    expect(outline(forest.hosts[0].roots)).toEqual([
      'userinit.exe missing',
      '  explorer.exe row 0',
      '    cmd.exe row 1',
      '    launcher.exe missing',
      '      rundll32.exe row 2 [lolbin]',
      '    notepad.exe row 4',
      '  explorer.exe row 3'
    ]);
  });
});

describe('columns a process tree needs', () => {
  it('refuses results without a process and its parent', () => {
    expect(
      buildProcessForest(
        [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'UserPrincipalName', type: 'string' }
        ],
        []
      )
    ).toBeNull();
    expect(
      buildProcessForest(
        [
          { name: 'FileName', type: 'string' },
          { name: 'InitiatingProcessFileName', type: 'string' }
        ],
        []
      )
    ).toBeNull();
  });
});
