/**
 * The KQL language service: answers the editor's requests (squiggles, completion, quick info) with
 * Kusto.Language and our compiler. It runs in a Web Worker (`worker.ts`) or, when no worker can be
 * made, on the page; either way it imports nothing from JupyterLab, which a worker cannot load.
 */
import {
  type ICompilerSchema,
  type IKqlCodeService,
  type IKqlCompiler,
  loadCompiler
} from '../../kql/index';
import { compileStatements } from '../../kql/batch';
import {
  type IPlaceheldText,
  placedDiagnostics,
  placehold,
  referenceAt,
  referenceInfo
} from './placeholders';
import type {
  ICompileRequest,
  IDiscoveredMessage,
  LanguageMessage,
  LanguageRequest,
  LanguageResponse
} from './protocol';

/** An empty schema: without the workspace's, Kusto still knows its operators and functions. */
const NO_TABLES: ICompilerSchema = { tables: [] };

/** How many schemas of compile requests the service keeps with their Kusto symbols. */
const KEPT_SCHEMAS = 4;

/** Lets the messages already queued be received before the next request is worked on. */
function queued(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

/** Answers the messages of `protocol.ts`, posting each response through `post`. */
export class KqlLanguageService {
  constructor(post: (response: LanguageResponse) => void) {
    this._post = post;
  }

  /**
   * Loads Kusto.Language and the compiler (once), then says `ready`. Requests received before
   * wait for it.
   */
  load(): Promise<IKqlCompiler> {
    if (!this._compiler) {
      const started = performance.now();
      this._compiler = loadCompiler().then(compiler => {
        this._post({ type: 'ready', loadMs: performance.now() - started });
        return compiler;
      });
    }
    return this._compiler;
  }

  /** Handles one message; resolves when its response (if any) is posted. */
  async receive(message: LanguageMessage): Promise<void> {
    switch (message.type) {
      case 'schema':
        this._schema = message.schema;
        this._local = message.local;
        this._code = null;
        return;
      case 'close':
        this._versions.delete(message.doc);
        if (this._code?.doc === message.doc) {
          this._code = null;
        }
        return;
      case 'diagnostics':
      case 'completion':
      case 'quickInfo':
        return this._request(message);
      case 'compile':
        return this._compile(message);
      case 'discovered':
        this._discoveries.get(`${message.id}:${message.key}`)?.(message);
        return;
    }
  }

  /**
   * Compiles a query for running. A discovery query is asked of the page, whose answer comes back
   * as a `discovered` message while this compilation waits.
   */
  private async _compile(request: ICompileRequest): Promise<void> {
    const { id } = request;
    try {
      const compiler = await this.load();
      const statements = await compileStatements(
        compiler,
        request.query,
        this._compileSchema(request),
        request.options,
        discovery =>
          new Promise<string[][]>((resolve, reject) => {
            const key = `${id}:${discovery.key}`;
            this._discoveries.set(key, (answer: IDiscoveredMessage) => {
              this._discoveries.delete(key);
              if (answer.rows) {
                resolve(answer.rows);
              } else {
                reject(new Error(answer.error ?? 'the discovery query failed'));
              }
            });
            this._post({ type: 'discover', id, discovery });
          })
      );
      this._post({ type: 'compiled', id, statements });
    } catch (error) {
      this._post({
        type: 'failed',
        id,
        message: error instanceof Error ? error.message : String(error)
      });
    }
  }

  private async _request(request: LanguageRequest): Promise<void> {
    const latest = this._versions.get(request.doc) ?? -1;
    if (request.version > latest) {
      this._versions.set(request.doc, request.version);
    }
    try {
      const compiler = await this.load();
      await queued();
      if (request.version < (this._versions.get(request.doc) ?? -1)) {
        this._post({ type: 'stale', id: request.id });
        return;
      }
      this._post(this._answer(compiler, request));
    } catch (error) {
      this._post({
        type: 'failed',
        id: request.id,
        message: error instanceof Error ? error.message : String(error)
      });
    }
  }

  private _answer(
    compiler: IKqlCompiler,
    request: LanguageRequest
  ): LanguageResponse {
    // Kusto reads `{name}` as a client parameter it rejects: it gets a literal of the variable's
    // type there, and its answers are placed back in the written text.
    const types = request.variables ?? {};
    const held = placehold(request.text, types);
    switch (request.type) {
      case 'diagnostics': {
        // The compiler's diagnostics are what running the cell would report: Kusto's parser and
        // binder (with did-you-mean), and on a local workspace the KQL our compiler cannot run.
        const schema = this._schema;
        const found = !held.text.trim()
          ? []
          : schema
            ? compiler
                .compile(held.text, schema)
                .diagnostics.filter(
                  d => this._local || d.stage !== 'unsupported'
                )
            : // Without the schema every table would be unknown: only the syntax is checked.
              compiler.syntax(held.text);
        return {
          type: 'diagnostics',
          id: request.id,
          diagnostics: placedDiagnostics(found, request.text, held, types)
        };
      }
      case 'completion': {
        const inside = referenceAt(held, request.position);
        if (inside && inside.start < request.position) {
          // Inside `{name}` there is nothing of Kusto's to complete.
          const at = request.position;
          return {
            type: 'completion',
            id: request.id,
            completions: { from: at, to: at, items: [] }
          };
        }
        const completions = this._codeService(
          compiler,
          request,
          held
        ).completions(held.toHeld(request.position));
        return {
          type: 'completion',
          id: request.id,
          completions: {
            ...completions,
            from: held.toWritten(completions.from),
            to: held.toWritten(completions.to)
          }
        };
      }
      case 'quickInfo': {
        const reference = referenceAt(held, request.position);
        return {
          type: 'quickInfo',
          id: request.id,
          quickInfo: reference
            ? { text: referenceInfo(reference, types[reference.name]) }
            : this._codeService(compiler, request, held).quickInfo(
                held.toHeld(request.position)
              )
        };
      }
    }
  }

  /** The schema of a compile request: the one kept under its id, else the copy it brought. */
  private _compileSchema(request: ICompileRequest): ICompilerSchema {
    const kept = this._compileSchemas.get(request.schemaId);
    if (kept) {
      return kept;
    }
    this._compileSchemas.set(request.schemaId, request.schema);
    // A page has a few workspaces (and unions of them); the oldest schema goes.
    for (const id of this._compileSchemas.keys()) {
      if (this._compileSchemas.size <= KEPT_SCHEMAS) {
        break;
      }
      this._compileSchemas.delete(id);
    }
    return request.schema;
  }

  /** Kusto's code service on the request's text, kept while the text and schema stay the same. */
  private _codeService(
    compiler: IKqlCompiler,
    request: LanguageRequest,
    held: IPlaceheldText
  ): IKqlCodeService {
    const code = this._code;
    if (code?.doc === request.doc && code.service.text === held.text) {
      return code.service;
    }
    const service = compiler.codeService(held.text, this._schema ?? NO_TABLES);
    this._code = { doc: request.doc, service };
    return service;
  }

  private _post: (response: LanguageResponse) => void;
  private _compiler: Promise<IKqlCompiler> | null = null;
  private _schema: ICompilerSchema | null = null;
  private _local = false;
  private _versions = new Map<string, number>();
  private _code: { doc: string; service: IKqlCodeService } | null = null;
  /** The schemas of compile requests, by their id, oldest first. */
  private _compileSchemas = new Map<number, ICompilerSchema>();
  /** The compilations waiting for a discovery query's rows, by request id and discovery key. */
  private _discoveries = new Map<
    string,
    (answer: IDiscoveredMessage) => void
  >();
}
