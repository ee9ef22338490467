import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { IBookmark, IBookmarkFields, IWorkspaceInfo } from '../tokens';

/**
 * The hunting bookmarks of the active workspace, newest first. The sidebar lists them; bookmarks
 * are created (the bookmark dialog) and deleted through this service, so the list shows them.
 */
export interface ISentinelBookmarks {
  /** The workspace the bookmarks belong to, or null when no workspace is active. */
  readonly workspace: IWorkspaceInfo | null;
  /** The bookmarks of `workspace`, newest first, as of the last refresh. */
  readonly bookmarks: ReadonlyArray<IBookmark>;
  /** True while the bookmarks are being listed. */
  readonly loading: boolean;
  /** Why the bookmarks could not be listed on the last refresh, or null. */
  readonly error: string | null;
  /** The bookmark whose details are shown, or null. */
  readonly selected: IBookmark | null;
  /** Selects a bookmark by id (null clears the selection). */
  select(id: string | null): void;
  /** Finds a listed bookmark by id. */
  find(id: string): IBookmark | undefined;
  /** Lists the active workspace's bookmarks again. */
  refresh(): Promise<void>;
  /**
   * Saves a new bookmark in `workspace` — the workspace its evidence came from, which need not be
   * the active one — then lists the active workspace's bookmarks again. `id` is chosen by the
   * caller, so a save retried after a failure returns the bookmark already saved instead of making
   * a second one. Rejects with the backend's error, or when no backend serves the workspace.
   */
  create(
    workspace: IWorkspaceInfo,
    id: string,
    fields: IBookmarkFields
  ): Promise<IBookmark>;
  /**
   * Deletes a bookmark of the active workspace (no questions asked: the caller confirms), then
   * lists the bookmarks again. Rejects with the backend's error when the deletion fails.
   */
  delete(id: string): Promise<void>;
  /** Emitted whenever any of the state above changes. */
  readonly changed: ISignal<ISentinelBookmarks, void>;
}

/** The bookmarks service token. */
export const ISentinelBookmarks = new Token<ISentinelBookmarks>(
  'jupyterlab-sentinel:ISentinelBookmarks',
  'The hunting bookmarks of the active Sentinel workspace, newest first.'
);

/** Ids of the bookmark commands. */
export namespace CommandIDs {
  /** Lists the active workspace's bookmarks again. */
  export const refreshBookmarks = 'sentinel:refresh-bookmarks';
  /** Deletes a bookmark (`id`; else the selected one), after asking. */
  export const deleteBookmark = 'sentinel:delete-bookmark';
  /** Creates a bookmark from the rows selected in the active KQL cell's result. */
  export const createBookmark = 'sentinel:create-bookmark';
  /** Creates a bookmark from the first rows of a DataFrame in the kernel. */
  export const createFromDataFrame = 'sentinel:create-bookmark-from-dataframe';
  /** Inserts a KQL cell with a bookmark's query and time window and runs it. */
  export const runBookmarkQuery = 'sentinel:run-bookmark-query';
}
