/**
 * How KQL cells are stored: ordinary code cells marked in their metadata, so a notebook stays a
 * plain notebook. `{"sentinel": {"kql": true, "variable": "signins"}}` marks a KQL cell and names
 * the DataFrame its result becomes; `{"sentinel": {"resultOf": "<cell id>"}}` marks the Python
 * cell that loads that DataFrame; the notebook's `{"sentinel": {"workspace": …}}` remembers the
 * workspace its queries run against. Pure functions over metadata, tested without a notebook.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { JSONExt, UUID } from '@lumino/coreutils';
import type {
  PartialJSONObject,
  PartialJSONValue,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';
import type { IJobQuery, ITimeWindow } from '../tokens';

/** The metadata key every Sentinel setting lives under, in cells and notebooks. */
export const METADATA_KEY = 'sentinel';

/** Folder, beside the notebook, the results of its KQL cells are saved in, unless set otherwise. */
export const RESULTS_FOLDER = 'results';

/**
 * The results folder a setting names, relative to the notebook's folder: `results` when the
 * setting is empty, absolute or leaves the notebook's folder (`..`).
 */
export function resultsFolder(setting: unknown): string {
  const text = typeof setting === 'string' ? setting.trim() : '';
  const parts = text.split('/').filter(part => part && part !== '.');
  return !parts.length || text.startsWith('/') || parts.includes('..')
    ? RESULTS_FOLDER
    : parts.join('/');
}

/**
 * The tag nbclient (nbconvert, papermill) skips cells by: KQL is not Python, so outside JupyterLab
 * a notebook re-runs from the saved results that its result cells load.
 */
export const SKIP_EXECUTION_TAG = 'skip-execution';

/** What the metadata of a KQL cell says. */
export interface IKqlCellMetadata {
  /** Name of the DataFrame the result becomes, when one was chosen. */
  variable: string | null;
  /**
   * The time range the query runs with, as the Log Analytics API's `timespan` takes it: a
   * duration back from the run (`PT1H`, `P1D`, `P7D`, `P30D`) or `start/end` in ISO 8601; null
   * when the query sets its own.
   */
  timeRange: string | null;
  /**
   * What the linked cell holds: the saved result as a pandas DataFrame (the default), or, on a
   * Spark workspace, a Spark DataFrame of the whole query (`kernelSparkCellSource`).
   */
  dataframe: DataFrameKind;
}

/** What the linked cell of a KQL cell loads the result into. */
export type DataFrameKind = 'pandas' | 'spark';

/**
 * The durations the time range picker offers, back from the time the query runs: Log Analytics'
 * presets, with 90 days added.
 */
export const TIME_RANGES: ReadonlyArray<{ value: string; hours: number }> = [
  { value: 'PT30M', hours: 0.5 },
  { value: 'PT1H', hours: 1 },
  { value: 'PT4H', hours: 4 },
  { value: 'PT12H', hours: 12 },
  { value: 'P1D', hours: 24 },
  { value: 'PT48H', hours: 48 },
  { value: 'P3D', hours: 24 * 3 },
  { value: 'P7D', hours: 24 * 7 },
  { value: 'P30D', hours: 24 * 30 },
  { value: 'P90D', hours: 24 * 90 }
];

/** An instant as the custom range's fields take it: ISO 8601, the time and zone optional. */
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The instant a custom range's field holds, or null when it holds none. A date without a time is
 * its midnight, a time without a zone is UTC (as the fields say), so the range never depends on
 * the browser's time zone.
 */
