import type * as nbformat from '@jupyterlab/nbformat';
import { SentinelServer, SentinelServerError } from '../server';
import {
  checkTables,
  filterTemplates,
  TemplatesModel
} from '../templates/model';
import { type ITemplatesGateway, TemplatesServer } from '../templates/server';
import type {
  CloneOutcome,
  ICloneOptions,
  ITemplateFolderSetting,
  ITemplateInfo,
  ITemplateSource
} from '../templates/tokens';
import type { IWorkspaceSchema } from '../tokens';

const template = (
  id: string,
  extra: Partial<ITemplateInfo> = {}
): ITemplateInfo => ({
  id: `${id}.ipynb`,
  source: 'package',
  fileName: `${id}.ipynb`,
  title: id,
  description: '',
  requiredTables: [],
  optionalTables: [],
  dataSources: [],
  tags: [],
  tactics: [],
  entityTypes: [],
  version: '1.0.0',
  described: true,
  ...extra
});

const spray = template('spray', {
  title: 'Password spray baseline',
  description: 'Few addresses, many accounts',
  requiredTables: ['SigninLogs'],
  tags: ['identity', 'Hunting'],
  tactics: ['CredentialAccess']
});
const host = template('host', {
  title: 'Host investigation',
  requiredTables: ['DeviceProcessEvents', 'SecurityEvent'],
  tags: ['endpoint', 'hunting']
});

const source = (
  id: string,
  templates: ITemplateInfo[],
  extra: Partial<ITemplateSource> = {}
): ITemplateSource => ({
  id,
  name: id,
  kind: id === 'package' ? 'package' : 'folder',
  path: `/${id}`,
  status: 'ready',
  templates,
  problems: [],
  ...extra
});

/** A gateway answering from a list of listings, one per call, recording what it was asked. */
class FakeGateway implements ITemplatesGateway {
  constructor(public listings: (ITemplateSource[] | Error)[]) {}

  configured: ITemplateFolderSetting[][] = [];
  clones: {
    source: string;
    id: string;
    folder: string;
    options: ICloneOptions;
  }[] = [];
  cloneAnswers: CloneOutcome[] = [];

  async list(): Promise<ITemplateSource[]> {
    const next = this.listings.shift();
    if (!next) {
      throw new Error('no more listings');
    }
    if (next instanceof Error) {
      throw next;
    }
    return next;
  }

  configure(folders: ITemplateFolderSetting[]): Promise<ITemplateSource[]> {
    this.configured.push(folders);
    return this.list();
  }

