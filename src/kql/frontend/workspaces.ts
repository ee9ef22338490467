// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `workspace("name").Table`: a table of one workspace of a cross-workspace query, as Log Analytics
 * reads it. Kusto.Language has no `workspace()` (Log Analytics adds it to Kusto), but it binds
 * `database("name").Table` against the databases of its cluster. So each `workspace` call is read
 * as `database ` (the same length: every offset, and so every diagnostic's place, stays), and each
 * workspace the schema lists is a database of the cluster under each name it answers to.
 *
 * In SQL, a workspace's table is the relation `workspaceRelation(id, table)`; the runner provides
 * it (the Jupyter server, for local workspaces).
 */
import type { IKqlDiagnostic, ISpan } from '../diagnostics';
import type { ICompilerSchema } from './kusto';

// No namespace aliases here: `kusto.ts` imports this module before Kusto.Language is loaded.
type Syntax = typeof Kusto.Language.Syntax;

/** One workspace a query can name with `workspace("…")`. */
export interface ICompilerWorkspace {
  /** The workspace's id: its tables are the SQL relations `workspaceRelation(id, table)`. */
  id: string;
  /** What `workspace("…")` may name it by (its id, its display name…), matched ignoring case. */
  names: string[];
  /** Its tables, as `ICompilerSchema.tables`. */
  tables: ICompilerSchema['tables'];
}

/** The SQL relation of one workspace's table. */
export function workspaceRelation(workspace: string, table: string): string {
  return `${workspace}.${table}`;
}

/** A `workspace("…")` call of a query: where its name is, and the name when it is a literal. */
export interface IWorkspaceCall {
  /** The argument's place in the query. */
  span: ISpan;
  /** The workspace's name, or null when the argument is not a string literal. */
  name: string | null;
}

/** The query as Kusto.Language reads it, with every `workspace(` call as `database (`. */
export function asDatabaseCalls(query: string): {
  text: string;
  calls: IWorkspaceCall[];
} {
  // Most queries name no other workspace: no second parse for them.
  if (!/workspace\s*\(/i.test(query)) {
    return { text: query, calls: [] };
  }
  const calls: IWorkspaceCall[] = [];
  let text = query;
  const syntax: Syntax = Kusto.Language.Syntax;
  Kusto.Language.KustoCode.Parse(query)!.Syntax!.WalkElements(element => {
    if (!(element instanceof syntax.FunctionCallExpression)) {
      return;
    }
    const call = element;
    if (call.Name?.SimpleName !== 'workspace') {
      return;
    }
    const start = call.Name.TextStart;
    text = `${text.slice(0, start)}database ${text.slice(start + 'workspace'.length)}`;
    const list = call.ArgumentList?.Expressions;
    // The library types a list's items loosely (see `elementAt` in syntax.ts).
    const argument = list?.Count
      ? (
          list.getItem(
            0
          ) as unknown as Kusto.Language.Syntax.SeparatedElement$1<Kusto.Language.Syntax.Expression>
        ).Element
      : null;
    const literal =
      argument instanceof syntax.LiteralExpression
        ? argument.LiteralValue
        : null;
    calls.push({
      span: argument
        ? { start: argument.TextStart, end: argument.End }
        : { start, end: call.End },
      name: typeof literal === 'string' ? literal : null
    });
  });
  return { text, calls };
}

const relations = new WeakMap<Kusto.Language.Symbols.Symbol, string>();

/**
 * Kusto's global state for a schema that lists other workspaces: a cluster holding the schema's
 * own database (the tables every workspace of the query has, unioned) and one database per name
 * of each workspace. Null when the schema lists none.
 */
export function withWorkspaces(
  database: Kusto.Language.Symbols.DatabaseSymbol,
  schema: ICompilerSchema,
  table: (
    t: ICompilerSchema['tables'][number]
  ) => Kusto.Language.Symbols.TableSymbol
): Kusto.Language.GlobalState | null {
  if (!schema.workspaces?.length) {
    return null;
  }
  const Symbols = Kusto.Language.Symbols;
  const databases = [database];
  for (const workspace of schema.workspaces) {
    for (const name of new Set(workspace.names)) {
      const tables = workspace.tables.map(t => {
        const symbol = table(t);
        relations.set(symbol, workspaceRelation(workspace.id, t.name));
        return symbol;
      });
      databases.push(new Symbols.DatabaseSymbol.ctor(name, tables));
    }
  }
  return Kusto.Language.GlobalState.Default!.WithCluster(
    new Symbols.ClusterSymbol.ctor('workspaces', databases)
  )!.WithDatabase(database)!;
}

/** The SQL relation of the table `workspace("…").Table` binds to, or null for any other symbol. */
export function workspaceTableOf(
  symbol: Kusto.Language.Symbols.Symbol | null
): string | null {
  return (symbol && relations.get(symbol)) ?? null;
}

/** Each workspace table's SQL relation with its time column, for the query time window. */
export function workspaceTimeColumns(
  schema: ICompilerSchema
): [table: string, column: string][] {
  return (schema.workspaces ?? []).flatMap(w =>
    w.tables.flatMap(t =>
      t.timeColumn ? [[workspaceRelation(w.id, t.name), t.timeColumn]] : []
    )
  ) as [string, string][];
}

/**
 * Kusto's diagnostics about a `workspace("…")` call in the words of a workspace: it names none the
 * query can read (Kusto speaks of an unknown database), or does not name one with a literal.
 */
export function workspaceDiagnostics(
  diagnostics: IKqlDiagnostic[],
  calls: IWorkspaceCall[],
  schema: ICompilerSchema
): IKqlDiagnostic[] {
  if (!calls.length) {
    return diagnostics;
  }
  const known = (schema.workspaces ?? []).map(w => w.names[0] ?? w.id);
  const choices = known.length
    ? `the workspaces this query runs on are ${known.map(n => `'${n}'`).join(', ')}`
    : 'this query runs on one workspace: pick more in the query bar to read others';
  return diagnostics.map(d => {
    const call = calls.find(
      c => d.start >= c.span.start && d.start <= c.span.end
    );
    if (!call || d.severity !== 'error') {
      return d;
    }
    const message =
      call.name === null
        ? 'workspace() takes the name of a workspace, as a string literal'
        : `'${call.name}' is not a workspace of this query: ${choices}`;
    return { ...d, code: 'KQL-WORKSPACE', message, suggestion: undefined };
  });
}
