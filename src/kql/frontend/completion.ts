/**
 * Completion for the KQL editor, as Kusto.Language's code service computes it: tables and
 * columns from the schema (the columns of the piped input at the cursor), operators after a pipe,
 * functions, keywords — and quick info on the name under the cursor.
 */
import { globalsFor, type ICompilerSchema } from './kusto';

/** What a completion item names. */
export type KqlCompletionKind =
  | 'table'
  | 'column'
  | 'function'
  | 'aggregate'
  | 'operator'
  | 'keyword'
  | 'variable'
  | 'type'
  | 'other';

/** One completion item. */
export interface IKqlCompletion {
  /** Text shown in the list. */
  label: string;
  /** Text that replaces the edited range. */
  apply: string;
  /** Where the caret goes, as an offset into `apply` (its end when not given). */
  caret?: number;
  /** What the item names. */
  kind: KqlCompletionKind;
  /**
   * Kusto's rank of the item where the text typed so far matches items equally (0 first): columns
   * before tables before functions, `where` before other operators.
   */
  rank: number;
}

/** The completion items at a position and the text range they replace. */
export interface IKqlCompletions {
  /** Start of the replaced range. */
  from: number;
  /** End of the replaced range. */
  to: number;
  /** Items in Kusto's order of relevance. */
  items: IKqlCompletion[];
}

/** Kusto's `CompletionKind` values, by what they name. */
function kindOf(kind: number): KqlCompletionKind {
  const K = Kusto.Language.Editor.CompletionKind;
  switch (kind) {
    case K.Table:
    case K.MaterialiedView:
    case K.StoredQueryResult:
      return 'table';
    case K.Column:
      return 'column';
    case K.BuiltInFunction:
    case K.LocalFunction:
    case K.DatabaseFunction:
      return 'function';
    case K.AggregateFunction:
      return 'aggregate';
    case K.QueryPrefix:
    case K.TabularPrefix:
    case K.TabularSuffix:
    case K.ScalarInfix:
    case K.ScalarPrefix:
    case K.RenderChart:
      return 'operator';
    case K.Keyword:
    case K.Syntax:
    case K.Punctuation:
      return 'keyword';
    case K.Variable:
    case K.Parameter:
      return 'variable';
    case K.ScalarType:
      return 'type';
    default:
      return 'other';
  }
}

/** What Kusto says about the name under the cursor, for a hover. */
export interface IKqlQuickInfo {
  /** One line per item, e.g. `UserPrincipalName: string` or `(function) ago(timespan): datetime`. */
  text: string;
}

/**
 * Kusto's editor services on one text: completion and quick info share the text's analysis, which
 * Kusto computes once, on first use.
 */
export interface IKqlCodeService {
  /** The text the service analyses. */
  readonly text: string;
  /** The completion items at an offset of the text. */
  completions(position: number): IKqlCompletions;
  /** Quick info on the name at an offset, without the diagnostics (squiggles show those). */
  quickInfo(position: number): IKqlQuickInfo | null;
}

/** Kusto's editor services on `text` (Kusto.Language must be loaded). */
export function kqlCodeService(
  text: string,
  schema: ICompilerSchema
): IKqlCodeService {
  const service = new Kusto.Language.Editor.KustoCodeService.$ctor1(
    text,
    globalsFor(schema)
  );
  return {
    text,
    completions: position => completions(service, position),
    quickInfo: position => quickInfo(service, position)
  };
}

/** The completion items at `position` in `text` (Kusto.Language must be loaded). */
export function completionsAt(
  text: string,
  position: number,
  schema: ICompilerSchema
): IKqlCompletions {
  return kqlCodeService(text, schema).completions(position);
}

function completions(
  service: Kusto.Language.Editor.KustoCodeService,
  position: number
): IKqlCompletions {
  const info = service.GetCompletionItems(position);
  const items: IKqlCompletion[] = [];
  const list = info?.Items;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const item = list!.getItem(i)!;
    const before = item.BeforeText ?? item.EditText ?? item.DisplayText ?? '';
    const after = item.AfterText ?? '';
    items.push({
      label: item.DisplayText ?? before,
      apply: before + after,
      caret: after ? before.length : undefined,
      kind: kindOf(item.Kind),
      // Kusto sorts by `OrderText`, a rank then the name (`033_userprincipalname`).
      rank: Number(/^\d+/.exec(item.OrderText ?? '')?.[0] ?? 50)
    });
  }
  const from = info?.EditStart ?? position;
  return { from, to: from + (info?.EditLength ?? 0), items };
}

function quickInfo(
  service: Kusto.Language.Editor.KustoCodeService,
  position: number
): IKqlQuickInfo | null {
  const K = Kusto.Language.Editor.QuickInfoKind;
  const list = service.GetQuickInfo(position)?.Items;
  const lines: string[] = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const item = list!.getItem(i);
    if (
      item.Text &&
      item.Kind !== K.Error &&
      item.Kind !== K.Warning &&
      item.Kind !== K.Suggestion
    ) {
      lines.push(item.Text);
    }
  }
  return lines.length ? { text: lines.join('\n') } : null;
}
