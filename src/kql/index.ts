/**
 * The KQL compiler: KQL text and a workspace schema in, one DuckDB SQL statement out, with Kusto's
 * diagnostics and ours. See ARCHITECTURE.md for the stages.
 *
 * Kusto.Language is large (5 MB of script): it is loaded on first use by `loadCompiler()`, never
 * with the extension's first chunk.
 */
import type { IColumnInfo } from './types';
import type { IRenderSpec } from './ast';
import {
  DiscoveryNeeded,
  type IKqlDiagnostic,
  LineMap,
  QueryFailed,
  type Severity,
  UnsupportedError
} from './diagnostics';
import type { IKqlCodeService, IKqlCompletions } from './frontend/completion';
import type { ICompilerSchema } from './frontend/kusto';
import type { IExternalData } from './sql/emitter';
import { scalarType } from './types';
import type { ITimeWindow } from './sql/window';

export type { IKqlDiagnostic, DiagnosticStage, Severity } from './diagnostics';
export type { ICompilerSchema } from './frontend/kusto';
export type { ICompilerWorkspace } from './frontend/workspaces';
export type { IRenderSpec } from './ast';
export type { IColumnInfo, KqlTypeName } from './types';
export type {
  IKqlCodeService,
  IKqlCompletion,
  IKqlCompletions,
  IKqlQuickInfo,
  KqlCompletionKind
} from './frontend/completion';
export type { IExternalData } from './sql/emitter';
export type { ITimeWindow } from './sql/window';

/** Options of one compilation. */
export interface ICompileOptions {
  /** The instant `now()` and `ago()` refer to; the time of the call by default. */
  now?: Date;
  /**
   * The rows each discovery query gave (see `ICompileResult.discovery`), by its key: the columns
   * of `evaluate bag_unpack`/`pivot` found in the data, which the compiler writes into the query
   * as the operator's output schema.
   */
  discovered?: Record<string, string[][]>;
  /**
   * The query time window, as Log Analytics applies the `timespan` of its query API: every table
   * the query reads that has a time column (the schema's `timeColumn`) shows only the rows in
   * `[start, end)`. `compile` throws a `RangeError` when the window does not start before it ends.
   */
  timeWindow?: ITimeWindow;
  /**
   * The SQL engine the query is compiled for: DuckDB (local workspaces, the default) or Spark SQL
   * (whose runner first executes the dialect's `prelude`, `sql/dialects/spark.ts`, in its session).
   */
  dialect?: SqlDialectName;
}

/** The engines the compiler writes SQL for. */
export type SqlDialectName = 'duckdb' | 'spark';

/**
 * A query the runner must run before the query can compile: an `evaluate bag_unpack` or `evaluate
 * pivot` has columns that depend on the data, as in Kusto, which finds them in a first step.
 * Run `sql` (it reads `externalData` and `__geoip` like a compiled query), then compile again with
 * `discovered[key]` set to its rows as text, `[name, type]`; repeat while a result asks for more.
 */
export interface IDiscovery {
  key: string;
  operator: 'bag_unpack' | 'pivot';
  sql: string;
  externalData: IExternalData[];
  geoIp: boolean;
}

/** The outcome of compiling one query. */
export interface ICompileResult {
  /** The SQL, or null when an error diagnostic stopped compilation. */
  sql: string | null;
  /** The result's columns, as Kusto's binder computed them. */
  columns: IColumnInfo[];
  /** Every problem found, errors first. */
  diagnostics: IKqlDiagnostic[];
  /** Chart metadata from `render`, if the query ends with one. */
  render: IRenderSpec | null;
  /**
   * Relations the SQL reads that the runner must provide: the files of `externaldata`, which a
   * local workspace reads from a local copy, never from the internet.
   */
  externalData?: IExternalData[];
  /**
   * True when the SQL reads the IP geolocation table `__geoip` (for `geo_info_from_ip_address`),
   * which the runner provides from the workspace's `_geoip.csv`.
   */
  geoIp?: boolean;
  /** When set, `sql` is null: the columns the query produces must first be found in the data. */
  discovery?: IDiscovery;
}

