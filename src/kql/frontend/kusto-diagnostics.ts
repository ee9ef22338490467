// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/** Kusto.Language's diagnostics and result schema, as our plain data. */
import type { IColumnInfo } from '../types';
import type { IKqlDiagnostic, LineMap, Severity } from '../diagnostics';
import { scalarType } from '../types';

function severity(text: string | null): Severity {
  switch ((text ?? '').toLowerCase()) {
    case 'warning':
      return 'warning';
    case 'suggestion':
    case 'information':
    case 'hidden':
      return 'suggestion';
    default:
      return 'error';
  }
}

/** The diagnostics of analysed (or, with `syntaxOnly`, parsed) code, errors first. */
export function kustoDiagnostics(
  code: Kusto.Language.KustoCode,
  lines: LineMap,
  syntaxOnly: boolean
): IKqlDiagnostic[] {
  const syntax = code.GetSyntaxDiagnostics();
  const syntaxCodes = new Set<string>();
  const out: IKqlDiagnostic[] = [];
  const add = (
    list: System.Collections.Generic.IReadOnlyList$1<Kusto.Language.Diagnostic> | null,
    stage: 'syntax' | 'semantic'
  ) => {
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const d = list!.getItem(i);
      const key = `${d.Code}:${d.Start}:${d.Message}`;
      if (stage === 'semantic' && syntaxCodes.has(key)) {
        continue;
      }
      syntaxCodes.add(key);
      out.push(
        lines.diagnostic(
          { start: d.Start, end: d.Start + d.Length },
          {
            code: d.Code ?? 'KS000',
            stage,
            severity: severity(d.Severity),
            message: d.Message ?? ''
          }
        )
      );
    }
  };
  add(syntax, 'syntax');
  if (!syntaxOnly) {
    add(code.GetDiagnostics(), 'semantic');
  }
  const rank = { error: 0, warning: 1, suggestion: 2 };
  return out.sort(
    (a, b) => rank[a.severity] - rank[b.severity] || a.start - b.start
  );
}

/** The columns of the query's result, as Kusto's binder computed them. */
export function resultColumns(code: Kusto.Language.KustoCode): IColumnInfo[] {
  const type = code.ResultType as Kusto.Language.Symbols.TableSymbol | null;
  if (!type || type.Kind !== Kusto.Language.Symbols.SymbolKind.Table) {
    return [];
  }
  const columns: IColumnInfo[] = [];
  for (let i = 0; i < (type.Columns?.Count ?? 0); i++) {
    const column = type.Columns!.getItem(i);
    const kql = scalarType(column.Type?.Name);
    columns.push({
      name: column.Name!,
      type: kql === 'unknown' ? 'dynamic' : kql
    });
  }
  return columns;
}