export function parseInstant(text: string): Date | null {
  const match = INSTANT.exec(text.trim());
  if (!match) {
    return null;
  }
  const [, date, time, zone] = match;
  const instant = new Date(
    `${date}T${time ?? '00:00'}${(zone ?? 'Z').toUpperCase()}`
  );
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** Why a custom range cannot be used: which field, and what is wrong with it. */
export type CustomRangeProblem =
  | { kind: 'unreadable'; field: 'start' | 'end'; text: string }
  | { kind: 'order'; start: Date; end: Date };

/**
 * The time range (`start/end`) two typed instants make, or why they make none: an instant that
 * cannot be read, or an end that is not after the start.
 */
export function customTimeRange(
  startText: string,
  endText: string
): { range: string } | { problem: CustomRangeProblem } {
  const start = parseInstant(startText);
  if (!start) {
    return {
      problem: { kind: 'unreadable', field: 'start', text: startText.trim() }
    };
  }
  const end = parseInstant(endText);
  if (!end) {
    return {
      problem: { kind: 'unreadable', field: 'end', text: endText.trim() }
    };
  }
  if (end <= start) {
    return { problem: { kind: 'order', start, end } };
  }
  return { range: `${start.toISOString()}/${end.toISOString()}` };
}

/**
 * The window a time range stands for at `now`, or null for none (or a range that cannot be
 * read). `start/end` is taken as given; a duration ends at `now`.
 */
export function timeWindow(
  range: string | null,
  now: Date
): ITimeWindow | null {
  if (!range) {
    return null;
  }
  const last = TIME_RANGES.find(r => r.value === range);
  if (last) {
    return { start: new Date(now.getTime() - last.hours * 3600_000), end: now };
  }
  const [start, end, extra] = range.split('/').map(part => new Date(part));
  if (
    !start ||
    !end ||
    extra ||
    Number.isNaN(start.getTime()) ||
    Number.isNaN(end.getTime()) ||
    start >= end
  ) {
    return null;
  }
  return { start, end };
}

/** True for a time range `timeWindow` can read. */
export function isTimeRange(range: string): boolean {
  return timeWindow(range, new Date()) !== null;
}

/** The workspace a notebook's queries run against, as its metadata stores it. */
export interface INotebookWorkspace {
  /** Id of the backend, e.g. `local`. */
  backend: string;
  /** Id of the workspace within its backend, e.g. `demo`. */
  id: string;
}

/** The part of a cell or notebook model the helpers read and write. */
export interface IMetadataHolder {
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: PartialJSONValue): void;
  deleteMetadata(key: string): void;
}

function isObject(value: unknown): value is ReadonlyPartialJSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sentinelOf(holder: IMetadataHolder): PartialJSONObject {
  const value = holder.getMetadata(METADATA_KEY);
  // A copy: the model's own object must not change under it.
  return isObject(value) ? (JSONExt.deepCopy(value) as PartialJSONObject) : {};
}

/** Merges fields into the `sentinel` block; `undefined` removes a field, other fields stay. */
function updateSentinel(
  holder: IMetadataHolder,
  fields: Record<string, PartialJSONValue | undefined>
): void {
  const next: PartialJSONObject = { ...sentinelOf(holder) };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      delete next[key];
    } else {
      next[key] = value;
    }
  }
  if (Object.keys(next).length === 0) {
    holder.deleteMetadata(METADATA_KEY);
  } else {
    holder.setMetadata(METADATA_KEY, next);
  }
}

/** The KQL settings of a cell, or null when it is not a KQL cell. */
export function kqlCellMetadata(
  cell: IMetadataHolder & { readonly type: string }
): IKqlCellMetadata | null {
  if (cell.type !== 'code') {
    return null;
  }
  const sentinel = sentinelOf(cell);
  if (sentinel.kql !== true) {
    return null;
  }
  const { variable, timeRange, dataframe } = sentinel;
  return {
    dataframe: dataframe === 'spark' ? 'spark' : 'pandas',
    variable:
      typeof variable === 'string' && isIdentifier(variable) ? variable : null,
    timeRange:
      typeof timeRange === 'string' && isTimeRange(timeRange) ? timeRange : null
  };
}

/** True for a code cell marked as holding KQL. */
export function isKqlCell(
  cell: IMetadataHolder & { readonly type: string }
): boolean {
  return kqlCellMetadata(cell) !== null;
}

