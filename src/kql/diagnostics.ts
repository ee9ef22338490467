import type { Expr, IQuery, Tabular } from './ast';
import type { ISpan, RowSchema, ScalarType } from './types';

export type { ISpan } from './types';

/** How bad a diagnostic is. */
export type Severity = 'error' | 'warning' | 'suggestion';

/**
 * Which stage found the problem: `syntax` (the text is not KQL), `semantic` (unknown names, wrong
 * types), `unsupported` (valid KQL that cannot run locally yet).
 */
export type DiagnosticStage = 'syntax' | 'semantic' | 'unsupported';

/** A problem found in a query, with its place as offsets and as 1-based line and column. */
export interface IKqlDiagnostic extends ISpan {
  /** Kusto.Language's code (`KS142`…) or ours (`KQL-UNSUPPORTED`). */
  code: string;
  stage: DiagnosticStage;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** For `unsupported`: the operator or function that cannot run locally. */
  unsupported?: string;
  /** For an unknown name: the known name it most likely meant. */
  suggestion?: string;
}

/** Converts character offsets to 1-based lines and columns in one text. */
export class LineMap {
  constructor(text: string) {
    this._starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        this._starts.push(i + 1);
      }
    }
  }

  /** The 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this._starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this._starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo + 1, column: offset - this._starts[lo] + 1 };
  }

  /** A diagnostic with its line and column filled in. */
  diagnostic(
    span: ISpan,
    fields: Pick<
      IKqlDiagnostic,
      'code' | 'stage' | 'severity' | 'message' | 'unsupported'
    >
  ): IKqlDiagnostic {
    const start = this.position(span.start);
    const end = this.position(span.end);
    return {
      ...fields,
      start: span.start,
      end: span.end,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column
    };
  }

  private _starts: number[];
}

/**
 * Thrown inside the compiler for valid KQL it cannot run locally; the compiler turns it into an
 * `unsupported` diagnostic at `span`.
 */
/**
 * An `evaluate bag_unpack` or `evaluate pivot` whose columns depend on the data and were not given:
 * the runner must find them (a query over the operator's input, `kind` says what) and compile
 * again with them. Kusto does the same in two steps.
 */
export class DiscoveryNeeded extends Error {
  constructor(
    /** Names this operator in the compile options' `discovered` (stable for one query text). */
    readonly key: string,
    readonly kind: 'bag_unpack' | 'pivot',
    /** The operator's input and the `let`s it reads. */
    readonly input: Tabular,
    readonly lets: IQuery['lets'],
    /** The bag column (bag_unpack) or the pivot expression (pivot) to look at. */
    readonly target: Expr,
    readonly span: ISpan,
    /** pivot: the output columns that do not depend on the data (the `by` columns). */
    readonly fixed: RowSchema = [],
    /** pivot: the type of each pivoted cell (the aggregate's). */
    readonly valueType: ScalarType = 'long',
    /** bag_unpack: the prefix of its column names. */
    readonly prefix = ''
  ) {
    super(`the columns of evaluate ${kind} depend on the data`);
    this.name = 'DiscoveryNeeded';
  }
}

/** A query Kusto stops while analysing it (a false `assert()`): the message is Kusto's. */
export class QueryFailed extends Error {
  constructor(
    message: string,
    readonly span: ISpan
  ) {
    super(message);
    this.name = 'QueryFailed';
  }
}

export class UnsupportedError extends Error {
  constructor(
    readonly feature: string,
    readonly span: ISpan,
    detail?: string
  ) {
    super(`not supported locally: ${feature}${detail ? ` (${detail})` : ''}`);
    this.name = 'UnsupportedError';
  }
}
