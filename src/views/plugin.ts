import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { entityGraphViewFactory } from './graph';
import { processTreeViewFactory } from './processtree';
import { InvestigationViews } from './registry';
import { timelineViewFactory } from './timeline';
import { IInvestigationViews } from './tokens';

/** The kinds of investigation views a KQL result's toolbar offers, with the timeline, the process tree and the entity graph added. */
export const investigationViewsPlugin: JupyterFrontEndPlugin<IInvestigationViews> =
  {
    id: 'jupyterlab-sentinel:views',
    description:
      'The investigation views a KQL result can be shown as beside its grid: timeline, process tree, entity graph.',
    autoStart: true,
    provides: IInvestigationViews,
    activate: (): IInvestigationViews => {
      const views = new InvestigationViews();
      views.add(timelineViewFactory);
      views.add(processTreeViewFactory);
      views.add(entityGraphViewFactory);
      return views;
    }
  };
