/**
 * `kql`: the compiler from a terminal.
 *
 *   kql compile [--schema FILE] [--dialect duckdb|spark] QUERY   print the SQL
 *   kql check [--schema FILE] CORPUS.jsonl   parse and compile every query; DuckDB prepares the SQL
 *   kql check --dialect spark --python PATH [--schema FILE] CORPUS.jsonl
 *                                            the same in Spark SQL, which a local Spark analyses
 *                                            (PATH: the Python of a venv holding pyspark)
 *   kql prelude --dialect spark              the statements a session runs before compiled queries
 *   kql doc-cases --python PATH CASES.jsonl  run the documented examples on a local Spark and
 *                                            compare with the documented rows (node/doccases.ts)
 *   kql run [--workspace DIR] [--format table|json] QUERY   run on a local workspace folder
 *   kql hunt --workspace DIR [--format table|json] PACK…     run Sentinel rule packs (node/hunt.ts)
 *
 * QUERY is the text itself, `@file.kql`, or `-` for standard input.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

import { batchDiagnostics, compileStatements } from '../batch';
import {
  compileDiscovering,
  compilerSchema,
  type ICompilerSchema,
  type IExternalData,
  type IKqlCompiler,
  type IKqlDiagnostic,
  loadCompiler,
  type SqlDialectName
} from '..';
import { duckdb } from '../sql/dialects/duckdb';
import { spark } from '../sql/dialects/spark';
import {
  readQueries,
  readSchema,
  type SchemaTables,
  splitBlocks
} from './corpus';
import {
  attachWorkspace,
  bindExternalData,
  bindGeoIp,
  createEmptyTables,
  type IQueryResult,
  runSql
} from './duckdb';
import { huntCommand } from './hunt';
import { docCasesCommand } from './doccases';
import { emptyRelations, SparkChecker, sparkReason } from './spark';

const USAGE = `usage:
  kql compile [--schema FILE] [--dialect duckdb|spark] QUERY
  kql check [--schema FILE] [--verbose] [--dialect spark --python PATH] CORPUS.jsonl
  kql prelude --dialect duckdb|spark
  kql doc-cases --python PATH CASES.jsonl
  kql run [--workspace DIR] [--format table|json] QUERY
  kql hunt --workspace DIR [--format table|json] [--start ISO --end ISO]
           [--timeout SECONDS] [--threads N] PACK...
QUERY is the query text, @FILE, or - for standard input.`;

interface IArgs {
  command: string;
  options: Map<string, string | true>;
  positional: string[];
}

function parseArgs(argv: string[]): IArgs {
  const [command = '', ...rest] = argv;
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg.startsWith('--')) {
      const [name, value] = arg.slice(2).split('=', 2);
      if (value !== undefined) {
        options.set(name, value);
      } else if (name === 'verbose') {
        options.set(name, true);
      } else {
        options.set(name, rest[++i] ?? '');
      }
    } else {
      positional.push(arg);
    }
  }
  return { command, options, positional };
}

function queryText(arg: string | undefined): string {
  if (arg === undefined) {
    throw new UsageError('a query is required');
  }
  if (arg === '-') {
    return fs.readFileSync(0, 'utf8');
  }
  if (arg.startsWith('@')) {
    return fs.readFileSync(arg.slice(1), 'utf8');
  }
  return arg;
}

class UsageError extends Error {}

/** The exit status of a hunt that could not run (0: nothing fired, 1: a rule fired, 2: usage). */
const HUNT_FAILED = 3;

