/**
 * Microsoft Sentinel rule files: the YAML of the Azure-Sentinel repository's `Detections/`,
 * `Hunting Queries/` and `Solutions/<solution>/Analytic Rules|Hunting Queries/`, read into rules a
 * hunt pack can run. A file that is not a rule we can run becomes an `IInvalidRuleFile` with the
 * reason, so that a pack lists every file it was given.
 */
import { load as loadYaml, YAMLException } from 'js-yaml';
import type { IHuntPack } from './run';

/** Sentinel's severities. */
export type RuleSeverity = 'Informational' | 'Low' | 'Medium' | 'High';

/** How a trigger compares a rule's result count with its threshold. */
export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';

/**
 * A scheduled analytics rule (`kind: Scheduled`), a near-real-time one (`kind: NRT`), or a
 * hunting query (no `kind`, no trigger: every row is a hit to look at).
 */
export type RuleKind = 'Scheduled' | 'NRT' | 'Hunting';

/** One column of the result mapped to an entity's identifier (`entityMappings`). */
export interface IFieldMapping {
  identifier: string;
  columnName: string;
}

/** An entity the rule's rows name (`entityMappings[]`): an account, a host, an IP… */
export interface IEntityMapping {
  entityType: string;
  fieldMappings: IFieldMapping[];
}

/** A data connector the rule needs and the tables it fills (`requiredDataConnectors[]`). */
export interface IRequiredConnector {
  connectorId: string;
  dataTypes: string[];
}

/** A rule read from a file. */
export interface IHuntRule {
  /** The file's path as the pack names it. */
  file: string;
  /** Sentinel's rule id (a GUID); the file path when the file has none. */
  id: string;
  name: string;
  description: string;
  kind: RuleKind;
  severity: RuleSeverity | null;
  query: string;
  /** How far back each run looks, in milliseconds (`queryPeriod`); null when the file sets none. */
  queryPeriodMs: number | null;
  /** How often Sentinel runs it, in milliseconds (`queryFrequency`); null when not set. */
  queryFrequencyMs: number | null;
  /** The trigger (`triggerOperator`, `triggerThreshold`); null for a hunting query. */
  trigger: { operator: TriggerOperator; threshold: number } | null;
  /** MITRE ATT&CK tactics, as Sentinel spells them (`CredentialAccess`, `LateralMovement`…). */
  tactics: string[];
  /** MITRE ATT&CK techniques and sub-techniques (`T1110`, `T1059.001`). */
  techniques: string[];
  entityMappings: IEntityMapping[];
  requiredDataConnectors: IRequiredConnector[];
}

/** A file of a pack that is not a rule that can run, and why. */
export interface IInvalidRuleFile {
  file: string;
  reason: string;
}

/** What reading one file gave. */
export type RuleFileResult =
  { ok: true; rule: IHuntRule } | { ok: false; invalid: IInvalidRuleFile };

const SEVERITIES: readonly RuleSeverity[] = [
  'Informational',
  'Low',
  'Medium',
  'High'
];

/** The operators of rule files, and the names ARM templates use for them. */
const OPERATORS: Record<string, TriggerOperator> = {
  gt: 'gt',
  lt: 'lt',
  eq: 'eq',
  ne: 'ne',
  greaterthan: 'gt',
  lessthan: 'lt',
  equal: 'eq',
  notequal: 'ne'
};

/** Kinds of analytics rules that hold no KQL of their own (Fusion, ML, incident creation…). */
const KINDS_WITHOUT_QUERY = new Set([
  'Fusion',
  'MLBehaviorAnalytics',
  'MicrosoftSecurityIncidentCreation',
  'ThreatIntelligence'
]);

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000
};

/**
 * A rule file's duration in milliseconds: Sentinel's `5m`, `1h`, `14d`, or ISO 8601 as ARM
 * templates write it (`PT5H`, `P1D`, `P1DT12H`). Null when the text is neither.
 */
