#!/usr/bin/env node
// @ts-check
/**
 * Where the time of `kql check` goes (issue 23): times its stages over a corpus on one thread,
 * then runs `bin/kql check` itself (one worker thread per core) and prints its wall-clock time.
 *
 *   node benchmarks/kql_check.js [CORPUS.jsonl SCHEMA.json]   (default: ../shared/corpus)
 *
 * Stages, per block: parse (Kusto's parser alone), bind (ParseAndAnalyze less the parse),
 * diagnostics, convert (Kusto's tree to our AST), emit (SQL) and prepare (DuckDB plans the SQL on
 * the schema's empty tables). Run `jlpm build:cli` first. The machine's load average is printed
 * with the figures: on a shared machine, wall-clock times grow with it.
 */
'use strict';

const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { DuckDBInstance } = require('@duckdb/node-api');

const REPO = path.join(__dirname, '..');
const BUILD = path.join(REPO, 'build', 'cli', 'kql');
const CORPUS = path.join(REPO, '..', 'shared', 'corpus');

/** Milliseconds spent in `run`, added to `totals[stage]`; returns what `run` returns. */
function timed(
  /** @type {Record<string, number>} */ totals,
  /** @type {string} */ stage,
  /** @type {() => any} */ run
) {
  const started = performance.now();
  try {
    return run();
  } finally {
    totals[stage] = (totals[stage] ?? 0) + performance.now() - started;
  }
}

async function stages(
  /** @type {string} */ corpusFile,
  /** @type {string} */ schemaFile
) {
  /** @type {Record<string, number>} */
  const totals = {};
  const started = performance.now();
  const kql = require(path.join(BUILD, 'index.js'));
  await kql.loadCompiler();
  const kusto = require(path.join(BUILD, 'frontend', 'kusto.js'));
  const { convertQuery } = require(path.join(BUILD, 'frontend', 'convert.js'));
  const { kustoDiagnostics } = require(
    path.join(BUILD, 'frontend', 'kusto-diagnostics.js')
  );
  const { emitQuery } = require(path.join(BUILD, 'sql', 'emitter.js'));
  const { duckdb } = require(path.join(BUILD, 'sql', 'dialects', 'duckdb.js'));
  const { LineMap } = require(path.join(BUILD, 'diagnostics.js'));
  const corpus = require(path.join(BUILD, 'node', 'corpus.js'));
  const local = require(path.join(BUILD, 'node', 'duckdb.js'));
  totals.load = performance.now() - started;

  const tables = corpus.readSchema(schemaFile);
  const schema = kql.compilerSchema(tables);
  timed(totals, 'schema', () => kusto.globalsFor(schema));
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await local.createEmptyTables(connection, tables, (/** @type {any} */ t) =>
    duckdb.type(t)
  );
  const blocks = corpus
    .readQueries(corpusFile)
    .flatMap((/** @type {{query: string}} */ e) => corpus.splitBlocks(e.query));
  const now = new Date();
  for (const text of blocks) {
    timed(totals, 'parse', () => kusto.parse(text));
    const code = timed(totals, 'analyze', () => kusto.analyze(text, schema));
    const diagnostics = timed(totals, 'diagnostics', () =>
      kustoDiagnostics(code, new LineMap(text), false)
    );
    if (diagnostics.some((/** @type {any} */ d) => d.severity === 'error')) {
      continue;
    }
    let emitted;
    try {
      const ast = timed(totals, 'convert', () =>
        convertQuery(code.Syntax, schema)
      );
      emitted = timed(totals, 'emit', () =>
        emitQuery(ast, duckdb, { now, timeColumns: [] })
      );
    } catch {
      continue;
    }
    const prepared = performance.now();
    try {
      await local.bindExternalData(
        connection,
        emitted.externalData ?? [],
        { empty: true },
        (/** @type {any} */ t) => duckdb.type(t)
      );
      if (emitted.geoIp) {
        await local.bindGeoIp(connection, null, true);
      }
      await connection.prepare(emitted.sql);
    } catch {
      // A refusal by DuckDB is a result of `kql check`, not of this benchmark.
    }
    totals.prepare = (totals.prepare ?? 0) + performance.now() - prepared;
  }
  // The parse is timed apart; ParseAndAnalyze parses again before it binds.
  totals.bind = totals.analyze - totals.parse;
  delete totals.analyze;
  return { blocks: blocks.length, totals };
}

async function main(/** @type {string[]} */ argv) {
  const corpusFile = argv[0] ?? path.join(CORPUS, 'sentinel_queries.jsonl');
  const schemaFile = argv[1] ?? path.join(CORPUS, 'table_schemas.json');
  const load = () => os.loadavg()[0].toFixed(1);
  const before = load();
  const { blocks, totals } = await stages(corpusFile, schemaFile);
  const sum = Object.values(totals).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `kql check's stages on one thread, ${blocks} blocks (load average ${before}):\n`
  );
  const order = [
    'load',
    'schema',
    'parse',
    'bind',
    'diagnostics',
    'convert',
    'emit',
    'prepare'
  ];
  for (const stage of order) {
    const ms = totals[stage] ?? 0;
    process.stdout.write(
      `  ${stage.padEnd(12)} ${(ms / 1000).toFixed(1).padStart(6)} s  ${((100 * ms) / sum).toFixed(0).padStart(3)} %\n`
    );
  }
  process.stdout.write(
    `  ${'total'.padEnd(12)} ${(sum / 1000).toFixed(1).padStart(6)} s\n`
  );
  const checkLoad = load();
  const started = performance.now();
  const check = spawnSync(
    process.execPath,
    [
      path.join(REPO, 'bin', 'kql'),
      'check',
      '--schema',
      schemaFile,
      corpusFile
    ],
    { encoding: 'utf8' }
  );
  if (check.status !== 0) {
    throw new Error(`kql check failed: ${check.stderr}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = check.stdout.trim().split('\n').pop();
  process.stdout.write(
    `bin/kql check on ${os.cpus().length} cores: ${seconds.toFixed(1)} s (load average ${checkLoad}); ${summary}\n`
  );
}

main(process.argv.slice(2)).catch((/** @type {unknown} */ error) => {
  process.stderr.write(
    `kql_check: ${error instanceof Error ? error.stack : String(error)}\n`
  );
  process.exit(1);
});
