/** The process tree view: a result's process creations as trees per host, with flags. */
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { IColumnInfo } from '../../tokens';
import type {
  IInvestigationViewFactory,
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';
import { hasProcessColumns } from './model';

/** The process tree's toolbar icon: a parent with two children. */
export const processTreeIcon = new LabIcon({
  name: 'jupyterlab-sentinel:process-tree',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><rect x="3" y="3" width="8" height="5" rx="1"/><rect x="13" y="10" width="8" height="5" rx="1"/><rect x="13" y="17" width="8" height="5" rx="1"/><path d="M6 8h1.5v4.75H13v1.5H6zm0 6h1.5v4.75H13v1.5H6z"/></g></svg>'
});

/** The process tree's factory: results of DeviceProcessEvents or SecurityEvent 4688. */
export const processTreeViewFactory: IInvestigationViewFactory = {
  id: 'process-tree',
  icon: processTreeIcon,
  label: (trans: TranslationBundle) => trans.__('Process Tree'),
  unavailable: (columns: readonly IColumnInfo[], trans: TranslationBundle) =>
    hasProcessColumns(columns)
      ? null
      : trans.__(
          'The process tree needs a process, its parent and a time: DeviceProcessEvents columns (ProcessId or FileName, InitiatingProcessId or InitiatingProcessFileName) or SecurityEvent 4688 columns (NewProcessId or NewProcessName, ProcessId or ParentProcessName), with Timestamp or TimeGenerated.'
        ),
  // The widget's module (and what it draws with) loads when a result is first shown this way.
  create: async (
    options: IInvestigationViewOptions
  ): Promise<IInvestigationViewWidget> =>
    new (await import('./widget')).ProcessTreeView(options)
};
