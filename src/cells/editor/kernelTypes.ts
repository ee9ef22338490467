/**
 * The types of the kernel variables a KQL cell names (`{account}`), asked of the notebook's
 * kernel silently (as the runner reads their values) and kept until a cell runs again.
 */
import type { Kernel } from '@jupyterlab/services';
import { type INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { evaluate } from '../kernel';
import { describeExpression, parseDescription } from '../variables';
import type { VariableType } from './placeholders';

/** The kernel variable types of the editors of a notebook tracker's notebooks. */
export class KernelVariableTypes {
  constructor(private readonly _tracker: INotebookTracker) {
    // Running a cell may define, change or delete any variable.
    NotebookActions.executed.connect(this._forget, this);
  }

  /**
   * The known types of `names` in the kernel of the notebook whose cell has the editor `model`. Names the kernel was
   * not asked about yet are asked when it is idle (never queued behind a running cell); a name it
   * does not have, or a kernel that cannot answer, gives no type.
   */
  async types(
    model: unknown,
    names: string[]
  ): Promise<Record<string, VariableType>> {
    const panel = names.length
      ? this._tracker.find(p => p.content.widgets.some(c => c.model === model))
      : undefined;
    const kernel = panel?.sessionContext.session?.kernel;
    if (!kernel) {
      return {};
    }
    const known = this._known(kernel);
    const missing = [...new Set(names)].filter(name => !known.has(name));
    if (missing.length && kernel.status === 'idle') {
      try {
        const answers = await evaluate(
          kernel,
          Object.fromEntries(missing.map(n => [n, describeExpression(n)]))
        );
        for (const name of missing) {
          known.set(name, parseDescription(answers[name])?.[0] ?? null);
        }
      } catch (error) {
        // The kernel went away meanwhile: the types stay unknown, the squiggles stay correct.
        console.debug('jupyterlab-sentinel: kernel variable types', error);
      }
    }
    const types: Record<string, VariableType> = {};
    for (const name of names) {
      const type = known.get(name);
      if (type) {
        types[name] = type;
      }
    }
    return types;
  }

  /** Stops following executions. */
  dispose(): void {
    NotebookActions.executed.disconnect(this._forget, this);
  }

  private _known(
    kernel: Kernel.IKernelConnection
  ): Map<string, VariableType | null> {
    let known = this._byKernel.get(kernel);
    if (!known) {
      const fresh = new Map<string, VariableType | null>();
      // A restarted kernel keeps its connection and loses its variables.
      kernel.statusChanged.connect((_, status) => {
        if (status === 'restarting' || status === 'autorestarting') {
          fresh.clear();
        }
      });
      kernel.disposed.connect(() => this._byKernel.delete(kernel));
      this._byKernel.set(kernel, fresh);
      known = fresh;
    }
    return known;
  }

  private _forget(): void {
    for (const known of this._byKernel.values()) {
      known.clear();
    }
  }

  private _byKernel = new Map<
    Kernel.IKernelConnection,
    Map<string, VariableType | null>
  >();
}
