/**
 * Running a KQL cell: the query goes to the notebook's workspace, its full result is saved as
 * Parquet in the notebook's own folder under `results/` beside it, and the Python cell below that loads it as a
 * DataFrame is inserted (or updated) and executed in the kernel. Messages go to the KQL cell's
 * output area as plain text; the KQL cell's text is never changed.
 */
import type { CodeCell, ICodeCellModel } from '@jupyterlab/cells';
import { Signal, type ISignal } from '@lumino/signaling';
import type { INotebookModel } from '@jupyterlab/notebook';
import { PathExt } from '@jupyterlab/coreutils';
import { type Contents, ServerConnection } from '@jupyterlab/services';
import type {
  INotebookCellExecutor,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { QueryCancelledError, QueryCompileError } from '../backends/errors';
import type { IKqlDiagnostic } from '../kql/index';
import type * as nbformat from '@jupyterlab/nbformat';
import type { PartialJSONObject } from '@lumino/coreutils';
import {
  canChart,
  chartSpec,
  MAX_CHART_ROWS,
  VEGALITE_MIME_TYPE
} from '../results/chart';
import { type IResultTable, resultOutput } from '../results/output';
import {
  describeExpression,
  expandVariables,
  type IExpandedQuery,
  findReferences,
  type KernelValue,
  parseDescription,
  UnknownVariableError,
  writtenDiagnostics
} from './variables';
import { evaluate } from './kernel';
import {
  drawnOrAfter,
  type IResultPages,
  ResultsServer
} from '../results/server';
import type {
  IExportResult,
  ISentinelWorkspaces,
  ITimeWindow,
  IWorkspaceInfo
} from '../tokens';
import { WorkspaceUnavailableError } from '../workspaces/errors';
import type { IKqlCellRunner } from './executor';
import { measureSince } from '../timing';
import {
  kqlCellMetadata,
  notebookOtherWorkspaces,
  notebookWorkspace,
  proposeVariable,
  resultCellMetadata,
  resultFile,
  resultOf,
  resultPath,
  resultTablesCellSource,
  setKqlCell,
  setKqlCellTables,
  setKqlJob,
  setKqlVariable,
  tableVariable,
  otherVariables,
  ownResultsFolder,
  RESULTS_FOLDER,
  setNotebookWorkspace,
  sparkResultCellSource,
  timeWindow
} from './metadata';

/** Longest wait for the grid to draw a result before the DataFrame is loaded anyway. */
const GRID_DRAW_WAIT_MS = 1000;

/** A failure to show in the KQL cell, already in the analyst's words. */
class KqlCellError extends Error {}

/**
 * `Line 2, column 3: message` for each diagnostic; the compiler's message already ends with its
 * "Did you mean …?".
 */
export function describeDiagnostics(
  diagnostics: IKqlDiagnostic[],
  trans: TranslationBundle
): string {
  return diagnostics
    .map(d => {
      const where = trans.__('Line %1, column %2', d.line, d.column);
      return `${where}: ${d.message}`;
    })
    .join('\n');
}

/** Options of the runner. */
export interface IKqlCellRunnerOptions {
  /** The workspaces service: the notebook's workspace and its backend. */
  workspaces: ISentinelWorkspaces;
  /** Finds the notebook panel (path, widgets) of a notebook model. */
  tracker: INotebookTracker;
  /** Runs the Python result cell: JupyterLab's own cell executor. */
  runPython: (
    options: INotebookCellExecutor.IRunCellOptions
  ) => Promise<boolean>;
  /** User-facing text. */
  trans: TranslationBundle;
  /** Reads the saved result's rows for a chart; the Jupyter server's by default. */
  pages?: IResultPages;
  /** The results folder beside the notebook (the setting); `results` when not given. */
  resultsFolder?: () => string;
  /** The Jupyter server's files: whether the notebook a copy was made from is still there. */
  contents: Contents.IManager;
}

/** Runs KQL cells for the cell executor. */
export class KqlCellRunner implements IKqlCellRunner {
  constructor(private readonly _options: IKqlCellRunnerOptions) {
    this._pages = _options.pages ?? new ResultsServer();
  }

  private readonly _pages: IResultPages;

  async run(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const { trans } = this._options;
    const cell = options.cell as CodeCell;
    const model = cell.model;
    const query = model.sharedModel.getSource();
    const panel = this._options.tracker.find(
      p => p.content.model === options.notebook
    );
    if (!panel || !query.trim()) {
      model.outputs.clear();
      return true;
    }
    const started = performance.now();
    options.onCellExecutionScheduled({ cell });
    model.outputs.clear();
    model.executionState = 'running';
    let exported = false;
    let expanded: IExpandedQuery | null = null;
    try {
      const workspace = this._workspaceOf(options.notebook);
      const others = this._otherWorkspacesOf(options.notebook, workspace);
      // The result names every workspace it read; bookmarks still go to the notebook's own.
      const readFrom = others.length
        ? {
            ...workspace,
            name: [workspace, ...others].map(w => w.name).join(' + ')
          }
        : workspace;
      const backend = this._options.workspaces.backendOf(workspace);
      if (!backend) {
        throw new KqlCellError(
          trans.__('No backend serves the workspace %1.', workspace.name)
        );
      }
      const folder = await this._resultsFolderOf(panel);
      const variable =
        kqlCellMetadata(model)?.variable ??
        proposeVariable(query, otherVariables(options.notebook.cells, model));
      if (kqlCellMetadata(model)?.variable !== variable) {
        setKqlVariable(model, variable);
      }
      // KQL cells of templates and older notebooks may lack the tag nbconvert skips them by.
      setKqlCell(model, true);
      const ranAt = new Date();
      const timespan = timeWindow(
        kqlCellMetadata(model)?.timeRange ?? null,
        ranAt
      );
      expanded = await this._withVariables(panel, query);
      const text = expanded.text;
      const result = await this._track(
        model,
        options.notebook,
        workspace,
        signal =>
          backend.export(
            workspace.id,
            text,
            resultPath(panel.context.localPath, variable, folder),
            {
              now: ranAt,
              timespan: timespan ?? undefined,
              signal,
              ...(others.length ? { workspaces: others.map(w => w.id) } : {})
            }
          )
      );
      exported = true;
      setKqlJob(
        model,
        result.rerun ?? null,
        ranAt,
        kqlCellMetadata(model)?.timeRange ?? null
      );
      const warnings = writtenDiagnostics(
        result.diagnostics.filter(d => d.severity !== 'error'),
        query,
        expanded
      );
      if (warnings.length) {
        model.outputs.add({
          output_type: 'stream',
          name: 'stderr',
          text: describeDiagnostics(warnings, trans) + '\n'
        });
      }
      // A batch (`A; B`) has one result table per tabular statement: a grid (or chart) each,
      // loaded into the cell's variable, then `variable_1`, `variable_2`…
      const tables = result.tables ?? [{ ...result, name: 'PrimaryResult' }];
      setKqlCellTables(model, tables.length);
      const drawn = drawnOrAfter(tables[0].path, GRID_DRAW_WAIT_MS);
      for (const [index, table] of tables.entries()) {
        for (const output of await this._resultOutputs(
          { ...result, ...table },
          text,
          tableVariable(variable, index),
          folder,
          readFrom,
          ranAt,
          timespan,
          tables.length > 1
            ? { name: table.name, index, count: tables.length }
            : undefined
        )) {
          model.outputs.add(output);
        }
      }
      model.executionState = 'idle';
      options.onCellExecuted({ cell, success: true });
      // On Spark, the linked cell may run the tables' SQL in the kernel instead of loading the files.
      const sqls = tables.map(table => table.sql);
      const sparkFrame =
        workspace.engine === 'spark' &&
        !others.length &&
        kqlCellMetadata(model)?.dataframe === 'spark' &&
        sqls.every((sql): sql is string => sql !== undefined);
      if (result.partial && workspace.engine === 'spark' && !sparkFrame) {
        model.outputs.add({
          output_type: 'stream',
          name: 'stderr',
          text:
            trans.__(
              'Spark had more rows than the row limit, and only those were saved. For the whole result in the kernel, choose “Spark DataFrame” in the query bar.'
            ) + '\n'
        });
      }
      measureSince('sentinel-run-to-output', started);
      // The browser draws the grid first; the kernel's DataFrame and its output come after.
      await drawn;
      const checked = performance.now();
      const kernel = await this._kernelState(panel);
      measureSince('sentinel-kernel-check', checked);
      const linked = this._resultCellIndex(panel, cell);
      const resultCell = this._showResultCell(
        panel,
        cell,
        sparkFrame
          ? sparkResultCellSource(
              workspace.id,
              sqls.map((sql, index) => ({
                variable: tableVariable(variable, index),
                sql
              }))
            )
          : resultTablesCellSource(
              tables.map((table, index) => ({
                variable: tableVariable(variable, index),
                dynamicColumns: table.columns
                  .filter(c => c.type === 'dynamic')
                  .map(c => c.name)
              })),
              folder,
              linked >= 0
                ? panel.content.model!.cells.get(linked).sharedModel.getSource()
                : '',
              // With the package in the kernel's environment, the linked cell queries again in a job.
              kernel.jobs && result.rerun ? model.id : undefined
            )
      );
      const problem = kernel.problem;
      if (problem) {
        model.outputs.add({
          output_type: 'stream',
          name: 'stderr',
          text:
            trans.__(
              'The result is saved as %1, but it cannot be loaded into `%2`: %3',
              resultFile(variable, folder),
              variable,
              problem
            ) + '\n'
        });
        return false;
      }
      const loading = performance.now();
      const loaded = await this._options.runPython({
        ...options,
        cell: resultCell
      });
      measureSince('sentinel-dataframe', loading, { ok: loaded });
      return loaded;
    } catch (error) {
      // Positions are told in the query as written, not with the kernel's values written in.
      const placed =
        error instanceof QueryCompileError && expanded
          ? new QueryCompileError(
              writtenDiagnostics(error.diagnostics, query, expanded)
            )
          : error;
      model.outputs.add({
        output_type: 'stream',
        name: 'stderr',
        text: this._describe(placed, exported) + '\n'
      });
      model.executionState = 'idle';
      if (!exported) {
        options.onCellExecuted({ cell, success: false });
      }
      return false;
    }
  }

  /**
   * The folder, relative to the notebook's, its results are saved in: the results folder setting's
   * folder beside the notebook, and in it the notebook's own (see `ownResultsFolder`), so that
   * notebooks in one folder never read or write each other's results. Asked once at a time per
   * notebook, so the cells of one run agree on it.
   */
  private _resultsFolderOf(panel: NotebookPanel): Promise<string> {
    const notebook = panel.content.model!;
    const path = panel.context.localPath;
    let known = this._owning.get(notebook);
    if (known?.path !== path) {
      const folder = ownResultsFolder(notebook, path, p => this._exists(p));
      known = { path, folder };
      this._owning.set(notebook, known);
      // A failure is told by the run that asked; the next run asks again.
      folder.catch(() => this._owning.delete(notebook));
    }
    return known.folder.then(own =>
      PathExt.join(this._options.resultsFolder?.() ?? RESULTS_FOLDER, own)
    );
  }

  /** Whether a file is at `path`; true when the server cannot tell (a copy then gets its own results). */
  private async _exists(path: string): Promise<boolean> {
    try {
      await this._options.contents.get(path, { content: false });
      return true;
    } catch (error) {
      return !(
        error instanceof ServerConnection.ResponseError &&
        error.response.status === 404
      );
    }
  }

  /** True while the query of a KQL cell (by cell id) runs. */
  isRunning(cellId: string): boolean {
    return this._running.has(cellId);
  }

  /** Cancels the query of a KQL cell (by cell id); false when none runs. */
  cancel(cellId: string): boolean {
    const running = this._running.get(cellId);
    running?.controller.abort();
    return running !== undefined;
  }

  /** Cancels the running queries of a notebook's KQL cells; answers how many were cancelled. */
  cancelAll(notebook: INotebookModel): number {
    let cancelled = 0;
    for (const running of this._running.values()) {
      if (running.notebook === notebook) {
        running.controller.abort();
        cancelled++;
      }
    }
    return cancelled;
  }

  /** Emitted when a KQL cell's query starts or ends. */
  get runningChanged(): ISignal<this, string> {
    return this._runningChanged;
  }

  /**
   * Runs `work` with a signal that cancels it, showing the time it has been running in the cell's
   * output until it ends.
   */
  private async _track<T>(
    model: ICodeCellModel,
    notebook: INotebookModel,
    workspace: IWorkspaceInfo,
    work: (signal: AbortSignal) => Promise<T>
  ): Promise<T> {
    const { trans } = this._options;
    const controller = new AbortController();
    const started = Date.now();
    const progress = (): nbformat.IStream => ({
      output_type: 'stream',
      name: 'stdout',
      text:
        trans.__(
          'Running on %1… %2 s',
          workspace.name,
          ((Date.now() - started) / 1000).toFixed(1)
        ) + '\n'
    });
    model.outputs.add(progress());
    const timer = window.setInterval(() => {
      if (model.outputs.length) {
        model.outputs.set(0, progress());
      }
    }, 500);
    this._running.set(model.id, { controller, notebook });
    this._runningChanged.emit(model.id);
    try {
      return await work(controller.signal);
    } finally {
      window.clearInterval(timer);
      model.outputs.clear();
      this._running.delete(model.id);
      this._runningChanged.emit(model.id);
    }
  }

  /**
   * Why the notebook's kernel cannot load a result, in the analyst's words, or null when it can:
   * no kernel, a kernel that is not Python, or one without pandas and pyarrow; and whether its
   * environment has this package, whose `job.result` the linked cell may then call (asked once
   * per kernel, silently).
   */
  private async _kernelState(
    panel: NotebookPanel
  ): Promise<{ problem: string | null; jobs: boolean }> {
    const { trans } = this._options;
    const kernel = panel.sessionContext.session?.kernel;
    if (!kernel) {
      return {
        problem: trans.__(
          'the notebook has no kernel. Choose a Python kernel (Kernel ▸ Change Kernel…), then run the cell again.'
        ),
        jobs: false
      };
    }
    const info = await kernel.info;
    if (info.language_info.name !== 'python') {
      return {
        problem: trans.__(
          'the kernel runs %1, not Python. Choose a Python kernel (Kernel ▸ Change Kernel…), then run the cell again.',
          info.language_info.name
        ),
        jobs: false
      };
    }
    let known = this._kernelModules.get(kernel.id);
    if (known === undefined) {
      const found = (modules: string) =>
        `all(__import__('importlib.util').util.find_spec(m) is not None for m in (${modules}))`;
      const answers = await evaluate(kernel, {
        pandas: found("'pandas', 'pyarrow'"),
        jobs: found("'jupyterlab_sentinel',")
      });
      known = {
        pandas: answers.pandas?.data?.['text/plain'] === 'True',
        jobs: answers.jobs?.data?.['text/plain'] === 'True'
      };
      this._kernelModules.set(kernel.id, known);
    }
    return {
      problem: known.pandas
        ? null
        : trans.__(
            'the kernel has no pandas or no pyarrow. Install them in its environment (`%pip install pandas pyarrow` in a cell), restart the kernel, then run the cell again.'
          ),
      jobs: known.jobs
    };
  }

  /**
   * The query with its `{name}` references to kernel variables replaced by their values as KQL
   * literals (see `variables.ts`); the query itself when it has none.
   */
  private async _withVariables(
    panel: NotebookPanel,
    query: string
  ): Promise<IExpandedQuery> {
    const references = findReferences(query);
    if (!references.length) {
      return { text: query, toWritten: offset => offset };
    }
    const { trans } = this._options;
    const names = [...new Set(references.map(r => r.name))];
    const kernel = panel.sessionContext.session?.kernel;
    if (!kernel) {
      throw new KqlCellError(
        trans.__(
          'The query uses kernel variables (%1), but the notebook has no kernel: choose a Python kernel, run the cells that set them, then run this cell again.',
          names.map(n => `{${n}}`).join(', ')
        )
      );
    }
    const answers = await evaluate(
      kernel,
      Object.fromEntries(names.map(name => [name, describeExpression(name)]))
    );
    const values: Record<string, KernelValue | undefined> = {};
    for (const name of names) {
      values[name] = parseDescription(answers[name]) ?? undefined;
    }
    try {
      return expandVariables(query, references, values);
    } catch (error) {
      if (error instanceof UnknownVariableError) {
        throw new KqlCellError(
          trans.__(
            'Line %1, column %2: {%3} names no variable of the kernel. Run the cell that sets %3 first, or write the value in the query.',
            error.line,
            error.column,
            error.reference.name
          )
        );
      }
      throw error;
    }
  }

  private readonly _kernelModules = new Map<
    string,
    { pandas: boolean; jobs: boolean }
  >();
  private readonly _running = new Map<
    string,
    { controller: AbortController; notebook: INotebookModel }
  >();
  /** Per notebook: its own folder in the results folder, for the path it was asked for. */
  private readonly _owning = new WeakMap<
    INotebookModel,
    { path: string; folder: Promise<string> }
  >();
  private readonly _runningChanged = new Signal<this, string>(this);

  /**
   * The workspace the notebook's queries run against (`ISentinelWorkspaces.workspaceOf`): the one
   * its metadata names, else the active one, which the notebook then remembers.
   */
  private _workspaceOf(notebook: INotebookModel): IWorkspaceInfo {
    const { workspaces, trans } = this._options;
    let workspace: IWorkspaceInfo | null;
    try {
      workspace = workspaces.workspaceOf(notebook);
    } catch (error) {
      if (error instanceof WorkspaceUnavailableError) {
        throw new KqlCellError(
          trans.__(
            'This notebook runs its queries on the workspace %1/%2, which is not available. Check the Sentinel sidebar, or remove "workspace" from the notebook\'s "sentinel" metadata to use the active workspace.',
            error.backend,
            error.id
          )
        );
      }
      throw error;
    }
    if (!workspace) {
      throw new KqlCellError(
        trans.__(
          'No workspace is active: choose one in the Sentinel sidebar, then run the cell again.'
        )
      );
    }
    if (!notebookWorkspace(notebook)) {
      setNotebookWorkspace(notebook, workspace);
    }
    if (workspace.status !== 'ready') {
      throw new KqlCellError(
        workspace.message
          ? trans.__(
              'The workspace %1 cannot be queried now: %2',
              workspace.name,
              workspace.message
            )
          : trans.__('The workspace %1 cannot be queried now.', workspace.name)
      );
    }
    return workspace;
  }

  /**
   * The other workspaces the notebook's queries also run on (its metadata's `workspaces`): each
   * must be listed and ready, as the notebook's own workspace must be; none is left out silently.
   */
  private _otherWorkspacesOf(
    notebook: INotebookModel,
    workspace: IWorkspaceInfo
  ): IWorkspaceInfo[] {
    const { workspaces, trans } = this._options;
    const ids = notebookOtherWorkspaces(notebook).filter(
      id => id !== workspace.id
    );
    return ids.map(id => {
      const other = workspaces.find(workspace.backend, id);
      if (!other || other.status !== 'ready') {
        throw new KqlCellError(
          trans.__(
            "This notebook's queries also run on the workspace %1/%2, which cannot be queried now. Choose the workspaces again in the query bar.",
            workspace.backend,
            other?.name ?? id
          )
        );
      }
      return other;
    });
  }

  /** The index of the Python cell that loads a KQL cell's result, or -1. */
  private _resultCellIndex(panel: NotebookPanel, cell: CodeCell): number {
    const cells = panel.content.model!.cells;
    for (let i = 0; i < cells.length; i++) {
      if (resultOf(cells.get(i)) === cell.model.id) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The Python cell that loads the result: the one linked to the KQL cell, updated, or a new one
   * inserted right below it.
   */
  private _showResultCell(
    panel: NotebookPanel,
    cell: CodeCell,
    source: string
  ): CodeCell {
    const notebook = panel.content;
    const kqlId = cell.model.id;
    let index = this._resultCellIndex(panel, cell);
    if (index >= 0) {
      const linked = notebook.model!.cells.get(index).sharedModel;
      if (linked.getSource() !== source) {
        linked.setSource(source);
      }
    } else {
      index = notebook.widgets.indexOf(cell) + 1;
      notebook.model!.sharedModel.insertCell(index, {
        cell_type: 'code',
        source,
        metadata: resultCellMetadata(kqlId)
      });
    }
    return notebook.widgets[index] as CodeCell;
  }

  /** The grid's output, and the chart's when the query ends with a `render` that is drawn. */
  private async _resultOutputs(
    result: IExportResult,
    query: string,
    variable: string,
    folder: string,
    workspace: IWorkspaceInfo,
    ranAt: Date,
    timespan: ITimeWindow | null,
    table?: IResultTable
  ): Promise<nbformat.IOutput[]> {
    const { trans } = this._options;
    const rows = trans._n(
      '%1 row from %2 saved as %3 (%4 s); loading it into `%5`.',
      '%1 rows from %2 saved as %3 (%4 s); loading them into `%5`.',
      result.rowCount,
      workspace.name,
      resultFile(variable, folder),
      (result.elapsedMs / 1000).toFixed(1),
      variable
    );
    const summary = table
      ? trans.__(
          'Table %1 of %2 (%3): %4',
          table.index + 1,
          table.count,
          table.name,
          rows
        )
      : rows;
    const outputs: nbformat.IOutput[] = [
      resultOutput({
        file: resultFile(variable, folder),
        path: result.path,
        variable,
        columns: result.columns,
        rowCount: result.rowCount,
        elapsedMs: result.elapsedMs,
        query,
        workspace: {
          backend: workspace.backend,
          id: workspace.id,
          name: workspace.name
        },
        timespan,
        ranAt,
        partial: result.partial,
        partialMessage: result.partialMessage,
        render: result.render,
        textLengths: result.textLengths,
        table,
        summary
      })
    ];
    const render = result.render;
    if (render && canChart(render.visualization)) {
      try {
        const page = await this._pages.page({
          path: result.path,
          offset: 0,
          limit: MAX_CHART_ROWS
        });
        const spec = chartSpec(
          render,
          result.columns,
          page.rows,
          page.totalRows
        );
        if (spec) {
          outputs.unshift({
            output_type: 'display_data',
            data: { [VEGALITE_MIME_TYPE]: spec as PartialJSONObject },
            metadata: {}
          });
        }
      } catch (error) {
        outputs.push({
          output_type: 'stream',
          name: 'stderr',
          text:
            trans.__(
              'The chart could not be drawn: %1',
              error instanceof Error ? error.message : String(error)
            ) + '\n'
        });
      }
    } else if (render && render.visualization !== 'table') {
      outputs.push({
        output_type: 'stream',
        name: 'stderr',
        text:
          trans.__(
            '`render %1` is not drawn in notebooks; the result is shown as a table.',
            render.visualization
          ) + '\n'
      });
    }
    return outputs;
  }

  private _describe(error: unknown, exported: boolean): string {
    const { trans } = this._options;
    if (error instanceof QueryCompileError) {
      const heading = error.unsupported
        ? trans.__('The query uses KQL this workspace cannot run:')
        : trans.__('The query has errors:');
      return `${heading}\n${describeDiagnostics(error.errors, trans)}`;
    }
    if (error instanceof QueryCancelledError) {
      return trans.__('The query was cancelled.');
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof KqlCellError) {
      return message;
    }
    return exported
      ? trans.__('The result could not be loaded into the kernel: %1', message)
      : trans.__('The query failed: %1', message);
  }
}
