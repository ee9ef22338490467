import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type {
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';
import type { LolbinName, ProcessFlag } from './flags';
import {
  buildProcessForest,
  type IHostProcesses,
  type IProcessForest,
  type IProcessNode
} from './model';
import { escapeXml, elide } from '../text';

/** Rows a forest may hold before hosts without flagged processes start collapsed. */
const EXPAND_ALL_LIMIT = 2000;
/** Children listed under a node before a "show more" item: a huge branch stays quick to open. */
const CHILD_PAGE = 200;
/** Longest command line the SVG picture writes, in characters. */
const SVG_COMMAND_LENGTH = 160;

/** An item of the tree: a host, or a process on it. */
type TreeEntry =
  | { kind: 'host'; id: string; host: IHostProcesses }
  | { kind: 'process'; id: string; node: IProcessNode };

/** A flag's name and why it was raised, in the analyst's language. */
export function flagText(
  flag: ProcessFlag,
  trans: TranslationBundle
): { label: string; reason: string } {
  switch (flag.kind) {
    case 'encoded-powershell':
      return {
        label: trans.__('Encoded PowerShell'),
        reason: flag.detail
          ? trans.__(
              'Runs an encoded command, which decodes to: %1',
              flag.detail
            )
          : trans.__('Runs an encoded command that does not decode to text')
      };
    case 'download-cradle':
      return {
        label: trans.__('Download cradle'),
        reason: trans.__('Downloads code and runs it: %1', flag.detail)
      };
    case 'web-transfer':
      return {
        label: trans.__('Web transfer'),
        reason: trans.__(
          'Sends or fetches data over the web from the command line: %1',
          flag.detail
        )
      };
    case 'office-shell':
      return {
        label: trans.__('Started by Office'),
        reason: trans.__(
          'A shell or script host started by %1, as a malicious document or mail does',
          flag.detail
        )
      };
    case 'lolbin':
      return {
        label: trans.__('Living off the land'),
        reason: lolbinReason(flag.binary, trans)
      };
  }
}

function lolbinReason(binary: LolbinName, trans: TranslationBundle): string {
  switch (binary) {
    case 'certutil':
      return trans.__(
        'certutil.exe downloads and decodes files (-urlcache, -decode)'
      );
    case 'mshta':
      return trans.__(
        'mshta.exe runs HTML applications and script, also from URLs'
      );
    case 'regsvr32':
      return trans.__('regsvr32.exe loads COM scriptlets, also from URLs');
    case 'rundll32':
      return trans.__('rundll32.exe runs the exports of any DLL');
    case 'wmic':
      return trans.__('wmic.exe starts processes, also on other hosts');
    case 'bitsadmin':
      return trans.__('bitsadmin.exe downloads files in the background');
    case 'psexec':
      return trans.__('PsExec runs commands on other hosts');
    case 'psexesvc':
      return trans.__("PsExec's service: runs commands sent from another host");
  }
}

/** A start time as the grid writes it, in UTC to the second. */
function timeText(ms: number | null): string {
  return ms === null
    ? ''
    : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * A result's processes as collapsible trees, one per host, for the analyst to follow what started
 * what: an ARIA tree (arrow keys, Home/End, Enter or Space to select, Ctrl to add), text only.
 */
export class ProcessTreeView
  extends Widget
  implements IInvestigationViewWidget
{
  constructor(options: IInvestigationViewOptions) {
    super();
    this.addClass('jp-SentinelProcessTree');
    this._trans = options.translator.load('jupyterlab_sentinel');
    this._onSelectRows = options.onSelectRows;
    this._forest = buildProcessForest(options.columns, options.rows) ?? {
      hosts: [],
      nodes: [],
      missingParents: 0,
      skippedRows: options.rows.length
    };
    const trans = this._trans;

    const header = document.createElement('div');
    header.className = 'jp-SentinelProcessTree-header';
    const summary = document.createElement('span');
    summary.className = 'jp-SentinelProcessTree-summary';
    summary.textContent = this._summary();
    header.appendChild(summary);
    for (const [label, expand] of [
      [trans.__('Expand All'), true],
      [trans.__('Collapse All'), false]
    ] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className =
        'jp-Button jp-mod-minimal jp-SentinelProcessTree-action';
      button.textContent = label;
      button.addEventListener('click', () => this._expandAll(expand));
      header.appendChild(button);
    }
    this.node.appendChild(header);

    this._tree.className = 'jp-SentinelProcessTree-tree';
    this._tree.setAttribute('role', 'tree');
    this._tree.setAttribute('aria-multiselectable', 'true');
    this._tree.setAttribute('aria-label', trans.__('Process tree'));
    this._tree.addEventListener('click', this._onClick);
    this._tree.addEventListener('keydown', this._onKeyDown);
    this.node.appendChild(this._tree);

    const large = this._forest.nodes.length > EXPAND_ALL_LIMIT;
    this._forest.hosts.forEach((host, i) => {
      const entry: TreeEntry = { kind: 'host', id: `host:${i}`, host };
      this._entries.set(entry.id, entry);
      if (!large || host.roots.some(hasFlags)) {
        this._expanded.add(entry.id);
      }
    });
    for (const node of this._forest.nodes) {
      this._entries.set(node.key, { kind: 'process', id: node.key, node });
      if (node.children.length) {
        this._expanded.add(node.key);
      }
    }
    this._render();
  }

  /** The forest drawn. */
  get forest(): IProcessForest {
    return this._forest;
  }

  setSelection(rows: ReadonlySet<number>): void {
    this._selection = new Set(rows);
    for (const [id, item] of this._items) {
      item.setAttribute('aria-selected', String(this._isSelected(id)));
    }
  }

  toSvg(): string {
    const style = getComputedStyle(this.node);
    const colour = (name: string, fallback: string): string =>
      style.getPropertyValue(name).trim() || fallback;
    const theme = {
      background: colour('--jp-layout-color0', '#ffffff'),
      text: colour('--jp-ui-font-color1', '#000000'),
      muted: colour('--jp-ui-font-color2', '#616161'),
      missing: colour('--jp-ui-font-color3', '#9e9e9e'),
      flag: colour('--jp-error-color1', '#d32f2f'),
      line: colour('--jp-border-color1', '#bdbdbd'),
      font: colour('--jp-ui-font-family', 'sans-serif'),
      code: colour('--jp-code-font-family', 'monospace')
    };
    const INDENT = 18;
    const LINE = 16;
    const parts: string[] = [];
    const anchors = new Map<string, { x: number; y: number }>();
    let y = 8;
    let width = 320;
    const line = (x: number, content: string, chars: number): void => {
      y += LINE;
      parts.push(`<text x="${x}" y="${y}">${content}</text>`);
      width = Math.max(width, x + chars * 7 + 16);
    };
    const visit = (
      entry: TreeEntry,
      level: number,
      parent: string | null
    ): void => {
      const x = 8 + level * INDENT;
      if (entry.kind === 'host') {
        line(
          x,
          `<tspan font-weight="bold">${escapeXml(this._hostLabel(entry.host))}</tspan>`,
          40
        );
      } else {
        const node = entry.node;
        const head = this._headline(node);
        const flags = node.flags
          .map(f => flagText(f, this._trans).label)
          .join(' · ');
        line(
          x,
          `<tspan font-weight="bold"${node.missing ? ` fill="${escapeXml(theme.missing)}"` : ''}>${escapeXml(node.name || '?')}</tspan>` +
            `<tspan fill="${escapeXml(theme.muted)}"> ${escapeXml(head)}</tspan>` +
            (flags
              ? `<tspan fill="${escapeXml(theme.flag)}"> ${escapeXml(flags)}</tspan>`
              : ''),
          node.name.length + head.length + flags.length + 2
        );
        if (node.commandLine) {
          const command = elide(node.commandLine, SVG_COMMAND_LENGTH);
          line(
            x + 12,
            `<tspan font-family="${escapeXml(theme.code)}" fill="${escapeXml(theme.muted)}">${escapeXml(command)}</tspan>`,
            command.length
          );
        }
      }
      const anchor = {
        x,
        y: y - (entry.kind === 'process' && entry.node.commandLine ? LINE : 0)
      };
      anchors.set(entry.id, anchor);
      if (parent) {
        const from = anchors.get(parent)!;
        parts.push(
          `<path d="M${from.x + 4} ${from.y + 4}V${anchor.y - 4}H${x - 2}" fill="none" stroke="${escapeXml(theme.line)}"/>`
        );
      }
      if (this._expanded.has(entry.id)) {
        const children = this._children(entry);
        const shown = this._shownChildren(entry);
        for (const child of shown) {
          visit(child, level + 1, entry.id);
        }
        if (shown.length < children.length) {
          line(
            x + INDENT,
            `<tspan fill="${escapeXml(theme.muted)}">${escapeXml(
              this._trans.__('… %1 more', children.length - shown.length)
            )}</tspan>`,
            12
          );
        }
      }
    };
    for (const host of this._roots()) {
      visit(host, 0, null);
    }
    const height = y + 12;
    width = Math.ceil(Math.min(width, 1600));
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(theme.font)}" font-size="12" fill="${escapeXml(theme.text)}">`,
      `<rect width="${width}" height="${height}" fill="${escapeXml(theme.background)}"/>`,
      ...parts,
      '</svg>'
    ].join('');
  }

  private _summary(): string {
    const trans = this._trans;
    const forest = this._forest;
    if (!forest.nodes.length) {
      return trans.__('No process creations in this result.');
    }
    const processes = forest.nodes.filter(n => !n.missing).length;
    const parts = [
      trans._n('%1 process', '%1 processes', processes),
      trans._n('on %1 host', 'on %1 hosts', forest.hosts.length)
    ];
    const flagged = forest.nodes.filter(n => n.flags.length).length;
    const notes = [
      trans._n('%1 flagged', '%1 flagged', flagged),
      trans._n(
        '%1 parent not in the result',
        '%1 parents not in the result',
        forest.missingParents
      )
    ];
    if (forest.skippedRows) {
      notes.push(
        trans._n(
          '%1 row is not a process creation',
          '%1 rows are not process creations',
          forest.skippedRows
        )
      );
    }
    return `${parts.join(' ')} · ${notes.join(' · ')}`;
  }

  private _hostLabel(host: IHostProcesses): string {
    return `${host.host || this._trans.__('(no host)')} — ${this._trans._n(
      '%1 process',
      '%1 processes',
      host.count
    )}`;
  }

  /** The facts after a process's name: id, start, account, or that it is missing. */
  private _headline(node: IProcessNode): string {
    const parts: string[] = [];
    if (node.pid) {
      parts.push(this._trans.__('PID %1', node.pid));
    }
    if (node.time !== null && !node.missing) {
      parts.push(timeText(node.time));
    }
    if (node.account) {
      parts.push(node.account);
    }
    if (node.missing) {
      parts.push(this._trans.__('not in the result'));
    }
    return parts.join(' · ');
  }

  private _roots(): TreeEntry[] {
    return this._forest.hosts.map((_, i) => this._entries.get(`host:${i}`)!);
  }

  private _children(entry: TreeEntry): TreeEntry[] {
    const nodes =
      entry.kind === 'host' ? entry.host.roots : entry.node.children;
    return nodes.map(n => this._entries.get(n.key)!);
  }

  /** The children listed under an entry: the first pages of them. */
  private _shownChildren(entry: TreeEntry): TreeEntry[] {
    return this._children(entry).slice(
      0,
      this._shown.get(entry.id) ?? CHILD_PAGE
    );
  }

  private _rowsOf(entry: TreeEntry): readonly number[] {
    return entry.kind === 'host' ? entry.host.rows : entry.node.rows;
  }

  private _isSelected(id: string): boolean {
    const entry = this._entries.get(id);
    if (!entry || entry.kind === 'host') {
      return false;
    }
    const rows = entry.node.rows;
    return rows.length > 0 && rows.every(r => this._selection.has(r));
  }

  private _render(): void {
    this._tree.textContent = '';
    this._items.clear();
    for (const entry of this._roots()) {
      this._tree.appendChild(this._item(entry, 1));
    }
    const first = this._tree.querySelector<HTMLElement>('[role="treeitem"]');
    first?.setAttribute('tabindex', '0');
  }

  /** The list item of an entry, with its children when it is expanded. */
  private _item(entry: TreeEntry, level: number): HTMLLIElement {
    const item = document.createElement('li');
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', String(level));
    item.setAttribute('tabindex', '-1');
    item.dataset.id = entry.id;
    const hasChildren = this._children(entry).length > 0;
    if (hasChildren) {
      item.setAttribute('aria-expanded', String(this._expanded.has(entry.id)));
    }
    item.setAttribute('aria-selected', String(this._isSelected(entry.id)));

    const row = document.createElement('div');
    row.className = 'jp-SentinelProcessTree-row';
    const caret = document.createElement('span');
    caret.className = 'jp-SentinelProcessTree-caret';
    caret.setAttribute('aria-hidden', 'true');
    row.appendChild(caret);
    const name = document.createElement('span');
    name.className = 'jp-SentinelProcessTree-name';
    row.appendChild(name);
    const facts = document.createElement('span');
    facts.className = 'jp-SentinelProcessTree-facts';
    row.appendChild(facts);
    item.appendChild(row);

    if (entry.kind === 'host') {
      item.classList.add('jp-SentinelProcessTree-host');
      name.textContent = entry.host.host || this._trans.__('(no host)');
      facts.textContent = this._trans._n(
        '%1 process',
        '%1 processes',
        entry.host.count
      );
    } else {
      const node = entry.node;
      item.classList.toggle('jp-mod-missing', node.missing);
      name.textContent = node.name || '?';
      if (node.path) {
        name.title = node.path;
      }
      facts.textContent = this._headline(node);
      for (const flag of node.flags) {
        const badge = document.createElement('span');
        badge.className = 'jp-SentinelProcessTree-flag';
        const text = flagText(flag, this._trans);
        badge.textContent = text.label;
        badge.title = text.reason;
        row.appendChild(badge);
      }
      if (node.commandLine) {
        const command = document.createElement('div');
        command.className = 'jp-SentinelProcessTree-command';
        command.textContent = node.commandLine;
        item.appendChild(command);
      }
      if (node.flags.length) {
        const reasons = document.createElement('ul');
        reasons.className = 'jp-SentinelProcessTree-reasons';
        for (const flag of node.flags) {
          const reason = document.createElement('li');
          reason.textContent = flagText(flag, this._trans).reason;
          reasons.appendChild(reason);
        }
        item.appendChild(reasons);
      }
    }
    item.setAttribute('aria-label', `${name.textContent} ${facts.textContent}`);
    this._items.set(entry.id, item);
    if (hasChildren && this._expanded.has(entry.id)) {
      item.appendChild(this._group(entry, level));
    }
    return item;
  }

  private _group(entry: TreeEntry, level: number): HTMLUListElement {
    const group = document.createElement('ul');
    group.setAttribute('role', 'group');
    const shown = this._shownChildren(entry);
    for (const child of shown) {
      group.appendChild(this._item(child, level + 1));
    }
    const hidden = this._children(entry).length - shown.length;
    if (hidden > 0) {
      const more = document.createElement('li');
      more.setAttribute('role', 'treeitem');
      more.setAttribute('aria-level', String(level + 1));
      more.setAttribute('tabindex', '-1');
      more.className = 'jp-SentinelProcessTree-more';
      more.dataset.more = entry.id;
      more.textContent = this._trans.__(
        'Show %1 more (%2 not shown)',
        Math.min(CHILD_PAGE, hidden),
        hidden
      );
      group.appendChild(more);
    }
    return group;
  }

  /** Lists the next page of an entry's children in place of its "show more" item. */
  private _showMore(more: HTMLElement): void {
    const id = more.dataset.more!;
    const entry = this._entries.get(id)!;
    const before = this._shownChildren(entry).length;
    this._shown.set(id, before + CHILD_PAGE);
    const old = more.parentElement!;
    old
      .querySelectorAll<HTMLElement>('[role="treeitem"]')
      .forEach(child => this._items.delete(child.dataset.id ?? ''));
    const group = this._group(
      entry,
      Number(more.getAttribute('aria-level')) - 1
    );
    old.replaceWith(group);
    this._focus(group.children[before] as HTMLElement | undefined);
  }

  private _toggle(item: HTMLElement, expand: boolean): void {
    const id = item.dataset.id ?? '';
    const entry = this._entries.get(id);
    if (
      !entry ||
      !item.hasAttribute('aria-expanded') ||
      this._expanded.has(id) === expand
    ) {
      return;
    }
    item.setAttribute('aria-expanded', String(expand));
    if (expand) {
      this._expanded.add(id);
      item.appendChild(
        this._group(entry, Number(item.getAttribute('aria-level')))
      );
    } else {
      this._expanded.delete(id);
      const group = item.querySelector(':scope > [role="group"]');
      group
        ?.querySelectorAll<HTMLElement>('[role="treeitem"]')
        .forEach(child => {
          this._items.delete(child.dataset.id ?? '');
        });
      group?.remove();
    }
  }

  private _expandAll(expand: boolean): void {
    for (const [id, entry] of this._entries) {
      if (this._children(entry).length) {
        if (expand) {
          this._expanded.add(id);
        } else if (entry.kind === 'host') {
          this._expanded.delete(id);
        }
      }
    }
    this._render();
  }

  private _select(item: HTMLElement, add: boolean): void {
    if (item.dataset.more) {
      this._showMore(item);
      return;
    }
    const id = item.dataset.id!;
    const rows = this._rowsOf(this._entries.get(id)!);
    let selection: Set<number>;
    if (!add) {
      selection = new Set(rows);
    } else if (rows.length && rows.every(r => this._selection.has(r))) {
      selection = new Set([...this._selection].filter(r => !rows.includes(r)));
    } else {
      selection = new Set([...this._selection, ...rows]);
    }
    this.setSelection(selection);
    this._onSelectRows([...selection].sort((a, b) => a - b));
  }

  private _focus(item: HTMLElement | null | undefined): void {
    if (!item) {
      return;
    }
    this._tree
      .querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]')
      .forEach(other => other.setAttribute('tabindex', '-1'));
    item.setAttribute('tabindex', '0');
    item.focus();
  }

  private _onClick = (event: MouseEvent): void => {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (!item) {
      return;
    }
    this._focus(item);
    if (target.classList.contains('jp-SentinelProcessTree-caret')) {
      this._toggle(item, item.getAttribute('aria-expanded') !== 'true');
    } else {
      this._select(item, event.ctrlKey || event.metaKey);
    }
  };

  private _onKeyDown = (event: KeyboardEvent): void => {
    const item = (event.target as HTMLElement).closest<HTMLElement>(
      '[role="treeitem"]'
    );
    if (!item) {
      return;
    }
    const visible = [
      ...this._tree.querySelectorAll<HTMLElement>('[role="treeitem"]')
    ];
    const at = visible.indexOf(item);
    const expanded = item.getAttribute('aria-expanded');
    switch (event.key) {
      case 'ArrowDown':
        this._focus(visible[at + 1]);
        break;
      case 'ArrowUp':
        this._focus(visible[at - 1]);
        break;
      case 'Home':
        this._focus(visible[0]);
        break;
      case 'End':
        this._focus(visible[visible.length - 1]);
        break;
      case 'ArrowRight':
        if (expanded === 'false') {
          this._toggle(item, true);
        } else if (expanded === 'true') {
          this._focus(item.querySelector<HTMLElement>('[role="treeitem"]'));
        }
        break;
      case 'ArrowLeft':
        if (expanded === 'true') {
          this._toggle(item, false);
        } else {
          this._focus(
            item.parentElement?.closest<HTMLElement>('[role="treeitem"]')
          );
        }
        break;
      case 'Enter':
      case ' ':
        this._select(item, event.ctrlKey || event.metaKey);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  private readonly _trans: TranslationBundle;
  private readonly _onSelectRows: (rows: readonly number[]) => void;
  private readonly _forest: IProcessForest;
  private readonly _tree = document.createElement('ul');
  private readonly _entries = new Map<string, TreeEntry>();
  private readonly _items = new Map<string, HTMLElement>();
  private readonly _expanded = new Set<string>();
  /** How many children are listed under entries opened past their first page. */
  private readonly _shown = new Map<string, number>();
  private _selection = new Set<number>();
}

function hasFlags(node: IProcessNode): boolean {
  return node.flags.length > 0 || node.children.some(hasFlags);
}
