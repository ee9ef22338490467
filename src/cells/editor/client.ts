/**
 * The page's side of the KQL language service: typed requests per editor, the workspace's schema,
 * and the choice of where the service runs — a Web Worker, so typing never waits on Kusto.Language,
 * or the page when no worker can be made.
 */
import type { IDisposable } from '@lumino/disposable';
import {
  compilerSchema,
  type ICompileOptions,
  type ICompilerSchema,
  type IDiscovery,
  type IKqlCompletions,
  type IKqlDiagnostic,
  type IKqlQuickInfo
} from '../../kql/index';
import type { IStatementResult } from '../../kql/batch';
import type { IWorkspaceSchema } from '../../tokens';
import {
  type IMemberSchema,
  unionCompilerSchema
} from '../../workspaces/union';
import type {
  ICompileRequest,
  IResponseOf,
  ISchemaMessage,
  LanguageMessage,
  LanguageRequest,
  LanguageResponse
} from './protocol';
import type { VariableType } from './placeholders';

/** Where the service runs, as the client talks to it. */
export interface ILanguageEndpoint extends IDisposable {
  /** Sends a message to the service. */
  post(message: LanguageMessage): void;
}

/** What an endpoint reports back. */
export interface IEndpointHandlers {
  /** A response of the service. */
  response(response: LanguageResponse): void;
  /** The endpoint can no longer serve (its worker failed to load or died). */
  failure(reason: string): void;
}

/**
 * The service on the page, answering asynchronously as a worker would. Its module loads only when
 * the service has to run on the page.
 */
export async function pageEndpoint(
  handlers: IEndpointHandlers
): Promise<ILanguageEndpoint> {
  const { KqlLanguageService } = await import('./service');
  let disposed = false;
  const service = new KqlLanguageService(response => {
    if (!disposed) {
      handlers.response(response);
    }
  });
  return {
    post: message =>
      void Promise.resolve(message).then(m => service.receive(m)),
    get isDisposed() {
      return disposed;
    },
    dispose: () => {
      disposed = true;
    }
  };
}

/** The service in a Web Worker. */
export function workerEndpoint(
  worker: Worker,
  handlers: IEndpointHandlers
): ILanguageEndpoint {
  let disposed = false;
  worker.onmessage = (event: MessageEvent<LanguageResponse>) =>
    handlers.response(event.data);
  worker.onerror = event => {
    event.preventDefault();
    handlers.failure(event.message || 'the worker failed');
  };
  return {
    post: message => worker.postMessage(message),
    get isDisposed() {
      return disposed;
    },
    dispose: () => {
      if (!disposed) {
        disposed = true;
        worker.terminate();
      }
    }
  };
}

/** Options of the client. */
export interface IKqlLanguageClientOptions {
  /**
   * Makes the worker, on the first request. Without it, or when it throws or its worker fails, the
   * service runs on the page.
   */
  createWorker?: () => Worker | Promise<Worker>;
}

interface IPending {
  request: LanguageRequest;
  resolve: (response: LanguageResponse | null) => void;
}

/** Runs a discovery query a compilation asks for; its rows as text. */
export type DiscoveryRunner = (discovery: IDiscovery) => Promise<string[][]>;

interface IPendingCompile {
  request: ICompileRequest;
  resolve: (statements: IStatementResult[]) => void;
  reject: (error: unknown) => void;
  discover: DiscoveryRunner | undefined;
  /** The error a discovery query of this compilation failed with, rethrown as it was. */
  error: unknown;
}

/** Requests to the KQL language service, started lazily on the first one. */
export class KqlLanguageClient implements IDisposable {
  constructor(options: IKqlLanguageClientOptions = {}) {
    this._createWorker = options.createWorker ?? null;
  }

  /** Where the service runs: nowhere before the first request. */
  get runsIn(): 'nowhere' | 'worker' | 'page' {
    return this._runsIn;
  }

  /** True once disposed. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * The workspace queries run on: its schema (null while unknown) and whether our compiler runs
   * them (a local workspace); `members`, when the queries run on several workspaces at once, are
   * those workspaces with their tables (the union is completed from, see `workspaces/union.ts`).
   * Sent to the service only when it changes.
   */
  setWorkspace(
    schema: IWorkspaceSchema | null,
    local: boolean,
    members: IMemberSchema[] | null = null
  ): void {
    if (
      schema === this._schema &&
      local === this._local &&
      members === this._members
    ) {
      return;
    }
    this._schema = schema;
    this._local = local;
    this._members = members;
    this._schemaMessage = {
      type: 'schema',
      schema: members
        ? unionCompilerSchema(members)
        : schema
          ? compilerSchema(schema.tables)
          : null,
      local
    };
    this._endpoint?.then(endpoint => endpoint.post(this._schemaMessage));
  }

