/**
 * The plugins of jupyterlab-sentinel, one list; each feature wires its own in its folder's
 * `plugin.ts`.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { azurePlugin } from './backends/azure/plugin';
import { bookmarkCreationPlugin, bookmarksPlugin } from './bookmarks/plugin';
import { kqlEditorPlugin, kqlLanguagePlugin } from './cells/editor/plugin';
import { huntsPlugin } from './hunts/plugin';
import {
  cellExecutorPlugin,
  kqlCellsPlugin,
  kqlNotebookPlugin
} from './cells/plugin';
import { resultsPlugin } from './results/plugin';
import { sidebarPlugin } from './sidebar/plugin';
import { templatesPlugin } from './templates/plugin';
import { investigationViewsPlugin } from './views/plugin';
import { workspacesPlugin, workspaceStatusPlugin } from './workspaces/plugin';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  kqlLanguagePlugin,
  workspacesPlugin,
  templatesPlugin,
  sidebarPlugin,
  bookmarksPlugin,
  huntsPlugin,
  workspaceStatusPlugin,
  cellExecutorPlugin,
  kqlCellsPlugin,
  kqlEditorPlugin,
  kqlNotebookPlugin,
  investigationViewsPlugin,
  resultsPlugin,
  bookmarkCreationPlugin,
  azurePlugin
];
export default plugins;
