/**
 * The Sentinel sidebar's sections: initial sizes that give the schema the most room, a section
 * expanded again getting its share back, and sizes and expansion kept in the state database.
 */
import { StateDB } from '@jupyterlab/statedb';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { type AccordionPanel, Widget } from '@lumino/widgets';
import {
  SECTION_IDS,
  SECTIONS_STATE_KEY,
  SentinelSidebar,
  withShare
} from '../sidebar/widget';
import { WorkspacesModel } from '../workspaces/model';

function sidebar(): SentinelSidebar {
  const panel = new SentinelSidebar(
    new WorkspacesModel(),
    nullTranslator.load('jupyterlab_sentinel'),
    new CommandRegistry()
  );
  const templates = new Widget();
  templates.id = SECTION_IDS.templates;
  templates.title.label = 'Templates';
  panel.addWidget(templates);
  return panel;
}

const accordion = (panel: SentinelSidebar) => panel.content as AccordionPanel;

describe('withShare', () => {
  it('gives a section its share, taken from the expanded others by their size', () => {
    const sizes = withShare(
      [0.2, 0.5, 0.05, 0.25],
      [true, true, true, false],
      2,
      0.3
    );
    expect(sizes[2]).toBeCloseTo(0.3);
    expect(sizes[3]).toBe(0);
    expect(sizes[0] / sizes[1]).toBeCloseTo(0.2 / 0.5);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('gives the whole height to the only expanded section', () => {
    expect(withShare([0, 0.01, 0], [false, true, false], 1, 0.3)).toEqual([
      0, 1, 0
    ]);
  });
});

describe('SentinelSidebar sections', () => {
  it('starts with the schema the largest section', async () => {
    const panel = sidebar();
    await panel.keepSections(null, Promise.resolve());
    const [workspaces, schema, templates] = accordion(panel).relativeSizes();
    expect(schema).toBeGreaterThan(workspaces * 2);
    expect(schema).toBeGreaterThan(templates);
  });

  it('keeps sizes and expansion in the state database and restores them', async () => {
    const state = new StateDB();
    const first = sidebar();
    await first.keepSections(state, Promise.resolve());
    accordion(first).setRelativeSizes([0.1, 0.6, 0.3]);
    accordion(first).collapse(2);
    const kept = (await state.fetch(SECTIONS_STATE_KEY)) as Record<
      string,
      { size: number; expanded: boolean }
    >;
    expect(kept[SECTION_IDS.templates]).toEqual({
      size: expect.closeTo(0.3),
      expanded: false
    });
    expect(kept[SECTION_IDS.schema].size).toBeGreaterThan(0.5);

    // A reload: the same state gives the same sections, the templates still collapsed.
    const second = sidebar();
    await second.keepSections(state, Promise.resolve());
    const panel = accordion(second);
    expect(panel.widgets[2].isHidden).toBe(true);
    const sizes = panel.relativeSizes();
    expect(sizes[1] / sizes[0]).toBeCloseTo(
      kept[SECTION_IDS.schema].size / kept[SECTION_IDS.workspaces].size
    );

    // Expanded again, the templates get their share back, not a sliver.
    panel.expand(2);
    expect(panel.widgets[2].isHidden).toBe(false);
    expect(panel.relativeSizes()[2]).toBeGreaterThan(0.25);
  });
});
