import type * as nbformat from '@jupyterlab/nbformat';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';

/** A notebook template as its source describes it (from its `metadata.sentinel` block). */
export interface ITemplateInfo {
  /** Path of the notebook inside its source, e.g. `account-investigation.ipynb`. */
  id: string;
  /** Id of the source the template comes from. */
  source: string;
  /** File name the copy gets by default. */
  fileName: string;
  /** Display title. */
  title: string;
  /** What the investigation does, in full. */
  description: string;
  /** Tables the template cannot run without. */
  requiredTables: string[];
  /** Tables the template uses when the workspace has them. */
  optionalTables: string[];
  /** Data connectors the tables come from. */
  dataSources: string[];
  /** Free-form tags to search by. */
  tags: string[];
  /** MITRE ATT&CK tactics the investigation covers. */
  tactics: string[];
  /** Entity types the template takes as input, e.g. `Account`, `Host`. */
  entityTypes: string[];
  /** Version of the template, when it says. */
  version: string | null;
  /** False when the notebook has no `sentinel` block and was described from its first markdown cell. */
  described: boolean;
}

/** Whether a template source could be read. */
export type TemplateSourceStatus = 'ready' | 'error';

/** A place templates come from: the package's own templates or a configured folder. */
export interface ITemplateSource {
  /** Id, `package` for the shipped templates. */
  id: string;
  /** Display name. */
  name: string;
  /** `package` or `folder`. */
  kind: string;
  /** Folder on the server. */
  path: string;
  /** Whether the source could be read. */
  status: TemplateSourceStatus;
  /** Why the source could not be read. */
  message?: string;
  /** Its templates. */
  templates: ITemplateInfo[];
  /** Notebooks of the source that could not be read as templates, with the reason. */
  problems: { id: string; message: string }[];
}

/** A template folder configured by the user. */
export interface ITemplateFolderSetting {
  /** Display name. */
  name: string;
  /** Folder, relative to the Jupyter root or absolute inside an allowed root. */
  path: string;
}

/** A public GitHub repository of notebooks configured by the user. */
export interface ITemplateGitHubSetting {
  /** Display name. */
  name: string;
  /** Owner (user or organisation), e.g. `Azure`. */
  owner: string;
  /** Repository, e.g. `Azure-Sentinel-Notebooks`. */
  repo: string;
  /** Branch. */
  branch: string;
  /** Folder of the repository the notebooks are under ('' for all of it). */
  path: string;
  /** Base URL of GitHub's REST API (GitHub Enterprise: `https://host/api/v3`). */
  apiUrl: string;
}

/** What a clone request did. */
export type CloneOutcome =
  | {
      /** The copy was written. */
      kind: 'cloned';
      /** Its path relative to the Jupyter root. */
      path: string;
      /** True when it replaced an existing file (only when asked to). */
      overwritten: boolean;
    }
  | {
      /** Nothing was written: the name is taken. */
      kind: 'exists';
      /** The taken path. */
      path: string;
      /** A free file name in the same folder. */
      proposedName: string;
      /** The path the copy would get under the proposed name. */
      proposedPath: string;
    };

/** How to clone: under which name, and whether an existing file may be replaced. */
export interface ICloneOptions {
  /** File name of the copy; the template's own by default. */
  name?: string;
  /** Replace an existing file of that name. */
  overwrite?: boolean;
}

/** A required table of a template, checked against the active workspace's schema. */
export interface ITableCheck {
  /** Table name. */
  table: string;
  /** Whether the workspace has it; `unknown` while no schema is known. */
  state: 'present' | 'missing' | 'unknown';
}

/**
 * The template sources and the analyst's search over them. The sidebar renders it; the clone and
 * open commands act through it.
 */
export interface ISentinelTemplates {
  /** Sources as of the last refresh. */
  readonly sources: ReadonlyArray<ITemplateSource>;
  /** Every template of every readable source. */
  readonly templates: ReadonlyArray<ITemplateInfo>;
  /** Why the listing itself failed (the server could not be reached), or null. */
  readonly error: string | null;
  /** True until the first listing has answered. */
  readonly loading: boolean;
  /** The search text. */
  readonly query: string;
  /** Tags a template must all have to be shown. */
  readonly selectedTags: ReadonlySet<string>;
  /** Every tag of every template, sorted. */
  readonly allTags: ReadonlyArray<string>;
  /** The templates that match the search text and tags. */
  readonly filtered: ReadonlyArray<ITemplateInfo>;
  /** The template whose details are shown, or null. */
  readonly selected: ITemplateInfo | null;
  /** Sets the search text. */
  setQuery(query: string): void;
  /** Adds a tag to the filter, or removes it when it is there. */
  toggleTag(tag: string): void;
  /** Shows the details of a template, or none. */
  select(template: ITemplateInfo | null): void;
  /** A listed template by source and id. */
  find(source: string, id: string): ITemplateInfo | undefined;
  /** Lists the sources again. */
  refresh(): Promise<void>;
  /** Replaces the configured template folders, then lists again. */
  configure(folders: ITemplateFolderSetting[]): Promise<void>;
  /** Copies a template into a folder of the Jupyter root; never overwrites unless asked. */
  clone(
    template: ITemplateInfo,
    folder: string,
    options?: ICloneOptions
  ): Promise<CloneOutcome>;
  /** The template's notebook. */
  notebook(template: ITemplateInfo): Promise<nbformat.INotebookContent>;
  /** Emitted whenever any of the state above changes. */
  readonly changed: ISignal<ISentinelTemplates, void>;
}

/** The templates service token. */
export const ISentinelTemplates = new Token<ISentinelTemplates>(
  'jupyterlab-sentinel:ISentinelTemplates',
  'Notebook templates from the package and configured folders, searchable and clonable.'
);

/** Ids of the template commands. */
export namespace CommandIDs {
  /** Copies a template (`source`, `id`; else the selected one) into the file browser's folder. */
  export const cloneTemplate = 'sentinel:clone-template';
  /** Opens a template read-only, without making a copy. */
  export const openTemplate = 'sentinel:open-template';
  /** Shows a template's details in the main area. */
  export const openTemplateDetails = 'sentinel:open-template-details';
  /** Lists the template sources again. */
  export const refreshTemplates = 'sentinel:refresh-templates';
}
