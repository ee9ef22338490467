/**
 * The KQL cell's time range: Log Analytics' presets, and a custom range typed in place that says
 * why it cannot be used instead of forgetting what was typed.
 */
import { CodeCellModel } from '@jupyterlab/cells';
import type { Cell } from '@jupyterlab/cells';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import {
  customTimeRange,
  kqlCellMetadata,
  parseInstant,
  setKqlCell,
  setKqlTimeRange,
  TIME_RANGES,
  timeWindow
} from '../cells/metadata';
import { KqlTimeRangeWidget } from '../cells/toolbar';

describe('Time range presets', () => {
  it('offers Log Analytics’ presets and 90 days, each ending when the query runs', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const hoursBack = TIME_RANGES.map(
      r =>
        (now.getTime() - timeWindow(r.value, now)!.start.getTime()) / 3600_000
    );
    expect(hoursBack).toEqual([
      0.5,
      1,
      4,
      12,
      24,
      48,
      72,
      24 * 7,
      24 * 30,
      24 * 90
    ]);
    expect(TIME_RANGES.every(r => timeWindow(r.value, now)!.end === now)).toBe(
      true
    );
  });
});

describe('Custom time ranges', () => {
  it('reads dates and times as UTC unless they name a zone', () => {
    expect(parseInstant('2026-11-25')).toEqual(
      new Date('2026-11-25T00:00:00Z')
    );
    expect(parseInstant(' 2026-11-25 08:30 ')).toEqual(
      new Date('2026-11-25T08:30:00Z')
    );
    expect(parseInstant('2026-11-25T08:30:15.5Z')).toEqual(
      new Date('2026-11-25T08:30:15.500Z')
    );
    expect(parseInstant('2026-11-25T08:30+02:00')).toEqual(
      new Date('2026-11-25T06:30:00Z')
    );
    for (const text of ['', 'yesterday', '25/11/2026', '2026-13-40', '8:30']) {
      expect(parseInstant(text)).toBeNull();
    }
  });

  it('makes a start/end range, or tells which field is wrong and why', () => {
    expect(customTimeRange('2026-11-24 08:00', '2026-11-25')).toEqual({
      range: '2026-11-24T08:00:00.000Z/2026-11-25T00:00:00.000Z'
    });
    expect(customTimeRange('last week', '2026-11-25')).toEqual({
      problem: { kind: 'unreadable', field: 'start', text: 'last week' }
    });
    expect(customTimeRange('2026-11-24', ' ')).toEqual({
      problem: { kind: 'unreadable', field: 'end', text: '' }
    });
    expect(customTimeRange('2026-11-25', '2026-11-24')).toEqual({
      problem: {
        kind: 'order',
        start: new Date('2026-11-25T00:00:00Z'),
        end: new Date('2026-11-24T00:00:00Z')
      }
    });
    expect('problem' in customTimeRange('2026-11-25', '2026-11-25')).toBe(true);
  });
});

describe('KqlTimeRangeWidget', () => {
  function setUp(): {
    model: CodeCellModel;
    widget: KqlTimeRangeWidget;
    select: HTMLSelectElement;
    start: HTMLInputElement;
    end: HTMLInputElement;
    problem: HTMLElement;
  } {
    const model = new CodeCellModel();
    setKqlCell(model, true);
    // The widget reads and writes the cell's model only.
    const widget = new KqlTimeRangeWidget(
      { model } as unknown as Cell,
      nullTranslator.load('test')
    );
    Widget.attach(widget, document.body);
    const node = widget.node;
    return {
      model,
      widget,
      select: node.querySelector('select')!,
      start: node.querySelector('[aria-label^="Custom range start"]')!,
      end: node.querySelector('[aria-label^="Custom range end"]')!,
      problem: node.querySelector('[role="alert"]')!
    };
  }

  function type(input: HTMLInputElement, text: string): void {
    input.value = text;
    input.dispatchEvent(new Event('change'));
  }

  it('stores a preset, and Custom as a range to edit in place', () => {
    const { model, widget, select, start, end } = setUp();
    setKqlTimeRange(model, 'P1D');
    expect(select.value).toBe('P1D');
    expect([...select.options].map(o => o.textContent)).toEqual([
      'Set in query',
      'Last 30 minutes',
      'Last hour',
      'Last 4 hours',
      'Last 12 hours',
      'Last 24 hours',
      'Last 48 hours',
      'Last 3 days',
      'Last 7 days',
      'Last 30 days',
      'Last 90 days',
      'Custom'
    ]);
    select.value = 'PT4H';
    select.dispatchEvent(new Event('change'));
    expect(kqlCellMetadata(model)?.timeRange).toBe('PT4H');
    expect(start.parentElement!.hidden).toBe(true);

    select.value = 'custom';
    select.dispatchEvent(new Event('change'));
    const range = kqlCellMetadata(model)?.timeRange;
    expect(range).toMatch(/^\S+Z\/\S+Z$/);
    expect(start.parentElement!.hidden).toBe(false);
    type(start, '2026-11-20 06:00');
    type(end, '2026-11-21 06:00');
    expect(kqlCellMetadata(model)?.timeRange).toBe(
      '2026-11-20T06:00:00.000Z/2026-11-21T06:00:00.000Z'
    );
    widget.dispose();
  });

  it('says why a custom range cannot be used and keeps what was typed', () => {
    const { model, widget, select, start, end, problem } = setUp();
    setKqlTimeRange(model, '2026-11-20T06:00:00Z/2026-11-21T06:00:00Z');
    type(end, '2026-11-19 06:00');
    expect(problem.textContent).toBe(
      'The end (2026-11-19T06:00:00Z) is not after the start (2026-11-20T06:00:00Z). Until it is fixed, the query runs with the last valid range.'
    );
    expect(problem.hidden).toBe(false);
    expect(end.value).toBe('2026-11-19 06:00');
    expect(end.classList.contains('jp-mod-invalid')).toBe(true);
    expect(select.value).toBe('custom');
    // The cell keeps its last valid range.
    expect(kqlCellMetadata(model)?.timeRange).toBe(
      '2026-11-20T06:00:00Z/2026-11-21T06:00:00Z'
    );

    type(start, 'monday');
    expect(problem.textContent).toContain(
      'The start “monday” is not a date and time.'
    );
    expect(start.value).toBe('monday');
    expect(start.classList.contains('jp-mod-invalid')).toBe(true);

    // Escape brings back the stored range.
    start.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(problem.hidden).toBe(true);
    expect(start.value).toBe('2026-11-20T06:00:00Z');
    expect(end.value).toBe('2026-11-21T06:00:00Z');
    expect(start.classList.contains('jp-mod-invalid')).toBe(false);
    widget.dispose();
  });
});
