#!/usr/bin/env node
// @ts-check
/**
 * Latency of the KQL editor's language service (src/cells/editor/service.ts, as build/cli holds it:
 * run `jlpm build:tools` first) on the demo workspace's schema.
 *
 *   node benchmarks/kql_editor.js [--starts 3] [--edits 40]
 *
 * The service runs in a Node worker thread, answering the same protocol messages as in the
 * browser's Web Worker, so each figure includes the thread hop and the structured clone of request
 * and response. Printed:
 *
 * 1. start-up: from creating a fresh worker to its `ready` (Kusto.Language loaded and its symbol
 *    tables built) and to the answer of its first request (the first squiggles an analyst waits
 *    for), over `--starts` fresh workers. A browser adds the download and parse of the 5 MB script.
 * 2. per query size (one line, a hunt of ~10 lines, a ~40-line investigation): diagnostics
 *    (parse, bind and compile: what the squiggles show), completion at the end of the text and
 *    after a `| where ` inside it, and quick info on a column — the first request of each kind on
 *    a warm worker (cold: Kusto's code paths not run yet for that text), then the median and p95
 *    over `--edits` requests, each on a text changed by one keystroke (no cache can answer).
 *
 * Prints figures; asserts nothing.
 */
'use strict';

const path = require('path');
const { performance } = require('perf_hooks');
const { Worker } = require('worker_threads');

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, 'build', 'cli');
const SCHEMA = path.join(ROOT, 'jupyterlab_sentinel', 'demo', 'schemas.json');

/** The worker's code: the service wired to the thread's port, as worker.ts wires it in a browser. */
const WORKER = `
const { parentPort } = require('worker_threads');
const { KqlLanguageService } = require(${JSON.stringify(
  path.join(BUILD, 'cells', 'editor', 'service.js')
)});
const service = new KqlLanguageService(response => parentPort.postMessage(response));
parentPort.on('message', message => void service.receive(message));
void service.load();
`;

const SMALL = 'SigninLogs | where ResultType != "0" | take 100';

const MEDIUM = `SigninLogs
| where TimeGenerated > ago(7d)
| where ResultType != "0"
| extend Country = tostring(LocationDetails.countryOrRegion)
| summarize Failures = count(), Accounts = dcount(UserPrincipalName),
    Countries = make_set(Country, 10)
    by IPAddress, bin(TimeGenerated, 1h)
| where Accounts > 5
| order by Failures desc
| take 50`;

const LARGE = `let lookback = 14d;
let threshold = 5;
let failures = SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType != "0"
| summarize Failures = count(), Accounts = dcount(UserPrincipalName),
    FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)
    by IPAddress;
let successes = SigninLogs
| where TimeGenerated > ago(lookback)
| where ResultType == "0"
| summarize Successes = count(), SuccessAccounts = make_set(UserPrincipalName, 20)
    by IPAddress;
let processes = DeviceProcessEvents
| where TimeGenerated > ago(lookback)
| where FileName in~ ("powershell.exe", "cmd.exe", "rundll32.exe")
| summarize Processes = count(), Commands = make_set(ProcessCommandLine, 10)
    by DeviceName, AccountName;
let logons = SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID in (4624, 4625)
| summarize Logons = countif(EventID == 4624), Failed = countif(EventID == 4625)
    by Computer, Account;
failures
| where Accounts > threshold
| join kind=leftouter successes on IPAddress
| extend SuccessRate = iff(Failures + Successes > 0,
    todouble(Successes) / (Failures + Successes), 0.0)
| mv-expand SuccessAccount = SuccessAccounts to typeof(string)
| extend Account = tostring(split(SuccessAccount, "@")[0])
| join kind=leftouter (logons | extend Account = tostring(split(Account, "\\\\")[1]))
    on Account
| join kind=leftouter (processes | project DeviceName, AccountName, Processes, Commands)
    on $left.Account == $right.AccountName
| project IPAddress, Failures, Successes, SuccessRate, Account, Computer, Logons, Failed,
    DeviceName, Processes, Commands, FirstSeen, LastSeen
| order by Failures desc
| take 100`;

