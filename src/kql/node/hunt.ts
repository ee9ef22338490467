/**
 * `kql hunt`: runs hunt packs (folders of Sentinel rule YAML) over a local workspace folder on
 * DuckDB, prints each rule's outcome, and exits 1 when a rule fired (3 when the hunt could not
 * run), so that CI can test rules against sample logs.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

import {
  compileDiscovering,
  compilerSchema,
  type ICompilerSchema,
  type IKqlCompiler,
  loadCompiler
} from '..';
import {
  compileOutcome,
  type IHuntPack,
  type IHuntQueryRunner,
  type IHuntReport,
  type IHuntWindow,
  type IQueryTiming,
  type QueryOutcome,
  runHunt
} from '../hunts/run';
import { parsePack } from '../hunts/rule';
import { duckdb } from '../sql/dialects/duckdb';
import { attachWorkspace, bindExternalData, bindGeoIp } from './duckdb';

/** The time limit of one rule's query, as the Jupyter server's default. */
const DEFAULT_TIMEOUT_SECONDS = 60;

/** A rule file's name. */
const RULE_FILE = /\.ya?ml$/i;

/** The rule files of the paths given: files as they are, folders searched recursively. */
export function packFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, given: boolean) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        if (!entry.startsWith('.')) {
          visit(path.join(p, entry), false);
        }
      }
    } else if (given || RULE_FILE.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) {
    visit(p, true);
  }
  return files;
}

/** Reads the packs at some paths (files or folders of `.yaml`/`.yml` rule files). */
export function readPacks(paths: string[]): IHuntPack {
  return parsePack(
    packFiles(paths).map(file => ({
      path: file,
      text: fs.readFileSync(file, 'utf8')
    }))
  );
}

/**
 * Runs rules' queries on a local workspace folder with DuckDB: one compiler (Kusto.Language's
 * global state is loaded once), one connection per query under way, each query stopped after
 * `timeoutSeconds`.
 */
