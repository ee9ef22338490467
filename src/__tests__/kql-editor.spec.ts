import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { editorCompletion, editorDiagnostic } from '../cells/editor';
import type { IKqlDiagnostic } from '../kql/index';

function diagnostic(start: number, end: number): IKqlDiagnostic {
  return {
    code: 'KS142',
    stage: 'semantic',
    severity: 'error',
    message: "The name 'UserPrincipleName' does not refer to any known column",
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
  it('squiggles the diagnostic’s range, with did-you-mean in the message', () => {
    expect(editorDiagnostic(diagnostic(19, 36), 45)).toEqual({
      from: 19,
      to: 36,
      severity: 'error',
      message:
        "The name 'UserPrincipleName' does not refer to any known column (did you mean UserPrincipalName?)",
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
      kind: 'function'
    });
    expect(completion).toMatchObject({
      label: 'ago(timespan)',
      type: 'function'
    });
    const view = new EditorView({
      state: EditorState.create({ doc: 'T | extend x = ag' })
    });
    const apply = completion.apply as (
      view: EditorView,
      completion: unknown,
      from: number,
      to: number
    ) => void;
    apply(view, completion, 15, 17);
    expect(view.state.doc.toString()).toBe('T | extend x = ago()');
    expect(view.state.selection.main.head).toBe(19);
    view.destroy();
    expect(
      editorCompletion({ label: 'where', apply: 'where ', kind: 'operator' })
    ).toMatchObject({ apply: 'where ', type: 'keyword' });
  });
});
