/**
 * A bookmark from a rule's hits: the rule's `entityMappings` applied to the hit rows become the
 * bookmark's entities, and its tactics, techniques, query and window are filled in.
 */
import { MAX_ENTITIES } from '../bookmarks/entities';
import { storedRows } from '../bookmarks/draft';
import { ruleQuery, type IRuleResult } from '../kql/hunts/run';
import type { IBookmarkFields, IEntityMapping } from '../tokens';

/** A cell's value as an entity's text; null for an empty one. */
function entityText(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return text.trim() ? text : null;
}

/**
 * The entities the rule's mappings name in the rows: one per mapping and distinct set of values,
 * in row order, at most `MAX_ENTITIES`. A mapping whose columns a row lacks or leaves empty gives
 * nothing for that row.
 */
export function mappedEntities(
  result: IRuleResult,
  rows: ReadonlyArray<Record<string, unknown>>
): IEntityMapping[] {
  const entities: IEntityMapping[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const mapping of result.rule.entityMappings) {
      const fieldMappings = mapping.fieldMappings
        .map(f => ({
          identifier: f.identifier,
          value: entityText(row[f.columnName])
        }))
        .filter((f): f is { identifier: string; value: string } => !!f.value);
      if (fieldMappings.length === 0) {
        continue;
      }
      const key = JSON.stringify([mapping.entityType, fieldMappings]);
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      entities.push({ entityType: mapping.entityType, fieldMappings });
      if (entities.length >= MAX_ENTITIES) {
        return entities;
      }
    }
  }
  return entities;
}

/** The bookmark's fields for a rule's hits (`rows`, the first ones the query returned). */
export function huntBookmarkFields(
  result: IRuleResult,
  rows: ReadonlyArray<Record<string, unknown>>
): IBookmarkFields {
  const stored = storedRows([...rows]);
  return {
    displayName: result.rule.name,
    query: ruleQuery(result.rule, result.window),
    queryResult: stored.json,
    notes: result.rule.description.trim(),
    labels: ['hunt', result.rule.file],
    queryStartTime: result.window.start.toISOString(),
    queryEndTime: result.window.end.toISOString(),
    entityMappings: mappedEntities(result, rows),
    tactics: [...result.rule.tactics],
    techniques: [...result.rule.techniques]
  };
}
