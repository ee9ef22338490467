/**
 * The outcome table and the MITRE ATT&CK matrix of a hunt, as plain data: the section renders
 * them, the tests read them.
 */
import { TACTICS } from '../bookmarks/mitre';
import type { HuntOutcome, IRuleResult } from '../kql/hunts/run';

/** Columns the outcome table sorts by. */
export type OutcomeSortKey = 'name' | 'outcome' | 'rows' | 'severity';

/** How the outcome table is sorted and filtered. */
export interface IOutcomeView {
  sort: OutcomeSortKey;
  descending: boolean;
  /** Text the rule's name, file, tactics or reason must contain (any case); empty for all. */
  text: string;
  /** Outcomes shown; empty for all. */
  outcomes: ReadonlyArray<HuntOutcome>;
  /** A tactic the rule must have (the matrix's selected cell), or null. */
  tactic: string | null;
}

/** The table's initial view: fired rules first, then by outcome. */
export const DEFAULT_VIEW: IOutcomeView = {
  sort: 'outcome',
  descending: false,
  text: '',
  outcomes: [],
  tactic: null
};

/** Outcomes in the order the table sorts them: what needs a look first. */
const OUTCOME_ORDER: Record<HuntOutcome, number> = {
  hits: 0,
  error: 1,
  refused: 2,
  'missing-tables': 3,
  'no-hits': 4
};

const SEVERITY_ORDER: Record<string, number> = {
  High: 0,
  Medium: 1,
  Low: 2,
  Informational: 3
};

function compare(a: IRuleResult, b: IRuleResult, key: OutcomeSortKey): number {
  switch (key) {
    case 'name':
      return a.rule.name.localeCompare(b.rule.name);
    case 'rows':
      return (a.rows ?? -1) - (b.rows ?? -1);
    case 'severity':
      return (
        (SEVERITY_ORDER[a.rule.severity ?? ''] ?? 4) -
        (SEVERITY_ORDER[b.rule.severity ?? ''] ?? 4)
      );
    case 'outcome':
      return (
        Number(b.fired) - Number(a.fired) ||
        OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]
      );
  }
}

/** The results the view shows, in its order (ties by rule name). */
export function outcomeRows(
  results: ReadonlyArray<IRuleResult>,
  view: IOutcomeView
): IRuleResult[] {
  const text = view.text.trim().toLowerCase();
  const shown = results.filter(
    r =>
      (view.outcomes.length === 0 || view.outcomes.includes(r.outcome)) &&
      (view.tactic === null || r.rule.tactics.includes(view.tactic)) &&
      (!text ||
        [r.rule.name, r.rule.file, r.reason ?? '', ...r.rule.tactics]
          .join('\n')
          .toLowerCase()
          .includes(text))
  );
  const sign = view.descending ? -1 : 1;
  return shown.sort(
    (a, b) =>
      sign * compare(a, b, view.sort) || a.rule.name.localeCompare(b.rule.name)
  );
}

/** A technique of the matrix: how many rules name it, and how many of them fired. */
export interface IMatrixTechnique {
  id: string;
  rules: number;
  fired: number;
}

/** A tactic column of the matrix. */
export interface IMatrixTactic {
  id: string;
  label: string;
  /** Rules of the run that name the tactic. */
  rules: number;
  /** Of them, the rules that fired. */
  fired: number;
  /** Of them, the rules with any hits. */
  hits: number;
  techniques: IMatrixTechnique[];
}

/**
 * The ATT&CK matrix of a run: every tactic in kill-chain order (tactics outside ATT&CK's list,
 * as rule files sometimes spell them, after), with its techniques, counting rules and fired ones.
 */
export function tacticMatrix(
  results: ReadonlyArray<IRuleResult>
): IMatrixTactic[] {
  const known = new Set(TACTICS.map(t => t.id));
  const extra = [
    ...new Set(results.flatMap(r => r.rule.tactics).filter(t => !known.has(t)))
  ].sort();
  const columns = [...TACTICS, ...extra.map(id => ({ id, label: id }))];
  return columns.map(({ id, label }) => {
    const rules = results.filter(r => r.rule.tactics.includes(id));
    const techniques = new Map<string, IMatrixTechnique>();
    for (const r of rules) {
      for (const technique of r.rule.techniques) {
        const entry = techniques.get(technique) ?? {
          id: technique,
          rules: 0,
          fired: 0
        };
        entry.rules++;
        entry.fired += Number(r.fired);
        techniques.set(technique, entry);
      }
    }
    return {
      id,
      label,
      rules: rules.length,
      fired: rules.filter(r => r.fired).length,
      hits: rules.filter(r => r.outcome === 'hits').length,
      techniques: [...techniques.values()].sort((a, b) =>
        a.id.localeCompare(b.id)
      )
    };
  });
}

/** How strongly a matrix cell is coloured: none, rules without hits, hits, fired. */
export type MatrixHeat = 'none' | 'quiet' | 'hits' | 'fired';

/** A tactic's colour class. */
export function tacticHeat(tactic: IMatrixTactic): MatrixHeat {
  if (tactic.fired > 0) {
    return 'fired';
  }
  if (tactic.hits > 0) {
    return 'hits';
  }
  return tactic.rules > 0 ? 'quiet' : 'none';
}
