/**
 * A template's details in the main area, where the sidebar is too narrow for them: its description,
 * the required tables and whether the active workspace has them, its other fields, and Clone and
 * Open. The view follows the templates and the active workspace.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { ITemplateInfo } from './tokens';
import { type ITemplateBrowserProps, TemplateDetails } from './widget';

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
