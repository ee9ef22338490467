/**
 * The KQL language service plugin, and the KQL editor plugin: completion, squiggles and quick info
 * in KQL cells, from the service running in a Web Worker that starts the first time it is asked.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry
} from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISentinelWorkspaces } from '../../tokens';
import { KQL_MIME } from '../language';
import { KqlLanguageClient } from './client';
import { IKqlLanguage } from './tokens';
import { deferredExtension } from './deferred';
import { KernelVariableTypes } from './kernelTypes';
import type { IMemberSchema } from '../../workspaces/union';
import { followNotebookSchemas } from '../schemas';

/** The backend id of local workspaces, whose queries our compiler runs. */
const LOCAL_BACKEND = 'local';

/** The KQL language service, shared by the KQL editors and the local backend. */
export const kqlLanguagePlugin: JupyterFrontEndPlugin<KqlLanguageClient> = {
  id: 'jupyterlab-sentinel:kql-language',
  description:
    'The KQL language service: Kusto.Language and the compiler in a Web Worker, for the KQL editors and for compiling the queries of local workspaces.',
  autoStart: true,
  provides: IKqlLanguage,
  activate: (): KqlLanguageClient =>
    new KqlLanguageClient({
      // The worker's script (and Kusto.Language with it) loads only when it is first asked.
      createWorker: async () => (await import('./spawn')).spawnLanguageWorker()
    })
};

/** Completion, squiggles and quick info in KQL cells. */
export const kqlEditorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sentinel:kql-editor',
  description:
    'The KQL editor of KQL cells: completion of tables, columns, operators and functions, error squiggles with the message on hover, quick info on names.',
  autoStart: true,
  requires: [ISentinelWorkspaces, IEditorExtensionRegistry, IKqlLanguage],
  optional: [INotebookTracker],
  activate: (
    _app: JupyterFrontEnd,
    workspaces: ISentinelWorkspaces,
    extensions: IEditorExtensionRegistry,
    client: KqlLanguageClient,
    tracker: INotebookTracker | null
  ): void => {
    // The workspaces of the current notebook when it queries several at once, with their tables.
    let members: IMemberSchema[] | null = null;
    const update = () =>
      client.setWorkspace(
        workspaces.schema,
        workspaces.active?.backend === LOCAL_BACKEND,
        members
      );
    update();
    workspaces.changed.connect(update);
    if (tracker) {
      followNotebookSchemas(tracker, workspaces, found => {
        members = found;
        update();
      });
    }
    // `{name}` is typed from the notebook's kernel where it has the variable.
    const kernelTypes = tracker ? new KernelVariableTypes(tracker) : null;

    extensions.addExtension({
      name: 'jupyterlab-sentinel:kql-editor',
      factory: ({ model }) =>
        EditorExtensionRegistry.createImmutableExtension(
          deferredExtension(async () =>
            (await import('./extension')).kqlEditorExtension({
              isKql: () => model.mimeType === KQL_MIME,
              client,
              variableTypes: kernelTypes
                ? names => kernelTypes.types(model, names)
                : undefined
            })
          )
        )
    });
  }
};
