/**
 * The KQL editor of KQL cells: completion from Kusto.Language's code service (tables, the columns
 * of the piped input, operators, functions) as the analyst types, and squiggles for every
 * diagnostic the compiler reports — syntax, unknown names (with did-you-mean), and KQL a local
 * workspace cannot run — with the message on hover. Only editors holding KQL get them.
 */
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult
} from '@codemirror/autocomplete';
import { type Diagnostic, linter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import {
  compilerSchema,
  type ICompilerSchema,
  type IKqlCompletion,
  type IKqlDiagnostic,
  loadCompiler
} from '../kql/index';
import type { IWorkspaceSchema } from '../tokens';

/** What the editor extension needs to know about its editor and the workspace. */
export interface IKqlEditorOptions {
  /** True while the editor holds KQL (a cell can be turned into a KQL cell and back). */
  isKql: () => boolean;
  /** The schema of the workspace the queries run on, or null while it is not known. */
  schema: () => IWorkspaceSchema | null;
}

/** CodeMirror's icon class for a kind of completion item. */
const TYPES: Record<IKqlCompletion['kind'], string> = {
  table: 'class',
  column: 'property',
  function: 'function',
  aggregate: 'function',
  operator: 'keyword',
  keyword: 'keyword',
  variable: 'variable',
  type: 'type',
  other: 'text'
};

const schemas = new WeakMap<IWorkspaceSchema, ICompilerSchema>();

/** The compiler's view of a workspace schema, built once per schema read. */
function compilerView(schema: IWorkspaceSchema): ICompilerSchema {
  let view = schemas.get(schema);
  if (!view) {
    view = compilerSchema(schema.tables);
    schemas.set(schema, view);
  }
  return view;
}

/** A compiler diagnostic as a CodeMirror one, within the text's bounds. */
export function editorDiagnostic(
  diagnostic: IKqlDiagnostic,
  length: number
): Diagnostic {
  const from = Math.min(Math.max(0, diagnostic.start), length);
  const to = Math.min(Math.max(from, diagnostic.end), length);
  const hint = diagnostic.suggestion
    ? ` (did you mean ${diagnostic.suggestion}?)`
    : '';
  return {
    from,
    // An empty range (a missing token at the end) still gets a mark to hover.
    to: to > from ? to : Math.min(from + 1, length),
    severity:
      diagnostic.severity === 'error'
        ? 'error'
        : diagnostic.severity === 'warning'
          ? 'warning'
          : 'info',
    message: `${diagnostic.message}${hint}`,
    source: diagnostic.code
  };
}

/** A completion item as CodeMirror shows and applies it. */
export function editorCompletion(item: IKqlCompletion): Completion {
  const { apply, caret } = item;
  return {
    label: item.label,
    type: TYPES[item.kind],
    detail: item.kind,
    apply:
      caret === undefined
        ? apply
        : (
            view: EditorView,
            _completion: Completion,
            from: number,
            to: number
          ) =>
            view.dispatch({
              changes: { from, to, insert: apply },
              selection: { anchor: from + caret }
            })
  };
}

/** The CodeMirror extension of KQL editors. */
export function kqlEditorExtension(options: IKqlEditorOptions): Extension {
  const lint = linter(
    async view => {
      if (!options.isKql()) {
        return [];
      }
      const text = view.state.doc.toString();
      if (!text.trim()) {
        return [];
      }
      const compiler = await loadCompiler();
      const schema = options.schema();
      // Without the schema every table would be unknown: only the syntax can be checked.
      const diagnostics = schema
        ? compiler.compile(text, compilerView(schema)).diagnostics
        : compiler.syntax(text);
      return diagnostics.map(d => editorDiagnostic(d, text.length));
    },
    { delay: 400 }
  );
  const complete = async (
    context: CompletionContext
  ): Promise<CompletionResult | null> => {
    if (!options.isKql()) {
      return null;
    }
    // As the analyst types a name, after a pipe or a space; always when asked (Ctrl+Space).
    if (!context.explicit && !context.matchBefore(/(\w+|\|\s*|[(,=]\s*)$/)) {
      return null;
    }
    const schema = options.schema();
    const compiler = await loadCompiler();
    const text = context.state.doc.toString();
    const result = compiler.complete(
      text,
      context.pos,
      schema ? compilerView(schema) : compilerSchema([])
    );
    if (!result.items.length || context.aborted) {
      return null;
    }
    return {
      from: result.from,
      to: Math.max(result.to, context.pos),
      options: result.items.map(editorCompletion),
      validFor: /^\w*$/
    };
  };
  return [
    lint,
    autocompletion({ override: [complete], activateOnTyping: true })
  ];
}
