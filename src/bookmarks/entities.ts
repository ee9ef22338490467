/**
 * Entities a bookmark maps, detected from the result's columns: the column's name says what it
 * holds (accounts in `UserPrincipalName`, hosts in `Computer` or `DeviceName`, addresses in
 * `IPAddress` or `RemoteIP`…), and each value must look like one before it is proposed. Types and
 * identifiers are the ones Sentinel's entity mappings use.
 */
import type { IColumnInfo, IEntityMapping } from '../tokens';

/** Most entities proposed for one bookmark. */
export const MAX_ENTITIES = 50;

/** One detected entity, with the column it came from. */
export interface IDetectedEntity {
  /** Sentinel entity type, e.g. `Account`. */
  entityType: string;
  /** The entity's identifier the value fills, e.g. `FullName`. */
  identifier: string;
  /** The value. */
  value: string;
  /** The result column it was read from. */
  column: string;
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;
// The lookahead checks the domain in one pass, so a long domain without a dot fails in linear time.
const UPN = /^[^\s@]+@(?=[^\s@]+$)[^\s@]+\.[^\s@]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SID = /^S-1-\d+(-\d+)+$/i;
const HOST = /^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9-]{1,63})*$/i;
const URL_ = /^(https?|ftp):\/\/[^\s]+$/i;
const HASH = /^[0-9a-f]+$/i;

/** True for an IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value));
}

/** How a column's values become an entity, or null when a value is not one. */
type Reader = (
  value: string
) => { entityType: string; identifier: string } | null;

const account: Reader = value => {
  if (UPN.test(value)) {
    return { entityType: 'Account', identifier: 'FullName' };
  }
  if (SID.test(value)) {
    return { entityType: 'Account', identifier: 'Sid' };
  }
  if (GUID.test(value)) {
    return { entityType: 'Account', identifier: 'AadUserId' };
  }
  return /^[^\s@]{1,256}$/.test(value) || /^[^\s\\]+\\[^\s\\]+$/.test(value)
    ? { entityType: 'Account', identifier: 'Name' }
    : null;
};
const accountUpn: Reader = value =>
  UPN.test(value) ? { entityType: 'Account', identifier: 'FullName' } : null;
const accountId: Reader = value =>
  GUID.test(value) ? { entityType: 'Account', identifier: 'AadUserId' } : null;
const accountSid: Reader = value =>
  SID.test(value) ? { entityType: 'Account', identifier: 'Sid' } : null;
const host: Reader = value => {
  if (isIpAddress(value) || !HOST.test(value)) {
    return null;
  }
  return {
    entityType: 'Host',
    identifier: value.includes('.') ? 'FullName' : 'HostName'
  };
};
const ip: Reader = value =>
  isIpAddress(value) ? { entityType: 'IP', identifier: 'Address' } : null;
const url: Reader = value =>
  URL_.test(value) ? { entityType: 'URL', identifier: 'Url' } : null;
const hash: Reader = value =>
  HASH.test(value) && [32, 40, 64].includes(value.length)
    ? { entityType: 'FileHash', identifier: 'Value' }
    : null;
const commandLine: Reader = value =>
  value.trim() ? { entityType: 'Process', identifier: 'CommandLine' } : null;
const processId: Reader = value =>
  /^\d+$/.test(value)
    ? { entityType: 'Process', identifier: 'ProcessId' }
    : null;
const mailbox: Reader = value =>
  UPN.test(value)
    ? { entityType: 'Mailbox', identifier: 'MailboxPrimaryAddress' }
    : null;
