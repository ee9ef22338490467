/**
 * The KQL editor of KQL cells, as a CodeMirror extension: completion as the analyst types (tables,
 * the columns of the piped input, operators, functions, keywords) with Tab to ask for it or take
 * the selected item, squiggles for the diagnostics with the message on hover, and quick info on the
 * name under the pointer. Everything is computed by the KQL language service (`client.ts`); editors
 * that do not hold KQL get nothing.
 */
import {
  acceptCompletion,
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  completionStatus,
  startCompletion
} from '@codemirror/autocomplete';
import { type Diagnostic, linter } from '@codemirror/lint';
import { type Extension, Prec } from '@codemirror/state';
import {
  type EditorView,
  hoverTooltip,
  keymap,
  type Tooltip,
  ViewPlugin
} from '@codemirror/view';
import type {
  IKqlCompletion,
  IKqlDiagnostic,
  IKqlQuickInfo
} from '../../kql/index';
import { findReferences } from '../variables';
import type { KqlDocument, KqlLanguageClient } from './client';
import type { VariableType } from './placeholders';

/** What the extension needs to know about its editor. */
export interface IKqlEditorOptions {
  /** True while the editor holds KQL (a cell can be turned into a KQL cell and back). */
  isKql: () => boolean;
  /** The language service. */
  client: KqlLanguageClient;
  /** How long typing must pause before the text is checked, in milliseconds. */
  lintDelay?: number;
  /** The types of the kernel variables named, where known (none: every type is unknown). */
  variableTypes?: (names: string[]) => Promise<Record<string, VariableType>>;
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

/** A compiler diagnostic as a CodeMirror one, within the text's bounds. */
export function editorDiagnostic(
  diagnostic: IKqlDiagnostic,
  length: number
): Diagnostic {
  const from = Math.min(Math.max(0, diagnostic.start), length);
  const to = Math.min(Math.max(from, diagnostic.end), length);
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
    // The compiler's message already ends with its "Did you mean …?".
    message: diagnostic.message,
    source: diagnostic.code
  };
}

/**
 * A completion item as CodeMirror shows and applies it, its kind as icon and label. An item that
 * ends with a space (`where `, a table and its next pipe) asks for the next completions at once, as
 * Kusto's own editors do: after `| where ` come the columns.
 */
export function editorCompletion(item: IKqlCompletion): Completion {
  const { apply } = item;
  const caret = item.caret ?? apply.length;
  const next = caret === apply.length && apply.endsWith(' ');
  return {
    label: item.label,
    type: TYPES[item.kind],
    detail: item.kind,
    // CodeMirror sorts equal matches by name; Kusto's rank keeps columns first after `where`.
    boost: Math.max(-99, Math.min(99, -item.rank)),
    apply: (
      view: EditorView,
      _completion: Completion,
      from: number,
      to: number
    ) => {
      view.dispatch({
        changes: { from, to, insert: apply },
        selection: { anchor: from + caret },
        userEvent: 'input.complete'
      });
      if (next) {
        startCompletion(view);
      }
    }
  };
}

/** Quick info as a hover tooltip over `[from, to)`; its text is set as text, never as HTML. */
export function quickInfoTooltip(
  info: IKqlQuickInfo,
  from: number,
  to: number
): Tooltip {
  return {
    pos: from,
    end: to,
    above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'jp-SentinelKqlQuickInfo';
      dom.textContent = info.text;
      return { dom };
    }
  };
}

/** The CodeMirror extension of KQL editors. */
export function kqlEditorExtension(options: IKqlEditorOptions): Extension {
  const { client, isKql } = options;
  const typesOf = async (
    text: string
  ): Promise<Record<string, VariableType> | undefined> => {
    const names = findReferences(text).map(r => r.name);
    return names.length && options.variableTypes
      ? options.variableTypes(names)
      : undefined;
  };
  // One document per editor view, opened on its first request and closed with the view.
  const documents = new WeakMap<EditorView, KqlDocument>();
  const documentOf = (view: EditorView): KqlDocument => {
    let doc = documents.get(view);
    if (!doc) {
      doc = client.openDocument();
      documents.set(view, doc);
    }
    return doc;
  };
  const closer = ViewPlugin.define(view => ({
    destroy: () => documents.get(view)?.dispose()
  }));

  const lint = linter(
    async view => {
      if (!isKql()) {
        return [];
      }
      const text = view.state.doc.toString();
      const diagnostics = await documentOf(view).diagnostics(
        text,
        await typesOf(text)
      );
      // Null: the text changed meanwhile, and CodeMirror drops results for an older document.
      return (diagnostics ?? []).map(d => editorDiagnostic(d, text.length));
    },
    { delay: options.lintDelay ?? 300 }
  );

  const complete = async (
    context: CompletionContext
  ): Promise<CompletionResult | null> => {
    if (!isKql()) {
      return null;
    }
    // As the analyst types a name, after a pipe, a bracket, a comma or the space after a word;
    // always when asked (Ctrl+Space, Tab).
    if (!context.explicit && !context.matchBefore(/(\w+|\w\s|[|(,=]\s*)$/)) {
      return null;
    }
    const view = context.view;
    if (!view) {
      return null;
    }
    const text = context.state.doc.toString();
    const result = await documentOf(view).completions(
      text,
      context.pos,
      await typesOf(text)
    );
    if (!result?.items.length || context.aborted) {
      return null;
    }
    return {
      from: result.from,
      to: Math.max(result.to, context.pos),
      options: result.items.map(editorCompletion),
      validFor: /^\w*$/
    };
  };

  const hover = hoverTooltip(async (view, pos) => {
    if (!isKql()) {
      return null;
    }
    const word = view.state.wordAt(pos);
    if (!word) {
      return null;
    }
    const text = view.state.doc.toString();
    const info = await documentOf(view).quickInfo(
      text,
      pos,
      await typesOf(text)
    );
    return info ? quickInfoTooltip(info, word.from, word.to) : null;
  });

  // JupyterLab's Tab asks the kernel (Python) for completions; in KQL, Tab asks the language
  // service, or takes the selected item when the list is open.
  const tab = Prec.highest(
    keymap.of([
      {
        key: 'Tab',
        run: view => {
          if (!isKql()) {
            return false;
          }
          if (completionStatus(view.state) === 'active') {
            // Taken even when CodeMirror ignores it (a key within 75 ms of the list opening or
            // updating): passed on, JupyterLab would ask the Python kernel and insert its answer.
            acceptCompletion(view);
            return true;
          }
          const { head, empty } = view.state.selection.main;
          const before = view.state.doc.lineAt(head);
          if (!empty || !before.text.slice(0, head - before.from).trim()) {
            return false;
          }
          return startCompletion(view);
        }
      }
    ])
  );

  return [
    closer,
    lint,
    autocompletion({ override: [complete], activateOnTyping: true }),
    hover,
    tab
  ];
}
