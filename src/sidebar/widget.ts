import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import {
  refreshIcon,
  SidePanel,
  ToolbarButton
} from '@jupyterlab/ui-components';
import type { ISentinelWorkspaces } from '../tokens';
import { sentinelIcon } from './icon';
import { SchemaPanel } from './schema';
import { WorkspacesPanel } from './workspaces';

/** The Sentinel sidebar: collapsible sections over the workspaces service. */
export class SentinelSidebar extends SidePanel {
  constructor(
    model: ISentinelWorkspaces,
    trans: TranslationBundle,
    commands: CommandRegistry
  ) {
    super();
    this.id = 'jp-sentinel-sidebar';
    this.addClass('jp-SentinelSidebar');
    this.title.icon = sentinelIcon;
    this.title.caption = trans.__('Sentinel');
    this.header.node.textContent = trans.__('Sentinel');
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Refresh workspaces and schema'),
        onClick: () => void model.refresh()
      })
    );
    this.addWidget(new WorkspacesPanel(model, trans, commands));
    this.addWidget(new SchemaPanel(model, trans, commands));
  }
}
