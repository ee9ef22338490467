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
import {
  type IPlaceheldText,
  placedDiagnostics,
  placehold,
  referenceAt,
  referenceInfo
} from './placeholders';
import type {
  LanguageMessage,
  LanguageRequest,
  LanguageResponse
} from './protocol';

/** An empty schema: without the workspace's, Kusto still knows its operators and functions. */
const NO_TABLES: ICompilerSchema = { tables: [] };

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
}