/**
 * Marks a code cell as a KQL cell, or back as a plain code cell, with the `skip-execution` tag
 * that keeps nbclient from sending the KQL to the kernel. The DataFrame name stays when the mark
 * is removed, so toggling twice loses nothing. Changes nothing that is already as asked.
 */
export function setKqlCell(cell: IMetadataHolder, kql: boolean): void {
  if (kql !== (sentinelOf(cell).kql === true)) {
    updateSentinel(cell, { kql: kql ? true : undefined });
  }
  const value = cell.getMetadata('tags');
  const tags = Array.isArray(value)
    ? value.filter((t): t is string => typeof t === 'string')
    : [];
  const tagged = tags.includes(SKIP_EXECUTION_TAG);
  if (kql && !tagged) {
    cell.setMetadata('tags', [...tags, SKIP_EXECUTION_TAG]);
  } else if (!kql && tagged) {
    const rest = tags.filter(t => t !== SKIP_EXECUTION_TAG);
    if (rest.length) {
      cell.setMetadata('tags', rest);
    } else {
      cell.deleteMetadata('tags');
    }
  }
}

/** Records the DataFrame name of a KQL cell. */
export function setKqlVariable(cell: IMetadataHolder, variable: string): void {
  updateSentinel(cell, { variable });
}

/**
 * How many result tables a KQL cell's last run gave (`{"sentinel": {"tables": 2}}`): a batch
 * (`A; B`) has one per tabular statement, each its own DataFrame (`tableVariable`); 1 when not
 * recorded.
 */
export function kqlCellTables(cell: IMetadataHolder): number {
  const { tables } = sentinelOf(cell);
  return typeof tables === 'number' && Number.isInteger(tables) && tables > 1
    ? tables
    : 1;
}

/** Records how many result tables a KQL cell's run gave; one is not recorded. */
export function setKqlCellTables(cell: IMetadataHolder, count: number): void {
  updateSentinel(cell, { tables: count > 1 ? count : undefined });
}

/** Records what the linked cell of a KQL cell holds; pandas, the default, is not recorded. */
export function setKqlDataFrame(
  cell: IMetadataHolder,
  dataframe: DataFrameKind
): void {
  updateSentinel(cell, {
    dataframe: dataframe === 'spark' ? 'spark' : undefined
  });
}

/** Records the time range of a KQL cell (null: the query sets its own). */
export function setKqlTimeRange(
  cell: IMetadataHolder,
  timeRange: string | null
): void {
  updateSentinel(cell, { timeRange: timeRange ?? undefined });
}

/**
 * Records what a scheduled notebook job needs to run a KQL cell again (`{"sentinel": {"job":
 * …}}`, read by `jupyterlab_sentinel/job.py`): the backend's query (`IJobQuery`), the instant it
 * ran at (`now`: the SQL's `now()` and window, which the job moves to its own time) and the time
 * range. Null removes it.
 */
export function setKqlJob(
  cell: IMetadataHolder,
  query: IJobQuery | null,
  ranAt: Date,
  timeRange: string | null
): void {
  updateSentinel(cell, {
    job: query
      ? // Through JSON text: the query's types are JSON, but interfaces are not JSON's types.
        (JSON.parse(
          JSON.stringify({
            ...query,
            now: ranAt.toISOString(),
            ...(timeRange ? { timeRange } : {})
          })
        ) as PartialJSONObject)
      : undefined
  });
}

/** Id of the KQL cell a Python cell loads the result of, or null. */
export function resultOf(cell: IMetadataHolder): string | null {
  const value = sentinelOf(cell).resultOf;
  return typeof value === 'string' && value ? value : null;
}

/** Metadata of the Python cell that loads a KQL cell's result. */
export function resultCellMetadata(kqlCellId: string): PartialJSONObject {
  return { [METADATA_KEY]: { resultOf: kqlCellId } };
}

