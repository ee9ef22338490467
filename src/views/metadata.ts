/**
 * Which view a KQL cell's result is shown as, remembered in the cell's metadata (KQL has no syntax
 * for it): `{"sentinel": {"views": {"0": {"active": "timeline", "config": {"timeline": {…}}}}}}`,
 * one entry per result table of the cell (a batch has several), so the choice survives a reload, a
 * reopen and a run of the cell again. Pure functions over metadata, tested without a notebook.
 */
import { JSONExt } from '@lumino/coreutils';
import type {
  PartialJSONObject,
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';

/** The key of the views' entry in the cell's `sentinel` metadata. */
export const VIEWS_KEY = 'views';

/** The view chosen for one result table, and each view's settings. */
export interface IViewChoice {
  /** The id of the view shown beside the grid, or null for the grid alone. */
  active: string | null;
  /** Each view's settings by view id. */
  config: Record<string, ReadonlyJSONObject>;
}

function isObject(value: unknown): value is ReadonlyPartialJSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The choice for table `table` in a cell's `sentinel` metadata block; the grid alone when none. */
export function readViewChoice(sentinel: unknown, table: number): IViewChoice {
  const entry = isObject(sentinel) ? sentinel[VIEWS_KEY] : undefined;
  const choice = isObject(entry) ? entry[String(table)] : undefined;
  if (!isObject(choice)) {
    return { active: null, config: {} };
  }
  const config: Record<string, ReadonlyJSONObject> = {};
  if (isObject(choice.config)) {
    for (const [id, value] of Object.entries(choice.config)) {
      if (isObject(value)) {
        config[id] = value as ReadonlyJSONObject;
      }
    }
  }
  return {
    active: typeof choice.active === 'string' ? choice.active : null,
    config
  };
}

/**
 * The cell's `sentinel` metadata block with the choice for table `table` written in; the other
 * tables' choices and the block's other fields stay. A choice of the grid with no settings removes
 * the table's entry, and the views' entry once it is empty.
 */
export function writeViewChoice(
  sentinel: unknown,
  table: number,
  choice: IViewChoice
): PartialJSONObject {
  const next = isObject(sentinel)
    ? (JSONExt.deepCopy(sentinel as PartialJSONObject) as PartialJSONObject)
    : {};
  const views = isObject(next[VIEWS_KEY])
    ? (next[VIEWS_KEY] as PartialJSONObject)
    : {};
  if (choice.active === null && Object.keys(choice.config).length === 0) {
    delete views[String(table)];
  } else {
    views[String(table)] = {
      active: choice.active,
      config: JSONExt.deepCopy(choice.config as unknown as PartialJSONObject)
    };
  }
  if (Object.keys(views).length) {
    next[VIEWS_KEY] = views;
  } else {
    delete next[VIEWS_KEY];
  }
  return next;
}
