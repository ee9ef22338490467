import {
  autocompletion,
  type Completion,
  completionStatus
} from '@codemirror/autocomplete';
import {
  type Diagnostic,
  forceLinting,
  forEachDiagnostic
} from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { KqlLanguageClient } from '../cells/editor/client';
import {
  editorCompletion,
  editorDiagnostic,
  kqlEditorExtension,
  quickInfoTooltip
} from '../cells/editor/extension';
import type { IKqlDiagnostic } from '../kql/index';
import type { IWorkspaceSchema } from '../tokens';

function diagnostic(start: number, end: number): IKqlDiagnostic {
  return {
    code: 'KS142',
    stage: 'semantic',
    severity: 'error',
    // As the compiler words it: the suggestion is in the message and in its own field.
    message:
      "The name 'UserPrincipleName' does not refer to any known column. Did you mean 'UserPrincipalName'?",
    line: 1,
    column: start + 1,
    endLine: 1,
    endColumn: end + 1,
    start,
    end,
    suggestion: 'UserPrincipalName'
  };
}

describe('KQL editor', () => {
  it('squiggles the diagnostic’s range, with did-you-mean said once in the message', () => {
    expect(editorDiagnostic(diagnostic(19, 36), 45)).toEqual({
      from: 19,
      to: 36,
      severity: 'error',
      message:
        "The name 'UserPrincipleName' does not refer to any known column. Did you mean 'UserPrincipalName'?",
      source: 'KS142'
    });
    // A token missing at the end still gets a character to hover, within the text.
    expect(editorDiagnostic(diagnostic(10, 10), 12)).toMatchObject({
      from: 10,
      to: 11
    });
    expect(editorDiagnostic(diagnostic(50, 60), 12)).toMatchObject({
      from: 12,
      to: 12
    });
    expect(
      editorDiagnostic({ ...diagnostic(0, 3), severity: 'suggestion' }, 12)
        .severity
    ).toBe('info');
  });

  it('applies a function with the caret between its parentheses', () => {
    const completion = editorCompletion({
      label: 'ago(timespan)',
      apply: 'ago()',
      caret: 4,
      kind: 'function',
      rank: 73
    });
    expect(completion).toMatchObject({
      label: 'ago(timespan)',
      type: 'function',
      detail: 'function',
      boost: -73
    });
    const view = new EditorView({
      state: EditorState.create({ doc: 'T | extend x = ag' })
    });
    apply(completion, view, 15, 17);
    expect(view.state.doc.toString()).toBe('T | extend x = ago()');
    expect(view.state.selection.main.head).toBe(19);
    view.destroy();
  });

  it('asks for the next completions after an item that ends with a space', () => {
    const where = editorCompletion({
      label: 'where',
      apply: 'where ',
      kind: 'operator',
      rank: 81
    });
    expect(where).toMatchObject({ type: 'keyword', detail: 'operator' });
    const view = new EditorView({
      state: EditorState.create({
        doc: 'T | wh',
        extensions: autocompletion({ override: [() => null] })
      })
    });
    apply(where, view, 4, 6);
    expect(view.state.doc.toString()).toBe('T | where ');
    expect(completionStatus(view.state)).toBe('pending');
    view.destroy();
  });

  it('shows quick info as text over the hovered name', () => {
    const tooltip = quickInfoTooltip(
      { text: '<b>UserPrincipalName</b>: string' },
      19,
      36
    );
    expect(tooltip).toMatchObject({ pos: 19, end: 36 });
    const view = new EditorView({ state: EditorState.create({ doc: '' }) });
    const { dom } = tooltip.create(view);
    expect(dom.textContent).toBe('<b>UserPrincipalName</b>: string');
    expect(dom.querySelector('b')).toBeNull();
    view.destroy();
  });
});

describe('KQL editor extension', () => {
  const schema: IWorkspaceSchema = {
    workspace: 'demo',
    tables: [
      {
        name: 'SigninLogs',
        category: 'Azure Active Directory',
        timespanColumn: 'TimeGenerated',
        rowCount: null,
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'UserPrincipalName', type: 'string' }
        ]
      }
    ]
  };

  /** The lint diagnostics of an editor once the language service answered. */
  async function squiggles(view: EditorView): Promise<Diagnostic[]> {
    forceLinting(view);
    for (let i = 0; i < 200; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
      const found: Diagnostic[] = [];
      forEachDiagnostic(view.state, d => found.push(d));
      if (found.length) {
        return found;
      }
    }
    return [];
  }

  it('squiggles KQL editors with the language service’s diagnostics, and no others', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new KqlLanguageClient();
    client.setWorkspace(schema, true);
    const text = 'SigninLogs | where UserPrincipleName == "x"';
    const editor = (isKql: boolean) =>
      new EditorView({
        state: EditorState.create({
          doc: text,
          extensions: kqlEditorExtension({
            client,
            isKql: () => isKql,
            lintDelay: 0
          })
        })
      });
    const kql = editor(true);
    expect(await squiggles(kql)).toEqual([
      expect.objectContaining({
        from: 19,
        to: 36,
        severity: 'error',
        message: expect.stringMatching(
          /^[^?]*Did you mean 'UserPrincipalName'\?$/
        )
      })
    ]);
    const python = editor(false);
    expect(await squiggles(python)).toEqual([]);
    kql.destroy();
    python.destroy();
    client.dispose();
    jest.restoreAllMocks();
    // Kusto.Language loads in this test (on the page, as Node has no worker): seconds on a busy machine.
  }, 60_000);
});

/** Applies a completion as CodeMirror does when the analyst picks it. */
function apply(
  completion: Completion,
  view: EditorView,
  from: number,
  to: number
): void {
  if (typeof completion.apply !== 'function') {
    throw new Error('expected an apply function');
  }
  completion.apply(view, completion, from, to);
}