/** The workspace a notebook remembers, or null. */
export function notebookWorkspace(
  notebook: IMetadataHolder
): INotebookWorkspace | null {
  const value = sentinelOf(notebook).workspace;
  if (
    isObject(value) &&
    typeof value.backend === 'string' &&
    typeof value.id === 'string'
  ) {
    return { backend: value.backend, id: value.id };
  }
  return null;
}

/** Makes the notebook remember the workspace its queries run against. */
export function setNotebookWorkspace(
  notebook: IMetadataHolder,
  workspace: INotebookWorkspace
): void {
  updateSentinel(notebook, {
    workspace: { backend: workspace.backend, id: workspace.id }
  });
}

/**
 * The other workspaces a notebook's queries also run on (`{"sentinel": {"workspaces": […]}}`):
 * ids of workspaces of the same backend as its workspace, making each query a cross-workspace
 * one. Empty when there are none; ids that are not non-empty strings are left out.
 */
export function notebookOtherWorkspaces(notebook: IMetadataHolder): string[] {
  const value = sentinelOf(notebook).workspaces;
  return Array.isArray(value)
    ? [
        ...new Set(
          value.filter((id): id is string => typeof id === 'string' && !!id)
        )
      ]
    : [];
}

/**
 * Makes the notebook remember the workspace its queries run on and the others they also read
 * (none: a query on one workspace).
 */
export function setNotebookWorkspaces(
  notebook: IMetadataHolder,
  workspace: INotebookWorkspace,
  others: string[]
): void {
  const rest = [...new Set(others)].filter(id => id !== workspace.id);
  updateSentinel(notebook, {
    workspace: { backend: workspace.backend, id: workspace.id },
    workspaces: rest.length ? rest : undefined
  });
}

/**
 * Whose results a notebook's results folder holds, as the notebook's metadata records it
 * (`{"sentinel": {"results": {"folder": "hunt-3f9a2c", "path": "cases/hunt.ipynb"}}}`).
 */
export interface INotebookResults {
  /** The notebook's own folder inside the results folder, e.g. `hunt-3f9a2c`. */
  folder: string;
  /** The notebook's path, relative to the Jupyter root, when it last ran a query. */
  path: string;
}

/** A folder name the notebook's metadata may give: one plain path segment. */
function isFolderName(name: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) && name.length <= 100;
}

/** Where the notebook's results are saved, as its metadata says, or null when it says nothing usable. */
export function notebookResults(
  notebook: IMetadataHolder
): INotebookResults | null {
  const value = sentinelOf(notebook).results;
  if (
    isObject(value) &&
    typeof value.folder === 'string' &&
    isFolderName(value.folder) &&
    typeof value.path === 'string'
  ) {
    return { folder: value.folder, path: value.path };
  }
  return null;
}

/** Records where the notebook's results are saved, and the path they were saved for. */
export function setNotebookResults(
  notebook: IMetadataHolder,
  results: INotebookResults
): void {
  updateSentinel(notebook, {
    results: { folder: results.folder, path: results.path }
  });
}

/** Six random hexadecimal digits: what tells apart the results of notebooks with one name. */
export function shortId(): string {
  return UUID.uuid4().slice(0, 6);
}

/**
 * A new results folder for the notebook at `notebookPath`: its name without `.ipynb`, in
 * characters safe in any file system, and a short id (`cases/Hunt 1.ipynb` → `Hunt_1-3f9a2c`).
 */
export function newResultsFolder(notebookPath: string, id: string): string {
  const stem = PathExt.basename(notebookPath, PathExt.extname(notebookPath))
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return stem ? `${stem}-${id}` : id;
}

