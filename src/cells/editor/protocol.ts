/**
 * The messages between the page and the KQL language service (in a Web Worker, or on the page when
 * no worker can be made). Plain data only: they cross `postMessage` by structured clone.
 *
 * Every request names its document (one per editor) and the version of the text it was made
 * for; the service answers `stale` instead of working on a version it already has a newer one of.
 */
import type {
  ICompileOptions,
  ICompilerSchema,
  IDiscovery,
  IKqlCompletions,
  IKqlDiagnostic,
  IKqlQuickInfo
} from '../../kql/index';
import type { IStatementResult } from '../../kql/batch';
import type { VariableType } from './placeholders';

/** The workspace the queries run on: its tables as Kusto database symbols, and what it can run. */
export interface ISchemaMessage {
  type: 'schema';
  /** The tables, as `compilerSchema` builds them; null while the schema is not known. */
  schema: ICompilerSchema | null;
  /**
   * True when the workspace runs queries with our compiler (a local workspace): the service then
   * reports KQL it cannot run as well as Kusto's own diagnostics.
   */
  local: boolean;
}

/** The editor of a document was closed: the service forgets its versions. */
export interface ICloseMessage {
  type: 'close';
  doc: string;
}

/** What every request carries. */
interface IRequestBase {
  /** Unique among the requests of one page. */
  id: number;
  /** The document (one per editor). */
  doc: string;
  /** Version of the document's text; higher is newer. */
  version: number;
  /** The document's text at that version. */
  text: string;
  /** The types of the text's kernel variables (`{name}`) the kernel told; others are unknown. */
  variables?: Record<string, VariableType>;
}

/** Squiggles for a text. */
export interface IDiagnosticsRequest extends IRequestBase {
  type: 'diagnostics';
}

/** Completion items at a position. */
export interface ICompletionRequest extends IRequestBase {
  type: 'completion';
  position: number;
}

/** Quick info on the name at a position. */
export interface IQuickInfoRequest extends IRequestBase {
  type: 'quickInfo';
  position: number;
}

/** A request that gets exactly one response with its id. */
export type LanguageRequest =
  IDiagnosticsRequest | ICompletionRequest | IQuickInfoRequest;

/**
 * A query to compile for running: each tabular statement of it (`compileStatements`), against the
 * schema it is sent with (the workspace it runs on, which need not be the editors').
 */
export interface ICompileRequest {
  type: 'compile';
  id: number;
  query: string;
  schema: ICompilerSchema;
  /**
   * The same for the same schema object on the page: the service binds with the schema it kept
   * under that id, whose Kusto symbols it has built already (a copy would build them again).
   */
  schemaId: number;
  options: ICompileOptions;
}

/** The rows of a discovery query the service asked for (`IDiscoverResponse`), or why there are none. */
export interface IDiscoveredMessage {
  type: 'discovered';
  /** The compile request's id. */
  id: number;
  key: string;
  rows: string[][] | null;
  error?: string;
}

/** Any message from the page to the service. */
export type LanguageMessage =
  | ISchemaMessage
  | ICloseMessage
  | LanguageRequest
  | ICompileRequest
  | IDiscoveredMessage;

/** Sent once, when Kusto.Language is loaded and the service answers requests. */
export interface IReadyResponse {
  type: 'ready';
  /** How long loading Kusto.Language took, in milliseconds. */
  loadMs: number;
}

/** The diagnostics of a text. */
export interface IDiagnosticsResponse {
  type: 'diagnostics';
  id: number;
  diagnostics: IKqlDiagnostic[];
}

/** The completion items at a position. */
export interface ICompletionResponse {
  type: 'completion';
  id: number;
  completions: IKqlCompletions;
}

/** Quick info at a position, or null where there is nothing to say. */
export interface IQuickInfoResponse {
  type: 'quickInfo';
  id: number;
  quickInfo: IKqlQuickInfo | null;
}

/** The statements of a compiled query. */
export interface ICompiledResponse {
  type: 'compiled';
  id: number;
  statements: IStatementResult[];
}

/**
 * The query has columns found in the data (`evaluate bag_unpack`, `pivot`): the page runs the
 * discovery query and answers with `discovered`, then compilation goes on.
 */
export interface IDiscoverResponse {
  type: 'discover';
  id: number;
  discovery: IDiscovery;
}

/** The request was for a version of the text the service already has a newer one of. */
export interface IStaleResponse {
  type: 'stale';
  id: number;
}

/** The service failed on the request (a bug: Kusto.Language and the compiler never throw). */
export interface IFailedResponse {
  type: 'failed';
  id: number;
  message: string;
}

/** Any message from the service to the page. */
export type LanguageResponse =
  | IReadyResponse
  | IDiagnosticsResponse
  | ICompletionResponse
  | IQuickInfoResponse
  | ICompiledResponse
  | IDiscoverResponse
  | IStaleResponse
  | IFailedResponse;

/** The response type of each request type. */
export interface IResponseOf {
  diagnostics: IDiagnosticsResponse;
  completion: ICompletionResponse;
  quickInfo: IQuickInfoResponse;
}
