/**
 * A CodeMirror extension whose module loads on first use: the KQL editor's (with CodeMirror's
 * completion and lint packages) is not needed before an editor exists, so JupyterLab starts
 * without it.
 */
import { Compartment, type Extension } from '@codemirror/state';
import { ViewPlugin } from '@codemirror/view';

/**
 * Stands in for the extension `load` answers: empty in an editor until it answers, then that
 * extension, in the same place of the editor's configuration.
 */
export function deferredExtension(load: () => Promise<Extension>): Extension {
  const slot = new Compartment();
  return [
    slot.of([]),
    ViewPlugin.define(view => {
      let destroyed = false;
      load().then(
        extension => {
          if (!destroyed) {
            view.dispatch({ effects: slot.reconfigure(extension) });
          }
        },
        error =>
          console.error(
            'jupyterlab-sentinel: the KQL editor could not be loaded',
            error
          )
      );
      return {
        destroy: () => {
          destroyed = true;
        }
      };
    })
  ];
}
