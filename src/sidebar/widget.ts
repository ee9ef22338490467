import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IStateDB } from '@jupyterlab/statedb';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import {
  refreshIcon,
  SidePanel,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { AccordionPanel, type Widget } from '@lumino/widgets';
import type { ISentinelWorkspaces } from '../tokens';
import { sentinelIcon } from './icon';
import { SchemaPanel } from './schema';
import { WorkspacesPanel } from './workspaces';

/** Where the sections' sizes and expansion are kept in the state database. */
export const SECTIONS_STATE_KEY = 'jupyterlab-sentinel:sidebar-sections';

/** Ids of the sidebar's own sections. */
export const SECTION_IDS = {
  workspaces: 'jp-sentinel-workspaces',
  schema: 'jp-sentinel-schema',
  templates: 'jp-sentinel-templates',
  bookmarks: 'jp-sentinel-bookmarks',
  hunts: 'jp-sentinel-hunts'
};

/** Initial share of the height by section; the schema, the longest list, gets the most. */
const INITIAL_WEIGHTS: Record<string, number> = {
  [SECTION_IDS.workspaces]: 2,
  [SECTION_IDS.schema]: 5,
  [SECTION_IDS.templates]: 3,
  [SECTION_IDS.bookmarks]: 2,
  [SECTION_IDS.hunts]: 3
};

/** An expanded section never gets less of the height than this. */
const MIN_SHARE = 0.12;

/** One section as kept: its share of the height when expanded, and whether it is. */
export interface ISectionState {
  size: number;
  expanded: boolean;
}

/** The sections as kept, by section key (its id). */
export type SectionsState = Record<string, ISectionState>;

/** The kept state, when `value` is one. */
function sectionsState(value: unknown): SectionsState | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return null;
  }
  const state: SectionsState = {};
  for (const [key, section] of Object.entries(value)) {
    const { size, expanded } = (section ?? {}) as Partial<ISectionState>;
    if (
      typeof size === 'number' &&
      Number.isFinite(size) &&
      size > 0 &&
      typeof expanded === 'boolean'
    ) {
      state[key] = { size, expanded };
    }
  }
  return state;
}

/** The key a section is kept under. */
function sectionKey(widget: Widget): string {
  return widget.id || widget.title.label;
}

/**
 * `sizes` with the section at `index` given at least `share` of the height, taken from the other
 * expanded sections in proportion to their sizes; sums to 1.
 */
export function withShare(
  sizes: number[],
  expanded: boolean[],
  index: number,
  share: number
): number[] {
  const visible = sizes.map((size, i) => (expanded[i] ? size : 0));
  const others = visible.reduce(
    (sum, size, i) => sum + (i === index ? 0 : size),
    0
  );
  const wanted = others > 0 ? Math.min(share, 1 - MIN_SHARE) : 1;
  return visible.map((size, i) =>
    i === index ? wanted : others > 0 ? (size / others) * (1 - wanted) : 0
  );
}

/**
 * The Sentinel sidebar: resizable, collapsible sections over the workspaces service. Their sizes
 * and expansion are kept in the state database (JupyterLab's own layout keeps them only when
 * something else in the layout changes), and a section expanded again gets back its size.
 */
