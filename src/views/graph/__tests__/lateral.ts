/**
 * Rows shaped like the demo's lateral movement (STORY.md stage 6), as a union of
 * DeviceLogonEvents and DeviceProcessEvents returns them: adele.vance's network logon on
 * SRV-FILE01 from WKS-0042, PsExec on the workstation and the cmd.exe it started on the server,
 * beside another user's ordinary logon.
 */
import type { IColumnInfo } from '../../../tokens';

export const LATERAL_COLUMNS: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'AccountName', type: 'string' },
  { name: 'RemoteIP', type: 'string' },
  { name: 'RemoteDeviceName', type: 'string' },
  { name: 'FileName', type: 'string' },
  { name: 'ProcessCommandLine', type: 'string' },
  { name: 'ProcessId', type: 'long' }
];

export const SRV = 'srv-file01.contoso.example';
export const WKS = 'wks-0042.contoso.example';
export const PSEXEC_CMD = 'PsExec64.exe \\\\SRV-FILE01 -accepteula -s cmd.exe';

export const LATERAL_ROWS: Record<string, unknown>[] = [
  {
    TimeGenerated: '2026-11-27T12:33:20Z',
    DeviceName: SRV,
    AccountName: 'adele.vance',
    RemoteIP: '10.0.3.42',
    RemoteDeviceName: 'wks-0042',
    FileName: null,
    ProcessCommandLine: null,
    ProcessId: null
  },
  {
    TimeGenerated: '2026-11-27T12:33:00Z',
    DeviceName: WKS,
    AccountName: 'adele.vance',
    RemoteIP: null,
    RemoteDeviceName: null,
    FileName: 'PsExec64.exe',
    ProcessCommandLine: PSEXEC_CMD,
    ProcessId: 8120
  },
  {
    TimeGenerated: '2026-11-27T12:33:23Z',
    DeviceName: SRV,
    AccountName: 'adele.vance',
    RemoteIP: null,
    RemoteDeviceName: null,
    FileName: 'cmd.exe',
    ProcessCommandLine: 'cmd.exe',
    ProcessId: 4404
  },
  {
    TimeGenerated: '2026-11-27T09:12:00Z',
    DeviceName: SRV,
    AccountName: 'megan.bowen',
    RemoteIP: '10.0.1.77',
    RemoteDeviceName: 'wks-0017',
    FileName: null,
    ProcessCommandLine: null,
    ProcessId: null
  }
];
