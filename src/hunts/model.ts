/**
 * The hunts service: the listed packs, the selected one, and running a pack on a workspace with
 * progress and cancel.
 */
import { Signal } from '@lumino/signaling';
import {
  type IHuntQueryRunner,
  type IHuntReport,
  type IHuntWindow,
  type IRuleResult,
  runHunt
} from '../kql/hunts/run';
import type { IWorkspaceInfo } from '../tokens';
import type { IHuntPackInfo, IHuntRun, ISentinelHunts } from './tokens';

/** What the model needs: where packs come from, and a query runner for a workspace. */
export interface IHuntsModelOptions {
  /** Reads every pack (shipped first, then the folders). */
  loadPacks: () => Promise<IHuntPackInfo[]>;
  /** A runner of the workspace's queries; `signal` cancels the queries under way. */
  runnerFor: (
    workspace: IWorkspaceInfo,
    signal: AbortSignal
  ) => IHuntQueryRunner;
  /** Rules running at once; 2 by default (the server's query workers limit it too). */
  concurrency?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** The hunts service. */
export class HuntsModel implements ISentinelHunts {
  constructor(private readonly _options: IHuntsModelOptions) {}

  get packs(): ReadonlyArray<IHuntPackInfo> {
    return this._packs;
  }

  get loading(): boolean {
    return this._loading;
  }

  get selected(): IHuntPackInfo | null {
    return this._selected === null ? null : (this.find(this._selected) ?? null);
  }

  select(key: string | null): void {
    if (key !== this._selected) {
      this._selected = key;
      this._changed.emit();
    }
  }

  find(key: string): IHuntPackInfo | undefined {
    return this._packs.find(p => p.key === key);
  }

  async refresh(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      this._packs = await this._options.loadPacks();
      if (!this.selected) {
        this._selected = this._packs[0]?.key ?? null;
      }
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  get run(): IHuntRun | null {
    return this._run;
  }

  get running(): boolean {
    return this._controller !== null;
  }

  async start(
    key: string,
    workspace: IWorkspaceInfo,
    window?: IHuntWindow
  ): Promise<IHuntReport> {
    if (this._controller) {
      throw new Error('a hunt is already running');
    }
    const pack = this.find(key)?.pack;
    if (!pack || pack.rules.length === 0) {
      throw new Error(`the pack ${key} has no rules to run`);
    }
    const controller = new AbortController();
    this._controller = controller;
    const run: IHuntRun = {
      pack: key,
      workspace,
      done: 0,
      total: pack.rules.length,
      results: [],
      report: null,
      started: Date.now()
    };
    this._run = run;
    this._changed.emit();
    try {
      const report = await runHunt(
        pack,
        this._options.runnerFor(workspace, controller.signal),
        {
          now: this._options.now?.(),
          window,
          concurrency: this._options.concurrency,
          signal: controller.signal,
          onProgress: (done, total, result) => {
            this._run = {
              ...run,
              done,
              total,
              results: [...(this._run?.results ?? []), result]
            };
            this._changed.emit();
          }
        }
      );
      this._run = { ...run, ...this._run, report, results: report.results };
      return report;
    } finally {
      this._controller = null;
      this._changed.emit();
    }
  }

  cancel(): void {
    this._controller?.abort();
  }

  result(ruleId: string): IRuleResult | undefined {
    return this._run?.results.find(r => r.rule.id === ruleId);
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  private _packs: IHuntPackInfo[] = [];
  // Until the first listing: the packs are read once JupyterLab's shell is restored.
  private _loading = true;
  private _selected: string | null = null;
  private _run: IHuntRun | null = null;
  private _controller: AbortController | null = null;
  private readonly _changed = new Signal<this, void>(this);
}

/**
 * Seconds left by the pace so far, or null before the first rule is done.
 */
export function remainingSeconds(run: IHuntRun, now: number): number | null {
  if (run.done === 0 || run.report) {
    return null;
  }
  const perRule = (now - run.started) / run.done;
  return Math.ceil(((run.total - run.done) * perRule) / 1000);
}
