/**
 * The workspace a notebook names in its metadata is not listed (removed from the settings, signed
 * out, or not listed yet). Its queries and its bookmarks are refused rather than sent to the
 * active workspace, which is another one.
 */
export class WorkspaceUnavailableError extends Error {
  constructor(
    /** The backend the notebook names. */
    readonly backend: string,
    /** The workspace id the notebook names. */
    readonly id: string
  ) {
    super(
      `This notebook runs its queries on the workspace ${backend}/${id}, which is not available`
    );
    this.name = 'WorkspaceUnavailableError';
  }
}