/** Reads `--name value` options. */
function option(/** @type {string} */ name, /** @type {number} */ fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/** @param {number[]} values */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const ms = (/** @type {number} */ value) => `${value.toFixed(1)} ms`;

/** A worker running the service, with request/response by id. */
class ServiceWorker {
  constructor() {
    this.started = performance.now();
    this.worker = new Worker(WORKER, { eval: true });
    /** @type {Map<number, (response: any) => void>} */
    this.pending = new Map();
    this.id = 0;
    this.version = 0;
    /** @type {Promise<number>} */
    this.ready = new Promise(resolve => {
      this.worker.on('message', response => {
        if (response.type === 'ready') {
          resolve(performance.now() - this.started);
          return;
        }
        this.pending.get(response.id)?.(response);
        this.pending.delete(response.id);
      });
    });
  }

  /** @param {object} message */
  post(message) {
    this.worker.postMessage(message);
  }

  /**
   * Sends a request and resolves with the response and the time to it.
   * @param {{type: string, text: string, position?: number}} request
   * @returns {Promise<{response: any, ms: number}>}
   */
  request(request) {
    const id = ++this.id;
    const started = performance.now();
    return new Promise(resolve => {
      this.pending.set(id, response =>
        resolve({ response, ms: performance.now() - started })
      );
      this.post({ ...request, id, doc: 'bench', version: ++this.version });
    });
  }

  terminate() {
    return this.worker.terminate();
  }
}

async function main() {
  const kql = require(path.join(BUILD, 'kql', 'index.js'));
  const corpus = require(path.join(BUILD, 'kql', 'node', 'corpus.js'));
  const schema = kql.compilerSchema(corpus.readSchema(SCHEMA));
  const schemaMessage = { type: 'schema', schema, local: true };
  const starts = option('starts', 3);
  const edits = option('edits', 40);
  const columns = schema.tables.reduce(
    (/** @type {number} */ n, /** @type {{columns: unknown[]}} */ t) =>
      n + t.columns.length,
    0
  );
  console.log(
    `KQL language service on the demo schema: ${schema.tables.length} tables, ${columns} columns; Node ${process.version}, ${require('os').cpus().length} CPUs\n`
  );

  console.log('1. Start-up of a fresh worker');
  const readies = [];
  const firsts = [];
  for (let i = 0; i < starts; i++) {
    const worker = new ServiceWorker();
    worker.post(schemaMessage);
    const first = worker.request({ type: 'diagnostics', text: MEDIUM });
    readies.push(await worker.ready);
    await first;
    firsts.push(performance.now() - worker.started);
    await worker.terminate();
  }
  const ready = summary(readies);
  const first = summary(firsts);
  console.log(
    `   ready (Kusto.Language loaded): median ${ms(ready.median)}, max ${ms(ready.max)}`
  );
  console.log(
    `   first squiggles answered:      median ${ms(first.median)}, max ${ms(first.max)}\n`
  );

  console.log(
    `2. Latency per request (first on a warm worker, then median / p95 over ${edits} edits)`
  );
  const worker = new ServiceWorker();
  worker.post(schemaMessage);
  await worker.ready;
  const sizes = [
    ['one line', SMALL],
    ['hunt, 10 lines', MEDIUM],
    ['investigation, 41 lines', LARGE]
  ];
  const rows = [];
  for (const [label, text] of sizes) {
    const where = text.indexOf('| where ') + '| where '.length;
    const column = text.indexOf('ResultType') + 3;
    /** @type {[string, (edited: string) => {type: string, text: string, position?: number}][]} */
    const kinds = [
      ['diagnostics', edited => ({ type: 'diagnostics', text: edited })],
      [
        'completion at end',
        edited => ({
          type: 'completion',
          text: edited,
          position: edited.length
        })
      ],
      [
        'completion after where',
        edited => ({ type: 'completion', text: edited, position: where })
      ],
      [
        'quick info on a column',
        edited => ({ type: 'quickInfo', text: edited, position: column })
      ]
    ];
    for (const [kind, make] of kinds) {
      const cold = await worker.request(make(`${text} `));
      const times = [];
      for (let i = 0; i < edits; i++) {
        // One keystroke more each time: a new text, as when the analyst types.
        const { ms: took } = await worker.request(
          make(`${text}${' '.repeat(i + 2)}`)
        );
        times.push(took);
      }
      const warm = summary(times);
      const answer = cold.response;
      const size =
        answer.type === 'diagnostics'
          ? `${answer.diagnostics.length} diagnostics`
          : answer.type === 'completion'
            ? `${answer.completions.items.length} items`
            : answer.type === 'quickInfo'
              ? JSON.stringify(answer.quickInfo?.text ?? null)
              : answer.type;
      rows.push([
        label,
        kind,
        ms(cold.ms),
        ms(warm.median),
        ms(warm.p95),
        size
      ]);
    }
  }
  await worker.terminate();
  const header = ['query', 'request', 'first', 'median', 'p95', 'answer'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => String(r[i]).length))
  );
  const line = (/** @type {string[]} */ cells) =>
    `   ${cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')}`;
  console.log(line(header));
  for (const row of rows) {
    console.log(line(row));
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
