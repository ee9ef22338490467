/**
 * Process trees from process-creation events: Defender's DeviceProcessEvents or Windows
 * SecurityEvent 4688. Like MSTICPy's process tree builder, a child is matched to its parent by
 * process id *and* time (the latest process with that id and image that started no later than the
 * child), so a reused PID finds the right parent; a parent the result does not hold becomes a
 * placeholder built from the child's initiating-process columns.
 */
import type { IColumnInfo } from '../../tokens';
import { baseName, processFlags, type ProcessFlag } from './flags';

/** A process in a tree: one whose creation is in the result, or a parent only its children name. */
export interface IProcessNode {
  /** Unique within the forest. */
  readonly key: string;
  /** The host it ran on, as the data spells it (empty when the result has no host column). */
  readonly host: string;
  /** Row id of its creation event, or null for a parent missing from the result. */
  readonly row: number | null;
  /** Rows the node stands for: its own, or for a missing parent the rows of the children naming it. */
  readonly rows: number[];
  /** The image's file name, `powershell.exe`. */
  readonly name: string;
  /** The image's full path when the data has it. */
  readonly path: string | null;
  /** Process id as text (hexadecimal ids of 4688 in decimal), or null. */
  readonly pid: string | null;
  readonly commandLine: string | null;
  readonly account: string | null;
  /** When it started (epoch milliseconds), or null when unknown. */
  readonly time: number | null;
  /** True for a parent that is not in the result. */
  readonly missing: boolean;
  /** Suspicious patterns, with their reasons. */
  readonly flags: readonly ProcessFlag[];
  readonly parent: IProcessNode | null;
  /** Its children, ordered by time. */
  readonly children: readonly IProcessNode[];
}

/** The process trees of one host. */
export interface IHostProcesses {
  readonly host: string;
  /** Top processes, ordered by time. */
  readonly roots: readonly IProcessNode[];
  /** Processes in its trees, missing parents included. */
  readonly count: number;
  /** Rows of its processes. */
  readonly rows: readonly number[];
}

/** Trees of a result, one entry per host ordered by the host's first process. */
export interface IProcessForest {
  readonly hosts: readonly IHostProcesses[];
  /** Every node, in the order of `hosts` and depth first. */
  readonly nodes: readonly IProcessNode[];
  /** Parents named by a row but not in the result. */
  readonly missingParents: number;
  /** Rows that are not process creations (other event ids) or name no process. */
  readonly skippedRows: number;
}

/** Where a result keeps each fact of a process-creation event. */
interface IProcessColumns {
  pid: string | null;
  name: string | null;
  path: string | null;
  commandLine: string | null;
  account: string | null;
  host: string | null;
  times: string[];
  parentPid: string | null;
  parentName: string | null;
  parentPath: string | null;
  parentCommandLine: string | null;
  parentAccount: string | null;
  parentTime: string | null;
  grandparentPid: string | null;
  grandparentName: string | null;
  eventId: string | null;
}

/** The result's column named `name`, in any case, or null. */
function finder(
  columns: readonly IColumnInfo[]
): (name: string) => string | null {
  const byName = new Map(columns.map(c => [c.name.toLowerCase(), c.name]));
  return name => byName.get(name.toLowerCase()) ?? null;
}

