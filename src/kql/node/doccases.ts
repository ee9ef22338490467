/**
 * Microsoft's documented KQL examples with their documented output
 * (../shared/corpus/kql_doc_cases.dev.jsonl): the cases, the documentation's own mistakes, and
 * `kql doc-cases`, which runs them on Spark. The compiler's tests run them on DuckDB
 * (`__tests__/doc-cases.spec.ts`); both compare by the same rules (`compare.ts`).
 */
import * as fs from 'fs';

import {
  compileDiscovering,
  compilerSchema,
  type ICompileResult,
  type IKqlCompiler,
  loadCompiler
} from '..';
import type { IKqlDiagnostic } from '../diagnostics';
import { sameRows } from './compare';
import { kustoValue } from './duckdb';
import { SparkChecker, sparkReason } from './spark';

/** One documented example. */
export interface IDocCase {
  id: string;
  query: string;
  expected_columns: string[];
  expected_rows: unknown[][];
  notes: string;
}

/** The instant the examples' now() and ago() count from. */
export const DOC_CASES_NOW = new Date('2024-01-15T12:00:00Z');

/**
 * Cases whose documented output we do not match on any engine, each with the reason.
 * Kusto.Language itself rejects some documented queries; others document output that Kusto does
 * not produce.
 */
export const DOCUMENTED_DIFFERENCES: Record<string, string> = {
  'all-graph-function#1':
    'Kusto.Language rejects the documented query (graph operators)',
  'bag-unpack-plugin#5': 'Kusto.Language rejects the documented query (KS107)',
  'make-timespan-function#1':
    'Kusto.Language rejects the documented query (non-integer argument)',
  'summarize-operator#6':
    'Kusto.Language rejects countif on an empty datatable (KS107)',
  'summarize-operator#9':
    'Kusto.Language rejects countif on an empty datatable (KS107)',
  'tutorials/your-first-graph#3':
    'Kusto.Language rejects the documented query (graph operators)',
  'bin-function#2':
    'the documentation prints the timespan 14 days as 14:00:00:00; Kusto prints 14.00:00:00',
  'extract-all-function#2':
    'the documentation names the column ID; the query names it Id',
  'extract-all-function#3':
    'the documentation names the column ID; the query names it Id',
  'let-statement#5':
    "the documentation names count's column result; count names it Count",
  'min-of-function#2':
    'the documentation names an unnamed column result; Kusto names it Column1',
  'variancep-aggregation-function#1':
    'the documentation names the column variance_x; Kusto names it variancep_x',
  'top-nested-operator#4':
    'top-nested gives no row order; the documentation shows one (operators2.spec.ts checks the rows)',
  'ipv6-lookup-plugin#1':
    "the documentation lists the lookup table's columns first; Kusto.Language and the ipv4_lookup page put the input's first (operators2.spec.ts checks the rows)",
  'ipv6-lookup-plugin#2':
    "the documentation lists the lookup table's columns first; Kusto.Language and the ipv4_lookup page put the input's first (operators2.spec.ts checks the rows)",
  'make-set-if-aggregation-function#1':
    'make_set_if gives no element order; the documentation shows one',
  'range-operator#2': 'the documentation shows only some rows of the result',
  'replace-string-function#2':
    'the documentation prints reals with six decimals; tostring(1.0) is "1"',
  'scalar-data-types/string#3':
    'the documentation shows the non-breaking space as a space',
  'scalar-data-types/string#5':
    'the documentation shows a multi-line literal on one line',
  'trim-function#3': 'the documentation shows the untrimmed column trimmed',
  'fl/graph-blast-radius-fl#3':
    'make_set_if gives no element order and rows tie on the sort key; the documentation shows one order',
  'fl/graph-exposure-perimeter-fl#3':
    'make_set_if gives no element order and rows tie on the sort key; the documentation shows one order',
  'array-iff-function#2':
    'the documentation prints the array without its quotes',
  'array-iff-function#3':
    'the documentation shows the condition column as [true, false, true]; the query writes a string, a datetime and null',
  'base64-decode-toguid-function#1':
    "the documentation does not swap the third group's bytes, as .NET's Guid(byte[]) and the documented base64_encode_fromguid example do",
  'binary-all-xor-aggregation-function#1':
    'the documentation names the column results; the query names it result',
  'series-sum-function#1':
    'the documentation names the column s1; the query names it arr',
  'url-encode-function#1':
    'the documentation shows the original with a trailing slash the query does not have',
  'variancepif-aggregation-function#1':
    'the documentation gives the sample variance (850); the population variance of 2, 4, …, 100 is 833',
  'zip-function#3':
    'the documentation names an unnamed column print_0; Kusto names it Column1',
  'parse-url-function#1':
    'the documentation prints the bag with unescaped nested quotes (not JSON); the values match',
  'geo-geohash-to-central-point-function#3':
    'the documentation renders the URL as a Markdown link; the text matches',
  'geo-polygon-to-s2cells-function#1':
    'the documentation names the first polygon "New York city"; the query names it "New York"',
  'geo-s2cell-neighbors-function#5':
    'the documentation prints the bool true as 1',
  'geo-h3cell-level-function#3': 'the documentation prints the bool true as 1',
  'geo-h3cell-parent-function#5': 'the documentation prints the bool true as 1',
  'geo-h3cell-parent-function#6': 'the documentation prints the bool true as 1',
  'geo-h3cell-parent-function#7': 'the documentation prints the bool true as 1',
  'geo-h3cell-neighbors-function#5':
    'the documentation prints the bool true as 1',
  'geo-h3cell-rings-function#5': 'the documentation prints the bool true as 1',
  'geo-h3cell-rings-function#6': 'the documentation prints the bool true as 1',
  'extract-all-function#4':
    'the documentation heads the column ID; the query names it Id (the values match: text.spec.ts)',
  'extract-all-function#5':
    'the documentation heads the column ID; the query names it Id (the values match: text.spec.ts)',
  'percentilesw-aggregation-function#3':
    "the documentation heads the column percentile_LatencyBucket; Kusto's binder names it percentiles_LatencyBucket, as percentiles_array's documented output does (the values match: catalogue.spec.ts)",
  'percentilesw-aggregation-function#4':
    "the documentation heads the column percentile_LatencyBucket; Kusto's binder names it percentiles_LatencyBucket, as percentiles_array's documented output does (the values match: catalogue.spec.ts)",
  'ipv6-is-match-function#1':
    'the documentation prints the bool true as 1 (ipv6.spec.ts checks the values)',
  'ipv6-is-match-function#2':
    'the documentation prints the bool true as 1 (ipv6.spec.ts checks the values)',
  'geo-polygon-perimeter-function#2':
    'Kusto measures the union of overlapping polygons, not reproduced: the query stops with a named refusal'
};

