// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Batches: a query of several tabular expression statements (`T | count; T | take 5`) returns one
 * result table per statement, in the order of the text, as Kusto does; `let`, `set` and
 * `declare pattern` statements return none and are seen by every statement after them.
 *
 * Each statement compiles as a query of its own: the query text with every other tabular
 * expression statement (and its `;`) blanked out. The text keeps its length and its lines, so a
 * statement's diagnostics point into the text the user wrote.
 */
import type { IKqlDiagnostic, ISpan } from './diagnostics';
import {
  compileDiscovering,
  hasErrors,
  type ICompileOptions,
  type ICompileResult,
  type ICompilerSchema,
  type IDiscovery,
  type IKqlCompiler
} from './index';

type QueryBlock = Kusto.Language.Syntax.QueryBlock;
type Statement = Kusto.Language.Syntax.Statement;
type SeparatedStatement = Kusto.Language.Syntax.SeparatedElement$1<Statement>;

/** One tabular expression statement of a query, ready to compile on its own. */
export interface IStatementQuery {
  /** The query with every other tabular expression statement blanked out. */
  text: string;
  /** Where the statement is in the query. */
  span: ISpan;
}

/** One result table of a batch: the statement and its compilation. */
export interface IStatementResult extends ICompileResult {
  /** The table's name in the result, as the Log Analytics query API names it (`resultTableName`). */
  name: string;
  /** Where the statement is in the query. */
  span: ISpan;
}

/**
 * The name the Log Analytics query API gives the i-th result table of a query: `PrimaryResult`
 * for the first, then `Table_1`, `Table_2`…
 */
export function resultTableName(index: number): string {
  return index === 0 ? 'PrimaryResult' : `Table_${index}`;
}

/**
 * The tabular expression statements of a query, each as a query of its own. A query with one
 * statement, or whose text does not parse (its errors are the whole query's), is returned whole.
 * Kusto.Language must be loaded (`loadCompiler()`).
 */
export function tabularStatements(
  compiler: IKqlCompiler,
  query: string
): IStatementQuery[] {
  const whole = [{ text: query, span: { start: 0, end: query.length } }];
  if (hasErrors(compiler.syntax(query))) {
    return whole;
  }
  const block = Kusto.Language.KustoCode.Parse(query)!.Syntax as QueryBlock;
  const list = block.Statements;
  const parts: { element: ISpan; separator: ISpan | null; result: boolean }[] =
    [];
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const item = list!.getItem(i) as unknown as SeparatedStatement;
    const element = item.Element!;
    const separator = item.Separator;
    parts.push({
      element: { start: element.TextStart, end: element.End },
      separator:
        separator && separator.Width > 0
          ? { start: separator.TextStart, end: separator.End }
          : null,
      result:
        element.Kind === Kusto.Language.Syntax.SyntaxKind.ExpressionStatement
    });
  }
  const results = parts.flatMap((p, i) => (p.result ? [i] : []));
  if (results.length < 2) {
    return whole;
  }
  return results.map(kept => {
    const blanks: ISpan[] = [];
    for (const i of results) {
      if (i === kept) {
        continue;
      }
      blanks.push(parts[i].element);
      // The statement's own `;`, or for the last statement the one before it.
      const separator = parts[i].separator ?? parts[i - 1]?.separator;
      if (separator) {
        blanks.push(separator);
      }
    }
    return { text: blanked(query, blanks), span: parts[kept].element };
  });
}

/**
 * Compiles each tabular expression statement of a query (`tabularStatements`), running the
 * discoveries they need through `run` as `compileDiscovering` does; without `run`, as `compile`.
 * One result per statement, in the order of the text, named as the query API names its tables.
 */
export async function compileStatements(
  compiler: IKqlCompiler,
  query: string,
  schema: ICompilerSchema,
  options: ICompileOptions,
  run?: (discovery: IDiscovery) => Promise<string[][]>
): Promise<IStatementResult[]> {
  const results: IStatementResult[] = [];
  for (const [i, statement] of tabularStatements(compiler, query).entries()) {
    const result = run
      ? await compileDiscovering(compiler, statement.text, schema, options, run)
      : compiler.compile(statement.text, schema, options);
    results.push({ ...result, name: resultTableName(i), span: statement.span });
  }
  return results;
}

/**
 * The diagnostics of a batch once each: a `let` every statement sees is compiled with each of them,
 * and would otherwise report its warnings once per statement. Errors first.
 */
export function batchDiagnostics(
  results: readonly ICompileResult[]
): IKqlDiagnostic[] {
  const seen = new Set<string>();
  const all = results
    .flatMap(r => r.diagnostics)
    .filter(d => {
      const key = `${d.start}:${d.end}:${d.code}:${d.message}`;
      return !seen.has(key) && !!seen.add(key);
    });
  return [
    ...all.filter(d => d.severity === 'error'),
    ...all.filter(d => d.severity !== 'error')
  ];
}

/** The text with each span replaced by spaces, line breaks kept. */
function blanked(text: string, spans: ISpan[]): string {
  let out = text;
  for (const { start, end } of spans) {
    out =
      out.slice(0, start) +
      out.slice(start, end).replace(/[^\r\n]/g, ' ') +
      out.slice(end);
  }
  return out;
}
