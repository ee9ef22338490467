import { LabIcon } from '@jupyterlab/ui-components';
import { nullTranslator } from '@jupyterlab/translation';
import { readViewChoice, writeViewChoice } from '../metadata';
import { InvestigationViews } from '../registry';
import { rowRuns, rowsInRanges } from '../selection';
import { timelineViewFactory } from '../timeline';
import type { IInvestigationViewFactory } from '../tokens';

describe('the view chosen, in the cell metadata', () => {
  it('reads the grid alone when nothing was chosen or the metadata is not ours', () => {
    expect(readViewChoice(undefined, 0)).toEqual({ active: null, config: {} });
    expect(readViewChoice({ kql: true }, 0)).toEqual({
      active: null,
      config: {}
    });
    expect(readViewChoice({ views: { 0: 'timeline' } }, 0)).toEqual({
      active: null,
      config: {}
    });
  });

  it('writes one choice per result table and keeps the cell’s other settings', () => {
    const sentinel = { kql: true, variable: 'signins' };
    const first = writeViewChoice(sentinel, 0, {
      active: 'timeline',
      config: { timeline: { time: 'TimeGenerated', lane: 'Type' } }
    });
    const both = writeViewChoice(first, 1, {
      active: 'entity-graph',
      config: {}
    });
    expect(both).toEqual({
      kql: true,
      variable: 'signins',
      views: {
        0: {
          active: 'timeline',
          config: { timeline: { time: 'TimeGenerated', lane: 'Type' } }
        },
        1: { active: 'entity-graph', config: {} }
      }
    });
    expect(sentinel).toEqual({ kql: true, variable: 'signins' });
    expect(readViewChoice(both, 0)).toEqual({
      active: 'timeline',
      config: { timeline: { time: 'TimeGenerated', lane: 'Type' } }
    });
    expect(readViewChoice(both, 1).active).toBe('entity-graph');
    expect(readViewChoice(both, 2).active).toBeNull();
  });

  it('keeps the settings when back to the grid, and drops an empty entry', () => {
    const chosen = writeViewChoice({ kql: true }, 0, {
      active: 'timeline',
      config: { timeline: { lane: 'IPAddress' } }
    });
    expect(
      writeViewChoice(chosen, 0, {
        active: null,
        config: { timeline: { lane: 'IPAddress' } }
      })
    ).toEqual({
      kql: true,
      views: {
        0: { active: null, config: { timeline: { lane: 'IPAddress' } } }
      }
    });
    expect(writeViewChoice(chosen, 0, { active: null, config: {} })).toEqual({
      kql: true
    });
  });
});

describe('the shared selection', () => {
  it('turns row ids into the ranges the grid selects', () => {
    expect(rowRuns([7, 3, 4, 5, 9, 4])).toEqual([
      [3, 5],
      [7, 7],
      [9, 9]
    ]);
    expect(rowRuns([])).toEqual([]);
  });

  it('turns the grid’s ranges into the row ids a view was given', () => {
    expect([
      ...rowsInRanges(
        [
          [2, 4],
          [8, 12]
        ],
        10
      )
    ]).toEqual([2, 3, 8, 9]);
  });
});

describe('the registry of views', () => {
  const icon = new LabIcon({
    name: 'jupyterlab-sentinel:test-view',
    svgstr: '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
  });
  const factory = (id: string): IInvestigationViewFactory => ({
    id,
    icon,
    label: () => id,
    unavailable: () => null,
    create: () => {
      throw new Error('not drawn in this test');
    }
  });

  it('lists factories in the order added, replaces one of the same id, removes on dispose', () => {
    const views = new InvestigationViews();
    let changes = 0;
    views.changed.connect(() => changes++);
    views.add(factory('timeline'));
    const tree = views.add(factory('process-tree'));
    const replacement = factory('timeline');
    views.add(replacement);
    expect(views.factories.map(f => f.id)).toEqual([
      'timeline',
      'process-tree'
    ]);
    expect(views.get('timeline')).toBe(replacement);
    tree.dispose();
    expect(views.get('process-tree')).toBeNull();
    expect(changes).toBe(4);
  });

  it('offers the timeline for a result with a datetime column only, saying why not', () => {
    const trans = nullTranslator.load('jupyterlab_sentinel');
    expect(
      timelineViewFactory.unavailable(
        [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Type', type: 'string' }
        ],
        trans
      )
    ).toBeNull();
    expect(
      timelineViewFactory.unavailable(
        [
          { name: 'IPAddress', type: 'string' },
          { name: 'Failures', type: 'long' }
        ],
        trans
      )
    ).toBe('The timeline needs a datetime column; this result has none.');
  });
});
