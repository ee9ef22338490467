/**
 * Kernel variables (`{name}`, see `../variables.ts`) as the language service sees them: Kusto
 * reads `{name}` as a client parameter it does not support (KS213), so the service checks the text
 * with each reference replaced by a literal of the variable's type — its real type when the kernel
 * told it, `dynamic(null)` otherwise — and places what Kusto says back in the text the analyst
 * wrote. Plain functions, no JupyterLab: the service runs in a Web Worker.
 */
import type { IKqlDiagnostic } from '../../kql/index';
import {
  expandVariables,
  findReferences,
  type IVariableReference,
  type KernelValue,
  kqlLiteral,
  writtenDiagnostics
} from '../variables';

/** The KQL type of a kernel variable, as the kernel describes it (`KernelValue`'s first item). */
export type VariableType = KernelValue[0];

/** A value of each type: only its type matters to Kusto. */
const SAMPLES: Record<VariableType, KernelValue> = {
  null: ['null'],
  bool: ['bool', false],
  long: ['long', 0],
  real: ['real', 0],
  string: ['string', ''],
  datetime: ['datetime', '2000-01-01T00:00:00Z'],
  timespan: ['timespan', 0],
  list: ['list', []]
};

/** What a type is called in the editor (Kusto's names; a list is a `dynamic` array). */
const TYPE_NAMES: Record<VariableType, string> = {
  null: 'dynamic',
  bool: 'bool',
  long: 'long',
  real: 'real',
  string: 'string',
  datetime: 'datetime',
  timespan: 'timespan',
  list: 'dynamic'
};

/** A text with its `{name}` references replaced by literals, and the way between the two. */
export interface IPlaceheldText {
  /** The text Kusto reads. */
  text: string;
  /** The references of the written text, in order. */
  references: IVariableReference[];
  /** The offset in the written text of an offset in `text`. */
  toWritten(offset: number): number;
  /** The offset in `text` of an offset in the written text (outside a reference). */
  toHeld(offset: number): number;
}

/** `text` with each kernel variable replaced by a literal of its type (`types`, when known). */
export function placehold(
  text: string,
  types: Readonly<Record<string, VariableType>> = {}
): IPlaceheldText {
  const references = findReferences(text);
  const values: Record<string, KernelValue> = {};
  const literals: number[] = [];
  for (const reference of references) {
    const value = SAMPLES[types[reference.name] ?? 'null'];
    values[reference.name] = value;
    literals.push(kqlLiteral(value).length);
  }
  const expanded = expandVariables(text, references, values);
  return {
    text: expanded.text,
    references,
    toWritten: expanded.toWritten,
    toHeld: offset => {
      let shift = 0;
      references.forEach((reference, i) => {
        if (reference.end <= offset) {
          shift += literals[i] - (reference.end - reference.start);
        }
      });
      return offset + shift;
    }
  };
}

/** The reference of the written text at an offset (its braces included), or null. */
export function referenceAt(
  held: IPlaceheldText,
  offset: number
): IVariableReference | null {
  return held.references.find(r => r.start <= offset && offset < r.end) ?? null;
}

/**
 * Kusto's diagnostics of the placeheld text, in the written text. A diagnostic on a reference of
 * unknown type is dropped: it is about the `dynamic(null)` put there, not about the query.
 */
export function placedDiagnostics(
  diagnostics: IKqlDiagnostic[],
  written: string,
  held: IPlaceheldText,
  types: Readonly<Record<string, VariableType>> = {}
): IKqlDiagnostic[] {
  const untyped = held.references.filter(r => !types[r.name]);
  return writtenDiagnostics(diagnostics, written, held).filter(
    d => !untyped.some(r => r.start <= d.start && d.end <= r.end)
  );
}

/** The hover text of a reference: `{account}: string (kernel variable)`. */
export function referenceInfo(
  reference: IVariableReference,
  type: VariableType | undefined
): string {
  return type
    ? `{${reference.name}}: ${TYPE_NAMES[type]} (kernel variable)`
    : `{${reference.name}}: kernel variable (its value is written in when the cell runs)`;
}
