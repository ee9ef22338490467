/**
 * Kernel variables in KQL: `{account}` in a KQL cell stands for the value of the kernel's
 * variable `account`, written as a KQL literal of its type, so an investigation can be re-run for
 * another account, address or time window by changing a Python variable. A reference is a Python
 * name in braces with no spaces, outside string literals and comments; braces that open a
 * function body (`let f = () {T}`) or hold JSON (`dynamic({"a": 1})`) are KQL's own.
 */

import { type IKqlDiagnostic, LineMap } from '../kql/diagnostics';
import { base64Of, type IUserExpressionAnswer, textOf } from './kernel';

/** A `{name}` in a query. */
export interface IVariableReference {
  /** The Python name. */
  name: string;
  /** Offset of the opening brace. */
  start: number;
  /** Offset after the closing brace. */
  end: number;
}

/** A kernel value as the kernel describes it: its KQL type and a JSON payload. */
export type KernelValue =
  | ['null']
  | ['bool', boolean]
  | ['long', number | string]
  | ['real', number | string]
  | ['string', string]
  | ['datetime', string]
  | ['timespan', number]
  | ['list', unknown[]];

const REFERENCE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/;

/** The `{name}` references of a query, in order. */
export function findReferences(query: string): IVariableReference[] {
  const references: IVariableReference[] = [];
  let i = 0;
  let lastCode = '';
  while (i < query.length) {
    const c = query[i];
    if (c === '/' && query[i + 1] === '/') {
      const end = query.indexOf('\n', i);
      i = end < 0 ? query.length : end;
      continue;
    }
    if (query.startsWith('```', i) || query.startsWith('~~~', i)) {
      const fence = query.slice(i, i + 3);
      const end = query.indexOf(fence, i + 3);
      i = end < 0 ? query.length : end + 3;
      continue;
    }
    if (c === '"' || c === "'") {
      const verbatim = query[i - 1] === '@';
      let j = i + 1;
      while (j < query.length && query[j] !== c) {
        j += !verbatim && query[j] === '\\' ? 2 : 1;
      }
      i = j + 1;
      lastCode = c;
      continue;
    }
    if (c === '{') {
      const match = REFERENCE.exec(query.slice(i));
      if (match && lastCode !== ')') {
        references.push({
          name: match[1],
          start: i,
          end: i + match[0].length
        });
        i += match[0].length;
        lastCode = '}';
        continue;
      }
    }
    if (!/\s/.test(c)) {
      lastCode = c;
    }
    i++;
  }
  return references;
}

/** A JSON scalar of a list as a KQL dynamic element. */
function element(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** A KQL string literal holding `text` exactly. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text);
}

/** The KQL literal of a kernel value. */
export function kqlLiteral(value: KernelValue): string {
  switch (value[0]) {
    case 'null':
      return 'dynamic(null)';
    case 'bool':
      return value[1] ? 'true' : 'false';
    case 'long':
      return `long(${value[1]})`;
    case 'real':
      return typeof value[1] === 'number'
        ? `real(${value[1]})`
        : `real(${value[1] === 'nan' ? 'nan' : value[1].startsWith('-') ? '-inf' : '+inf'})`;
    case 'string':
      return stringLiteral(value[1]);
    case 'datetime':
      return `datetime(${value[1]})`;
    case 'timespan':
      return `${Math.round(value[1] * 1e6)}microseconds`;
    case 'list':
      return `dynamic([${value[1].map(element).join(', ')}])`;
  }
}

/**
 * The Python expression that describes a kernel variable as a `KernelValue` in JSON. It runs as a
 * silent user expression: it reads the variable and changes nothing in the kernel.
 */
export function describeExpression(name: string): string {
  return base64Of(
    [
      '(lambda v, json=__import__("json"), dt=__import__("datetime"), math=__import__("math"):',
      ' json.dumps(',
      '["null"] if v is None else',
      ' ["bool", v] if isinstance(v, bool) else',
      ' ["long", v if abs(v) < 2**53 else str(v)] if isinstance(v, int) else',
      ' ["real", v if math.isfinite(v) else str(v)] if isinstance(v, float) else',
      ' ["string", v] if isinstance(v, str) else',
      ' ["datetime", (v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v).isoformat() + "Z"]',
      ' if isinstance(v, dt.datetime) else',
      ' ["datetime", v.isoformat() + "T00:00:00Z"] if isinstance(v, dt.date) else',
      ' ["timespan", v.total_seconds()] if isinstance(v, dt.timedelta) else',
      ' ["list", [x if isinstance(x, (str, int, float, bool)) or x is None else str(x)',
      ' for x in (v.tolist() if hasattr(v, "tolist") else v)]]',
      ' if isinstance(v, (list, tuple, set, frozenset)) or hasattr(v, "tolist") else',
      ' ["string", str(v)]',
      `))(${name})`
    ].join('')
  );
}

/** A reference whose name the kernel does not have. */
export class UnknownVariableError extends Error {
  constructor(
    readonly reference: IVariableReference,
    readonly line: number,
    readonly column: number
  ) {
    super(`{${reference.name}} names no variable of the kernel`);
  }
}

/** A query with its kernel variables written in, and the way back to the text the analyst wrote. */
export interface IExpandedQuery {
  /** The query as it runs. */
  text: string;
  /**
   * The offset in the written query of an offset in `text`: inside a written-in value, the
   * `{name}` it replaced.
   */
  toWritten(offset: number): number;
}

/**
 * The query with each reference replaced by its value as a KQL literal. Throws an
 * `UnknownVariableError` (with line and column) for a name the kernel does not have.
 */
export function expandVariables(
  query: string,
  references: IVariableReference[],
  values: Record<string, KernelValue | undefined>
): IExpandedQuery {
  let text = '';
  let at = 0;
  const pieces: {
    start: number;
    end: number;
    reference: IVariableReference;
  }[] = [];
  for (const reference of references) {
    const value = values[reference.name];
    if (value === undefined) {
      const before = query.slice(0, reference.start).split('\n');
      throw new UnknownVariableError(
        reference,
        before.length,
        before[before.length - 1].length + 1
      );
    }
    text += query.slice(at, reference.start);
    const literal = kqlLiteral(value);
    pieces.push({
      start: text.length,
      end: text.length + literal.length,
      reference
    });
    text += literal;
    at = reference.end;
  }
  text += query.slice(at);
  return {
    text,
    toWritten: offset => {
      let shift = 0;
      for (const piece of pieces) {
        if (offset < piece.start) {
          break;
        }
        if (offset < piece.end) {
          return piece.reference.start;
        }
        shift = piece.reference.end - piece.end;
      }
      return offset + shift;
    }
  };
}

/** Diagnostics of an expanded query, placed in the query the analyst wrote. */
export function writtenDiagnostics(
  diagnostics: IKqlDiagnostic[],
  written: string,
  expanded: IExpandedQuery
): IKqlDiagnostic[] {
  const lines = new LineMap(written);
  return diagnostics.map(d => {
    const start = expanded.toWritten(d.start);
    const end = Math.max(start, expanded.toWritten(d.end));
    return { ...d, ...lines.diagnostic({ start, end }, d) };
  });
}

/** The `KernelValue` a `describeExpression` answer carries, or null when it is not one. */
export function parseDescription(
  answer: IUserExpressionAnswer | undefined
): KernelValue | null {
  const text = textOf(answer);
  try {
    return text === null ? null : (JSON.parse(text) as KernelValue);
  } catch {
    return null;
  }
}
