/**
 * A hunt's queries on a workspace backend: each rule's query runs through the backend's `query()`
 * over the rule's window, classified as the engine classifies `kql hunt`'s.
 */
import { QueryCancelledError, QueryCompileError } from '../backends/errors';
import {
  compileOutcome,
  type IHuntQueryRunner,
  type IHuntWindow,
  type QueryOutcome
} from '../kql/hunts/run';
import type { IWorkspaceBackend, IWorkspaceInfo } from '../tokens';

/** Runs hunt queries on one workspace through its backend. */
export class WorkspaceHuntRunner implements IHuntQueryRunner {
  constructor(
    private readonly _backend: IWorkspaceBackend,
    private readonly _workspace: IWorkspaceInfo,
    private readonly _signal?: AbortSignal
  ) {}

  async run(query: string, window: IHuntWindow): Promise<QueryOutcome> {
    try {
      const result = await this._backend.query(this._workspace.id, query, {
        timespan: window,
        now: window.end,
        signal: this._signal
      });
      return { kind: 'rows', count: result.rowCount };
    } catch (error) {
      if (error instanceof QueryCompileError) {
        return (
          compileOutcome(error.diagnostics) ?? {
            kind: 'error',
            message: error.message
          }
        );
      }
      if (error instanceof QueryCancelledError) {
        return { kind: 'error', message: 'cancelled' };
      }
      return {
        kind: 'error',
        message: error instanceof Error ? error.message : String(error)
      };
    }
  }
}
