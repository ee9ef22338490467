/**
 * Stopping a notebook stops its queries: a KQL cell's query runs on the workspace, not in the
 * kernel, so interrupting the kernel alone would leave it running. Every way a user stops a
 * notebook — the toolbar's ■ (`notebook:interrupt-kernel`), Kernel ▸ Interrupt and `I, I`
 * (`kernelmenu:interrupt`), a kernel restart or shut down, closing the notebook — also cancels
 * the queries of its running KQL cells.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ISessionContext } from '@jupyterlab/apputils';
import type {
  INotebookModel,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { Kernel, Session } from '@jupyterlab/services';

/** What stops a notebook's KQL cells: the runner's `cancelAll`. */
export interface IKqlCancel {
  /** Cancels the running queries of a notebook's KQL cells. */
  cancelAll(notebook: INotebookModel): number;
}

/** Commands that interrupt the kernel of the current notebook, and the widget each acts on. */
const INTERRUPT_COMMANDS: Readonly<Record<string, 'notebook' | 'shell'>> = {
  // The notebook toolbar's ■: the notebook tracker's current notebook.
  'notebook:interrupt-kernel': 'notebook',
  // Kernel ▸ Interrupt Kernel and `I, I`: the main area's current widget, when it is a notebook.
  'kernelmenu:interrupt': 'shell'
};

/** Kernel states after which no query of the notebook's cells is wanted any more. */
const ENDED: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'restarting',
  'autorestarting',
  'dead'
]);

/** Cancels a notebook's running KQL queries whenever the user stops the notebook, for as long as the app runs. */
export function cancelOnInterrupt(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  runner: IKqlCancel
): void {
  const cancel = (panel: NotebookPanel | null | undefined): void => {
    const model = panel?.content.model;
    if (model) {
      runner.cancelAll(model);
    }
  };

  app.commands.commandExecuted.connect((_, { id }) => {
    const target = INTERRUPT_COMMANDS[id];
    if (target === 'notebook') {
      cancel(tracker.currentWidget);
    } else if (target === 'shell') {
      const current = app.shell.currentWidget;
      if (current && current === tracker.currentWidget) {
        cancel(tracker.currentWidget);
      }
    }
  });

  tracker.widgetAdded.connect((_, panel) => {
    // Captured now: a closed panel has let go of its model.
    const model = panel.context.model;
    const onStatus = (
      context: ISessionContext,
      status: Kernel.Status
    ): void => {
      if (ENDED.has(status)) {
        runner.cancelAll(model);
      }
    };
    const onKernel = (
      context: ISessionContext,
      change: Session.ISessionConnection.IKernelChangedArgs
    ): void => {
      if (change.oldValue && !change.newValue) {
        runner.cancelAll(model);
      }
    };
    panel.sessionContext.statusChanged.connect(onStatus);
    panel.sessionContext.kernelChanged.connect(onKernel);
    panel.disposed.connect(() => {
      panel.sessionContext.statusChanged.disconnect(onStatus);
      panel.sessionContext.kernelChanged.disconnect(onKernel);
      runner.cancelAll(model);
    });
  });
}
