import { Dialog, MainAreaWidget, showDialog } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type * as nbformat from '@jupyterlab/nbformat';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { notebookIcon } from '@jupyterlab/ui-components';
import { Panel } from '@lumino/widgets';
import type { ISentinelTemplates, ITemplateInfo } from './tokens';

/** What cloning needs besides the template. */
export interface ICloneContext {
  model: ISentinelTemplates;
  /** Folder of the copy, relative to the Jupyter root (`''` is the root). */
  folder: string;
  trans: TranslationBundle;
  /** Opens the copy; without a document manager the copy is only written. */
  docManager: IDocumentManager | null;
}

/**
 * Clones a template into a folder and opens the copy. When the name is taken the user chooses:
 * overwrite, save under the free name the server proposes, or cancel. Answers the copy's path, or
 * null when the user cancelled.
 */
export async function cloneTemplate(
  template: ITemplateInfo,
  context: ICloneContext
): Promise<string | null> {
  const { model, folder, trans, docManager } = context;
  let name = template.fileName;
  let outcome = await model.clone(template, folder);
  // Loops only when someone takes the proposed name between the question and the answer.
  while (outcome.kind === 'exists') {
    const overwrite = Dialog.warnButton({ label: trans.__('Overwrite') });
    const saveAs = Dialog.okButton({
      label: trans.__('Save as %1', outcome.proposedName)
    });
    const answer = await showDialog({
      title: trans.__('A Notebook Named %1 Exists', name),
      body: trans.__(
        '%1 already exists. Overwrite it, or save the copy of “%2” as %3?',
        outcome.path,
        template.title,
        outcome.proposedName
      ),
      buttons: [Dialog.cancelButton(), overwrite, saveAs],
      defaultButton: 2
    });
    if (!answer.button.accept) {
      return null;
    }
    if (answer.button.label === overwrite.label) {
      outcome = await model.clone(template, folder, { name, overwrite: true });
    } else {
      name = outcome.proposedName;
      outcome = await model.clone(template, folder, { name });
    }
  }
  docManager?.openOrReveal(outcome.path);
  return outcome.path;
}

/** The notebook as markdown: its markdown cells, and code cells as fenced blocks. */
export function notebookAsMarkdown(
  notebook: nbformat.INotebookContent
): string {
  const text = (source: nbformat.MultilineString): string =>
    Array.isArray(source) ? source.join('') : source;
  return notebook.cells
    .map(cell => {
      const source = text(cell.source);
      if (cell.cell_type === 'markdown') {
        return source;
      }
      const sentinel = cell.metadata['sentinel'];
      const isKql =
        typeof sentinel === 'object' &&
        sentinel !== null &&
        (sentinel as Record<string, unknown>)['kql'] === true;
      // A fence longer than any run of backticks in the code cannot be closed by it.
      const longest = Math.max(
        2,
        ...(source.match(/`+/g) ?? []).map(run => run.length)
      );
      const fence = '`'.repeat(longest + 1);
      return `${fence}${isKql ? 'kusto' : 'python'}\n${source}\n${fence}`;
    })
    .join('\n\n');
}

/** The main-area id of a view of `template`: `prefix`, its source and its path, as an id. */
export function templateWidgetId(
  prefix: string,
  template: ITemplateInfo
): string {
  return `${prefix}-${template.source}-${template.id}`.replace(
    /[^A-Za-z0-9_-]/g,
    '-'
  );
}

/**
 * A read-only view of a template: its text rendered as untrusted markdown, so reading a template
 * never runs anything and never creates a file.
 */
export async function openTemplatePreview(
  template: ITemplateInfo,
  model: ISentinelTemplates,
  rendermime: IRenderMimeRegistry,
  trans: TranslationBundle
): Promise<MainAreaWidget<Panel>> {
  const notebook = await model.notebook(template);
  const renderer = rendermime.createRenderer('text/markdown');
  await renderer.renderModel(
    rendermime.createModel({
      data: { 'text/markdown': notebookAsMarkdown(notebook) },
      trusted: false
    })
  );
  const content = new Panel();
  content.addClass('jp-SentinelTemplatePreview');
  content.addWidget(renderer);
  const widget = new MainAreaWidget({ content });
  widget.id = templateWidgetId('jp-sentinel-template', template);
  widget.title.label = trans.__('%1 (template)', template.title);
  widget.title.caption = trans.__(
    'Read-only view of the template %1',
    template.id
  );
  widget.title.icon = notebookIcon;
  widget.title.closable = true;
  return widget;
}
