/** The small workspace folder the hunt engine's tests and the sidebar runner's tests run packs on. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A new temporary folder holding `SigninLogs.csv`: three failures from 203.0.113.9 in the last
 * day before 2024-03-10T12:00Z, one two days before, one success.
 */
export function signinLogsFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(
    path.join(folder, 'SigninLogs.csv'),
    [
      'TimeGenerated,UserPrincipalName,IPAddress,ResultType',
      '2024-03-10T08:00:00Z,a@x.example,203.0.113.9,50126',
      '2024-03-10T08:01:00Z,b@x.example,203.0.113.9,50126',
      '2024-03-10T08:02:00Z,c@x.example,203.0.113.9,50126',
      '2024-03-08T08:00:00Z,d@x.example,203.0.113.9,50126',
      '2024-03-10T09:00:00Z,a@x.example,10.0.0.5,0'
    ].join('\n')
  );
  return folder;
}
