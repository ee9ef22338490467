import { canChart, chartColumns, chartSpec, serviceRender } from '../chart';
import type { IColumnInfo } from '../../tokens';

const HOURLY: IColumnInfo[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'ResultType', type: 'string' },
  { name: 'Attempts', type: 'long' },
  { name: 'Accounts', type: 'long' }
];

const ROWS = [
  ['2026-10-01T00:00:00.0000000Z', '0', 10, 3],
  ['2026-10-01T01:00:00.0000000Z', '50126', '9007199254740993', 4]
];

describe('charts for render', () => {
  it('names render properties as the Log Analytics API does', () => {
    expect(
      serviceRender({
        visualization: 'columnchart',
        properties: {
          xcolumn: 'ResultType',
          ycolumns: ['Attempts', 'Accounts'],
          xtitle: 'Result',
          ytitle: 'Count',
          ysplit: 'panels',
          ymin: '0',
          title: 'Sign-ins',
          kind: 'stacked',
          custom: 'kept'
        }
      })
    ).toEqual({
      visualization: 'columnchart',
      properties: {
        xColumn: 'ResultType',
        yColumns: ['Attempts', 'Accounts'],
        xTitle: 'Result',
        yTitle: 'Count',
        ySplit: 'panels',
        yMin: '0',
        title: 'Sign-ins',
        kind: 'stacked',
        custom: 'kept'
      }
    });
  });

  it('reads the axis columns and titles Azure sends', () => {
    // The `render` of a Log Analytics response, as the Azure backend keeps it.
    const spec = chartSpec(
      {
        visualization: 'columnchart',
        properties: {
          xColumn: 'ResultType',
          yColumns: 'Accounts',
          xTitle: 'Result',
          yTitle: 'Accounts seen',
          accumulate: 'false'
        }
      },
      HOURLY,
      ROWS,
      2
    )!;
    expect(spec.encoding).toMatchObject({
      x: { field: 'ResultType', title: 'Result' },
      y: { field: 'Accounts', title: 'Accounts seen' }
    });
  });

  it('reads x, series and y columns as Kusto guesses them', () => {
    expect(
      chartColumns({ visualization: 'timechart', properties: {} }, HOURLY)
    ).toEqual({
      x: HOURLY[0],
      series: [HOURLY[1]],
      y: [HOURLY[2], HOURLY[3]]
    });
    expect(
      chartColumns(
        {
          visualization: 'columnchart',
          properties: { xColumn: 'ResultType', yColumns: 'Accounts' }
        },
        HOURLY
      )
    ).toEqual({ x: HOURLY[1], series: [], y: [HOURLY[3]] });
    // A timechart's x axis is its first datetime column, wherever it is.
    const timeLast: IColumnInfo[] = [HOURLY[1], HOURLY[2], HOURLY[0]];
    expect(
      chartColumns({ visualization: 'timechart', properties: {} }, timeLast)?.x
    ).toBe(HOURLY[0]);
    expect(
      chartColumns({ visualization: 'piechart', properties: {} }, [HOURLY[1]])
    ).toBeNull();
  });

  it('draws a timechart as lines, one per series and measure', () => {
    const spec = chartSpec(
      {
        visualization: 'timechart',
        properties: { title: 'Sign-ins', yTitle: 'Count' }
      },
      HOURLY,
      ROWS,
      2
    )!;
    expect(spec.mark).toEqual({ type: 'line', tooltip: true });
    expect(spec.transform).toEqual([
      { fold: ['Attempts', 'Accounts'], as: ['Measure', 'Value'] },
      {
        calculate: 'datum["ResultType"] + \' \' + datum.Measure',
        as: 'Series'
      }
    ]);
    expect(spec.encoding).toMatchObject({
      x: { field: 'TimeGenerated', type: 'temporal' },
      y: { field: 'Value', type: 'quantitative', title: 'Count' },
      color: { field: 'Series', type: 'nominal' }
    });
    expect(spec.title).toEqual({ text: 'Sign-ins' });
    // A long beyond 2^53 arrives as text; the chart plots its magnitude.
    expect(
      (spec.data as { values: Record<string, unknown>[] }).values[1]
    ).toEqual({
      TimeGenerated: '2026-10-01T01:00:00.0000000Z',
      ResultType: '50126',
      Attempts: 9007199254740992,
      Accounts: 4
    });
  });

  it('draws bars across for barchart, up for columnchart, in the result order', () => {
    const columns: IColumnInfo[] = [
      { name: 'IPAddress', type: 'string' },
      { name: 'Failures', type: 'long' }
    ];
    const rows = [
      ['203.0.113.7', 40],
      ['198.51.100.2', 12]
    ];
    const bar = chartSpec(
      { visualization: 'barchart', properties: {} },
      columns,
      rows,
      2
    )!;
    expect(bar.encoding).toMatchObject({
      y: { field: 'IPAddress', sort: null },
      x: { field: 'Failures', stack: 'zero' }
    });
    const column = chartSpec(
      { visualization: 'columnchart', properties: { kind: 'stacked100' } },
      columns,
      rows,
      2
    )!;
    expect(column.encoding).toMatchObject({
      x: { field: 'IPAddress', sort: null },
      y: { field: 'Failures', stack: 'normalize' }
    });
    expect(column.transform).toBeUndefined();
  });

  it('draws a pie of the first measure by the first column', () => {
    const spec = chartSpec(
      { visualization: 'piechart', properties: { legend: 'hidden' } },
      [
        { name: 'Country', type: 'string' },
        { name: 'Signins', type: 'long' }
      ],
      [
        ['NL', 3],
        ['US', 5]
      ],
      2
    )!;
    expect(spec.mark).toEqual({ type: 'arc', tooltip: true });
    expect(spec.encoding).toMatchObject({
      theta: { field: 'Signins', stack: true },
      color: { field: 'Country', legend: null }
    });
  });

  it('says when it draws only the first rows', () => {
    const spec = chartSpec(
      { visualization: 'scatterchart', properties: {} },
      HOURLY,
      ROWS,
      120000
    )!;
    expect(spec.title).toEqual({
      text: '',
      subtitle: 'First 2 of 120,000 rows'
    });
    expect(spec.mark).toEqual({ type: 'point', tooltip: true });
  });

  it('draws only the visualizations a notebook can show', () => {
    for (const kind of [
      'timechart',
      'linechart',
      'areachart',
      'barchart',
      'columnchart',
      'piechart',
      'scatterchart'
    ]) {
      expect(canChart(kind)).toBe(true);
    }
    expect(canChart('table')).toBe(false);
    expect(canChart('card')).toBe(false);
    expect(
      chartSpec({ visualization: 'card', properties: {} }, HOURLY, ROWS, 2)
    ).toBeNull();
  });
});
