/**
 * The public contract of the Hunts section: the service that lists hunt packs, runs one over the
 * active workspace and keeps its outcome, and the ids of its commands.
 */
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type {
  IHuntPack,
  IHuntReport,
  IHuntWindow,
  IRuleResult
} from '../kql/hunts/run';
import type { IWorkspaceInfo } from '../tokens';

/**
 * Where a pack comes from: shipped with the package, a folder of the Jupyter root, or folders of a
 * GitHub repository mirrored by the server.
 */
export type HuntPackSource = 'shipped' | 'folder' | 'github';

/** A pack as the section lists it: its rules and the files that are not rules. */
export interface IHuntPackInfo {
  /** `shipped:<id>`, `folder:<path>` or `github:<id>`: unique among the listed packs. */
  key: string;
  source: HuntPackSource;
  /** Display name: the shipped pack's id, the folder's path or the repository's setting name. */
  name: string;
  /** The parsed pack, or null when it could not be read (`error` says why). */
  pack: IHuntPack | null;
  error: string | null;
  /** Where the rules come from, when that is not the name (a GitHub repository's address). */
  location?: string;
  /** Why a readable pack may not be complete or current (a GitHub pack's failed sync). */
  notice?: string;
}

/** A GitHub repository whose rule folders the user lists as a hunt pack. */
export interface IHuntGitHubSetting {
  /** Display name. */
  name: string;
  /** Owner (user or organisation), e.g. `Azure`. */
  owner: string;
  /** Repository, e.g. `Azure-Sentinel`. */
  repo: string;
  /** Branch. */
  branch: string;
  /** Folders of the repository holding rule files, e.g. `Hunting Queries`. */
  paths: string[];
  /** Base URL of GitHub's REST API (GitHub Enterprise: `https://host/api/v3`). */
  apiUrl: string;
}

/** A run of a pack: under way (progress), finished or cancelled (`report`). */
export interface IHuntRun {
  /** The pack's key. */
  pack: string;
  workspace: IWorkspaceInfo;
  /** Rules done so far, and in all. */
  done: number;
  total: number;
  /** Results of the rules done: in the order they finished while it runs, the pack's after. */
  results: IRuleResult[];
  /** The whole outcome once the run is over; null while it runs. */
  report: IHuntReport | null;
  /** When the run started (ms since the epoch), for the estimate. */
  started: number;
}

/** The hunt packs and the last run. */
export interface ISentinelHunts {
  /** Every listed pack, shipped first. */
  readonly packs: ReadonlyArray<IHuntPackInfo>;
  /** True while the packs are being read, and before they first are. */
  readonly loading: boolean;
  /** The pack selected in the section, or null. */
  readonly selected: IHuntPackInfo | null;
  /** Selects a pack by key. */
  select(key: string | null): void;
  /** Finds a listed pack by key. */
  find(key: string): IHuntPackInfo | undefined;
  /** Reads the packs again (the shipped ones, the configured folders and repositories). */
  refresh(): Promise<void>;
  /** The current or last run, or null before any. */
  readonly run: IHuntRun | null;
  /** True while a run is under way. */
  readonly running: boolean;
  /**
   * Runs a pack on a workspace over `window`, by default each rule over its own `queryPeriod`
   * ending now; resolves with the report (cancelled ones too). Rejects when a run is already under
   * way or the pack has no rules.
   */
  start(
    key: string,
    workspace: IWorkspaceInfo,
    window?: IHuntWindow
  ): Promise<IHuntReport>;
  /** Stops starting rules of the current run; the rules under way finish. */
  cancel(): void;
  /** The result of a rule of the last run, by rule id. */
  result(ruleId: string): IRuleResult | undefined;
  /** Emitted whenever any of the state above changes. */
  readonly changed: ISignal<ISentinelHunts, void>;
}

/** The hunts service token. */
export const ISentinelHunts = new Token<ISentinelHunts>(
  'jupyterlab-sentinel:ISentinelHunts',
  'Hunt packs of Sentinel rules, and running one over the active workspace.'
);

/** Ids of the hunt commands. */
export namespace CommandIDs {
  /** Reads the hunt packs again. */
  export const refreshHunts = 'sentinel:refresh-hunts';
  /**
   * Runs a pack (`pack`; else the selected one) on the active workspace, over `window` (a KQL
   * cell's time range: `P7D`, `start/end`) or each rule's own period.
   */
  export const runHuntPack = 'sentinel:run-hunt-pack';
  /** Cancels the hunt under way. */
  export const cancelHunt = 'sentinel:cancel-hunt';
  /** Inserts a KQL cell with a rule's query and window (`rule`, a rule id of the last run). */
  export const openHuntHits = 'sentinel:open-hunt-hits';
  /** Creates a bookmark from a rule's hits (`rule`), with its mapped entities and tactics. */
  export const bookmarkHuntHits = 'sentinel:bookmark-hunt-hits';
}
