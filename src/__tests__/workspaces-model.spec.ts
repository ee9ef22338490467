import { NotebookModel } from '@jupyterlab/notebook';
import type {
  IBookmark,
  IExportResult,
  IQueryResult,
  IWorkspaceBackend,
  IWorkspaceInfo,
  IWorkspaceSchema
} from '../tokens';
import { setNotebookWorkspace } from '../cells/metadata';
import { WorkspaceUnavailableError } from '../workspaces/errors';
import { WorkspacesModel } from '../workspaces/model';

class FakeBackend implements IWorkspaceBackend {
  constructor(
    readonly id: string,
    readonly label: string,
    public workspaces: IWorkspaceInfo[] | Error,
    public schemas: Record<string, IWorkspaceSchema | Error> = {}
  ) {}

  async listWorkspaces(): Promise<IWorkspaceInfo[]> {
    if (this.workspaces instanceof Error) {
      throw this.workspaces;
    }
    return this.workspaces;
  }

  listBookmarks(): Promise<IBookmark[]> {
    return Promise.resolve([]);
  }

  createBookmark(): Promise<IBookmark> {
    return Promise.reject(new Error('not used by the workspaces model'));
  }

  updateBookmark(): Promise<IBookmark> {
    return Promise.reject(new Error('not used by the workspaces model'));
  }

  deleteBookmark(): Promise<void> {
    return Promise.reject(new Error('not used by the workspaces model'));
  }

  query(): Promise<IQueryResult> {
    return Promise.reject(new Error('not used by the workspaces model'));
  }

  export(): Promise<IExportResult> {
    return Promise.reject(new Error('not used by the workspaces model'));
  }

  async getSchema(id: string): Promise<IWorkspaceSchema> {
    const schema = this.schemas[id];
    if (!schema) {
      throw new Error(`no schema for ${id}`);
    }
    if (schema instanceof Error) {
      throw schema;
    }
    return schema;
  }
}

const ws = (
  id: string,
  status: IWorkspaceInfo['status'] = 'ready'
): IWorkspaceInfo => ({
  id,
  name: id.toUpperCase(),
  backend: 'local',
  status
});

const schemaOf = (id: string): IWorkspaceSchema => ({
  workspace: id,
  tables: [
    {
      name: `${id}Table`,
      category: 'Custom',
      timespanColumn: null,
      rowCount: 1,
      columns: []
    }
  ]
});

describe('WorkspacesModel', () => {
  it('activates the demo workspace by default and reads its schema', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('other'), ws('demo')], {
        demo: schemaOf('demo')
      })
    );
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.refresh();
    expect(model.active?.id).toBe('demo');
    expect(model.schema?.tables[0].name).toBe('demoTable');
    expect(changes).toBeGreaterThan(0);
  });

  it('keeps the other backends when one fails to list', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo')], {
        demo: schemaOf('demo')
      })
    );
    model.addBackend(
      new FakeBackend(
        'azure',
        'Azure',
        Object.assign(new Error('not signed in'), {
          action: { label: 'Sign In', command: 'sentinel:azure-sign-in' }
        })
      )
    );
    model.addBackend(new FakeBackend('other', 'Other', new Error('down')));
    await model.refresh();
    expect(model.workspaces.map(w => w.id)).toEqual(['demo']);
    expect(model.errors).toEqual([
      {
        backend: 'Azure',
        backendId: 'azure',
        message: 'not signed in',
        action: { label: 'Sign In', command: 'sentinel:azure-sign-in' }
      },
      { backend: 'Other', backendId: 'other', message: 'down' }
    ]);
  });

  it('switches the schema with the selection and reports schema errors', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo'), ws('logs')], {
        demo: schemaOf('demo'),
        logs: new Error('permission denied')
      })
    );
    await model.refresh();
    await model.select('local', 'logs');
    expect(model.active?.id).toBe('logs');
    expect(model.schema).toBeNull();
    expect(model.schemaError).toBe('permission denied');
    await model.select('local', 'demo');
    expect(model.schemaError).toBeNull();
    expect(model.schema?.workspace).toBe('demo');
  });

  it('does not read the schema of a workspace that is not ready', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo', 'generating')])
    );
    await model.refresh();
    expect(model.active?.status).toBe('generating');
    expect(model.schema).toBeNull();
    expect(model.schemaError).toBeNull();
  });

  it('rejects selecting an unknown workspace', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo')], {
        demo: schemaOf('demo')
      })
    );
    await model.refresh();
    await expect(model.select('local', 'nope')).rejects.toThrow(
      'No workspace local/nope'
    );
  });

  it('finds a listed workspace by backend and id', async () => {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo'), ws('logs')])
    );
    model.addBackend(new FakeBackend('azure', 'Azure', [ws('logs')]));
    await model.refresh();
    expect(model.find('local', 'logs')?.name).toBe('LOGS');
    expect(model.find('azure', 'demo')).toBeUndefined();
  });
});

describe('WorkspacesModel.workspaceOf', () => {
  /** Demo (active) and logs listed; a notebook that names `saved` in its metadata, or none. */
  async function setup(saved?: { backend: string; id: string }): Promise<{
    model: WorkspacesModel;
    notebook: NotebookModel;
  }> {
    const model = new WorkspacesModel();
    model.addBackend(
      new FakeBackend('local', 'Local', [ws('demo'), ws('logs')], {
        demo: schemaOf('demo'),
        logs: schemaOf('logs')
      })
    );
    await model.refresh();
    const notebook = new NotebookModel();
    if (saved) {
      setNotebookWorkspace(notebook, saved);
    }
    return { model, notebook };
  }

  it('is the workspace the notebook names, though another is active', async () => {
    const { model, notebook } = await setup({ backend: 'local', id: 'logs' });
    expect(model.active?.id).toBe('demo');
    expect(model.workspaceOf(notebook)?.id).toBe('logs');
  });

  it('is the active workspace when the notebook names none', async () => {
    const { model, notebook } = await setup();
    expect(model.workspaceOf(notebook)?.id).toBe('demo');
  });

  it('refuses, naming it, when the notebook’s workspace is not listed', async () => {
    const { model, notebook } = await setup({
      backend: 'local',
      id: 'retired'
    });
    let error: unknown = null;
    try {
      model.workspaceOf(notebook);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as WorkspaceUnavailableError).backend).toBe('local');
    expect((error as WorkspaceUnavailableError).id).toBe('retired');
    expect((error as Error).message).toContain('local/retired');
  });

  it('is null when the notebook names none and none is active', () => {
    expect(new WorkspacesModel().workspaceOf(new NotebookModel())).toBeNull();
  });
});
