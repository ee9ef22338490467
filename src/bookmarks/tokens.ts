import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { IBookmark, IWorkspaceInfo } from '../tokens';

/**
 * The hunting bookmarks of the active workspace, newest first. The sidebar lists them; whatever
 * creates a bookmark (the bookmark dialog) calls `refresh()` so the list shows it.
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
