/**
 * Running a hunt pack: every rule of a pack over a workspace and a time window, each classified as
 * hits, no hits, refused (valid KQL the compiler cannot run here), missing tables, or error.
 *
 * The engine knows no backend: an `IHuntQueryRunner` compiles and runs one query and returns its
 * row count or why it could not. `kql hunt` runs on DuckDB in Node (`node/hunt.ts`); a sidebar
 * runs through the workspace backend it already has, with the same classification
 * (`compileOutcome`).
 */
import type { IKqlDiagnostic } from '../diagnostics';
import type { IHuntRule, IInvalidRuleFile } from './rule';

/** The rules a pack's files hold, and the files that are not rules. */
export interface IHuntPack {
  rules: IHuntRule[];
  invalid: IInvalidRuleFile[];
}

/** Whether a trigger fires for a result of `count` rows. */
export function triggerFires(
  trigger: NonNullable<IHuntRule['trigger']>,
  count: number
): boolean {
  switch (trigger.operator) {
    case 'gt':
      return count > trigger.threshold;
    case 'lt':
      return count < trigger.threshold;
    case 'eq':
      return count === trigger.threshold;
    case 'ne':
      return count !== trigger.threshold;
  }
}

/** A time window, `[start, end)`. */
export interface IHuntWindow {
  start: Date;
  end: Date;
}

/**
 * Where a query's time went, as a runner that compiles and runs it measures: compiling is
 * JavaScript on one thread, running is the database's, so a benchmark tells them apart.
 */
export interface IQueryTiming {
  /** Milliseconds compiling (Kusto's binder and our SQL emitter). */
  compileMs: number;
  /** Milliseconds in the database: discovery queries and the query itself. */
  runMs: number;
}

/** What running one query gave: its row count, or why it did not run. */
export type QueryOutcome = (
  | { kind: 'rows'; count: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'missing-tables'; tables: string[] }
  | { kind: 'error'; message: string }
) & {
  /** Set by a runner that compiles and runs the query itself (`kql hunt`'s). */
  timing?: IQueryTiming;
};

/** Compiles and runs one query over a window on some workspace. */
export interface IHuntQueryRunner {
  /**
   * Runs `query` with `now()` at the window's end and every table restricted to the window, and
   * counts its rows. Resolves to an outcome for anything the query does; never rejects for it.
   */
  run(query: string, window: IHuntWindow): Promise<QueryOutcome>;
}

/** The classes of a rule's outcome. */
export type HuntOutcome =
  'hits' | 'no-hits' | 'refused' | 'missing-tables' | 'error';

/** One rule's result. */
export interface IRuleResult {
  rule: IHuntRule;
  window: IHuntWindow;
  outcome: HuntOutcome;
  /** Rows the query returned; null when it did not run. */
  rows: number | null;
  /**
   * Whether the rule fired: its trigger holds for the row count (a hunting query, which has none,
   * fires on any row). Never for a rule that did not run.
   */
  fired: boolean;
  /** Why it did not run: the compiler's reason, the error, or the missing tables named. */
  reason: string | null;
  /** Tables the query reads that the workspace does not have. */
  missingTables: string[];
  /** Time to compile and run, in milliseconds. */
  ms: number;
  /** The compile and run parts of `ms`, when the runner measured them. */
  timing: IQueryTiming | null;
}

/** A whole pack's result. */
export interface IHuntReport {
  results: IRuleResult[];
  invalid: IInvalidRuleFile[];
  /** How many rules fired. */
  fired: number;
  /** How many rules of each outcome. */
  counts: Record<HuntOutcome, number>;
  /** Whether the run stopped early (`signal` aborted); `results` holds the rules done. */
  cancelled: boolean;
}

/** Options of `runHunt`. */
export interface IHuntOptions {
  /** One window for every rule; by default each rule's own `queryPeriod` ending at `now`. */
  window?: IHuntWindow;
  /** The end of the default windows; the time of the call by default. */
  now?: Date;
  /** Rules running at once (the runner's own limits apply too); 2 by default. */
  concurrency?: number;
  /** Stops starting rules; those under way finish. */
  signal?: AbortSignal;
  /** Called after each rule, for a progress bar. */
  onProgress?: (done: number, total: number, result: IRuleResult) => void;
}

/**
 * The window a rule without `queryPeriod` looks over (hunting queries, NRT rules): the last 7
 * days, our choice; `IHuntOptions.window` gives another.
 */
export const DEFAULT_PERIOD_MS = 7 * 86_400_000;

/** A rule's own window: its `queryPeriod` ending at `now`. */
export function ruleWindow(rule: IHuntRule, now: Date): IHuntWindow {
  return {
    start: new Date(now.getTime() - (rule.queryPeriodMs ?? DEFAULT_PERIOD_MS)),
    end: now
  };
}

