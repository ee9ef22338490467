import type * as nbformat from '@jupyterlab/nbformat';
import { SentinelServer, SentinelServerError } from '../server';
import type {
  CloneOutcome,
  ICloneOptions,
  ITemplateFolderSetting,
  ITemplateGitHubSetting,
  ITemplateInfo,
  ITemplateSource
} from './tokens';

/** The template calls of the server, so the model can be tested without one. */
export interface ITemplatesGateway {
  /** Every source with its templates. */
  list(): Promise<ITemplateSource[]>;
  /** Replaces the configured folders and GitHub repositories; answers the new listing. */
  configure(
    folders: ITemplateFolderSetting[],
    github?: ITemplateGitHubSetting[]
  ): Promise<ITemplateSource[]>;
  /** A template's notebook. */
  notebook(source: string, id: string): Promise<nbformat.INotebookContent>;
  /** Copies a template into a folder of the Jupyter root. */
  clone(
    source: string,
    id: string,
    folder: string,
    options: ICloneOptions
  ): Promise<CloneOutcome>;
}

/** A source as the server lists it (`problems` only when there are some). */
interface IServerSource extends Omit<ITemplateSource, 'problems'> {
  problems?: { id: string; message: string }[];
}

function proposal(
  body: unknown
): { path: string; proposedName: string; proposedPath: string } | null {
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const { path, proposedName, proposedPath } = body as Record<string, unknown>;
  return typeof path === 'string' &&
    typeof proposedName === 'string' &&
    typeof proposedPath === 'string'
    ? { path, proposedName, proposedPath }
    : null;
}

/** The `/sentinel/api/templates` endpoints of this extension's server. */
export class TemplatesServer implements ITemplatesGateway {
  constructor(
    private readonly _server: SentinelServer = new SentinelServer()
  ) {}

  async list(): Promise<ITemplateSource[]> {
    const body = await this._server.json<{ sources: IServerSource[] }>([
      'templates'
    ]);
    return body.sources.map(TemplatesServer._source);
  }

  async configure(
    folders: ITemplateFolderSetting[],
    github: ITemplateGitHubSetting[] = []
  ): Promise<ITemplateSource[]> {
    const body = await this._server.json<{ sources: IServerSource[] }>(
      ['templates'],
      { method: 'PUT', body: JSON.stringify({ folders, github }) }
    );
    return body.sources.map(TemplatesServer._source);
  }

  async notebook(
    source: string,
    id: string
  ): Promise<nbformat.INotebookContent> {
    const body = await this._server.json<{
      template: ITemplateInfo;
      notebook: nbformat.INotebookContent;
    }>(['templates', source, id]);
    return body.notebook;
  }

  async clone(
    source: string,
    id: string,
    folder: string,
    options: ICloneOptions
  ): Promise<CloneOutcome> {
    try {
      const body = await this._server.json<{
        path: string;
        overwritten: boolean;
      }>(['templates', source, id, 'clone'], {
        method: 'POST',
        body: JSON.stringify({ folder, ...options })
      });
      return { kind: 'cloned', path: body.path, overwritten: body.overwritten };
    } catch (error) {
      // A taken name is an answer to ask the user about, not a failure.
      const taken =
        error instanceof SentinelServerError &&
        error.status === 409 &&
        error.reason === 'exists'
          ? proposal(error.body)
          : null;
      if (taken) {
        return { kind: 'exists', ...taken };
      }
      throw error;
    }
  }

  private static _source(source: IServerSource): ITemplateSource {
    return { ...source, problems: source.problems ?? [] };
  }
}