/** The cases of a JSON-lines file. */
export function readDocCases(file: string): IDocCase[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(line => line.trim())
    .map(line => JSON.parse(line) as IDocCase);
}

/** Whether the documented rows are in the order the query gives them. */
export function orderMatters(c: IDocCase): boolean {
  return (
    /\b(sort|order|top)\b/.test(c.query) && !/order-insensitive/.test(c.notes)
  );
}

/** What one case gave on Spark. */
type Outcome =
  | { kind: 'match' | 'documented' }
  | { kind: 'refused' | 'not compiled' | 'failed on Spark'; reason: string }
  | { kind: 'different'; detail: string };

function refusal(error: IKqlDiagnostic | undefined): Outcome {
  if (error?.stage === 'unsupported') {
    return {
      kind: 'refused',
      reason: error.unsupported
        ? `not supported locally: ${error.unsupported}`
        : error.message
    };
  }
  return {
    kind: 'not compiled',
    reason: error ? `${error.stage} ${error.code}: ${error.message}` : 'no SQL'
  };
}

/** The first documented row that differs, for the listing. */
function difference(actual: unknown[][], expected: unknown[][]): string {
  const text = (row: unknown[] | undefined) =>
    row === undefined
      ? '(none)'
      : JSON.stringify(row, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v
        ).slice(0, 160);
  const at = expected.findIndex(
    (row, i) => !sameRows([actual[i] ?? []], [row], true)
  );
  const i = at < 0 ? expected.length : at;
  return `${actual.length} rows for ${expected.length}; row ${i + 1}: ${text(actual[i])} for ${text(expected[i])}`;
}