/** The compiler, once Kusto.Language is loaded. */
export interface IKqlCompiler {
  /** Parses, binds and compiles one query. Never throws for any input text. */
  compile(
    query: string,
    schema: ICompilerSchema,
    options?: ICompileOptions
  ): ICompileResult;
  /** Syntax diagnostics only (no schema needed). Never throws for any input text. */
  syntax(query: string): IKqlDiagnostic[];
  /** The editor's completion items at an offset of the query. */
  complete(
    query: string,
    position: number,
    schema: ICompilerSchema
  ): IKqlCompletions;
  /** Kusto's editor services (completion, quick info) on one text of a query. */
  codeService(query: string, schema: ICompilerSchema): IKqlCodeService;
}

let compiler: Promise<IKqlCompiler> | null = null;

/** Loads Kusto.Language and the compiler stages once; later calls share the same compiler. */
export function loadCompiler(): Promise<IKqlCompiler> {
  if (!compiler) {
    compiler = (async () => {
      const kusto = await import('./frontend/kusto');
      await kusto.loadKusto();
      // These modules alias Kusto.Language's namespaces at load time, so they load after it.
      const { convertQuery, outputSchemaSplices } =
        await import('./frontend/convert');
      const { emitDiscovery, emitQuery } = await import('./sql/emitter');
      const { duckdb } = await import('./sql/dialects/duckdb');
      const { spark } = await import('./sql/dialects/spark');
      const dialects = { duckdb, spark };
      const { kustoDiagnostics, resultColumns } =
        await import('./frontend/kusto-diagnostics');
      const { withSuggestions } = await import('./suggest');
      const { completionsAt, kqlCodeService } =
        await import('./frontend/completion');
      const { asDatabaseCalls, workspaceDiagnostics, workspaceTimeColumns } =
        await import('./frontend/workspaces');
      const functions = kusto.builtinFunctionNames();

      const failure = (lines: LineMap, error: unknown): IKqlDiagnostic => {
        if (error instanceof DiscoveryNeeded) {
          // A caller that cannot run the discovery query sees a refusal that says why.
          return lines.diagnostic(error.span, {
            code: 'KQL-UNSUPPORTED',
            stage: 'unsupported',
            severity: 'error',
            message: `not supported locally: evaluate ${error.kind} (its columns depend on the data: run the result's discovery query, then compile again with its rows)`,
            unsupported: `evaluate ${error.kind}`
          });
        }
        if (error instanceof QueryFailed) {
          return lines.diagnostic(error.span, {
            code: 'KQL-FAILED',
            stage: 'semantic',
            severity: 'error',
            message: error.message
          });
        }
        if (error instanceof UnsupportedError) {
          return lines.diagnostic(error.span, {
            code: 'KQL-UNSUPPORTED',
            stage: 'unsupported',
            severity: 'error',
            message: error.message,
            unsupported: error.feature
          });
        }
        const message = error instanceof Error ? error.message : String(error);
        return lines.diagnostic(
          { start: 0, end: 0 },
          {
            code: 'KQL-INTERNAL',
            stage: 'unsupported',
            severity: 'error',
            message: `the compiler failed on this query: ${message}`
          }
        );
      };

      return {
        complete: completionsAt,
        codeService: kqlCodeService,
        compile(original, schema, options = {}) {
          const window = options.timeWindow;
          if (window && !(window.start.getTime() < window.end.getTime())) {
            throw new RangeError('The time window must start before it ends');
          }
          // `workspace("…")` is read as `database ("…")`, of the same length (see workspaces.ts).
          const { text: read, calls } = asDatabaseCalls(original);
          let query = read;
          let splices: { at: number; text: string }[] = [];
          let code;
          try {
            code = kusto.analyze(query, schema);
            if (options.discovered) {
              splices = outputSchemaSplices(code.Syntax!, options.discovered);
              query = spliced(query, splices);
              code = splices.length ? kusto.analyze(query, schema) : code;
            }
          } catch (error) {
            return {
              sql: null,
              columns: [],
              diagnostics: [failure(new LineMap(query), error)],
              render: null
            };
          }
          const lines = new LineMap(query);
          const dialect = dialects[options.dialect ?? 'duckdb'];
          const emitOptions = {
            now: options.now ?? new Date(),
            timeWindow: window,
            timeColumns: [
              ...schema.tables.flatMap(t =>
                t.timeColumn ? [[t.name, t.timeColumn] as const] : []
              ),
              ...workspaceTimeColumns(schema)
            ]
          };
          const diagnostics = workspaceDiagnostics(
            withSuggestions(kustoDiagnostics(code, lines, false), query, {
              tables: schema.tables.map(t => t.name),
              columns: columnNames(schema),
              functions
            }),
            calls,
            schema
          );
          const columns = resultColumns(code);
          if (diagnostics.some(d => d.severity === 'error')) {
            return { sql: null, columns, diagnostics, render: null };
          }
          try {
            const ast = convertQuery(code.Syntax!, schema);
            const { sql, externalData, geoIp } = emitQuery(
              ast,
              dialect,
              emitOptions
            );
            return {
              sql,
              // Without the columns the binder adds and Kusto does not return (scan's match_id).
              columns: columns.filter(c =>
                ast.body.schema.some(b => b.name === c.name)
              ),
              diagnostics,
              render: ast.render,
              externalData,
              geoIp
            };
          } catch (error) {
            if (error instanceof DiscoveryNeeded) {
              // The discovery query reads the same window as the query.
              const found = emitDiscovery(error, dialect, emitOptions);
              return {
                sql: null,
                columns,
                diagnostics: [failure(lines, error), ...diagnostics],
                render: null,
                discovery: {
                  key: `${error.kind}@${originalOffset(Number(error.key.split('@')[1]), splices)}`,
                  operator: error.kind,
                  ...found
                }
              };
            }
            return {
              sql: null,
              columns,
              diagnostics: [failure(lines, error), ...diagnostics],
              render: null
            };
          }
        },
        syntax(query) {
          const lines = new LineMap(query);
          try {
            return kustoDiagnostics(kusto.parse(query), lines, true);
          } catch (error) {
            return [failure(lines, error)];
          }
        }
      } satisfies IKqlCompiler;
    })();
  }
  return compiler;
}

