/**
 * The notebook cell executor: runs KQL cells through the workspace (every way a cell runs —
 * Shift+Enter, the run button, Run All — goes through the executor) and hands every other cell
 * to JupyterLab's own executor, unchanged.
 */
import type { INotebookCellExecutor } from '@jupyterlab/notebook';
import { isKqlCell } from './metadata';

/** Runs one KQL cell: what the executor delegates KQL cells to. */
export interface IKqlCellRunner {
  /** Runs the KQL cell of the options; resolves true when it (and its result cell) succeeded. */
  run(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean>;
}

/**
 * JupyterLab's cell executor, with KQL cells sent to a runner instead of the kernel. The runner
 * is set once the KQL cell plugin has started (it needs the notebook tracker, which itself needs
 * the executor); until then KQL cells are refused rather than sent to the kernel.
 */
export class KqlCellExecutor implements INotebookCellExecutor {
  /** @param _fallback - JupyterLab's own `runCell`, for every cell that is not KQL. */
  constructor(
    private readonly _fallback: (
      options: INotebookCellExecutor.IRunCellOptions
    ) => Promise<boolean>
  ) {}

  /** Runs KQL cells, once set. */
  runner: IKqlCellRunner | null = null;

  /**
   * Runs a cell. JupyterLab hands over all the cells of a Run All at once; the kernel queues code
   * cells in order, but a KQL cell's result arrives later. So cells after a KQL cell that is still
   * running wait for it (its DataFrame must exist first), and skip if it failed, as the kernel
   * skips the rest of a run after an error.
   */
  runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const kql = isKqlCell(options.cell.model);
    const pending = this._pending.get(options.notebook);
    if (!kql && !pending) {
      return this._fallback(options);
    }
    const run = (): Promise<boolean> =>
      kql
        ? this.runner
          ? this.runner.run(options)
          : Promise.resolve(false)
        : this._fallback(options);
    const result = pending ? pending.then(ok => (ok ? run() : false)) : run();
    if (kql || pending) {
      const settled = result.catch(() => false);
      this._pending.set(options.notebook, settled);
      void settled.then(() => {
        if (this._pending.get(options.notebook) === settled) {
          this._pending.delete(options.notebook);
        }
      });
    }
    return result;
  }

  /** Per notebook: the last cell of a run that waits on a KQL cell, while it runs. */
  private readonly _pending = new WeakMap<object, Promise<boolean>>();
}