/**
 * The notebook's own results folder, made or adopted for it at `notebookPath`: the one its
 * metadata records when it was recorded for that path; the same one when the notebook was renamed
 * or moved (nothing is left at the path recorded); a new one when the notebook is a copy (the
 * notebook it was copied from is still at the path recorded: JupyterLab's Duplicate, Save As, a
 * copied file), so that a copy never writes over the results of the notebook it came from.
 * `exists` tells whether a notebook is at a path; when it cannot tell, it must answer true.
 */
export async function ownResultsFolder(
  notebook: IMetadataHolder,
  notebookPath: string,
  exists: (path: string) => Promise<boolean>,
  id: () => string = shortId
): Promise<string> {
  const saved = notebookResults(notebook);
  if (saved && saved.path === notebookPath) {
    return saved.folder;
  }
  const folder =
    saved && !(await exists(saved.path))
      ? saved.folder
      : newResultsFolder(notebookPath, id());
  setNotebookResults(notebook, { folder, path: notebookPath });
  return folder;
}

const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield'
]);

/** True for a name Python accepts as a variable (ASCII only, not a keyword, not `pd`). */
export function isIdentifier(name: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    !PYTHON_KEYWORDS.has(name) &&
    // The result cell imports pandas as `pd`.
    name !== 'pd'
  );
}

/** Operators and sources that start a tabular expression without naming a table first. */
const SOURCE_KEYWORDS: ReadonlySet<string> = new Set([
  'union',
  'search',
  'find',
  'let',
  'set',
  'declare',
  'materialize',
  'view',
  'database',
  'cluster',
  'table'
]);

/** Sources that have no table at all: their results are named `result_df`. */
const TABLELESS_SOURCES: ReadonlySet<string> = new Set([
  'print',
  'range',
  'datatable',
  'externaldata',
  'external_data',
  'evaluate'
]);

/** The query with comments and string literals blanked out, so names inside them are not read. */
function withoutCommentsAndStrings(query: string): string {
  return query.replace(
    /\[\s*(?:'[^'\n]*'|"[^"\n]*")\s*\]|\/\/[^\n]*|@?"(?:[^"\\\n]|\\.)*"?|@?'(?:[^'\\\n]|\\.)*'?|```[\s\S]*?(?:```|$)/g,
    // Quoted names (`['My Table']`) stay: they name tables.
    match => (match.startsWith('[') ? match : ' '.repeat(match.length))
  );
}

/**
 * The table a query reads first: the first name of its last statement (the one whose result the
 * query returns), after `union`, `search` and friends. Null when the query reads no table.
 */
export function firstTable(query: string): string | null {
  const text = withoutCommentsAndStrings(query);
  const statements = text
    .split(';')
    .map(s => s.trim())
    .filter(s => s);
  const last = statements[statements.length - 1];
  if (!last) {
    return null;
  }
  const names = last.matchAll(
    /\[\s*(?:'([^'\n]*)'|"([^"\n]*)")\s*\]|([A-Za-z_][A-Za-z0-9_]*)(\s*=(?!=))?/g
  );
  let skipNext = false;
  for (const [, single, double, plain, assigned] of names) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (assigned) {
      // An option such as `withsource=T` or `kind=inner`: skip it and its value.
      skipNext = true;
      continue;
    }
    const name = single ?? double ?? plain;
    if (plain && TABLELESS_SOURCES.has(name.toLowerCase())) {
      return null;
    }
    if (plain && SOURCE_KEYWORDS.has(name.toLowerCase())) {
      continue;
    }
    return name;
  }
  return null;
}

/**
 * A DataFrame name for a query's result: the first table in lower snake case with `_df`
 * (`SigninLogs` → `signinlogs_df`), made unique among `taken` by a number (`signinlogs_df_2`).
 */
export function proposeVariable(
  query: string,
  taken: Iterable<string> = []
): string {
  const table = firstTable(query);
  const stem =
    (table ?? 'result')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'result';
  const base = /^[0-9]/.test(stem) ? `t_${stem}_df` : `${stem}_df`;
  const used = new Set(taken);
  if (!used.has(base)) {
    return base;
  }
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) {
      return candidate;
    }
  }
}

