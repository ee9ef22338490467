/** The timeline view: a result's events on a time axis, one lane per value of a column. */
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { IColumnInfo } from '../../tokens';
import type {
  IInvestigationViewFactory,
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';
import { timeColumns } from './model';

/** The timeline's toolbar icon: events on lanes along an axis. */
export const timelineIcon = new LabIcon({
  name: 'jupyterlab-sentinel:timeline',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><rect x="2" y="20" width="20" height="1.5"/><rect x="4" y="4" width="2" height="4"/><rect x="9" y="4" width="2" height="4"/><rect x="17" y="4" width="2" height="4"/><rect x="6" y="11" width="2" height="4"/><rect x="13" y="11" width="2" height="4"/><rect x="15" y="11" width="2" height="4"/></g></svg>'
});

/** The timeline's factory: any result with a datetime column. */
export const timelineViewFactory: IInvestigationViewFactory = {
  id: 'timeline',
  icon: timelineIcon,
  label: (trans: TranslationBundle) => trans.__('Timeline'),
  unavailable: (columns: readonly IColumnInfo[], trans: TranslationBundle) =>
    timeColumns(columns).length
      ? null
      : trans.__('The timeline needs a datetime column; this result has none.'),
  // The widget's module (and what it draws with) loads when a result is first shown this way.
  create: async (
    options: IInvestigationViewOptions
  ): Promise<IInvestigationViewWidget> =>
    new (await import('./widget')).TimelineView(options)
};
