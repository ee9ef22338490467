import type * as nbformat from '@jupyterlab/nbformat';
import { Signal } from '@lumino/signaling';
import type { IWorkspaceSchema } from '../tokens';
import type { ITemplatesGateway } from './server';
import type {
  CloneOutcome,
  ICloneOptions,
  ISentinelTemplates,
  ITableCheck,
  ITemplateFolderSetting,
  ITemplateGitHubSetting,
  ITemplateInfo,
  ITemplateSource
} from './tokens';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The text a template is searched by: everything the sidebar shows about it. */
function searchText(template: ITemplateInfo): string {
  return [
    template.title,
    template.description,
    template.fileName,
    ...template.tags,
    ...template.tactics,
    ...template.requiredTables,
    ...template.optionalTables,
    ...template.dataSources,
    ...template.entityTypes
  ]
    .join('\n')
    .toLowerCase();
}

/**
 * Templates matching every word of the query (in any field) and carrying every selected tag
 * (case-insensitive).
 */
export function filterTemplates(
  templates: ReadonlyArray<ITemplateInfo>,
  query: string,
  tags: ReadonlySet<string>
): ITemplateInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const wanted = [...tags].map(t => t.toLowerCase());
  return templates.filter(template => {
    const text = searchText(template);
    const own = new Set(template.tags.map(t => t.toLowerCase()));
    return (
      words.every(word => text.includes(word)) &&
      wanted.every(tag => own.has(tag))
    );
  });
}

/** The required tables of a template, each marked present or missing in a workspace schema. */
export function checkTables(
  template: ITemplateInfo,
  schema: IWorkspaceSchema | null
): ITableCheck[] {
  const tables = schema ? new Set(schema.tables.map(t => t.name)) : null;
  return template.requiredTables.map(table => ({
    table,
    state:
      tables === null ? 'unknown' : tables.has(table) ? 'present' : 'missing'
  }));
}

/**
 * The template sources and the search over them. Plain state with a `changed` signal: the sidebar
 * renders from it and calls its methods, and holds no state of its own.
 */
export class TemplatesModel implements ISentinelTemplates {
  constructor(private readonly _gateway: ITemplatesGateway) {}

  get sources(): ReadonlyArray<ITemplateSource> {
    return this._sources;
  }

  get templates(): ReadonlyArray<ITemplateInfo> {
    return this._templates;
  }

  get error(): string | null {
    return this._error;
  }

  get loading(): boolean {
    return this._loading;
  }

  get query(): string {
    return this._query;
  }

  get selectedTags(): ReadonlySet<string> {
    return this._tags;
  }

  get allTags(): ReadonlyArray<string> {
    const tags = new Map<string, string>();
    for (const template of this._templates) {
      for (const tag of template.tags) {
        // One entry per tag whatever its capitalisation, spelled as first seen.
        if (!tags.has(tag.toLowerCase())) {
          tags.set(tag.toLowerCase(), tag);
        }
      }
    }
    return [...tags.values()].sort((a, b) => a.localeCompare(b));
  }

  get filtered(): ReadonlyArray<ITemplateInfo> {
    return filterTemplates(this._templates, this._query, this._tags);
  }

  get selected(): ITemplateInfo | null {
    return this._selected;
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  setQuery(query: string): void {
    if (query !== this._query) {
      this._query = query;
      this._changed.emit();
    }
  }

  toggleTag(tag: string): void {
    const tags = new Set(this._tags);
    if (!tags.delete(tag)) {
      tags.add(tag);
    }
    this._tags = tags;
    this._changed.emit();
  }

  select(template: ITemplateInfo | null): void {
    this._selected = template;
    this._changed.emit();
  }

  find(source: string, id: string): ITemplateInfo | undefined {
    return this._templates.find(t => t.source === source && t.id === id);
  }

  async refresh(): Promise<void> {
    await this._load(() => this._gateway.list());
  }

  async configure(
    folders: ITemplateFolderSetting[],
    github: ITemplateGitHubSetting[] = []
  ): Promise<void> {
    await this._load(() => this._gateway.configure(folders, github));
  }

  clone(
    template: ITemplateInfo,
    folder: string,
    options: ICloneOptions = {}
  ): Promise<CloneOutcome> {
    return this._gateway.clone(template.source, template.id, folder, options);
  }

  notebook(template: ITemplateInfo): Promise<nbformat.INotebookContent> {
    return this._gateway.notebook(template.source, template.id);
  }

  private async _load(list: () => Promise<ITemplateSource[]>): Promise<void> {
    const request = ++this._request;
    let sources: ITemplateSource[] | null = null;
    let error: string | null = null;
    try {
      sources = await list();
    } catch (reason) {
      error = describe(reason);
    }
    // An answer to a superseded request (settings changed meanwhile) is dropped.
    if (request !== this._request) {
      return;
    }
    this._loading = false;
    this._error = error;
    if (sources) {
      this._sources = sources;
      this._templates = sources.flatMap(s =>
        s.status === 'ready' ? s.templates : []
      );
      // Keep the details open across a refresh when the template is still there.
      const selected = this._selected;
      this._selected = selected
        ? (this.find(selected.source, selected.id) ?? null)
        : null;
    }
    this._changed.emit();
  }

  private _sources: ITemplateSource[] = [];
  private _templates: ITemplateInfo[] = [];
  private _error: string | null = null;
  private _loading = true;
  private _query = '';
  private _tags: ReadonlySet<string> = new Set();
  private _selected: ITemplateInfo | null = null;
  private _request = 0;
  private _changed = new Signal<this, void>(this);
}
