import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IBookmark } from '../tokens';
import type { ISentinelBookmarks } from './tokens';

/**
 * Asks before deleting a bookmark of the active workspace, then deletes it. Answers true when it
 * was deleted, false when the user kept it; rejects with the backend's error when deletion fails.
 */
export async function confirmAndDeleteBookmark(
  bookmark: IBookmark,
  model: ISentinelBookmarks,
  trans: TranslationBundle
): Promise<boolean> {
  const workspace = model.workspace?.name ?? '';
  const answer = await showDialog({
    title: trans.__('Delete Bookmark'),
    body: trans.__(
      'Delete the bookmark “%1” from %2?',
      bookmark.displayName,
      workspace
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: trans.__('Delete') })
    ],
    defaultButton: 0
  });
  if (!answer.button.accept) {
    return false;
  }
  await model.delete(bookmark.id);
  return true;
}
