/**
 * "Did you mean …?" for names Kusto's binder could not resolve: the closest known name by edit
 * distance, case-insensitively, when it is close enough to be a typo.
 */
import type { IKqlDiagnostic } from './diagnostics';

/** Codes of Kusto.Language's unknown-name diagnostics and which names can replace them. */
const UNKNOWN_NAME: Record<string, 'tables' | 'columns' | 'functions'> = {
  KS204: 'tables',
  KS142: 'columns',
  KS211: 'functions'
};

/** The names a misspelt name may have meant. */
export interface INameCandidates {
  tables: readonly string[];
  columns: readonly string[];
  functions: readonly string[];
}

/** Edit distance between two strings, giving up (returning `limit + 1`) beyond `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) {
    return limit + 1;
  }
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost
      );
      best = Math.min(best, current[j]);
    }
    if (best > limit) {
      return limit + 1;
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate to `name`, if one is a plausible typo of it. */
export function closestName(
  name: string,
  candidates: readonly string[]
): string | null {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 4));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) {
      continue;
    }
    const distance = editDistance(lower, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Adds "Did you mean …?" to unknown-name diagnostics where a close name exists. */
export function withSuggestions(
  diagnostics: IKqlDiagnostic[],
  query: string,
  candidates: INameCandidates
): IKqlDiagnostic[] {
  return diagnostics.map(d => {
    const kind = UNKNOWN_NAME[d.code];
    if (!kind) {
      return d;
    }
    const name = query
      .slice(d.start, d.end)
      .replace(/\(.*$/s, '')
      .replace(/^\[['"]?|['"]?\]$/g, '')
      .trim();
    const suggestion = closestName(name, candidates[kind]);
    return suggestion
      ? {
          ...d,
          message: `${d.message} Did you mean '${suggestion}'?`,
          suggestion
        }
      : d;
  });
}
