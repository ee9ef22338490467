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

  runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    if (isKqlCell(options.cell.model)) {
      return this.runner ? this.runner.run(options) : Promise.resolve(false);
    }
    return this._fallback(options);
  }
}