/** Where the result of a variable is saved, relative to the notebook's folder. */
export function resultFile(variable: string, folder = RESULTS_FOLDER): string {
  return `${folder}/${variable}.parquet`;
}

/**
 * Where the result of a variable is saved, relative to the Jupyter root: `results/` beside the
 * notebook (`cases/1042/hunt.ipynb` → `cases/1042/results/signinlogs_df.parquet`).
 */
export function resultPath(
  notebookPath: string,
  variable: string,
  folder = RESULTS_FOLDER
): string {
  return PathExt.join(
    PathExt.dirname(notebookPath),
    resultFile(variable, folder)
  );
}

/**
 * The Python that loads a KQL cell's saved result into its variable. It reads the file relative
 * to the notebook's folder (the kernel's working folder), so the notebook re-runs anywhere the
 * folder is copied, without JupyterLab or the workspace. Parquet has no type for KQL's `dynamic`:
 * those columns are saved as JSON text and stay text in the DataFrame (see
 * `resultTablesCellSource`).
 */
export function resultCellSource(
  variable: string,
  dynamicColumns: string[] = [],
  folder = RESULTS_FOLDER
): string {
  return resultTablesCellSource([{ variable, dynamicColumns }], folder);
}

/** The line that parses a dynamic column's JSON text into Python objects. */
function parseLine(variable: string, column: string): string {
  const name = JSON.stringify(column);
  return `${variable}[${name}] = ${variable}[${name}].map(json.loads, na_action="ignore")`;
}

/** True when the loader `previous` parsed `column` of `variable`, in either form of loader. */
function parsedBefore(
  previous: string[],
  variable: string,
  column: string
): boolean {
  const name = JSON.stringify(column);
  return previous.some(line => {
    const list = line.indexOf('dynamic=[');
    return (
      line === parseLine(variable, column) ||
      (line.startsWith(`${variable} = result(`) &&
        list >= 0 &&
        line.slice(list).includes(name))
    );
  });
}

/**
 * The Python that loads every result table of a KQL cell (a batch `A; B` has one per tabular
 * statement, see `tableVariable`), each into its variable as `resultCellSource` loads one, and
 * shows the first rows of each. With `kqlCellId` (the kernel's environment has the package), it
 * loads through `jupyterlab_sentinel.job.result`, which queries again in a scheduled job.
 *
 * Dynamic columns stay JSON text: parsing them is a Python call per row (most of the load time
 * of a large result), and most hunts only filter, count or show them. A comment gives the line
 * that parses one. `previous`, the loader this one replaces, keeps the columns it parsed parsed
 * (loaders written before parsed every dynamic column), so the notebook's later cells keep the
 * Python objects they were written for.
 */
export function resultTablesCellSource(
  tables: { variable: string; dynamicColumns: string[] }[],
  folder = RESULTS_FOLDER,
  previous = '',
  kqlCellId?: string
): string {
  const before = previous.split('\n');
  const parsed = tables.map(({ variable, dynamicColumns }) =>
    dynamicColumns.filter(c => parsedBefore(before, variable, c))
  );
  const text = tables.flatMap(({ variable, dynamicColumns }, i) =>
    dynamicColumns
      .filter(c => !parsed[i].includes(c))
      .map(c => `${variable}[${JSON.stringify(c)}]`)
  );
  const lines =
    kqlCellId === undefined
      ? plainLoader(tables, folder, parsed)
      : jobLoader(tables, folder, kqlCellId, parsed);
  if (text.length) {
    const [first] = text;
    if (!lines.includes('import json')) {
      lines.unshift('import json');
    }
    lines.push(
      `# Dynamic columns hold JSON text (${text.join(', ')}); to parse one into Python objects:`,
      `# ${first} = ${first}.map(json.loads, na_action="ignore")`
    );
  }
  // The last expression is shown by itself; the tables before it through IPython's display().
  tables.forEach(({ variable }, i) =>
    lines.push(
      i < tables.length - 1
        ? `display(${variable}.head())`
        : `${variable}.head()`
    )
  );
  return lines.join('\n');
}