export function parseDuration(text: string): number | null {
  const short = /^\s*(\d+)\s*([smhd])\s*$/i.exec(text);
  if (short) {
    return Number(short[1]) * UNIT_MS[short[2].toLowerCase()];
  }
  const iso =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      text.trim()
    );
  if (iso && text.trim().length > 1 && !/T$/i.test(text.trim())) {
    const [, d, h, m, s] = iso;
    return (
      Number(d ?? 0) * UNIT_MS.d +
      Number(h ?? 0) * UNIT_MS.h +
      Number(m ?? 0) * UNIT_MS.m +
      Number(s ?? 0) * UNIT_MS.s
    );
  }
  return null;
}

/** Thrown inside `readRule` for a field that breaks the format; its message is the reason. */
class RuleFormatError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(
  data: Record<string, unknown>,
  field: string,
  required: boolean
): string {
  const value = data[field];
  if (value === undefined || value === null) {
    if (required) {
      throw new RuleFormatError(`it has no ${field}`);
    }
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new RuleFormatError(`its ${field} is not text`);
  }
  return String(value).trim();
}

function texts(data: Record<string, unknown>, field: string): string[] {
  const value = data[field];
  if (value === undefined || value === null) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.some(v => typeof v !== 'string')) {
    throw new RuleFormatError(`its ${field} is not a list of names`);
  }
  return (list as string[]).map(v => v.trim()).filter(v => v !== '');
}

function duration(data: Record<string, unknown>, field: string): number | null {
  const value = data[field];
  if (value === undefined || value === null) {
    return null;
  }
  const ms = parseDuration(String(value));
  if (ms === null || ms <= 0) {
    throw new RuleFormatError(
      `its ${field} '${String(value)}' is not a duration such as 5m, 1h or 14d`
    );
  }
  return ms;
}

function entityMappings(data: Record<string, unknown>): IEntityMapping[] {
  const value = data.entityMappings;
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new RuleFormatError('its entityMappings is not a list');
  }
  return value.map((entry: unknown, i) => {
    if (
      !isRecord(entry) ||
      typeof entry.entityType !== 'string' ||
      !Array.isArray(entry.fieldMappings)
    ) {
      throw new RuleFormatError(
        `entityMappings[${i}] needs an entityType and fieldMappings`
      );
    }
    return {
      entityType: entry.entityType,
      fieldMappings: entry.fieldMappings.map((field: unknown, j) => {
        if (
          !isRecord(field) ||
          typeof field.identifier !== 'string' ||
          typeof field.columnName !== 'string'
        ) {
          throw new RuleFormatError(
            `entityMappings[${i}].fieldMappings[${j}] needs an identifier and a columnName`
          );
        }
        return { identifier: field.identifier, columnName: field.columnName };
      })
    };
  });
}

function connectors(data: Record<string, unknown>): IRequiredConnector[] {
  const value = data.requiredDataConnectors;
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isRecord).map(entry => ({
    connectorId: String(entry.connectorId ?? ''),
    dataTypes: Array.isArray(entry.dataTypes) ? entry.dataTypes.map(String) : []
  }));
}

function trigger(
  data: Record<string, unknown>,
  kind: RuleKind
): IHuntRule['trigger'] {
  const operator = data.triggerOperator;
  const threshold = data.triggerThreshold;
  if (operator === undefined && threshold === undefined) {
    // An NRT rule has no trigger fields: it raises an alert for any row, as `gt 0` does.
    return kind === 'Hunting' ? null : { operator: 'gt', threshold: 0 };
  }
  const op = OPERATORS[String(operator ?? '').toLowerCase()];
  if (!op) {
    throw new RuleFormatError(
      `its triggerOperator '${String(operator)}' is not gt, lt, eq or ne`
    );
  }
  const n = Number(threshold);
  if (threshold === undefined || threshold === null || !Number.isFinite(n)) {
    throw new RuleFormatError(
      `its triggerThreshold '${String(threshold)}' is not a number`
    );
  }
  return { operator: op, threshold: n };
}