  /** A new document: one per editor, disposed with it. */
  openDocument(): KqlDocument {
    return new KqlDocument(this, `doc-${++this._documents}`);
  }

  /**
   * Sends a request; resolves with its response, or null when it was dropped as stale or the
   * service failed on it.
   */
  request<T extends LanguageRequest['type']>(
    request: Omit<Extract<LanguageRequest, { type: T }>, 'id'>
  ): Promise<IResponseOf[T] | null> {
    const message = { ...request, id: ++this._requests } as LanguageRequest;
    return new Promise<LanguageResponse | null>(resolve => {
      this._pending.set(message.id, { request: message, resolve });
      void this._connect().then(endpoint => endpoint.post(message));
    }).then(response =>
      response && response.type === message.type
        ? (response as IResponseOf[T])
        : null
    );
  }

  /**
   * Compiles a query for running, each tabular statement of it, in the service: in the worker,
   * Kusto.Language is loaded off the page, usually already by the KQL editors. `discover` runs the
   * discovery queries of `evaluate bag_unpack`/`pivot`.
   */
  compileStatements(
    query: string,
    schema: ICompilerSchema,
    options: ICompileOptions,
    discover?: DiscoveryRunner
  ): Promise<IStatementResult[]> {
    if (this._disposed) {
      return Promise.reject(new Error('the KQL language service is disposed'));
    }
    let schemaId = this._schemaIds.get(schema);
    if (schemaId === undefined) {
      schemaId = ++this._schemaCount;
      this._schemaIds.set(schema, schemaId);
    }
    const request: ICompileRequest = {
      type: 'compile',
      id: ++this._requests,
      query,
      schema,
      schemaId,
      options
    };
    return new Promise<IStatementResult[]>((resolve, reject) => {
      this._compiles.set(request.id, {
        request,
        resolve,
        reject,
        discover,
        error: null
      });
      void this._connect().then(endpoint => endpoint.post(request));
    });
  }

  /** Tells the service a document is gone. */
  close(doc: string): void {
    this._endpoint?.then(endpoint => endpoint.post({ type: 'close', doc }));
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._endpoint?.then(endpoint => endpoint.dispose());
    for (const pending of this._pending.values()) {
      pending.resolve(null);
    }
    this._pending.clear();
    for (const compile of this._compiles.values()) {
      compile.reject(new Error('the KQL language service is disposed'));
    }
    this._compiles.clear();
  }

  private _connect(): Promise<ILanguageEndpoint> {
    if (!this._endpoint) {
      this._endpoint = this._start().then(endpoint => {
        endpoint.post(this._schemaMessage);
        return endpoint;
      });
    }
    return this._endpoint;
  }

  private async _start(): Promise<ILanguageEndpoint> {
    const handlers: IEndpointHandlers = {
      response: response => this._receive(response),
      failure: reason => this._fallBack(reason)
    };
    if (this._createWorker) {
      try {
        const endpoint = workerEndpoint(await this._createWorker(), handlers);
        this._runsIn = 'worker';
        return endpoint;
      } catch (error) {
        return this._onPage(error instanceof Error ? error.message : error);
      }
    }
    return this._onPage('no worker was asked for');
  }

  private _onPage(reason: unknown): Promise<ILanguageEndpoint> {
    console.warn(
      `jupyterlab-sentinel: the KQL language service runs on the page, not in a Web Worker (${String(reason)}); typing may pause while it works`
    );
    this._runsIn = 'page';
    return pageEndpoint({
      response: response => this._receive(response),
      failure: () => undefined
    });
  }

  /** The worker failed: the service moves to the page and gets every unanswered request again. */
  private _fallBack(reason: string): void {
    const previous = this._endpoint;
    if (!previous || this._runsIn !== 'worker' || this._disposed) {
      return;
    }
    this._endpoint = previous.then(async worker => {
      worker.dispose();
      const page = await this._onPage(reason);
      page.post(this._schemaMessage);
      for (const pending of this._pending.values()) {
        page.post(pending.request);
      }
      for (const compile of this._compiles.values()) {
        page.post(compile.request);
      }
      return page;
    });
  }

