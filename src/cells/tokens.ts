/**
 * The public contract of KQL cells: the ids of their commands, for the features that run them
 * (the schema tree inserts a KQL cell, the result grid runs one again) and for other extensions.
 */

/** Ids of the KQL cell commands. */
export namespace CommandIDs {
  /** Inserts a KQL cell below the active cell (`query`: the KQL it starts with). */
  export const insertKqlCell = 'sentinel:insert-kql-cell';
  /** Turns the active code cell into a KQL cell, or back. */
  export const toggleKqlCell = 'sentinel:toggle-kql-cell';
  /** Runs the active KQL cell (the cell toolbar's button). */
  export const runKqlCell = 'sentinel:run-kql-cell';
  /** Inserts `text` at the active cell's cursor. */
  export const insertText = 'sentinel:insert-text';
  /** Cancels the active KQL cell's running query. */
  export const cancelKqlCell = 'sentinel:cancel-kql-cell';
  /** Makes a notebook whose first cell is a KQL cell (the Launcher's KQL Notebook). */
  export const newKqlNotebook = 'sentinel:new-kql-notebook';
  /** Picks the workspaces the current notebook's KQL cells query at once (the query bar's button). */
  export const chooseWorkspaces = 'sentinel:choose-notebook-workspaces';
}