function ruleKind(data: Record<string, unknown>): RuleKind {
  const kind = data.kind;
  if (kind === undefined || kind === null) {
    // Hunting queries have no kind; a file with a trigger is a scheduled rule that left it out.
    return data.triggerOperator !== undefined ||
      data.queryFrequency !== undefined
      ? 'Scheduled'
      : 'Hunting';
  }
  const name = String(kind);
  if (name.toLowerCase() === 'scheduled') {
    return 'Scheduled';
  }
  if (name.toLowerCase() === 'nrt') {
    return 'NRT';
  }
  if (KINDS_WITHOUT_QUERY.has(name)) {
    throw new RuleFormatError(
      `it is a ${name} rule, which Sentinel runs itself: it has no query to run`
    );
  }
  throw new RuleFormatError(
    `its kind '${name}' is not Scheduled or NRT (or none, for a hunting query)`
  );
}

/** Reads one rule from parsed YAML; throws `RuleFormatError` naming what is wrong. */
function readRule(file: string, data: unknown): IHuntRule {
  if (!isRecord(data)) {
    throw new RuleFormatError(
      'it is not a YAML mapping of rule fields (name, query, …)'
    );
  }
  const kind = ruleKind(data);
  const query = text(data, 'query', true);
  if (query === '') {
    throw new RuleFormatError('its query is empty');
  }
  const severityText = text(data, 'severity', false);
  const severity =
    SEVERITIES.find(s => s.toLowerCase() === severityText.toLowerCase()) ??
    null;
  if (severityText !== '' && severity === null) {
    throw new RuleFormatError(
      `its severity '${severityText}' is not one of ${SEVERITIES.join(', ')}`
    );
  }
  return {
    file,
    id: text(data, 'id', false) || file,
    name: text(data, 'name', true),
    description: text(data, 'description', false).replace(/^'|'$/g, ''),
    kind,
    severity,
    query,
    queryPeriodMs: duration(data, 'queryPeriod'),
    queryFrequencyMs: duration(data, 'queryFrequency'),
    trigger: trigger(data, kind),
    tactics: texts(data, 'tactics'),
    techniques: texts(data, 'relevantTechniques'),
    entityMappings: entityMappings(data),
    requiredDataConnectors: connectors(data)
  };
}

/**
 * Reads one rule file. Never throws: YAML that does not parse, or parses to something that is not
 * a runnable rule, gives the reason instead.
 */
export function parseRuleFile(file: string, source: string): RuleFileResult {
  let data: unknown;
  try {
    // js-yaml 4's load() is the safe loader: plain YAML types only, no code.
    data = loadYaml(source, { filename: file });
  } catch (e) {
    const reason =
      e instanceof YAMLException
        ? `it is not valid YAML: ${e.reason} (line ${e.mark.line + 1}, column ${e.mark.column + 1})`
        : `it is not valid YAML: ${String(e)}`;
    return { ok: false, invalid: { file, reason } };
  }
  try {
    return { ok: true, rule: readRule(file, data) };
  } catch (e) {
    if (e instanceof RuleFormatError) {
      return {
        ok: false,
        invalid: { file, reason: `not a Sentinel rule: ${e.message}` }
      };
    }
    throw e;
  }
}

/** Reads a pack from its files' text; every file ends up a rule or an invalid file. */
export function parsePack(
  files: ReadonlyArray<{ path: string; text: string }>
): IHuntPack {
  const pack: IHuntPack = { rules: [], invalid: [] };
  for (const file of files) {
    const result = parseRuleFile(file.path, file.text);
    if (result.ok) {
      pack.rules.push(result.rule);
    } else {
      pack.invalid.push(result.invalid);
    }
  }
  return pack;
}