/** Which schema the columns follow, or null when they hold no process and parent. */
function processColumns(
  columns: readonly IColumnInfo[]
): IProcessColumns | null {
  const col = finder(columns);
  const times = ['Timestamp', 'TimeGenerated']
    .map(col)
    .filter((c): c is string => !!c);
  if (col('NewProcessId') || col('NewProcessName')) {
    // SecurityEvent 4688: ProcessId is the creator's id there.
    const result: IProcessColumns = {
      pid: col('NewProcessId'),
      name: null,
      path: col('NewProcessName'),
      commandLine: col('CommandLine'),
      account: col('Account') ?? col('SubjectUserName'),
      host: col('Computer'),
      times,
      parentPid: col('ProcessId'),
      parentName: null,
      parentPath: col('ParentProcessName'),
      parentCommandLine: null,
      parentAccount: null,
      parentTime: null,
      grandparentPid: null,
      grandparentName: null,
      eventId: col('EventID')
    };
    return (result.parentPid || result.parentPath) && times.length
      ? result
      : null;
  }
  const result: IProcessColumns = {
    pid: col('ProcessId'),
    name: col('FileName'),
    path: col('FolderPath'),
    commandLine: col('ProcessCommandLine'),
    account: col('AccountName') ?? col('AccountUpn'),
    host: col('DeviceName'),
    times: [col('ProcessCreationTime'), ...times].filter(
      (c): c is string => !!c
    ),
    parentPid: col('InitiatingProcessId'),
    parentName: col('InitiatingProcessFileName'),
    parentPath: col('InitiatingProcessFolderPath'),
    parentCommandLine: col('InitiatingProcessCommandLine'),
    parentAccount: col('InitiatingProcessAccountName'),
    parentTime: col('InitiatingProcessCreationTime'),
    grandparentPid: col('InitiatingProcessParentId'),
    grandparentName: col('InitiatingProcessParentFileName'),
    eventId: null
  };
  return (result.pid || result.name || result.commandLine) &&
    (result.parentPid || result.parentName) &&
    times.length
    ? result
    : null;
}

/** True when the columns hold process creations and their parents. */
export function hasProcessColumns(columns: readonly IColumnInfo[]): boolean {
  return processColumns(columns) !== null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') {
    return value.trim() ? value : null;
  }
  return typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : null;
}

/** A process id as decimal text: 4688 writes them in hexadecimal (`0x1e20`), Defender as numbers. */
function processId(value: unknown): string | null {
  const raw = text(value)?.trim();
  if (!raw) {
    return null;
  }
  if (/^0x[0-9a-f]+$/i.test(raw)) {
    return String(parseInt(raw, 16));
  }
  return /^\d+(\.0+)?$/.test(raw) ? String(parseInt(raw, 10)) : raw;
}

