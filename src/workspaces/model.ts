import type { INotebookModel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { notebookWorkspace } from '../cells/metadata';
import type {
  IBackendAction,
  IBackendProblem,
  ISentinelWorkspaces,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../tokens';
import { WorkspaceUnavailableError } from './errors';

/** The `action` an error names (see `IBackendProblem`), if it has a valid one. */
function actionOf(error: unknown): IBackendAction | null {
  const action = (error as { action?: Partial<IBackendAction> } | null)?.action;
  return typeof action?.label === 'string' && typeof action.command === 'string'
    ? { label: action.label, command: action.command }
    : null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The workspaces of every backend and the active one. Plain state with a `changed` signal: views
 * render from it and call its methods, never hold state of their own.
 */
export class WorkspacesModel implements ISentinelWorkspaces {
  /**
   * @param preferred - `backend/id` of the workspace to make active when nothing is active yet
   *   (the demo workspace by default).
   */
  constructor(private _preferred = 'local/demo') {}

  get backends(): ReadonlyArray<IWorkspaceBackend> {
    return this._backends;
  }

  get workspaces(): ReadonlyArray<IWorkspaceInfo> {
    return this._workspaces;
  }

  get errors(): ReadonlyArray<IBackendProblem> {
    return this._errors;
  }

  get active(): IWorkspaceInfo | null {
    return this._active;
  }

  get schema(): IWorkspaceSchema | null {
    return this._schema;
  }

  get schemaError(): string | null {
    return this._schemaError;
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  addBackend(backend: IWorkspaceBackend): void {
    this._backends.push(backend);
  }

  backendOf(workspace: IWorkspaceInfo): IWorkspaceBackend | undefined {
    return this._backends.find(b => b.id === workspace.backend);
  }

  find(backend: string, id: string): IWorkspaceInfo | undefined {
    return this._workspaces.find(w => w.backend === backend && w.id === id);
  }

  workspaceOf(notebook: INotebookModel): IWorkspaceInfo | null {
    const saved = notebookWorkspace(notebook);
    if (!saved) {
      return this._active;
    }
    const workspace = this.find(saved.backend, saved.id);
    if (!workspace) {
      throw new WorkspaceUnavailableError(saved.backend, saved.id);
    }
    return workspace;
  }

  async refresh(): Promise<void> {
    const listings = await Promise.allSettled(
      this._backends.map(b => b.listWorkspaces())
    );
    const workspaces: IWorkspaceInfo[] = [];
    const errors: IBackendProblem[] = [];
    listings.forEach((listing, i) => {
      if (listing.status === 'fulfilled') {
        workspaces.push(...listing.value);
      } else {
        const action = actionOf(listing.reason);
        errors.push({
          backend: this._backends[i].label,
          backendId: this._backends[i].id,
          message: describe(listing.reason),
          ...(action ? { action } : {})
        });
      }
    });
    this._workspaces = workspaces;
    this._errors = errors;
    const current = this._active
      ? workspaces.find(
          w => w.backend === this._active?.backend && w.id === this._active.id
        )
      : workspaces.find(w => `${w.backend}/${w.id}` === this._preferred);
    this._changed.emit();
    if (current) {
      await this._activate(current);
    } else if (this._active) {
      this._active = null;
      this._schema = null;
      this._changed.emit();
    }
  }

  async select(backend: string, id: string): Promise<void> {
    const workspace = this.find(backend, id);
    if (!workspace) {
      throw new Error(`No workspace ${backend}/${id}`);
    }
    this._preferred = `${backend}/${id}`;
    await this._activate(workspace);
  }

  private async _activate(workspace: IWorkspaceInfo): Promise<void> {
    const switched =
      this._active?.backend !== workspace.backend ||
      this._active.id !== workspace.id;
    this._active = workspace;
    if (switched) {
      this._schema = null;
    }
    this._schemaError = null;
    this._changed.emit();
    if (workspace.status !== 'ready') {
      return;
    }
    const backend = this.backendOf(workspace);
    if (!backend) {
      return;
    }
    const request = ++this._schemaRequest;
    try {
      const schema = await backend.getSchema(workspace.id);
      if (request === this._schemaRequest) {
        this._schema = schema;
      }
    } catch (error) {
      if (request === this._schemaRequest) {
        this._schemaError = describe(error);
      }
    }
    this._changed.emit();
  }

  private _backends: IWorkspaceBackend[] = [];
  private _workspaces: IWorkspaceInfo[] = [];
  private _errors: IBackendProblem[] = [];
  private _active: IWorkspaceInfo | null = null;
  private _schema: IWorkspaceSchema | null = null;
  private _schemaError: string | null = null;
  // Answers to superseded schema requests (the user switched again meanwhile) are dropped.
  private _schemaRequest = 0;
  private _changed = new Signal<this, void>(this);
}
