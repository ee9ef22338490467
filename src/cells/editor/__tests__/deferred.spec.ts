import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { deferredExtension } from '../deferred';

/** An extension that can be seen on the editor's element. */
const marked = EditorView.editorAttributes.of({ class: 'kql-loaded' });

describe('deferredExtension', () => {
  it('adds the loaded extension to an editor made before it loaded', async () => {
    let answer: (extension: typeof marked) => void = () => undefined;
    const loaded = new Promise<typeof marked>(resolve => (answer = resolve));
    const view = new EditorView({
      state: EditorState.create({
        doc: 'T | take 1',
        extensions: deferredExtension(() => loaded)
      })
    });
    expect(view.dom.classList).not.toContain('kql-loaded');
    answer(marked);
    await loaded;
    await Promise.resolve();
    expect(view.dom.classList).toContain('kql-loaded');
    expect(view.state.doc.toString()).toBe('T | take 1');
    view.destroy();
  });

  it('leaves an editor destroyed before the extension loaded alone', async () => {
    let answer: (extension: typeof marked) => void = () => undefined;
    const loaded = new Promise<typeof marked>(resolve => (answer = resolve));
    const view = new EditorView({
      state: EditorState.create({
        extensions: deferredExtension(() => loaded)
      })
    });
    const dispatch = jest.spyOn(view, 'dispatch');
    view.destroy();
    answer(marked);
    await loaded;
    await Promise.resolve();
    expect(dispatch).not.toHaveBeenCalled();
  });
});
