/**
 * A hunt's queries on a workspace backend: each rule's query runs through the backend's `query()`
 * over the rule's window, classified as the engine classifies `kql hunt`'s.
 *
 * A backend that compiles locally refuses a query naming a table the workspace lacks before
 * running it, with the binder's diagnostics; one that sends KQL to a service (Azure) gets the
 * service's error, which names an unknown "table or column" alike. When a query fails, Kusto's
 * binder over the workspace's schema tells which: a table it lacks makes the rule's outcome
 * "missing tables", never "error".
 */
import { QueryCancelledError, QueryCompileError } from '../backends/errors';
import {
  compileOutcome,
  type IHuntQueryRunner,
  type IHuntWindow,
  type QueryOutcome
} from '../kql/hunts/run';
import { compilerSchema, loadCompiler } from '../kql/index';
import { SentinelServerError } from '../server';
import type {
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../tokens';

/**
 * How often a query the server was too busy for is tried again: a pack's rules share the query
 * workers with every notebook's queries, so a rule waits for a free one rather than failing.
 */
const BUSY_RETRIES = 5;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** Runs hunt queries on one workspace through its backend. */
export class WorkspaceHuntRunner implements IHuntQueryRunner {
  constructor(
    private readonly _backend: IWorkspaceBackend,
    private readonly _workspace: IWorkspaceInfo,
    private readonly _signal?: AbortSignal
  ) {}

  async run(query: string, window: IHuntWindow): Promise<QueryOutcome> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this._runOnce(query, window);
      if (outcome.kind !== 'busy') {
        return outcome;
      }
      if (attempt >= BUSY_RETRIES || this._signal?.aborted) {
        return { kind: 'error', message: outcome.message };
      }
      await pause(outcome.retryMs, this._signal);
    }
  }

  private async _runOnce(
    query: string,
    window: IHuntWindow
  ): Promise<
    QueryOutcome | { kind: 'busy'; retryMs: number; message: string }
  > {
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
      if (error instanceof SentinelServerError && error.reason === 'busy') {
        return {
          kind: 'busy',
          retryMs: (error.retryAfterSeconds ?? 1) * 1000,
          message: error.message
        };
      }
      if (error instanceof QueryCancelledError) {
        return { kind: 'error', message: 'cancelled' };
      }
      const message = error instanceof Error ? error.message : String(error);
      const tables = await this._missingTables(query).catch(() => []);
      return tables.length > 0
        ? { kind: 'missing-tables', tables }
        : { kind: 'error', message };
    }
  }

  /** Tables the query reads that the workspace's schema lacks, as Kusto's binder finds them. */
  private async _missingTables(query: string): Promise<string[]> {
    // Read once per run: a pack's failed rules share it.
    this._schema ??= this._backend.getSchema(this._workspace.id);
    const [compiler, schema] = await Promise.all([
      loadCompiler(),
      this._schema
    ]);
    const outcome = compileOutcome(
      compiler.compile(query, compilerSchema(schema.tables)).diagnostics
    );
    return outcome?.kind === 'missing-tables' ? outcome.tables : [];
  }

  private _schema: Promise<IWorkspaceSchema> | null = null;
}
