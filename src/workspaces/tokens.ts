/**
 * The ids of the workspaces commands. The workspaces service itself, `ISentinelWorkspaces`, is in
 * `src/tokens.ts` with the backend interface it is made of.
 */

/** Ids of the workspaces commands. */
export namespace CommandIDs {
  /** Lists the workspaces of every backend again and re-reads the active schema. */
  export const refreshWorkspaces = 'sentinel:refresh-workspaces';
  /** Runs a KQL query on the active workspace and returns its rows (for the command API). */
  export const runQuery = 'sentinel:run-query';
}
