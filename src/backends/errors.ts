/**
 * The errors every `IWorkspaceBackend.query()` rejects with, whichever backend runs the query, so
 * that a KQL cell can tell a bad query from a cancelled one without knowing the backend.
 */
import type { IKqlDiagnostic } from '../kql/index';

/** A query that cannot run: the text is not KQL, names something unknown, or is unsupported. */
export class QueryCompileError extends Error {
  constructor(
    /** Every problem found, errors first, each with line and column. */
    readonly diagnostics: IKqlDiagnostic[]
  ) {
    super(QueryCompileError.describe(diagnostics));
    this.name = 'QueryCompileError';
  }

  /** The errors among the diagnostics (warnings do not stop a query). */
  get errors(): IKqlDiagnostic[] {
    return this.diagnostics.filter(d => d.severity === 'error');
  }

  /** True when the query is valid KQL that this backend cannot run (rather than a mistake). */
  get unsupported(): boolean {
    return this.errors.some(d => d.stage === 'unsupported');
  }

  /** `line:column message` of the first error, and how many more there are. */
  static describe(diagnostics: IKqlDiagnostic[]): string {
    const errors = diagnostics.filter(d => d.severity === 'error');
    const first = errors[0] ?? diagnostics[0];
    if (!first) {
      return 'The query could not be compiled';
    }
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return `${first.line}:${first.column} ${first.message}${more}`;
  }
}

/** A query stopped by its caller's `AbortSignal`. */
export class QueryCancelledError extends Error {
  constructor(
    /** Id the query ran under. */
    readonly queryId: string
  ) {
    super('The query was cancelled');
    this.name = 'QueryCancelledError';
  }
}

/**
 * Settles with `work`, or with a `QueryCancelledError` as soon as `signal` aborts (at once when it
 * already has). `onAbort` stops the work where it runs (the local backend interrupts the query in
 * the Jupyter server); `settled` tells it whether the work has answered meanwhile.
 */
export function cancellable<T>(
  work: Promise<T>,
  queryId: string,
  signal: AbortSignal | undefined,
  onAbort?: (settled: () => boolean) => void
): Promise<T> {
  if (!signal) {
    return work;
  }
  // The work's own failure after a cancellation is expected: not an unhandled rejection.
  work.catch(() => undefined);
  let settled = false;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      reject(new QueryCancelledError(queryId));
      onAbort?.(() => settled);
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    const finish = (): void => {
      settled = true;
      signal.removeEventListener('abort', abort);
    };
    work.then(
      value => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(signal.aborted ? new QueryCancelledError(queryId) : error);
      }
    );
  });
}