  private _receive(response: LanguageResponse): void {
    if (response.type === 'ready') {
      return;
    }
    const compile = this._compiles.get(response.id);
    if (compile) {
      this._compileResponse(compile, response);
      return;
    }
    const pending = this._pending.get(response.id);
    if (!pending) {
      return;
    }
    this._pending.delete(response.id);
    if (response.type === 'failed') {
      console.error(
        `jupyterlab-sentinel: the KQL language service failed on a ${pending.request.type} request: ${response.message}`
      );
    }
    pending.resolve(response);
  }

  private _compileResponse(
    compile: IPendingCompile,
    response: Exclude<LanguageResponse, { type: 'ready' }>
  ): void {
    const { id } = compile.request;
    switch (response.type) {
      case 'discover': {
        const { key } = response.discovery;
        const answer = (rows: string[][] | null, error?: string) =>
          void this._endpoint?.then(endpoint =>
            endpoint.post({ type: 'discovered', id, key, rows, error })
          );
        if (!compile.discover) {
          answer(null, 'this query finds its columns in the data');
          return;
        }
        compile.discover(response.discovery).then(
          rows => answer(rows),
          (error: unknown) => {
            compile.error = error;
            answer(
              null,
              error instanceof Error ? error.message : String(error)
            );
          }
        );
        return;
      }
      case 'compiled':
        this._compiles.delete(id);
        compile.resolve(response.statements);
        return;
      case 'failed':
        this._compiles.delete(id);
        compile.reject(compile.error ?? new Error(response.message));
        return;
      default:
        return;
    }
  }

  private _createWorker: (() => Worker | Promise<Worker>) | null;
  private _endpoint: Promise<ILanguageEndpoint> | null = null;
  private _runsIn: 'nowhere' | 'worker' | 'page' = 'nowhere';
  private _schema: IWorkspaceSchema | null = null;
  private _members: IMemberSchema[] | null = null;
  private _local = false;
  private _schemaMessage: ISchemaMessage = {
    type: 'schema',
    schema: null,
    local: false
  };
  private _pending = new Map<number, IPending>();
  private _compiles = new Map<number, IPendingCompile>();
  private _schemaIds = new WeakMap<ICompilerSchema, number>();
  private _schemaCount = 0;
  private _requests = 0;
  private _documents = 0;
  private _disposed = false;
}

/**
 * The text of one editor as the service sees it: each new text gets a higher version, and an
 * answer for an older version than the latest asked about resolves with null.
 */
export class KqlDocument implements IDisposable {
  constructor(client: KqlLanguageClient, id: string) {
    this._client = client;
    this.id = id;
  }

  /** The document's id in requests. */
  readonly id: string;

  /** The version of the latest text asked about. */
  get version(): number {
    return this._version;
  }

  /** True once disposed. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * The squiggles of `text`, or null when a newer text was asked about meanwhile. `variables`: the
   * types of its kernel variables, where known.
   */
  async diagnostics(
    text: string,
    variables?: Record<string, VariableType>
  ): Promise<IKqlDiagnostic[] | null> {
    const version = this._versionOf(text);
    const response = await this._client.request<'diagnostics'>({
      type: 'diagnostics',
      doc: this.id,
      version,
      text,
      variables
    });
    return this._current(version) ? (response?.diagnostics ?? null) : null;
  }

  /** The completion items at `position`, or null when a newer text was asked about meanwhile. */
  async completions(
    text: string,
    position: number,
    variables?: Record<string, VariableType>
  ): Promise<IKqlCompletions | null> {
    const version = this._versionOf(text);
    const response = await this._client.request<'completion'>({
      type: 'completion',
      doc: this.id,
      version,
      text,
      position,
      variables
    });
    return this._current(version) ? (response?.completions ?? null) : null;
  }

  /** Quick info at `position`, or null where there is none or the text changed meanwhile. */
  async quickInfo(
    text: string,
    position: number,
    variables?: Record<string, VariableType>
  ): Promise<IKqlQuickInfo | null> {
    const version = this._versionOf(text);
    const response = await this._client.request<'quickInfo'>({
      type: 'quickInfo',
      doc: this.id,
      version,
      text,
      position,
      variables
    });
    return this._current(version) ? (response?.quickInfo ?? null) : null;
  }

  dispose(): void {
    if (!this._disposed) {
      this._disposed = true;
      this._client.close(this.id);
    }
  }

  private _versionOf(text: string): number {
    if (text !== this._text) {
      this._text = text;
      this._version++;
    }
    return this._version;
  }

  private _current(version: number): boolean {
    return !this._disposed && version === this._version;
  }

  private _client: KqlLanguageClient;
  private _text: string | null = null;
  private _version = 0;
  private _disposed = false;
}
