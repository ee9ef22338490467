#!/usr/bin/env node
// @ts-check
/**
 * The Node half of bench_kql.py: times the KQL compiler as the `kql` command loads it (build/cli).
 *
 *   node benchmarks/kql_compile.js corpus CORPUS.jsonl SCHEMA.json [--passes N]
 *   node benchmarks/kql_compile.js compile SCHEMA.json NOW_ISO [--dialect duckdb|spark] < {"name": "KQL", ...}
 *
 * Both print one JSON document on standard output; bench_kql.py formats it.
 */
'use strict';

const path = require('path');
const { performance } = require('perf_hooks');

const BUILD = path.join(__dirname, '..', 'build', 'cli', 'kql');

/** @typedef {{sql: string | null, diagnostics: {severity: string, stage: string, code: string, message: string, line: number, column: number, unsupported?: string}[]}} CompileResult */

/** Loads the compiler and measures how long the first `loadCompiler()` takes (Kusto.Language). */
async function load() {
  const started = performance.now();
  const kql = require(path.join(BUILD, 'index.js'));
  const corpus = require(path.join(BUILD, 'node', 'corpus.js'));
  const compiler = await kql.loadCompiler();
  return { kql, corpus, compiler, loadMs: performance.now() - started };
}

/** The first error of a compilation, as one line. */
function firstError(/** @type {CompileResult} */ result) {
  const error = result.diagnostics.find(d => d.severity === 'error');
  if (!error) {
    return null;
  }
  const what = error.unsupported
    ? `not supported locally: ${error.unsupported}`
    : `${error.code}: ${error.message}`;
  return `${error.line}:${error.column} ${what}`;
}

/**
 * Compiles every block of the corpus `passes` times; the first pass runs on a cold JIT, so its
 * figures are reported apart from the last pass's.
 */
async function corpusCommand(
  /** @type {string} */ corpusFile,
  /** @type {string} */ schemaFile,
  /** @type {number} */ passes
) {
  const { kql, corpus, compiler, loadMs } = await load();
  const schemaStarted = performance.now();
  const schema = kql.compilerSchema(corpus.readSchema(schemaFile));
  const schemaMs = performance.now() - schemaStarted;
  /** @type {{label: string, text: string}[]} */
  const blocks = corpus
    .readQueries(corpusFile)
    .flatMap((/** @type {{query: string, label: string}} */ e) =>
      corpus
        .splitBlocks(e.query)
        .map((/** @type {string} */ text, /** @type {number} */ i) => ({
          label: `${e.label} #${i + 1}`,
          text
        }))
    );
  // One `now` for every pass, so each pass compiles exactly the same text.
  const now = new Date();
  const runs = [];
  let compiled = 0;
  let syntaxErrors = 0;
  for (let pass = 0; pass < passes; pass++) {
    const times = [];
    compiled = 0;
    syntaxErrors = 0;
    for (const block of blocks) {
      const started = performance.now();
      /** @type {CompileResult} */
      const result = compiler.compile(block.text, schema, { now });
      times.push(performance.now() - started);
      compiled += result.sql === null ? 0 : 1;
      syntaxErrors += result.diagnostics.some(
        d => d.stage === 'syntax' && d.severity === 'error'
      )
        ? 1
        : 0;
    }
    runs.push(times);
  }
  const chars = blocks.reduce((n, b) => n + b.text.length, 0);
  return {
    loadMs,
    schemaMs,
    blocks: blocks.length,
    chars,
    compiled,
    syntaxErrors,
    labels: blocks.map(b => b.label),
    passes: runs
  };
}

/** Compiles named queries read as JSON from standard input against a workspace schema. */
async function compileCommand(
  /** @type {string} */ schemaFile,
  /** @type {string} */ nowIso,
  /** @type {string} */ dialect
) {
  const { kql, corpus, compiler, loadMs } = await load();
  const schema = kql.compilerSchema(corpus.readSchema(schemaFile));
  const input = /** @type {Record<string, string>} */ (
    JSON.parse(require('fs').readFileSync(0, 'utf8'))
  );
  const now = new Date(nowIso);
  // As the browser sends it to a Spark workspace: the prelude functions it calls, then the query.
  const { functionsCalledBy } = require(
    path.join(BUILD, 'sql', 'dialects', 'spark.js')
  );
  const asRun = (/** @type {string} */ sql) =>
    dialect === 'spark' ? [...functionsCalledBy(sql), sql].join(';\n') : sql;
  /** @type {Record<string, {sql: string | null, error: string | null, ms: number}>} */
  const queries = {};
  // The first pass warms the JIT and the binder's caches; the second is the one timed.
  for (let pass = 0; pass < 2; pass++) {
    for (const [name, query] of Object.entries(input)) {
      const started = performance.now();
      /** @type {CompileResult} */
      const result = compiler.compile(query, schema, { now, dialect });
      queries[name] = {
        sql: result.sql === null ? null : asRun(result.sql),
        error: firstError(result),
        ms: performance.now() - started
      };
    }
  }
  return { loadMs, queries };
}

async function main(/** @type {string[]} */ argv) {
  const [command, ...rest] = argv;
  const passesAt = rest.indexOf('--passes');
  const passes = passesAt >= 0 ? Number(rest.splice(passesAt, 2)[1]) : 2;
  const dialectAt = rest.indexOf('--dialect');
  const dialect = dialectAt >= 0 ? rest.splice(dialectAt, 2)[1] : 'duckdb';
  switch (command) {
    case 'corpus':
      return corpusCommand(rest[0], rest[1], Math.max(1, passes));
    case 'compile':
      return compileCommand(rest[0], rest[1], dialect);
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).then(
  output => process.stdout.write(JSON.stringify(output)),
  (/** @type {unknown} */ error) => {
    process.stderr.write(
      `kql_compile: ${error instanceof Error ? error.stack : String(error)}\n`
    );
    process.exit(1);
  }
);
