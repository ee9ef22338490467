/**
 * A notebook reopens against the workspace its queries ran on: when a notebook whose metadata names
 * a workspace becomes the current notebook, that workspace becomes active (the status bar, the
 * schema and the bookmarks follow). A workspace that is not listed (yet) is left alone: the KQL
 * cell says so when it runs.
 */
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { ISentinelWorkspaces } from '../tokens';
import { notebookWorkspace } from './metadata';

/** Makes the current notebook's saved workspace the active one, for as long as the app runs. */
export function followNotebookWorkspaces(
  tracker: INotebookTracker,
  workspaces: ISentinelWorkspaces
): void {
  const follow = (panel: NotebookPanel | null): void => {
    if (!panel) {
      return;
    }
    // The metadata is there once the notebook's file is read.
    void panel.context.ready.then(() => {
      if (tracker.currentWidget !== panel || !panel.model) {
        return;
      }
      const saved = notebookWorkspace(panel.model);
      const active = workspaces.active;
      if (
        !saved ||
        (active && active.backend === saved.backend && active.id === saved.id)
      ) {
        return;
      }
      if (workspaces.find(saved.backend, saved.id)) {
        void workspaces.select(saved.backend, saved.id);
      }
    });
  };
  tracker.currentChanged.connect((_, panel) => follow(panel));
  const followed = new WeakSet<NotebookPanel>();
  // A notebook restored with the page may become current before the workspaces are listed.
  workspaces.changed.connect(() => {
    const panel = tracker.currentWidget;
    if (panel && !followed.has(panel)) {
      followed.add(panel);
      follow(panel);
    }
  });
  follow(tracker.currentWidget);
}