const fileName: Reader = value =>
  /^[^\\/:*?"<>|\r\n]+$/.test(value)
    ? { entityType: 'File', identifier: 'Name' }
    : null;
const folder: Reader = value =>
  /[\\/]/.test(value) ? { entityType: 'File', identifier: 'Directory' } : null;
const domain: Reader = value =>
  HOST.test(value) && value.includes('.') && !isIpAddress(value)
    ? { entityType: 'DNS', identifier: 'DomainName' }
    : null;
// Defender's RemoteUrl often holds a bare host name: a domain then, not a URL.
const urlOrDomain: Reader = value => url(value) ?? domain(value);

/**
 * Column names (lowercase) and how their values read, from the Sentinel and Defender tables the
 * analyst queries most (SigninLogs, SecurityEvent, Device*Events, CommonSecurityLog, OfficeActivity,
 * AzureActivity, Syslog, ThreatIntelligenceIndicator).
 */
const COLUMNS: Record<string, Reader> = {
  userprincipalname: accountUpn,
  accountupn: accountUpn,
  initiatingprocessaccountupn: accountUpn,
  mailboxownerupn: accountUpn,
  caller: account,
  account: account,
  accountname: account,
  targetaccount: account,
  targetusername: account,
  subjectusername: account,
  samaccountname: account,
  sourceusername: account,
  destinationusername: account,
  initiatingprocessaccountname: account,
  userid: account,
  aaduserid: accountId,
  accountobjectid: accountId,
  initiatingprocessaccountobjectid: accountId,
  accountsid: accountSid,
  targetusersid: accountSid,
  subjectusersid: accountSid,
  targetsid: accountSid,
  computer: host,
  devicename: host,
  hostname: host,
  remotedevicename: host,
  workstationname: host,
  sourcehostname: host,
  destinationhostname: host,
  compromisedentity: host,
  ipaddress: ip,
  clientip: ip,
  client_ipaddress: ip,
  clientipaddress: ip,
  calleripaddress: ip,
  actoripaddress: ip,
  remoteip: ip,
  remoteipaddress: ip,
  localip: ip,
  sourceip: ip,
  destinationip: ip,
  hostip: ip,
  networkip: ip,
  networksourceip: ip,
  networkdestinationip: ip,
  emailsourceipaddress: ip,
  maliciousip: ip,
  url: url,
  remoteurl: urlOrDomain,
  requesturl: url,
  fileoriginurl: url,
  sha256: hash,
  sha1: hash,
  md5: hash,
  filehash: hash,
  filehashvalue: hash,
  initiatingprocesssha256: hash,
  initiatingprocesssha1: hash,
  initiatingprocessmd5: hash,
  processcommandline: commandLine,
  commandline: commandLine,
  initiatingprocesscommandline: commandLine,
  processid: processId,
  recipientemailaddress: mailbox,
  senderfromaddress: mailbox,
  emailrecipient: mailbox,
  emailsenderaddress: mailbox,
  filename: fileName,
  initiatingprocessfilename: fileName,
  initiatingprocessparentfilename: fileName,
  folderpath: folder,
  initiatingprocessfolderpath: folder,
  newprocessname: folder,
  parentprocessname: folder,
  filepath: folder,
  domainname: domain
};

/** The algorithm of a file hash, from its length. */
export function hashAlgorithm(value: string): string {
  return value.length === 32 ? 'MD5' : value.length === 40 ? 'SHA1' : 'SHA256';
}

/** Text of a cell that can be an entity: strings, and numbers for process ids. */
function text(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed && trimmed.length <= 4096 ? trimmed : null;
  }
  return typeof value === 'number' && Number.isInteger(value)
    ? String(value)
    : null;
}

/**
 * True when a column can hold entities: its name says what it holds, or it is a string column
 * (whose values may all be IP addresses).
 */
export function mayHoldEntities(column: IColumnInfo): boolean {
  return !!COLUMNS[column.name.toLowerCase()] || column.type === 'string';
}

/** An entity and the rows it occurs in. */
export interface IEntityOccurrence {
  /** The entity, with the first column it was read from. */
  entity: IDetectedEntity;
  /** Indexes of the rows holding it, in any of its columns, ascending. */
  rows: number[];
}

/**
 * Every entity in `rows` with the rows it occurs in: first from the columns whose names say what
 * they hold, then from string columns whose every value is an IP address. A value read from two
 * columns (a file name that is also an initiating process's) is one entity.
 */