function time(value: unknown): number | null {
  const raw = text(value);
  const ms = raw === null ? NaN : Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

/** A file name and path from a name column and a path column, either of which may be absent. */
function image(
  name: string | null,
  path: string | null
): { name: string; path: string | null } | null {
  const full = path && /[\\/]/.test(path) ? path : null;
  const file =
    name ?? (full ? (full.split(/[\\/]/).pop() ?? null) : path) ?? null;
  if (!file) {
    return null;
  }
  // Defender's FolderPath usually ends with the file name; sometimes it is the folder only.
  const withFile =
    full && name && baseName(full) !== name.toLowerCase()
      ? `${full.replace(/[\\/]$/, '')}\\${name}`
      : full;
  return { name: file, path: withFile };
}

/** A node under construction. */
interface IMutableNode {
  key: string;
  host: string;
  row: number | null;
  rows: number[];
  name: string;
  path: string | null;
  pid: string | null;
  commandLine: string | null;
  account: string | null;
  time: number | null;
  missing: boolean;
  flags: ProcessFlag[];
  parent: IMutableNode | null;
  children: IMutableNode[];
}

/** What a row says about its process's parent. */
interface IParentFacts {
  pid: string | null;
  name: string | null;
  path: string | null;
  commandLine: string | null;
  account: string | null;
  time: number | null;
  grandparentPid: string | null;
  grandparentName: string | null;
}

/** A process of a row, before it is placed in a tree. */
interface IEvent {
  node: IMutableNode;
  parent: IParentFacts;
}

const NO_TIME = -Infinity;

function sortTime(node: { time: number | null }): number {
  return node.time ?? NO_TIME;
}

function byTime(a: IMutableNode, b: IMutableNode): number {
  return sortTime(a) - sortTime(b) || (a.row ?? Infinity) - (b.row ?? Infinity);
}

/** True when `candidate` is `node` or descends from it: linking them would close a cycle. */
function descendsFrom(candidate: IMutableNode, node: IMutableNode): boolean {
  for (let at: IMutableNode | null = candidate; at; at = at.parent) {
    if (at === node) {
      return true;
    }
  }
  return false;
}

/** The processes of one host, indexed for finding a parent. */
class HostIndex {
  constructor(readonly host: string) {}

  add(node: IMutableNode): void {
    this.nodes.push(node);
    if (node.pid) {
      append(this._byPid, node.pid, node);
    }
    if (node.commandLine) {
      const name = node.name.toLowerCase();
      let byCommand = this._byImage.get(name);
      if (!byCommand) {
        byCommand = new Map();
        this._byImage.set(name, byCommand);
      }
      append(byCommand, node.commandLine, node);
    }
  }

  /** Index nodes by start time, once all are added. */
  seal(): void {
    for (const list of this._byPid.values()) {
      list.sort(byTime);
    }
    for (const byCommand of this._byImage.values()) {
      for (const list of byCommand.values()) {
        list.sort(byTime);
      }
    }
  }

  /**
   * The parent of `child` among the host's processes: the one with the id (and image, when both
   * are known) the child names that started latest but no later than the child (and no later than
   * the parent's own start time, when the row gives it). Without a parent id, the image and command
   * line must both match, which Defender rows without ids still give.
   */
  parentOf(child: IMutableNode, parent: IParentFacts): IMutableNode | null {
    let list: IMutableNode[] | undefined;
    if (parent.pid) {
      list = this._byPid.get(parent.pid);
    } else if (parent.name && parent.commandLine) {
      list = this._byImage
        .get(parent.name.toLowerCase())
        ?.get(parent.commandLine);
    }
    if (!list) {
      return null;
    }
    const limit = Math.min(
      child.time ?? Infinity,
      parent.time === null ? Infinity : parent.time + PARENT_TIME_SLACK_MS
    );
    // The list is in start order: find the last that started by the limit, then walk back.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sortTime(list[middle]) <= limit) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    for (let i = low - 1; i >= 0; i--) {
      const candidate = list[i];
      if (
        candidate === child ||
        (parent.name &&
          candidate.name.toLowerCase() !== parent.name.toLowerCase()) ||
        descendsFrom(candidate, child)
      ) {
        continue;
      }
      return candidate;
    }
    return null;
  }

  readonly nodes: IMutableNode[] = [];

  /** Processes by id. */
  private readonly _byPid = new Map<string, IMutableNode[]>();
  /** Processes by image (lowercase file name), then command line. */
  private readonly _byImage = new Map<string, Map<string, IMutableNode[]>>();
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/** Event times and creation times are written apart by the sensor; they agree within this. */
const PARENT_TIME_SLACK_MS = 1000;

/** The process trees of `rows`, or null when the columns hold no process and parent. */
export function buildProcessForest(
  columns: readonly IColumnInfo[],
  rows: readonly Record<string, unknown>[]
): IProcessForest | null {
  const cols = processColumns(columns);
  if (!cols) {
    return null;
  }
  const read = (
    row: Record<string, unknown>,
    column: string | null
  ): string | null => (column ? text(row[column]) : null);
  const hosts = new Map<string, HostIndex>();
  const events: IEvent[] = [];
  let skippedRows = 0;
  rows.forEach((row, index) => {
    if (
      cols.eventId &&
      text(row[cols.eventId]) !== null &&
      text(row[cols.eventId]) !== '4688'
    ) {
      skippedRows++;
      return;
    }
    const own = image(read(row, cols.name), read(row, cols.path));
    if (!own) {
      skippedRows++;
      return;
    }
    const host = read(row, cols.host) ?? '';
    const hostKey = host.toLowerCase();
    const commandLine = read(row, cols.commandLine);
    const parentImage = image(
      read(row, cols.parentName),
      read(row, cols.parentPath)
    );
    const node: IMutableNode = {
      key: `row:${index}`,
      host,
      row: index,
      rows: [index],
      name: own.name,
      path: own.path,
      pid: processId(cols.pid ? row[cols.pid] : null),
      commandLine,
      account: read(row, cols.account),
      time: cols.times.map(c => time(row[c])).find(t => t !== null) ?? null,
      missing: false,
      flags: processFlags({
        name: own.name,
        commandLine,
        parentName: parentImage?.name ?? null
      }),
      parent: null,
      children: []
    };
    let hostIndex = hosts.get(hostKey);
    if (!hostIndex) {
      hostIndex = new HostIndex(host);
      hosts.set(hostKey, hostIndex);
    }
    hostIndex.add(node);
    events.push({
      node,
      parent: {
        pid: processId(cols.parentPid ? row[cols.parentPid] : null),
        name: parentImage?.name ?? null,
        path: parentImage?.path ?? null,
        commandLine: read(row, cols.parentCommandLine),
        account: read(row, cols.parentAccount),
        time: cols.parentTime ? time(row[cols.parentTime]) : null,
        grandparentPid: processId(
          cols.grandparentPid ? row[cols.grandparentPid] : null
        ),
        grandparentName: read(row, cols.grandparentName)
      }
    });
  });
  for (const index of hosts.values()) {
    index.seal();
  }
  events.sort((a, b) => byTime(a.node, b.node));

  const placeholders = new Map<
    string,
    { node: IMutableNode; facts: IParentFacts }
  >();
  let missingParents = 0;
  const placeholder = (
    index: HostIndex,
    facts: IParentFacts,
    childTime: number | null
  ): IMutableNode | null => {
    if (!facts.pid && !facts.name) {
      return null;
    }
    const key = [
      'missing',
      index.host.toLowerCase(),
      facts.pid ?? '',
      (facts.name ?? '').toLowerCase(),
      facts.commandLine ?? '',
      facts.time ?? ''
    ].join('\u0000');
    const known = placeholders.get(key);
    if (known) {
      return known.node;
    }
    const node: IMutableNode = {
      key,
      host: index.host,
      row: null,
      rows: [],
      name: facts.name ?? '',
      path: facts.path,
      pid: facts.pid,
      commandLine: facts.commandLine,
      account: facts.account,
      // Unknown start: children come in time order, so this is its first child's, which orders
      // it among its siblings.
      time: facts.time ?? childTime,
      missing: true,
      flags: facts.name
        ? processFlags({
            name: facts.name,
            commandLine: facts.commandLine,
            parentName: facts.grandparentName
          })
        : [],
      parent: null,
      children: []
    };
    placeholders.set(key, { node, facts });
    missingParents++;
    return node;
  };
  const link = (child: IMutableNode, parent: IMutableNode): void => {
    child.parent = parent;
    parent.children.push(child);
    // Each row is one process's, so children never share rows: no duplicates to drop.
    if (parent.missing) {
      for (const row of child.rows) {
        parent.rows.push(row);
      }
    }
  };

  for (const { node, parent } of events) {
    const index = hosts.get(node.host.toLowerCase())!;
    const found =
      index.parentOf(node, parent) ?? placeholder(index, parent, node.time);
    if (found && !descendsFrom(found, node)) {
      link(node, found);
    }
  }
  // A missing parent's own parent, when Defender names it (InitiatingProcessParentId).
  for (const { node, facts } of [...placeholders.values()]) {
    if (!facts.grandparentPid && !facts.grandparentName) {
      continue;
    }
    const index = hosts.get(node.host.toLowerCase())!;
    const grandparent: IParentFacts = {
      pid: facts.grandparentPid,
      name: facts.grandparentName,
      path: null,
      commandLine: null,
      account: null,
      time: null,
      grandparentPid: null,
      grandparentName: null
    };
    const found =
      index.parentOf(node, grandparent) ??
      placeholder(index, grandparent, node.time);
    if (found && !descendsFrom(found, node)) {
      link(node, found);
    }
  }
  for (const { node } of placeholders.values()) {
    node.rows.sort((a, b) => a - b);
    hosts.get(node.host.toLowerCase())!.nodes.push(node);
  }

  const forest: IHostProcesses[] = [];
  const sortChildren = (node: IMutableNode): void => {
    node.children.sort(byTime);
    node.children.forEach(sortChildren);
  };
  for (const index of hosts.values()) {
    const roots = index.nodes.filter(n => !n.parent).sort(byTime);
    roots.forEach(sortChildren);
    const hostRows = index.nodes
      .map(n => n.row)
      .filter((r): r is number => r !== null)
      .sort((a, b) => a - b);
    forest.push({
      host: index.host,
      roots,
      count: index.nodes.length,
      rows: hostRows
    });
  }
  const firstTime = (host: IHostProcesses): number =>
    Math.min(...host.roots.map(sortTime));
  // Array sort is stable, so hosts starting together keep the order of their first rows.
  forest.sort((a, b) => firstTime(a) - firstTime(b));
  const nodes: IProcessNode[] = [];
  const walk = (node: IProcessNode): void => {
    nodes.push(node);
    node.children.forEach(walk);
  };
  forest.forEach(h => h.roots.forEach(walk));
  return { hosts: forest, nodes, missingParents, skippedRows };
}