/** Lines that read each table's saved file with pandas and parse the `parsed` columns. */
function plainLoader(
  tables: { variable: string }[],
  folder: string,
  parsed: string[][]
): string[] {
  const lines = ['import pandas as pd'];
  if (parsed.some(p => p.length)) {
    lines.unshift('import json');
  }
  for (const [i, { variable }] of tables.entries()) {
    lines.push(
      `${variable} = pd.read_parquet(${JSON.stringify(resultFile(variable, folder))})`
    );
    lines.push(...parsed[i].map(column => parseLine(variable, column)));
  }
  return lines;
}

/**
 * Lines that load each table through `jupyterlab_sentinel.job.result`: the saved file, except in
 * a scheduled notebook job, where the query runs again first; it parses the `parsed` columns.
 */
function jobLoader(
  tables: { variable: string }[],
  folder: string,
  kqlCellId: string,
  parsed: string[][]
): string[] {
  const lines = ['from jupyterlab_sentinel.job import result'];
  tables.forEach(({ variable }, index) => {
    const args = [
      JSON.stringify(resultFile(variable, folder)),
      `cell=${JSON.stringify(kqlCellId)}`,
      ...(index ? [`table=${index}`] : []),
      ...(parsed[index].length
        ? [`dynamic=[${parsed[index].map(c => JSON.stringify(c)).join(', ')}]`]
        : [])
    ];
    lines.push(`${variable} = result(${args.join(', ')})`);
  });
  return lines;
}

/**
 * The Python that makes each result table of a KQL cell on a Spark workspace a Spark DataFrame
 * of its whole query, run by the kernel's own Spark Connect session (`jupyterlab_sentinel.kernel`,
 * which finds the workspace's URL and token in the server's configuration or the environment:
 * neither is written here), and shows the first rows of each.
 */
export function sparkResultCellSource(
  workspaceId: string,
  tables: { variable: string; sql: string }[]
): string {
  const lines = ['from jupyterlab_sentinel.kernel import spark_sql'];
  for (const { variable, sql } of tables) {
    // JSON's string escapes are Python's.
    lines.push(
      `${variable} = spark_sql(${JSON.stringify(workspaceId)}, ${JSON.stringify(sql)})`
    );
  }
  tables.forEach(({ variable }, i) =>
    lines.push(
      i < tables.length - 1
        ? `display(${variable}.limit(5).toPandas())`
        : `${variable}.limit(5).toPandas()`
    )
  );
  return lines.join('\n');
}

/**
 * The DataFrame variable of table `index` of a KQL cell whose variable is `variable`: the first
 * (Kusto's primary result) is the cell's own, the next ones `variable_table_1`,
 * `variable_table_2`… after Kusto's names for them (`Table_1`…), in the order of the statements,
 * as their files are `tablePath`'s. `proposeVariable` never proposes such a name (its numbers
 * follow `_df`), so a batch's tables never take another cell's DataFrame or file.
 */
export function tableVariable(variable: string, index: number): string {
  return index === 0 ? variable : `${variable}_table_${index}`;
}

/** The DataFrame variables of the KQL cells among `cells` other than `cell`. */
export function otherVariables(
  cells: Iterable<IMetadataHolder & { readonly type: string }>,
  cell: unknown
): string[] {
  const names: string[] = [];
  for (const other of cells) {
    const variable = other !== cell ? kqlCellMetadata(other)?.variable : null;
    if (variable) {
      // With the DataFrames of a batch's later tables, which are the cell's too.
      for (let index = 0; index < kqlCellTables(other); index++) {
        names.push(tableVariable(variable, index));
      }
    }
  }
  return names;
}