async function runCase(
  c: IDocCase,
  checker: SparkChecker,
  compiler: IKqlCompiler
): Promise<Outcome> {
  if (DOCUMENTED_DIFFERENCES[c.id]) {
    return { kind: 'documented' };
  }
  let result: ICompileResult;
  try {
    result = await compileDiscovering(
      compiler,
      c.query,
      compilerSchema([]),
      { now: DOC_CASES_NOW, dialect: 'spark' },
      async discovery => {
        const answer = await checker.run(discovery.sql);
        if (!answer.ok) {
          throw new Error(answer.error);
        }
        return (answer.rows ?? []).map(row => row.map(String));
      }
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { kind: 'failed on Spark', reason: sparkReason(message) };
  }
  if (result.sql === null) {
    return refusal(result.diagnostics.find(d => d.severity === 'error'));
  }
  const answer = await checker.run(result.sql);
  if (!answer.ok) {
    return {
      kind: 'failed on Spark',
      reason: sparkReason(answer.error ?? '')
    };
  }
  const types = result.columns.map(column => column.type);
  const rows = (answer.rows ?? []).map(row =>
    row.map((cell, i) => kustoValue(cell, types[i] ?? 'string'))
  );
  const columns = result.columns.map(column => column.name);
  if (JSON.stringify(columns) !== JSON.stringify(c.expected_columns)) {
    return {
      kind: 'different',
      detail: `columns ${columns.join(', ')} for ${c.expected_columns.join(', ')}`
    };
  }
  return sameRows(rows, c.expected_rows, orderMatters(c))
    ? { kind: 'match' }
    : { kind: 'different', detail: difference(rows, c.expected_rows) };
}

function counted(reasons: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * `kql doc-cases --python PATH CASES.jsonl`: compiles every case to Spark SQL, runs it on one
 * local Spark session (with the dialect's prelude) and prints how many give the documented rows,
 * which are refused and why, which fail on Spark and which give other rows.
 */
export async function docCasesCommand(
  python: string,
  file: string,
  write: (text: string) => void
): Promise<number> {
  const started = Date.now();
  const cases = readDocCases(file);
  const compiler = await loadCompiler();
  const checker = await SparkChecker.start(python, []);
  const outcomes: [IDocCase, Outcome][] = [];
  try {
    for (const c of cases) {
      outcomes.push([c, await runCase(c, checker, compiler)]);
    }
  } finally {
    checker.close();
  }
  const of = (kind: Outcome['kind']) =>
    outcomes.filter(([, o]) => o.kind === kind);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  write(
    `documented examples on Spark: ${cases.length} in ${seconds} s; matching ${of('match').length}, ` +
      `refused ${of('refused').length}, not compiled ${of('not compiled').length}, ` +
      `failed on Spark ${of('failed on Spark').length}, different ${of('different').length}, ` +
      `documentation differences ${of('documented').length}\n`
  );
  for (const kind of ['refused', 'not compiled', 'failed on Spark'] as const) {
    const reasons = of(kind).map(([, o]) => ('reason' in o ? o.reason : ''));
    if (reasons.length) {
      write(`${kind}, by reason:\n`);
      for (const [reason, n] of counted(reasons).slice(0, 15)) {
        write(`  ${String(n).padStart(4)}  ${reason.slice(0, 160)}\n`);
      }
    }
  }
  for (const [c, o] of of('failed on Spark')) {
    write(`failed on Spark: ${c.id}: ${'reason' in o ? o.reason : ''}\n`);
  }
  for (const [c, o] of of('different')) {
    write(`different: ${c.id}: ${'detail' in o ? o.detail : ''}\n`);
  }
  return 0;
}