export function entityOccurrences(
  columns: readonly IColumnInfo[],
  rows: readonly Record<string, unknown>[]
): IEntityOccurrence[] {
  const found = new Map<string, IEntityOccurrence>();
  // Occurrences a row was added to out of order (a later column naming an earlier row's value).
  const unsorted = new Set<IEntityOccurrence>();
  const occurrence = (entity: IDetectedEntity): IEntityOccurrence => {
    const key = `${entity.entityType}\u0000${entity.identifier}\u0000${entity.value.toLowerCase()}`;
    let known = found.get(key);
    if (!known) {
      known = { entity, rows: [] };
      found.set(key, known);
    }
    return known;
  };
  /** Reads a column: each distinct value is checked once, as results repeat their values. */
  const readColumn = (column: string, read: Reader): void => {
    const seen = new Map<string, IEntityOccurrence | null>();
    rows.forEach((row, index) => {
      const value = text(row[column]);
      if (value === null) {
        return;
      }
      let known = seen.get(value);
      if (known === undefined) {
        const kind = read(value);
        known = kind ? occurrence({ ...kind, value, column }) : null;
        seen.set(value, known);
      }
      if (known) {
        const last = known.rows[known.rows.length - 1];
        if (last === undefined || last < index) {
          known.rows.push(index);
        } else if (last > index) {
          known.rows.push(index);
          unsorted.add(known);
        }
      }
    });
  };
  const named = columns.filter(c => COLUMNS[c.name.toLowerCase()]);
  for (const column of named) {
    readColumn(column.name, COLUMNS[column.name.toLowerCase()]);
  }
  for (const column of columns) {
    if (named.includes(column) || column.type !== 'string') {
      continue;
    }
    const present = rows
      .map(row => text(row[column.name]))
      .filter((v): v is string => v !== null);
    if (present.length && present.every(isIpAddress)) {
      readColumn(column.name, ip);
    }
  }
  for (const known of unsorted) {
    known.rows = known.rows
      .sort((a, b) => a - b)
      .filter((row, i, all) => i === 0 || all[i - 1] !== row);
  }
  return [...found.values()];
}

/**
 * The entities in `rows`: first from the columns whose names say what they hold, then from string
 * columns whose every value is an IP address. Each value appears once, at most `limit` in all.
 */
export function detectEntities(
  columns: IColumnInfo[],
  rows: Record<string, unknown>[],
  limit = MAX_ENTITIES
): IDetectedEntity[] {
  return entityOccurrences(columns, rows)
    .slice(0, limit)
    .map(occurrence => occurrence.entity);
}

/** Detected entities as the bookmark resource maps them; file hashes carry their algorithm. */
export function entityMappings(entities: IDetectedEntity[]): IEntityMapping[] {
  return entities.map(entity => ({
    entityType: entity.entityType,
    fieldMappings:
      entity.entityType === 'FileHash'
        ? [
            { identifier: 'Algorithm', value: hashAlgorithm(entity.value) },
            { identifier: 'Value', value: entity.value }
          ]
        : [{ identifier: entity.identifier, value: entity.value }]
  }));
}

/** The entity types and identifiers the dialog offers, for editing a detected entity. */
export const ENTITY_IDENTIFIERS: Record<string, string[]> = {
  Account: ['FullName', 'Name', 'UPNSuffix', 'AadUserId', 'Sid', 'NTDomain'],
  Host: ['HostName', 'FullName', 'DnsDomain', 'AzureID', 'OMSAgentID'],
  IP: ['Address'],
  URL: ['Url'],
  FileHash: ['Value'],
  Process: ['CommandLine', 'ProcessId'],
  Mailbox: ['MailboxPrimaryAddress', 'DisplayName', 'Upn'],
  File: ['Name', 'Directory'],
  DNS: ['DomainName'],
  CloudApplication: ['AppId', 'Name', 'InstanceName'],
  AzureResource: ['ResourceId'],
  RegistryKey: ['Hive', 'Key'],
  Malware: ['Name', 'Category']
};