function formatDiagnostic(d: IKqlDiagnostic): string {
  return `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

function schemaOption(args: IArgs): SchemaTables {
  const file = args.options.get('schema');
  return typeof file === 'string' ? readSchema(file) : [];
}

function dialectOption(args: IArgs): SqlDialectName {
  const dialect = args.options.get('dialect') ?? 'duckdb';
  if (dialect !== 'duckdb' && dialect !== 'spark') {
    throw new UsageError(`unknown dialect ${String(dialect)}`);
  }
  return dialect;
}

async function compileCommand(args: IArgs): Promise<number> {
  const compiler = await loadCompiler();
  const results = await compileStatements(
    compiler,
    queryText(args.positional[0]),
    compilerSchema(schemaOption(args)),
    { dialect: dialectOption(args) }
  );
  for (const d of batchDiagnostics(results)) {
    process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  if (results.some(r => r.sql === null)) {
    return 1;
  }
  // A batch's SQL statement by statement, each under its table's name.
  for (const { name, sql } of results) {
    process.stdout.write(
      results.length > 1 ? `-- ${name}\n${sql};\n` : `${sql}\n`
    );
  }
  return 0;
}

/** Why a block failed, grouped for the summary. */
function reason(d: IKqlDiagnostic): string {
  if (d.stage === 'unsupported') {
    return d.unsupported
      ? `not supported locally: ${d.unsupported}`
      : d.message;
  }
  if (d.code === 'KS142' || d.code === 'KS204') {
    return `unknown name (${d.code})`;
  }
  return `${d.stage} ${d.code}: ${d.message.replace(/'[^']*'/g, "'…'")}`;
}

/** What `check` found for one corpus entry. */
interface IEntryCheck {
  label: string;
  parsed: boolean;
  blocks: number;
  /** One reason per block that did not compile, with its position. */
  failures: { reason: string; at: string; detail?: string }[];
}

/** Parses, compiles and prepares (on empty tables) every block of one corpus entry. */
async function checkEntry(
  entry: { query: string; label: string },
  compiler: IKqlCompiler,
  schema: ICompilerSchema,
  connection: DuckDBConnection
): Promise<IEntryCheck> {
  const check: IEntryCheck = {
    label: entry.label,
    parsed: true,
    blocks: 0,
    failures: []
  };
  for (const block of splitBlocks(entry.query)) {
    check.blocks++;
    // Columns found in the data (evaluate pivot, bag_unpack) are found in the empty tables.
    const result = await compileDiscovering(
      compiler,
      block,
      schema,
      {},
      async discovery => {
        await bindExternalData(
          connection,
          discovery.externalData,
          { empty: true },
          t => duckdb.type(t)
        );
        if (discovery.geoIp) {
          await bindGeoIp(connection, null, true);
        }
        return (await connection.runAndReadAll(discovery.sql))
          .getRowsJson()
          .map(row => row.map(String));
      }
    );
    if (
      result.diagnostics.some(
        d => d.stage === 'syntax' && d.severity === 'error'
      )
    ) {
      check.parsed = false;
    }
    const error = result.diagnostics.find(d => d.severity === 'error');
    let failure: string | null = null;
    if (result.sql === null) {
      failure = error ? reason(error) : 'no SQL';
    } else {
      try {
        await bindExternalData(
          connection,
          result.externalData ?? [],
          { empty: true },
          t => duckdb.type(t)
        );
        if (result.geoIp) {
          await bindGeoIp(connection, null, true);
        }
        await connection.prepare(result.sql);
      } catch (e) {
        const message = (e instanceof Error ? e.message : String(e)).split(
          '\n'
        )[0];
        failure = `DuckDB: ${message.replace(/"[^"]*"/g, '"…"').slice(0, 120)}`;
      }
    }
    if (failure) {
      check.failures.push({
        reason: failure,
        at: error ? `${error.line}:${error.column}` : ''
      });
    }
  }
  return check;
}

/**
 * Checks entries until none is left, each taking the next index from a counter the threads share:
 * a thread that meets slow entries (a `union *` over every table) takes fewer of the others, so
 * the threads end together (with a fixed share each, one thread sat idle for the last 30 % of
 * the run). A worker's JavaScript waits while DuckDB prepares its SQL on a thread of DuckDB's, so
 * each worker keeps one core busy and one worker per core keeps them all busy. Returns the entries
 * it checked with their indexes.
 */
async function checkShared(
  entries: { query: string; label: string }[],
  tables: SchemaTables,
  next: Int32Array
): Promise<[number, IEntryCheck][]> {
  const schema = compilerSchema(tables);
  const compiler = await loadCompiler();
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await createEmptyTables(connection, tables, t => duckdb.type(t));
  const results: [number, IEntryCheck][] = [];
  for (
    let i = Atomics.add(next, 0, 1);
    i < entries.length;
    i = Atomics.add(next, 0, 1)
  ) {
    results.push([
      i,
      await checkEntry(entries[i], compiler, schema, connection)
    ]);
  }
  return results;
}

/** Checks the entries on one worker thread per core (Kusto's binder and DuckDB's planner take the time). */
async function checkInParallel(
  entries: { query: string; label: string }[],
  tables: SchemaTables
): Promise<IEntryCheck[]> {
  const threads = Math.max(
    1,
    Math.min(os.cpus().length, Math.ceil(entries.length / 100))
  );
  const next = new Int32Array(new SharedArrayBuffer(4));
  const parts =
    threads === 1
      ? [await checkShared(entries, tables, next)]
      : await Promise.all(
          Array.from(
            { length: threads },
            () =>
              new Promise<[number, IEntryCheck][]>((resolve, reject) => {
                const worker = new Worker(__filename, {
                  workerData: { entries, tables, next }
                });
                worker.once('message', (results: [number, IEntryCheck][]) => {
                  resolve(results);
                  void worker.terminate();
                });
                worker.once('error', reject);
              })
          )
        );
  const results = new Array<IEntryCheck>(entries.length);
  for (const [i, check] of parts.flat()) {
    results[i] = check;
  }
  return results;
}

/**
 * Compiles every block to Spark SQL and has a local Spark analyse it against empty views of the
 * schema. One thread: Spark's analysis, in its own process, takes longer than compiling, and each
 * query is sent as soon as it compiles, so the two overlap. A query whose columns depend on the data
 * (`evaluate bag_unpack`, `pivot`) finds none in empty tables, as DuckDB's check does.
 */
async function checkOnSpark(
  entries: { query: string; label: string }[],
  tables: SchemaTables,
  python: string
): Promise<IEntryCheck[]> {
  const schema = compilerSchema(tables);
  const compiler = await loadCompiler();
  const checker = await SparkChecker.start(python, tables);
  try {
    const pending = entries.map(async entry => {
      const check: IEntryCheck = {
        label: entry.label,
        parsed: true,
        blocks: 0,
        failures: []
      };
      const answers: Promise<IEntryCheck['failures'][number] | null>[] = [];
      for (const block of splitBlocks(entry.query)) {
        check.blocks++;
        const result = await compileDiscovering(
          compiler,
          block,
          schema,
          { dialect: 'spark' },
          () => Promise.resolve([])
        );
        if (
          result.diagnostics.some(
            d => d.stage === 'syntax' && d.severity === 'error'
          )
        ) {
          check.parsed = false;
        }
        const error = result.diagnostics.find(d => d.severity === 'error');
        const at = error ? `${error.line}:${error.column}` : '';
        if (result.sql === null) {
          answers.push(
            Promise.resolve({ reason: error ? reason(error) : 'no SQL', at })
          );
          continue;
        }
        answers.push(
          checker
            .analyse(
              result.sql,
              emptyRelations(result.externalData ?? [], !!result.geoIp)
            )
            .then(answer =>
              answer.ok
                ? null
                : {
                    reason: `Spark: ${sparkReason(answer.error ?? '')}`,
                    at,
                    detail: answer.error
                  }
            )
        );
      }
      for (const failure of await Promise.all(answers)) {
        if (failure) {
          check.failures.push(failure);
        }
      }
      return check;
    });
    return await Promise.all(pending);
  } finally {
    checker.close();
  }
}

async function checkCommand(args: IArgs): Promise<number> {
  const file = args.positional[0];
  if (!file) {
    throw new UsageError('a corpus file is required');
  }
  const dialect = dialectOption(args);
  const python = args.options.get('python');
  if (dialect === 'spark' && typeof python !== 'string') {
    throw new UsageError(
      'check --dialect spark needs --python, the Python of a venv holding pyspark'
    );
  }
  const started = Date.now();
  const entries = readQueries(file);
  const results =
    dialect === 'spark'
      ? await checkOnSpark(entries, schemaOption(args), python as string)
      : await checkInParallel(entries, schemaOption(args));
  const reasons = new Map<string, number>();
  let blocks = 0;
  let unknownName = 0;
  for (const entry of results) {
    blocks += entry.blocks;
    for (const failure of entry.failures) {
      reasons.set(failure.reason, (reasons.get(failure.reason) ?? 0) + 1);
      unknownName += failure.reason.startsWith('unknown name') ? 1 : 0;
      if (args.options.has('verbose')) {
        process.stdout.write(
          `${entry.label}: ${failure.reason} ${failure.at}\n${failure.detail ? `  ${failure.detail}\n` : ''}`
        );
      }
    }
  }
  const n = entries.length;
  const parsed = results.filter(r => r.parsed).length;
  const compiled = results.filter(r => r.failures.length === 0).length;
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${blocks} blocks in ${n} entries, ${seconds} s\n`);
  process.stdout.write(
    `blocks failing on a name the schema does not have (table, column or function): ${unknownName}\n`
  );
  process.stdout.write('top reasons for blocks that did not compile:\n');
  for (const [text, count] of top) {
    process.stdout.write(`  ${String(count).padStart(4)}  ${text}\n`);
  }
  process.stdout.write(`parsed ${parsed}/${n}, compiled ${compiled}/${n}\n`);
  return 0;
}

/** The dialect's prelude, one statement per `;`-terminated block, for a runner in another language. */
function preludeCommand(args: IArgs): Promise<number> {
  const { prelude } = dialectOption(args) === 'spark' ? spark : duckdb;
  process.stdout.write(prelude.map(statement => `${statement};\n`).join(''));
  return Promise.resolve(0);
}

async function runCommand(args: IArgs): Promise<number> {
  const query = queryText(args.positional[0]);
  const format = args.options.get('format') ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw new UsageError(`unknown format ${String(format)}`);
  }
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const workspace = args.options.get('workspace');
  const tables =
    typeof workspace === 'string'
      ? await attachWorkspace(connection, workspace)
      : [];
  const compiler = await loadCompiler();
  const bind = async (externalData: IExternalData[], geoIp: boolean) => {
    await bindExternalData(
      connection,
      externalData,
      {
        empty: false,
        workspace: typeof workspace === 'string' ? workspace : null
      },
      t => duckdb.type(t)
    );
    if (geoIp) {
      await bindGeoIp(
        connection,
        typeof workspace === 'string' ? workspace : null,
        false
      );
    }
  };
  const results = await compileStatements(
    compiler,
    query,
    compilerSchema(tables),
    {},
    async discovery => {
      await bind(discovery.externalData, discovery.geoIp);
      return (await connection.runAndReadAll(discovery.sql))
        .getRowsJson()
        .map(row => row.map(String));
    }
  );
  for (const d of batchDiagnostics(results)) {
    process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  if (results.some(r => r.sql === null)) {
    return 1;
  }
  // Every statement runs on the same connection, one after the other, as one query.
  const output: IQueryResult = { tables: [] };
  for (const result of results) {
    await bind(result.externalData ?? [], !!result.geoIp);
    const [table] = (await runSql(connection, result.sql!, result.columns))
      .tables;
    output.tables.push({ ...table, name: result.name });
  }
  process.stdout.write(
    format === 'json'
      ? `${jsonText(output)}\n`
      : output.tables
          .map(t => formatTable(t, output.tables.length > 1))
          .join('\n')
  );
  return 0;
}

/** JSON with longs beyond 2^53 (bigints) written as exact numbers, not rounded or quoted. */
function jsonText(value: unknown): string {
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (Array.isArray(value)) {
    return `[${value.map(jsonText).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const members = Object.entries(value).map(
      ([key, v]) => `${JSON.stringify(key)}:${jsonText(v)}`
    );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A plain-text table, values as text, under its name when the query has several. */
function formatTable(
  table: IQueryResult['tables'][number],
  named: boolean
): string {
  const text = (v: unknown) =>
    v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const header = table.columns.map(c => c.name);
  const rows = table.rows.map(r => r.map(text));
  const widths = header.map((h, i) =>
    Math.min(60, Math.max(h.length, ...rows.map(r => r[i].length)))
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.slice(0, 60).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    ...(named ? [`${table.name}:`] : []),
    line(header),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `(${rows.length} rows)`,
    ''
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'compile':
      return compileCommand(args);
    case 'check':
      return checkCommand(args);
    case 'prelude':
      return preludeCommand(args);
    case 'doc-cases': {
      const python = args.options.get('python');
      if (typeof python !== 'string' || !args.positional[0]) {
        throw new UsageError(
          'doc-cases needs --python, the Python of a venv holding pyspark, and a cases file'
        );
      }
      return docCasesCommand(python, args.positional[0], text =>
        process.stdout.write(text)
      );
    }
    case 'run':
      return runCommand(args);
    case 'hunt':
      // 1 means a rule fired: a hunt that could not run must not look like a finding.
      return huntCommand(
        args.options,
        args.positional,
        message => new UsageError(message)
      ).catch((error: unknown) => {
        if (error instanceof UsageError) {
          throw error;
        }
        process.stderr.write(
          `kql: ${error instanceof Error ? error.message : String(error)}\n`
        );
        return HUNT_FAILED;
      });
    default:
      throw new UsageError(
        args.command
          ? `unknown command ${args.command}`
          : 'a command is required'
      );
  }
}

if (!isMainThread) {
  const { entries, tables, next } = workerData as {
    entries: { query: string; label: string }[];
    tables: SchemaTables;
    next: Int32Array;
  };
  void checkShared(entries, tables, next).then(results =>
    parentPort!.postMessage(results)
  );
} else {
  void main(process.argv.slice(2)).then(
    // Set the code rather than exit at once, so that piped output is flushed.
    code => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`kql: ${error.message}\n${USAGE}\n`);
        process.exit(2);
      }
      process.stderr.write(
        `kql: ${error instanceof Error ? error.message : String(error)}\n`
      );
      process.exit(1);
    }
  );
}
