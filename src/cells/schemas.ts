/**
 * The schemas of the current notebook's workspaces when it queries several at once: each one's
 * tables, read once per workspace list, so that the editor's completion and squiggles and the
 * sidebar's schema cover the union of their tables and `workspace("name").Table`.
 */
import type { INotebookModel, INotebookTracker } from '@jupyterlab/notebook';
import type {
  ISentinelWorkspaces,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../tokens';
import type { IMemberSchema } from '../workspaces/union';
import { notebookWorkspaces } from './workspaces';

/**
 * Calls `changed` with the workspaces of the current notebook and their schemas when it queries
 * several, with null when it queries one (the active workspace's schema applies).
 */
export function followNotebookSchemas(
  tracker: INotebookTracker,
  workspaces: ISentinelWorkspaces,
  changed: (members: IMemberSchema[] | null) => void
): void {
  let schemas = new Map<string, Promise<IWorkspaceSchema>>();
  let listed = workspaces.workspaces;
  let watched: INotebookModel | null = null;
  let latest = 0;

  const update = async (): Promise<void> => {
    const run = ++latest;
    const model = tracker.currentWidget?.model ?? null;
    let chosen: IWorkspaceInfo[];
    try {
      chosen = model ? notebookWorkspaces(workspaces, model) : [];
    } catch {
      chosen = [];
    }
    const backend = chosen.length ? workspaces.backendOf(chosen[0]) : null;
    if (chosen.length < 2 || !backend) {
      changed(null);
      return;
    }
    try {
      const read = await Promise.all(
        chosen.map(w => {
          const key = `${w.backend}/${w.id}`;
          let schema = schemas.get(key);
          if (!schema) {
            schema = backend.getSchema(w.id);
            schemas.set(key, schema);
            // A failed read is tried again next time rather than remembered.
            schema.catch(() => schemas.delete(key));
          }
          return schema;
        })
      );
      if (run === latest) {
        changed(
          chosen.map((w, i) => ({
            id: w.id,
            name: w.name,
            tables: read[i].tables
          }))
        );
      }
    } catch {
      // A workspace whose schema cannot be read: the cell says why when it runs.
      if (run === latest) {
        changed(null);
      }
    }
  };

  const watch = (): void => {
    const model = tracker.currentWidget?.model ?? null;
    if (model !== watched) {
      watched?.metadataChanged.disconnect(onMetadata);
      watched = model;
      watched?.metadataChanged.connect(onMetadata);
    }
    void update();
  };
  const onMetadata = (): void => void update();

  tracker.currentChanged.connect(watch);
  workspaces.changed.connect(() => {
    // Listed again (a refresh, new folders): their tables may have changed too.
    if (workspaces.workspaces !== listed) {
      listed = workspaces.workspaces;
      schemas = new Map();
    }
    void update();
  });
  watch();
}
