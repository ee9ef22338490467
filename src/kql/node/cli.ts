/**
 * `kql`: the compiler from a terminal.
 *
 *   kql compile [--schema FILE] QUERY        print the SQL
 *   kql check [--schema FILE] CORPUS.jsonl   parse and compile every query; DuckDB prepares the SQL
 *   kql run [--workspace DIR] [--format table|json] QUERY   run on a local workspace folder
 *
 * QUERY is the text itself, `@file.kql`, or `-` for standard input.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';

import { compilerSchema, type IKqlDiagnostic, loadCompiler } from '..';
import { duckdb } from '../sql/dialect';
import {
  readQueries,
  readSchema,
  type SchemaTables,
  splitBlocks
} from './corpus';
import {
  attachWorkspace,
  createEmptyTables,
  type IQueryResult,
  runSql
} from './duckdb';

const USAGE = `usage:
  kql compile [--schema FILE] QUERY
  kql check [--schema FILE] [--verbose] CORPUS.jsonl
  kql run [--workspace DIR] [--format table|json] QUERY
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

function formatDiagnostic(d: IKqlDiagnostic): string {
  return `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

function schemaOption(args: IArgs): SchemaTables {
  const file = args.options.get('schema');
  return typeof file === 'string' ? readSchema(file) : [];
}

async function compileCommand(args: IArgs): Promise<number> {
  const compiler = await loadCompiler();
  const result = compiler.compile(
    queryText(args.positional[0]),
    compilerSchema(schemaOption(args))
  );
  for (const d of result.diagnostics) {
    process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  if (result.sql === null) {
    return 1;
  }
  process.stdout.write(`${result.sql}\n`);
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

async function checkCommand(args: IArgs): Promise<number> {
  const file = args.positional[0];
  if (!file) {
    throw new UsageError('a corpus file is required');
  }
  const verbose = args.options.has('verbose');
  const tables = schemaOption(args);
  const schema = compilerSchema(tables);
  const compiler = await loadCompiler();
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await createEmptyTables(connection, tables, t => duckdb.type(t));
  const entries = readQueries(file);
  const reasons = new Map<string, number>();
  let parsed = 0;
  let compiled = 0;
  let unknownTable = 0;
  let blocks = 0;
  const started = Date.now();
  for (const entry of entries) {
    let entryParsed = true;
    let entryCompiled = true;
    for (const block of splitBlocks(entry.query)) {
      blocks++;
      const result = compiler.compile(block, schema);
      const syntax = result.diagnostics.filter(
        d => d.stage === 'syntax' && d.severity === 'error'
      );
      if (syntax.length) {
        entryParsed = false;
      }
      let failure: string | null = null;
      const error = result.diagnostics.find(d => d.severity === 'error');
      if (result.sql === null) {
        failure = error ? reason(error) : 'no SQL';
      } else {
        try {
          await connection.prepare(result.sql);
        } catch (e) {
          failure = `DuckDB: ${(e instanceof Error ? e.message : String(e))
            .split('\n')[0]
            .replace(/"[^"]*"/g, '"…"')
            .slice(0, 120)}`;
        }
      }
      if (failure) {
        entryCompiled = false;
        if (failure.startsWith('unknown name')) {
          unknownTable++;
        }
        reasons.set(failure, (reasons.get(failure) ?? 0) + 1);
        if (verbose) {
          process.stdout.write(
            `${entry.label}: ${failure}${error ? ` at ${error.line}:${error.column}` : ''}\n`
          );
        }
      }
    }
    parsed += entryParsed ? 1 : 0;
    compiled += entryCompiled ? 1 : 0;
  }
  const n = entries.length;
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  process.stdout.write(
    `${blocks} blocks in ${n} entries, ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  );
  process.stdout.write(
    `blocks failing on an unknown name (table, column or function not in the schema): ${unknownTable}\n`
  );
  process.stdout.write('top reasons for blocks that did not compile:\n');
  for (const [text, count] of top) {
    process.stdout.write(`  ${String(count).padStart(4)}  ${text}\n`);
  }
  process.stdout.write(`parsed ${parsed}/${n}, compiled ${compiled}/${n}\n`);
  return 0;
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
  const result = compiler.compile(query, compilerSchema(tables));
  for (const d of result.diagnostics) {
    process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  if (result.sql === null) {
    return 1;
  }
  const output = await runSql(connection, result.sql, result.columns);
  process.stdout.write(
    format === 'json' ? `${JSON.stringify(output)}\n` : formatTable(output)
  );
  return 0;
}

/** A plain-text table, values as text. */
function formatTable(result: IQueryResult): string {
  const table = result.tables[0];
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
    case 'run':
      return runCommand(args);
    default:
      throw new UsageError(
        args.command
          ? `unknown command ${args.command}`
          : 'a command is required'
      );
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
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