/**
 * The rule's query for a window: hunting queries read their window from the `{{StartTimeISO}}`
 * and `{{EndTimeISO}}` placeholders Sentinel's hunting page fills in.
 */
export function ruleQuery(rule: IHuntRule, window: IHuntWindow): string {
  return rule.query
    .replace(/\{\{StartTimeISO\}\}/g, window.start.toISOString())
    .replace(/\{\{EndTimeISO\}\}/g, window.end.toISOString());
}

/** Kusto's diagnostic for a name that is no table, variable or function. */
const UNKNOWN_TABLE = 'KS204';

/**
 * The compiler's refusal of a name used as a table that is neither a table of the schema nor a
 * function, where Kusto raises no error (a leg of `union isfuzzy=true`): a table the workspace lacks.
 */
const UNKNOWN_TABULAR_NAME = /^the tabular name '([^']+)'$/;

/**
 * What a compilation's errors mean for a hunt, or null when it has none: tables the workspace
 * lacks, valid KQL the compiler cannot run here (with its named feature), or an error.
 */
export function compileOutcome(
  diagnostics: ReadonlyArray<IKqlDiagnostic>
): QueryOutcome | null {
  const errors = diagnostics.filter(d => d.severity === 'error');
  if (errors.length === 0) {
    return null;
  }
  const tables = errors
    .map(d =>
      d.code === UNKNOWN_TABLE
        ? /'([^']+)'/.exec(d.message)?.[1]
        : UNKNOWN_TABULAR_NAME.exec(d.unsupported ?? '')?.[1]
    )
    .filter((name): name is string => !!name);
  if (tables.length > 0) {
    return { kind: 'missing-tables', tables: [...new Set(tables)] };
  }
  const unsupported = errors.find(d => d.stage === 'unsupported');
  if (unsupported) {
    return {
      kind: 'refused',
      reason: unsupported.unsupported
        ? `not supported locally: ${unsupported.unsupported}`
        : unsupported.message
    };
  }
  const first = errors[0];
  return {
    kind: 'error',
    message: `${first.line}:${first.column}: ${first.code}: ${first.message}`
  };
}

/** A rule's result from its query's outcome. */
export function classify(
  rule: IHuntRule,
  window: IHuntWindow,
  outcome: QueryOutcome,
  ms: number
): IRuleResult {
  const base = {
    rule,
    window,
    ms,
    timing: outcome.timing ?? null,
    rows: null,
    fired: false,
    missingTables: []
  };
  switch (outcome.kind) {
    case 'rows': {
      const fired = rule.trigger
        ? triggerFires(rule.trigger, outcome.count)
        : outcome.count > 0;
      return {
        ...base,
        outcome: outcome.count > 0 ? 'hits' : 'no-hits',
        rows: outcome.count,
        fired,
        reason: null
      };
    }
    case 'refused':
      return { ...base, outcome: 'refused', reason: outcome.reason };
    case 'missing-tables':
      return {
        ...base,
        outcome: 'missing-tables',
        missingTables: outcome.tables,
        reason: `the workspace has no ${outcome.tables.join(', ')}`
      };
    case 'error':
      return { ...base, outcome: 'error', reason: outcome.message };
  }
}

/** Runs every rule of a pack, in the pack's order, `concurrency` at a time. */
export async function runHunt(
  pack: IHuntPack,
  runner: IHuntQueryRunner,
  options: IHuntOptions = {}
): Promise<IHuntReport> {
  const now = options.now ?? new Date();
  const total = pack.rules.length;
  const results: (IRuleResult | undefined)[] = new Array(total);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total && !options.signal?.aborted) {
      const index = next++;
      const rule = pack.rules[index];
      const window = options.window ?? ruleWindow(rule, now);
      const started = Date.now();
      let outcome: QueryOutcome;
      try {
        outcome = await runner.run(ruleQuery(rule, window), window);
      } catch (e) {
        outcome = {
          kind: 'error',
          message: e instanceof Error ? e.message : String(e)
        };
      }
      const result = classify(rule, window, outcome, Date.now() - started);
      results[index] = result;
      options.onProgress?.(++done, total, result);
    }
  };
  const slots = Math.max(1, Math.min(options.concurrency ?? 2, total));
  await Promise.all(Array.from({ length: slots }, worker));
  const finished = results.filter((r): r is IRuleResult => r !== undefined);
  const counts: Record<HuntOutcome, number> = {
    hits: 0,
    'no-hits': 0,
    refused: 0,
    'missing-tables': 0,
    error: 0
  };
  for (const r of finished) {
    counts[r.outcome]++;
  }
  return {
    results: finished,
    invalid: pack.invalid,
    fired: finished.filter(r => r.fired).length,
    counts,
    cancelled: finished.length < total
  };
}