export class DuckDbHuntRunner implements IHuntQueryRunner {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly compiler: IKqlCompiler,
    private readonly schema: ICompilerSchema,
    private readonly workspace: string,
    private readonly timeoutMs: number
  ) {}

  /** Opens a workspace folder (the layout `kql run` and the Jupyter server read). */
  static async open(
    workspace: string,
    timeoutSeconds = DEFAULT_TIMEOUT_SECONDS
  ): Promise<DuckDbHuntRunner> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const tables = await attachWorkspace(connection, workspace);
    const schema = compilerSchema(
      tables.map(t => ({
        ...t,
        timespanColumn: t.columns.some(c => c.name === 'TimeGenerated')
          ? 'TimeGenerated'
          : null
      }))
    );
    return new DuckDbHuntRunner(
      instance,
      await loadCompiler(),
      schema,
      workspace,
      timeoutSeconds * 1000
    );
  }

  private readonly _idle: DuckDBConnection[] = [];

  async run(query: string, window: IHuntWindow): Promise<QueryOutcome> {
    const connection = this._idle.pop() ?? (await this.instance.connect());
    try {
      return await this._run(connection, query, window);
    } finally {
      this._idle.push(connection);
    }
  }

  private async _run(
    connection: DuckDBConnection,
    query: string,
    window: IHuntWindow
  ): Promise<QueryOutcome> {
    const bind = async (
      externalData: Parameters<typeof bindExternalData>[1],
      geoIp: boolean
    ) => {
      await bindExternalData(
        connection,
        externalData,
        { empty: false, workspace: this.workspace },
        t => duckdb.type(t)
      );
      if (geoIp) {
        await bindGeoIp(connection, this.workspace, false);
      }
    };
    const timer = setTimeout(() => connection.interrupt(), this.timeoutMs);
    const started = performance.now();
    // Time in DuckDB; the rest of the time before the query itself is the compiler's.
    let runMs = 0;
    const inDatabase = async <T>(work: () => Promise<T>): Promise<T> => {
      const from = performance.now();
      try {
        return await work();
      } finally {
        runMs += performance.now() - from;
      }
    };
    const timing = (): IQueryTiming => ({
      compileMs: performance.now() - started - runMs,
      runMs
    });
    try {
      const result = await compileDiscovering(
        this.compiler,
        query,
        this.schema,
        { now: window.end, timeWindow: window },
        discovery =>
          inDatabase(async () => {
            await bind(discovery.externalData, discovery.geoIp);
            return (await connection.runAndReadAll(discovery.sql))
              .getRowsJson()
              .map(row => row.map(String));
          })
      );
      const compiled = timing();
      const refused = compileOutcome(result.diagnostics);
      if (refused) {
        return { ...refused, timing: compiled };
      }
      if (result.sql === null) {
        return {
          kind: 'error',
          message: 'the compiler gave no SQL',
          timing: compiled
        };
      }
      const sql = result.sql;
      const counted = await inDatabase(async () => {
        await bind(result.externalData ?? [], !!result.geoIp);
        return connection.runAndReadAll(
          `SELECT count(*) FROM (${sql}) AS hunt_result`
        );
      });
      return {
        kind: 'rows',
        count: Number(counted.getRows()[0][0]),
        timing: { compileMs: compiled.compileMs, runMs }
      };
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).split(
        '\n'
      )[0];
      return {
        kind: 'error',
        message: /interrupt/i.test(message)
          ? `stopped after the time limit of ${this.timeoutMs / 1000} s`
          : message,
        timing: timing()
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the database. */
  close(): void {
    for (const connection of this._idle.splice(0)) {
      connection.closeSync();
    }
    this.instance.closeSync();
  }
}

/** What a hunt worker thread is started with. */
interface IHuntWorkerData {
  huntWorkspace: string;
  timeoutSeconds: number;
}

/** A query sent to a hunt worker, and its answer. */
interface IHuntJob {
  id: number;
  query: string;
  start: number;
  end: number;
}

/**
 * Runs queries on worker threads, each with its own compiler and DuckDB: compiling (Kusto's binder,
 * our emitter) is JavaScript on one thread, so one worker per core compiles rules side by side.
 */
export class ParallelHuntRunner implements IHuntQueryRunner {
  private constructor(private readonly _workers: Worker[]) {}

  /** Starts `threads` workers on a workspace folder and waits until each has loaded it. */
  static async open(
    workspace: string,
    timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
    threads = os.cpus().length
  ): Promise<ParallelHuntRunner> {
    const data: IHuntWorkerData = { huntWorkspace: workspace, timeoutSeconds };
    const workers = await Promise.all(
      Array.from(
        { length: Math.max(1, threads) },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const worker = new Worker(__filename, { workerData: data });
            worker.once('message', () => resolve(worker));
            worker.once('error', reject);
          })
      )
    );
    return new ParallelHuntRunner(workers);
  }

  private _next = 0;
  private _closing = false;
  private readonly _pending = new Map<
    number,
    (outcome: QueryOutcome) => void
  >();
  /** The jobs each live worker has under way; a worker that stopped is removed. */
  private readonly _jobs = new Map<Worker, Set<number>>();

  private _listen(): void {
    for (const worker of this._workers) {
      const jobs = new Set<number>();
      this._jobs.set(worker, jobs);
      worker.on(
        'message',
        ({ id, outcome }: { id: number; outcome: QueryOutcome }) => {
          jobs.delete(id);
          this._answer(id, outcome);
        }
      );
      // A worker that dies (DuckDB or memory) fails its rules instead of leaving them waiting.
      const stopped = (why: string) => {
        if (this._closing || !this._jobs.delete(worker)) {
          return;
        }
        for (const id of jobs) {
          this._answer(id, {
            kind: 'error',
            message: `the worker thread running it stopped: ${why}`
          });
        }
      };
      worker.on('error', error => stopped(error.message));
      worker.on('exit', code => stopped(`exit code ${code}`));
    }
  }

  private _answer(id: number, outcome: QueryOutcome): void {
    this._pending.get(id)?.(outcome);
    this._pending.delete(id);
  }

  run(query: string, window: IHuntWindow): Promise<QueryOutcome> {
    if (this._jobs.size === 0 && this._next === 0) {
      this._listen();
    }
    const id = this._next++;
    const job: IHuntJob = {
      id,
      query,
      start: window.start.getTime(),
      end: window.end.getTime()
    };
    // The least busy worker: a slow rule does not hold up the rules queued behind it.
    const [worker, jobs] = [...this._jobs].reduce<
      [Worker, Set<number>] | [null, null]
    >(
      (best, entry) =>
        best[1] === null || entry[1].size < best[1].size ? entry : best,
      [null, null]
    );
    if (!worker) {
      return Promise.resolve({
        kind: 'error',
        message: 'every worker thread has stopped'
      });
    }
    return new Promise(resolve => {
      this._pending.set(id, resolve);
      jobs.add(id);
      worker.postMessage(job);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this._closing = true;
    await Promise.all(this._workers.map(w => w.terminate()));
  }
}

/** The body of a hunt worker thread: answers each job with its query's outcome. */
async function serveHuntJobs(data: IHuntWorkerData): Promise<void> {
  const runner = await DuckDbHuntRunner.open(
    data.huntWorkspace,
    data.timeoutSeconds
  );
  const port = parentPort!;
  port.on('message', (job: IHuntJob) => {
    void runner
      .run(job.query, { start: new Date(job.start), end: new Date(job.end) })
      .then(outcome => port.postMessage({ id: job.id, outcome }));
  });
  port.postMessage('ready');
}

if (
  !isMainThread &&
  (workerData as Partial<IHuntWorkerData> | null)?.huntWorkspace !== undefined
) {
  void serveHuntJobs(workerData as IHuntWorkerData);
}

/** A report as `--format json` prints it. */
export function reportJson(report: IHuntReport): unknown {
  return {
    fired: report.fired,
    counts: report.counts,
    rules: report.results.map(r => ({
      id: r.rule.id,
      name: r.rule.name,
      file: r.rule.file,
      kind: r.rule.kind,
      severity: r.rule.severity,
      tactics: r.rule.tactics,
      techniques: r.rule.techniques,
      trigger: r.rule.trigger,
      window: {
        start: r.window.start.toISOString(),
        end: r.window.end.toISOString()
      },
      outcome: r.outcome,
      rows: r.rows,
      fired: r.fired,
      reason: r.reason,
      missingTables: r.missingTables,
      ms: r.ms,
      ...(r.timing
        ? {
            compileMs: Math.round(r.timing.compileMs * 10) / 10,
            runMs: Math.round(r.timing.runMs * 10) / 10
          }
        : {})
    })),
    invalid: report.invalid
  };
}

/** A report as a plain-text table: rule, tactics, outcome, rows; then the invalid files. */
export function reportTable(report: IHuntReport): string {
  const header = ['rule', 'tactics', 'outcome', 'rows'];
  const rows = report.results.map(r => [
    r.rule.name,
    r.rule.tactics.join(','),
    r.outcome === 'hits' || r.outcome === 'no-hits'
      ? `${r.outcome}${r.fired ? ' (fired)' : ''}`
      : `${r.outcome}: ${r.reason ?? ''}`,
    r.rows === null ? '' : String(r.rows)
  ]);
  const widths = header.map((h, i) =>
    Math.min(70, Math.max(h.length, ...rows.map(r => r[i].length)))
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c).padEnd(
          widths[i]
        )
      )
      .join('  ')
      .trimEnd();
  const counts = Object.entries(report.counts)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  return [
    line(header),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...(report.invalid.length > 0 ? ['', 'files that are not rules:'] : []),
    ...report.invalid.map(f => `  ${f.file}: ${f.reason}`),
    '',
    `${report.results.length} rules: ${counts}; ${report.fired} fired` +
      (report.invalid.length > 0
        ? `; ${report.invalid.length} files not rules`
        : ''),
    ''
  ].join('\n');
}

