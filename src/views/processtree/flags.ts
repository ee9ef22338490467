/**
 * Suspicious patterns in a process's command line and lineage, each with what made it stand out,
 * so the analyst reads the reason rather than a verdict.
 */

/** Binaries that ship with Windows (or Sysinternals) and are often used to run or fetch code. */
export type LolbinName =
  | 'certutil'
  | 'mshta'
  | 'regsvr32'
  | 'rundll32'
  | 'wmic'
  | 'bitsadmin'
  | 'psexec'
  | 'psexesvc';

/** Why a process stands out. `detail` is text from the data (a decoded command, a URL). */
export type ProcessFlag =
  | {
      kind: 'encoded-powershell';
      /** The decoded command, or empty when it does not decode. */
      detail: string;
    }
  | {
      kind: 'download-cradle';
      /** What is downloaded and run: the first URL, or the download call. */
      detail: string;
    }
  | {
      kind: 'web-transfer';
      /** The first URL, or the web call. */
      detail: string;
    }
  | {
      kind: 'office-shell';
      /** The Office application that started the shell. */
      detail: string;
    }
  | { kind: 'lolbin'; binary: LolbinName; detail: string };

/** File names (lowercase, without folder) of each living-off-the-land binary. */
const LOLBINS: Record<string, LolbinName> = {
  'certutil.exe': 'certutil',
  'mshta.exe': 'mshta',
  'regsvr32.exe': 'regsvr32',
  'rundll32.exe': 'rundll32',
  'wmic.exe': 'wmic',
  'bitsadmin.exe': 'bitsadmin',
  'psexec.exe': 'psexec',
  'psexec64.exe': 'psexec',
  'psexesvc.exe': 'psexesvc'
};

const POWERSHELL = new Set([
  'powershell.exe',
  'pwsh.exe',
  'powershell_ise.exe'
]);
const OFFICE = new Set([
  'winword.exe',
  'excel.exe',
  'powerpnt.exe',
  'outlook.exe',
  'msaccess.exe',
  'mspub.exe',
  'onenote.exe',
  'visio.exe'
]);
const SHELLS = new Set([
  'powershell.exe',
  'pwsh.exe',
  'cmd.exe',
  'wscript.exe',
  'cscript.exe',
  'mshta.exe',
  'rundll32.exe',
  'regsvr32.exe'
]);

const DOWNLOAD =
  /Net\.WebClient|\.Download(?:String|File|Data)\b|Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer|(?:^|[\s;|(])(?:iwr|irm)\s/i;
const EXECUTE = /\bIEX\b|Invoke-Expression|\|\s*iex\b/i;
const URL = /\b(?:https?|ftp):\/\/[^\s'"`)]+/i;
// PowerShell accepts any unambiguous prefix of -EncodedCommand, and `-ec`.
const ENCODED_OPTION = 'encodedcommand';
const MAX_DETAIL = 300;

/** The file name of a path, lowercase: `C:\Windows\System32\cmd.exe` → `cmd.exe`. */
export function baseName(path: string): string {
  const parts = path.trim().replace(/^"|"$/g, '').split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}

/** Command-line words, with quotes removed: enough to find an option and its value. */
function words(commandLine: string): string[] {
  return (commandLine.match(/"[^"]*"|\S+/g) ?? []).map(w =>
    w.replace(/^"|"$/g, '')
  );
}

/** Text of base64 UTF-16LE (what -EncodedCommand takes), or null when it is not that. */
export function decodePowerShell(encoded: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    return null;
  }
  let bytes: string;
  try {
    bytes = atob(encoded);
  } catch {
    return null;
  }
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    text += String.fromCharCode(
      bytes.charCodeAt(i) | (bytes.charCodeAt(i + 1) << 8)
    );
  }
  // Scripts are almost all ASCII; bytes that are not UTF-16 text decode to other planes.
  const ascii = text.replace(/[^\t\r\n\x20-\x7e]/g, '').length;
  return text && ascii >= text.length * 0.9 ? text : null;
}

/** The value of PowerShell's -EncodedCommand on a command line, or null. */
function encodedCommand(commandLine: string): string | null {
  const all = words(commandLine);
  for (let i = 0; i + 1 < all.length; i++) {
    const match = /^[-/]([a-z]+)$/i.exec(all[i]);
    const option = match?.[1].toLowerCase();
    if (option && (option === 'ec' || ENCODED_OPTION.startsWith(option))) {
      return all[i + 1];
    }
  }
  return null;
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** What a process is: the file it runs, its command line and its parent's file. */
export interface IProcessFacts {
  /** File name or full path of the process's image. */
  name: string;
  /** Its command line, when the data has it. */
  commandLine: string | null;
  /** File name or full path of its parent's image, when known. */
  parentName: string | null;
}

/** The suspicious patterns of one process, in a fixed order; empty when nothing stands out. */
export function processFlags(process: IProcessFacts): ProcessFlag[] {
  const flags: ProcessFlag[] = [];
  const name = baseName(process.name);
  const commandLine = process.commandLine ?? '';
  const isPowerShell =
    POWERSHELL.has(name) ||
    /^\S*(?:powershell|pwsh)(?:\.exe)?\b/i.test(commandLine);
  let script = commandLine;
  if (isPowerShell) {
    const encoded = encodedCommand(commandLine);
    if (encoded !== null) {
      const decoded = decodePowerShell(encoded);
      flags.push({ kind: 'encoded-powershell', detail: clip(decoded ?? '') });
      script = `${commandLine}\n${decoded ?? ''}`;
    }
  }
  const download = DOWNLOAD.exec(script);
  if (download) {
    const detail = clip(URL.exec(script)?.[0] ?? download[0].trim());
    flags.push(
      EXECUTE.test(script)
        ? { kind: 'download-cradle', detail }
        : { kind: 'web-transfer', detail }
    );
  }
  const parent = process.parentName ? baseName(process.parentName) : '';
  if (OFFICE.has(parent) && SHELLS.has(name)) {
    flags.push({ kind: 'office-shell', detail: parent });
  }
  const lolbin = LOLBINS[name];
  if (lolbin) {
    flags.push({ kind: 'lolbin', binary: lolbin, detail: name });
  }
  return flags;
}