export class SentinelSidebar extends SidePanel {
  constructor(
    model: ISentinelWorkspaces,
    trans: TranslationBundle,
    commands: CommandRegistry,
    notebooks: INotebookTracker | null = null
  ) {
    super();
    this.id = 'jp-sentinel-sidebar';
    this.addClass('jp-SentinelSidebar');
    this.title.icon = sentinelIcon;
    this.title.caption = trans.__('Sentinel');
    this.header.node.textContent = trans.__('Sentinel');
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Refresh workspaces and schema'),
        onClick: () => void model.refresh()
      })
    );
    const workspaces = new WorkspacesPanel(model, trans, commands);
    workspaces.id = SECTION_IDS.workspaces;
    const schema = new SchemaPanel(model, trans, commands, notebooks);
    schema.id = SECTION_IDS.schema;
    this.addWidget(workspaces);
    this.addWidget(schema);
  }

  /** The sections' state now: for a collapsed section, its size when it was last expanded. */
  get sectionsState(): SectionsState {
    const accordion = this._accordion;
    const state: SectionsState = {};
    if (!accordion) {
      return state;
    }
    const sizes = accordion.relativeSizes();
    accordion.widgets.forEach((widget, i) => {
      const key = sectionKey(widget);
      const expanded = !widget.isHidden;
      const size = expanded && sizes[i] > 0 ? sizes[i] : this._sizes.get(key);
      state[key] = { size: size ?? this._initialShare(widget), expanded };
    });
    return state;
  }

  /**
   * Gives the sections their kept state, or initial sizes, once JupyterLab has restored its layout
   * (`restored`), and keeps their state in `state` from then on, as the analyst resizes, collapses
   * and expands them.
   */
  async keepSections(
    state: IStateDB | null,
    restored: Promise<unknown>
  ): Promise<void> {
    const accordion = this._accordion;
    if (!accordion) {
      return;
    }
    await restored;
    const kept = state
      ? sectionsState(await state.fetch(SECTIONS_STATE_KEY).catch(() => null))
      : null;
    this._apply(accordion, kept);
    const save = (): void => {
      this._remember(accordion);
      void state
        ?.save(
          SECTIONS_STATE_KEY,
          this.sectionsState as unknown as ReadonlyPartialJSONObject
        )
        .catch(error =>
          console.warn('jupyterlab-sentinel: sidebar layout not kept', error)
        );
    };
    accordion.handleMoved.connect(save);
    accordion.expansionToggled.connect((_, index) => {
      if (!accordion.widgets[index]?.isHidden) {
        this._restoreSize(accordion, index);
      }
      save();
    });
  }

  private get _accordion(): AccordionPanel | null {
    return this.content instanceof AccordionPanel ? this.content : null;
  }

  private _initialShare(widget: Widget): number {
    const weights = this.widgets.map(w => INITIAL_WEIGHTS[w.id] ?? 2);
    const total = weights.reduce((sum, w) => sum + w, 0);
    return (INITIAL_WEIGHTS[widget.id] ?? 2) / total;
  }

  /** Applies the kept state; sections it does not know get their initial share. */
  private _apply(accordion: AccordionPanel, kept: SectionsState | null): void {
    const widgets = accordion.widgets;
    widgets.forEach((widget, i) => {
      const section = kept?.[sectionKey(widget)];
      const expanded = section?.expanded ?? true;
      this._sizes.set(
        sectionKey(widget),
        section?.size ?? this._initialShare(widget)
      );
      if (expanded && widget.isHidden) {
        accordion.expand(i);
      } else if (!expanded && !widget.isHidden) {
        accordion.collapse(i);
      }
    });
    const sizes = widgets.map(w =>
      w.isHidden ? 0 : (this._sizes.get(sectionKey(w)) ?? 0)
    );
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (total > 0) {
      accordion.setRelativeSizes(sizes.map(size => size / total));
    }
  }

  /** Notes the size of every expanded section, to give back when it is expanded again. */
  private _remember(accordion: AccordionPanel): void {
    const sizes = accordion.relativeSizes();
    accordion.widgets.forEach((widget, i) => {
      if (!widget.isHidden && sizes[i] > 0) {
        this._sizes.set(sectionKey(widget), sizes[i]);
      }
    });
  }

  /** A section expanded again gets its last size back, never less than its minimum share. */
  private _restoreSize(accordion: AccordionPanel, index: number): void {
    const widget = accordion.widgets[index];
    const sizes = accordion.relativeSizes();
    const share = Math.max(
      this._sizes.get(sectionKey(widget)) ?? this._initialShare(widget),
      MIN_SHARE
    );
    if (sizes[index] >= share * 0.9) {
      return;
    }
    accordion.setRelativeSizes(
      withShare(
        sizes,
        accordion.widgets.map(w => !w.isHidden),
        index,
        share
      )
    );
  }

  /** Each section's share of the height when it was last expanded, by key. */
  private _sizes = new Map<string, number>();
}