  async notebook(): Promise<nbformat.INotebookContent> {
    return { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  }

  async clone(
    source: string,
    id: string,
    folder: string,
    options: ICloneOptions
  ): Promise<CloneOutcome> {
    this.clones.push({ source, id, folder, options });
    const answer = this.cloneAnswers.shift();
    if (!answer) {
      throw new Error('unexpected clone');
    }
    return answer;
  }
}

const schema: IWorkspaceSchema = {
  workspace: 'demo',
  tables: [
    {
      name: 'SigninLogs',
      category: 'Azure Active Directory',
      timespanColumn: 'TimeGenerated',
      rowCount: 10,
      columns: []
    },
    {
      name: 'SecurityEvent',
      category: 'Security',
      timespanColumn: 'TimeGenerated',
      rowCount: 10,
      columns: []
    }
  ]
};

describe('filterTemplates', () => {
  const all = [spray, host];

  it('matches every word of the query in any field, case-insensitively', () => {
    expect(filterTemplates(all, 'PASSWORD', new Set())).toEqual([spray]);
    expect(
      filterTemplates(all, 'investigation securityevent', new Set())
    ).toEqual([host]);
    expect(filterTemplates(all, 'credentialaccess', new Set())).toEqual([
      spray
    ]);
    expect(filterTemplates(all, 'spray host', new Set())).toEqual([]);
    expect(filterTemplates(all, '  ', new Set())).toEqual(all);
  });

  it('keeps templates carrying every selected tag', () => {
    expect(filterTemplates(all, '', new Set(['hunting']))).toEqual(all);
    expect(filterTemplates(all, '', new Set(['hunting', 'identity']))).toEqual([
      spray
    ]);
    expect(filterTemplates(all, 'host', new Set(['identity']))).toEqual([]);
  });
});

describe('checkTables', () => {
  it('marks required tables present or missing in the schema', () => {
    expect(checkTables(host, schema)).toEqual([
      { table: 'DeviceProcessEvents', state: 'missing' },
      { table: 'SecurityEvent', state: 'present' }
    ]);
  });

  it('says unknown while there is no schema', () => {
    expect(checkTables(spray, null)).toEqual([
      { table: 'SigninLogs', state: 'unknown' }
    ]);
  });
});

describe('TemplatesModel', () => {
  it('lists the templates of readable sources and keeps the broken ones with their reason', async () => {
    const gateway = new FakeGateway([
      [
        source('package', [spray]),
        source('team', [host]),
        source('gone', [], { status: 'error', message: 'No folder /gone' })
      ]
    ]);
    const model = new TemplatesModel(gateway);
    let changes = 0;
    model.changed.connect(() => changes++);
    expect(model.loading).toBe(true);
    await model.refresh();
    expect(model.loading).toBe(false);
    expect(model.templates).toEqual([spray, host]);
    expect(model.sources.map(s => s.status)).toEqual([
      'ready',
      'ready',
      'error'
    ]);
    expect(model.error).toBeNull();
    expect(changes).toBe(1);
  });

  it('reports a failed listing and keeps the last good one', async () => {
    const gateway = new FakeGateway([
      [source('package', [spray])],
      new Error('The Jupyter server could not be reached')
    ]);
    const model = new TemplatesModel(gateway);
    await model.refresh();
    await model.refresh();
    expect(model.error).toBe('The Jupyter server could not be reached');
    expect(model.templates).toEqual([spray]);
  });

  it('sends the configured folders and lists their answer', async () => {
    const gateway = new FakeGateway([
      [source('package', [spray]), source('team', [host])]
    ]);
    const model = new TemplatesModel(gateway);
    await model.configure([{ name: 'Team', path: 'team' }]);
    expect(gateway.configured).toEqual([[{ name: 'Team', path: 'team' }]]);
    expect(model.find('package', 'host.ipynb')).toEqual(host);
  });

  it('drops the answer of a superseded listing', async () => {
    let release: (sources: ITemplateSource[]) => void = () => undefined;
    const slow = new Promise<ITemplateSource[]>(resolve => {
      release = resolve;
    });
    const gateway = new FakeGateway([[source('package', [host])]]);
    const list = gateway.list.bind(gateway);
    const model = new TemplatesModel(gateway);
    gateway.list = () => slow;
    const first = model.refresh();
    gateway.list = list;
    await model.refresh();
    release([source('package', [spray])]);
    await first;
    expect(model.templates).toEqual([host]);
  });

  it('filters by query and tags, and lists every tag once', async () => {
    const model = new TemplatesModel(
      new FakeGateway([[source('package', [spray, host])]])
    );
    await model.refresh();
    expect(model.allTags).toEqual(['endpoint', 'Hunting', 'identity']);
    model.setQuery('host');
    expect(model.filtered).toEqual([host]);
    model.setQuery('');
    model.toggleTag('identity');
    expect(model.selectedTags.has('identity')).toBe(true);
    expect(model.filtered).toEqual([spray]);
    model.toggleTag('identity');
    expect(model.filtered).toEqual([spray, host]);
  });

  it('keeps the selection across a refresh while the template exists', async () => {
    const model = new TemplatesModel(
      new FakeGateway([
        [source('package', [spray, host])],
        [source('package', [{ ...spray, title: 'Renamed' }, host])],
        [source('package', [host])]
      ])
    );
    await model.refresh();
    model.select(spray);
    await model.refresh();
    expect(model.selected?.title).toBe('Renamed');
    await model.refresh();
    expect(model.selected).toBeNull();
  });

  it('clones through the gateway with the template’s source and id', async () => {
    const gateway = new FakeGateway([]);
    gateway.cloneAnswers.push({
      kind: 'exists',
      path: 'cases/spray.ipynb',
      proposedName: 'spray-1.ipynb',
      proposedPath: 'cases/spray-1.ipynb'
    });
    const model = new TemplatesModel(gateway);
    const outcome = await model.clone(spray, 'cases');
    expect(outcome.kind).toBe('exists');
    expect(gateway.clones).toEqual([
      { source: 'package', id: 'spray.ipynb', folder: 'cases', options: {} }
    ]);
  });
});

describe('TemplatesServer', () => {
  const respond = (status: number, body: unknown): Response =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' }
    });

  class StubServer extends SentinelServer {
    constructor(private readonly _answer: Response) {
      super();
    }
    requests: { path: string[]; init: RequestInit }[] = [];
    async fetch(path: string[], init: RequestInit = {}): Promise<Response> {
      this.requests.push({ path, init });
      if (!this._answer.ok) {
        throw new SentinelServerError(
          this._answer.status,
          await this._answer.json()
        );
      }
      return this._answer;
    }
  }

  it('turns a 409 "exists" into a proposal instead of an error', async () => {
    const server = new StubServer(
      respond(409, {
        message: 'cases/spray.ipynb already exists',
        reason: 'exists',
        path: 'cases/spray.ipynb',
        proposedName: 'spray-1.ipynb',
        proposedPath: 'cases/spray-1.ipynb'
      })
    );
    const outcome = await new TemplatesServer(server).clone(
      'package',
      'sub/spray.ipynb',
      'cases',
      {}
    );
    expect(outcome).toEqual({
      kind: 'exists',
      path: 'cases/spray.ipynb',
      proposedName: 'spray-1.ipynb',
      proposedPath: 'cases/spray-1.ipynb'
    });
    expect(server.requests[0].path).toEqual([
      'templates',
      'package',
      'sub/spray.ipynb',
      'clone'
    ]);
    expect(JSON.parse(String(server.requests[0].init.body))).toEqual({
      folder: 'cases'
    });
  });

  it('answers a written copy, and rethrows other failures', async () => {
    const written = new StubServer(
      respond(201, { path: 'spray.ipynb', overwritten: true })
    );
    await expect(
      new TemplatesServer(written).clone('package', 'spray.ipynb', '', {
        overwrite: true
      })
    ).resolves.toEqual({
      kind: 'cloned',
      path: 'spray.ipynb',
      overwritten: true
    });
    const forbidden = new StubServer(
      respond(403, { message: 'outside the root', reason: 'forbidden' })
    );
    await expect(
      new TemplatesServer(forbidden).clone('package', 'spray.ipynb', 'x', {})
    ).rejects.toThrow('outside the root');
  });

  it('lists sources with an empty problems list when there are none', async () => {
    const server = new StubServer(
      respond(200, {
        sources: [{ ...source('package', [spray]), problems: undefined }]
      })
    );
    const [listed] = await new TemplatesServer(server).list();
    expect(listed.problems).toEqual([]);
    expect(listed.templates).toEqual([spray]);
  });
});
