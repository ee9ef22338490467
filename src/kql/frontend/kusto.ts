// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * The one place that loads Microsoft's Kusto.Language (parser, binder, function catalogue) and hands
 * it our schema. `convert.ts` turns its trees into our AST; nothing else touches the library.
 */
import type { IColumnInfo } from '../types';
import { type ICompilerWorkspace, withWorkspaces } from './workspaces';

/** The tables a query can use, as the compiler needs them. */
export interface ICompilerSchema {
  /** Each table with its columns and, when it has one, the column a query time window applies to. */
  tables: {
    name: string;
    columns: IColumnInfo[];
    timeColumn?: string | null;
  }[];
  /**
   * The workspaces a cross-workspace query runs on, which `workspace("…").Table` reads one by
   * one; `tables` are then the tables of all of them, unioned (see `workspaces.ts`).
   */
  workspaces?: ICompilerWorkspace[];
}

type KustoGlobal = typeof globalThis & { Kusto?: typeof Kusto };

let loading: Promise<void> | null = null;

/**
 * Loads Kusto.Language once. Its two scripts must run in order (`bridge.js` defines the runtime the
 * second one needs); they set the globals `Bridge`, `System` and `Kusto`.
 */
export function loadKusto(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      if (!(globalThis as KustoGlobal).Kusto) {
        await import('@kusto/language-service-next/bridge.min.js');
        await import('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
      }
      // Kusto.Language sets up its symbol tables on first use; do it now, not on the first query.
      Kusto.Language.GlobalState.Default!.WithDatabase(
        new Kusto.Language.Symbols.DatabaseSymbol.ctor('warmup', [])
      );
    })();
  }
  return loading;
}

/** True once `loadKusto()` has finished. */
export function isKustoLoaded(): boolean {
  return !!(globalThis as KustoGlobal).Kusto;
}

const globalsCache = new WeakMap<ICompilerSchema, Kusto.Language.GlobalState>();

/** Kusto's global state holding one database with the schema's tables, built once per schema. */
export function globalsFor(
  schema: ICompilerSchema
): Kusto.Language.GlobalState {
  let globals = globalsCache.get(schema);
  if (!globals) {
    const S = Kusto.Language.Symbols;
    const symbol = (table: ICompilerSchema['tables'][number]) =>
      new S.TableSymbol.$ctor4(
        table.name,
        table.columns.map(
          column =>
            new S.ColumnSymbol(
              column.name,
              S.ScalarTypes.GetSymbol(column.type),
              null,
              null,
              null,
              null
            )
        )
      );
    const database = new S.DatabaseSymbol.ctor(
      'workspace',
      schema.tables.map(symbol)
    );
    // With its cache: Kusto's binder fills it as it binds (the function and operator lookup
    // tables, the unified columns of a union's tables, function expansions), and derives a new
    // state with an empty one for each query it is given a state without a cache.
    globals = (
      withWorkspaces(database, schema, symbol) ??
      Kusto.Language.GlobalState.Default!.WithDatabase(database)!
    ).WithCache()!;
    globalsCache.set(schema, globals);
  }
  return globals;
}

/** The names of Kusto's built-in scalar and aggregate functions. */
export function builtinFunctionNames(): string[] {
  const globals = Kusto.Language.GlobalState.Default!;
  const names: string[] = [];
  for (const list of [globals.Functions, globals.Aggregates]) {
    // Bridge.NET hands some read-only lists over as plain arrays.
    const items = list as unknown as
      Kusto.Language.Symbols.FunctionSymbol[] | null;
    for (const symbol of Array.isArray(items) ? items : []) {
      names.push(symbol.Name!);
    }
  }
  return names;
}

/** Parses and binds one query against a schema. */
export function analyze(
  text: string,
  schema: ICompilerSchema
): Kusto.Language.KustoCode {
  return Kusto.Language.KustoCode.ParseAndAnalyze(text, globalsFor(schema))!;
}

/** Parses one query without binding it (syntax only). */
export function parse(text: string): Kusto.Language.KustoCode {
  return Kusto.Language.KustoCode.Parse(text)!;
}