/**
 * The `hunt` command: `--workspace DIR`, `--format table|json`, `--start ISO --end ISO` (one
 * window for every rule), `--timeout SECONDS`, `--threads N` (one per core), then the packs. Bad arguments
 * are thrown as `usage(message)`; the status is 1 when a rule fired, else 0.
 */
export async function huntCommand(
  options: ReadonlyMap<string, string | true>,
  positional: string[],
  usage: (message: string) => Error
): Promise<number> {
  const workspace = options.get('workspace');
  if (typeof workspace !== 'string' || workspace === '') {
    throw usage('hunt needs --workspace DIR');
  }
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) {
    throw usage(`the workspace ${workspace} is not a folder`);
  }
  const format = options.get('format') ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw usage(`unknown format ${String(format)}`);
  }
  if (positional.length === 0) {
    throw usage(
      'hunt needs at least one pack (a rule file or a folder of them)'
    );
  }
  const missing = positional.filter(p => !fs.existsSync(p));
  if (missing.length > 0) {
    throw usage(`no such pack: ${missing.join(', ')}`);
  }
  const number = (name: string, fallback: number) => {
    const value = options.get(name);
    if (value === undefined) {
      return fallback;
    }
    const n = Number(value);
    if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) {
      throw usage(`--${name} must be a number above 0`);
    }
    return n;
  };
  const time = (name: string) => {
    const value = options.get(name);
    if (value === undefined) {
      return undefined;
    }
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) {
      throw usage(`--${name} must be an ISO 8601 time`);
    }
    return date;
  };
  const start = time('start');
  const end = time('end');
  if (start && end && start >= end) {
    throw usage('--start must be before --end');
  }
  if (start && !end) {
    throw usage('--start needs --end');
  }
  const timeout = number('timeout', DEFAULT_TIMEOUT_SECONDS);
  const threads = Math.floor(number('threads', os.cpus().length));

  const pack = readPacks(positional);
  const runner = await ParallelHuntRunner.open(workspace, timeout, threads);
  try {
    const report = await runHunt(pack, runner, {
      window: start && end ? { start, end } : undefined,
      now: end,
      // Two rules a thread: one compiles while the other's query runs in DuckDB.
      concurrency: 2 * threads
    });
    process.stdout.write(
      format === 'json'
        ? `${JSON.stringify(reportJson(report), null, 2)}\n`
        : reportTable(report)
    );
    return report.fired > 0 ? 1 : 0;
  } finally {
    await runner.close();
  }
}
