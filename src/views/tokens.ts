import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import { Token, type ReadonlyJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { IColumnInfo } from '../tokens';

/**
 * Investigation views: pictures of a KQL result (timeline, process tree, entity graph) drawn by the
 * frontend beside the grid. A view reads the result's rows and shares the grid's selection.
 */

/** What a view is given to draw one result. */
export interface IInvestigationViewOptions {
  /** The result's columns with their KQL types. */
  columns: readonly IColumnInfo[];
  /**
   * The result's rows keyed by column name, in the grid's order, as `IResultRows.rows` holds them:
   * datetimes as ISO 8601 strings, dynamic values parsed. Indexes into this array are row ids.
   */
  rows: readonly Record<string, unknown>[];
  /** The application's translator; views translate their own text. */
  translator: ITranslator;
  /** The view's settings remembered in the cell's metadata (say, the timeline's lane column). */
  config: ReadonlyJSONObject;
  /** Called when the analyst changes a setting of the view, to remember it in the notebook. */
  onConfigChanged(config: ReadonlyJSONObject): void;
  /** Called when the analyst selects rows in the view (row ids), so the grid selects them too. */
  onSelectRows(rows: readonly number[]): void;
}

/** One drawn view of a result. */
export interface IInvestigationViewWidget extends Widget {
  /** Show these rows as selected: the selection made in the grid. */
  setSelection(rows: ReadonlySet<number>): void;
  /**
   * What the view shows now, as a standalone SVG document (width, height and styles inlined,
   * colours resolved from the theme), for export and for the notebook's saved output.
   */
  toSvg(): string;
}

/** A kind of investigation view. */
export interface IInvestigationViewFactory {
  /** Stable id, stored in the cell's metadata: `timeline`, `process-tree`, `entity-graph`. */
  readonly id: string;
  /** The icon of its toolbar button. */
  readonly icon: LabIcon;
  /** Its name in the result's toolbar. */
  label(trans: TranslationBundle): string;
  /** Why the view cannot draw a result with these columns, or null when it can. */
  unavailable(
    columns: readonly IColumnInfo[],
    trans: TranslationBundle
  ): string | null;
  /**
   * Draw a result. Asynchronous so that a view's drawing code loads when a result is first shown
   * as that view, not with JupyterLab.
   */
  create(options: IInvestigationViewOptions): Promise<IInvestigationViewWidget>;
}

/**
 * The kinds of investigation views a result's toolbar offers. Each view's plugin adds its factory;
 * the result output lists them in the order they were added.
 */
export interface IInvestigationViews {
  /** The factories added so far, in the order they were added. */
  readonly factories: readonly IInvestigationViewFactory[];
  /** Emitted when a factory is added or removed. */
  readonly changed: ISignal<IInvestigationViews, void>;
  /**
   * Adds a kind of view; disposing of the result removes it. A factory with the id of one already
   * added replaces it.
   */
  add(factory: IInvestigationViewFactory): IDisposable;
  /** The factory of this id, or null. */
  get(id: string): IInvestigationViewFactory | null;
}

/** The investigation views service token. */
export const IInvestigationViews = new Token<IInvestigationViews>(
  'jupyterlab-sentinel:IInvestigationViews',
  'The kinds of investigation views (timeline, process tree, entity graph) a KQL result can be shown as.'
);