const columnNamesCache = new WeakMap<ICompilerSchema, string[]>();

/** Every column name of a schema, once per schema. */
function columnNames(schema: ICompilerSchema): string[] {
  let names = columnNamesCache.get(schema);
  if (!names) {
    names = [
      ...new Set(schema.tables.flatMap(t => t.columns.map(c => c.name)))
    ];
    columnNamesCache.set(schema, names);
  }
  return names;
}

/**
 * The schema shape the compiler takes, from the columns of a workspace schema and each table's
 * time column (`timespanColumn`, which a query time window applies to).
 */
export function compilerSchema(
  tables: {
    name: string;
    columns: IColumnInfo[];
    timespanColumn?: string | null;
  }[]
): ICompilerSchema {
  return {
    tables: tables.map(t => ({
      name: t.name,
      timeColumn: t.timespanColumn ?? null,
      columns: t.columns.map(c => {
        const type = scalarType(c.type);
        return { name: c.name, type: type === 'unknown' ? 'dynamic' : type };
      })
    }))
  };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: IKqlDiagnostic[]): boolean {
  return diagnostics.some(d => d.severity === ('error' satisfies Severity));
}

/** The text with each splice inserted at its offset. */
function spliced(
  text: string,
  splices: { at: number; text: string }[]
): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) {
    out = out.slice(0, s.at) + s.text + out.slice(s.at);
  }
  return out;
}

/** An offset in the spliced text as an offset in the text before splicing. */
function originalOffset(
  offset: number,
  splices: { at: number; text: string }[]
): number {
  let shift = 0;
  for (const s of [...splices].sort((a, b) => a.at - b.at)) {
    if (s.at + shift < offset) {
      shift += s.text.length;
    }
  }
  return offset - shift;
}

/** At most this many discovery rounds (one per `evaluate bag_unpack`/`pivot` of a query). */
const MAX_DISCOVERIES = 16;

/**
 * Compiles a query in Kusto's two steps where it needs them: while the result asks for a
 * discovery, `run` executes its SQL (with its external data and geolocation table, as for a
 * compiled query) and the query is compiled again with the rows found. A runner that executes SQL
 * (the local backend through the Jupyter server, `kql run`, the tests) calls this instead of
 * `compile`; the result is `compile`'s for the last round.
 */
export async function compileDiscovering(
  compiler: IKqlCompiler,
  query: string,
  schema: ICompilerSchema,
  options: ICompileOptions,
  run: (discovery: IDiscovery) => Promise<string[][]>
): Promise<ICompileResult> {
  const discovered: Record<string, string[][]> = {
    ...(options.discovered ?? {})
  };
  let result = compiler.compile(query, schema, options);
  for (let i = 0; result.discovery && i < MAX_DISCOVERIES; i++) {
    discovered[result.discovery.key] = await run(result.discovery);
    result = compiler.compile(query, schema, { ...options, discovered });
  }
  return result;
}
