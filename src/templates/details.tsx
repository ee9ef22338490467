/**
 * A template's details in the main area, where the sidebar is too narrow for them: its description,
 * the required tables and whether the active workspace has them, its other fields, and Clone and
 * Open. The view follows the templates and the active workspace.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { infoIcon, ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import * as React from 'react';
import { templateWidgetId } from './commands';
import type { ITemplateInfo } from './tokens';
import { type ITemplateBrowserProps, TemplateDetails } from './widget';

/** Id of the command that shows a template's details in the main area. */
export const OPEN_TEMPLATE_DETAILS = 'sentinel:open-template-details';

/** The details of one template, kept up to date with the templates and the active workspace. */
export class TemplateDetailsView extends ReactWidget {
  constructor(
    private readonly _template: ITemplateInfo,
    private readonly _props: ITemplateBrowserProps
  ) {
    super();
    this.addClass('jp-SentinelTemplateDetails');
  }

  protected render(): JSX.Element {
    const { model, workspaces } = this._props;
    const { source, id } = this._template;
    return (
      <UseSignal signal={workspaces.changed}>
        {() => (
          <UseSignal signal={model.changed}>
            {() => (
              <TemplateDetails
                // The listed version, once the sources are read again.
                template={model.find(source, id) ?? this._template}
                props={{ ...this._props, onDetails: undefined }}
              />
            )}
          </UseSignal>
        )}
      </UseSignal>
    );
  }
}

/**
 * Registers the command that shows a template's details in the main area (the one named by
 * `source` and `id`, else the one selected in the sidebar), revealing them when already open.
 */
export function addTemplateDetailsCommand(
  app: JupyterFrontEnd,
  props: ITemplateBrowserProps,
  palette: ICommandPalette | null
): void {
  const { model, trans } = props;
  const templateOf = (args: ReadonlyPartialJSONObject): ITemplateInfo | null =>
    typeof args.source === 'string' && typeof args.id === 'string'
      ? (model.find(args.source, args.id) ?? null)
      : model.selected;
  app.commands.addCommand(OPEN_TEMPLATE_DETAILS, {
    label: trans.__('Show Template Details'),
    caption: trans.__(
      'Show a template’s description, required tables and fields in the main area'
    ),
    icon: infoIcon,
    isEnabled: args => templateOf(args) !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          source: {
            type: 'string',
            description: trans.__('Id of the template source, e.g. `package`')
          },
          id: {
            type: 'string',
            description: trans.__('Path of the template inside its source')
          }
        }
      }
    },
    execute: args => {
      const template = templateOf(args);
      if (!template) {
        return;
      }
      const id = templateWidgetId('jp-sentinel-template-details', template);
      const open = Array.from(app.shell.widgets('main')).find(w => w.id === id);
      if (open) {
        app.shell.activateById(id);
        return;
      }
      const widget = new MainAreaWidget({
        content: new TemplateDetailsView(template, props)
      });
      widget.id = id;
      widget.title.label = trans.__('%1 (details)', template.title);
      widget.title.caption = trans.__(
        'Details of the template %1',
        template.id
      );
      widget.title.icon = infoIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      app.shell.activateById(id);
    }
  });
  palette?.addItem({
    command: OPEN_TEMPLATE_DETAILS,
    category: trans.__('Sentinel')
  });
}
