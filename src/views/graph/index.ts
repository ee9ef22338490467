/** The entity graph view: a result's entities, linked when they share rows. */
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { mayHoldEntities } from '../../bookmarks/entities';
import type { IColumnInfo } from '../../tokens';
import type {
  IInvestigationViewFactory,
  IInvestigationViewOptions,
  IInvestigationViewWidget
} from '../tokens';

/** The entity graph's toolbar icon: three linked nodes. */
export const entityGraphIcon = new LabIcon({
  name: 'jupyterlab-sentinel:entity-graph',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><circle cx="6" cy="6" r="3"/><circle cx="18" cy="8" r="3"/><circle cx="10" cy="18" r="3"/><path d="M8.6 5.9 15 7.5l-.3 1.4-6.4-1.6zM7.3 8.4l2.4 6.8-1.4.5-2.4-6.8zm9.1 2.2 1.2.8-5.7 5.5-1-1z"/></g></svg>'
});

/** The entity graph's factory: any result with a column that can hold entities. */
export const entityGraphViewFactory: IInvestigationViewFactory = {
  id: 'entity-graph',
  icon: entityGraphIcon,
  label: (trans: TranslationBundle) => trans.__('Entity Graph'),
  unavailable: (columns: readonly IColumnInfo[], trans: TranslationBundle) =>
    columns.some(mayHoldEntities)
      ? null
      : trans.__(
          'The entity graph reads accounts, hosts, addresses, URLs, files and processes from columns named for them (UserPrincipalName, Computer, IPAddress…) or string columns of IP addresses; this result has none.'
        ),
  // The widget's module (and what it draws with) loads when a result is first shown this way.
  create: async (
    options: IInvestigationViewOptions
  ): Promise<IInvestigationViewWidget> =>
    new (await import('./widget')).EntityGraphView(options)
};
