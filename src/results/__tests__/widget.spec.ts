import { readResultOutput, resultOutput } from '../output';
import { RESULT_MIME_TYPE } from '../tokens';
import { selectedRanges, toTsv } from '../widget';

describe('result grid helpers', () => {
  it('merges the selected rows into sorted ranges', () => {
    expect(
      selectedRanges([
        { r1: 9, r2: 7 },
        { r1: 0, r2: 0 },
        { r1: 3, r2: 5 },
        { r1: 5, r2: 8 }
      ])
    ).toEqual([
      [0, 1],
      [3, 10]
    ]);
    expect(selectedRanges([])).toEqual([]);
  });

  it('copies rows as tab-separated text, values as the grid shows them', () => {
    expect(
      toTsv(
        [
          { name: 'Account', type: 'string' },
          { name: 'Details', type: 'dynamic' },
          { name: 'Count', type: 'long' }
        ],
        [
          ['adele\tvance', { city: 'Delft' }, 3],
          ['line\nbreak', null, '9007199254740993']
        ]
      )
    ).toBe(
      'Account\tDetails\tCount\nadele vance\t{"city":"Delft"}\t3\nline break\t\t9007199254740993'
    );
  });

  it('keeps a reference to the result in the output, never the rows', () => {
    const output = resultOutput({
      file: 'results/df.parquet',
      path: 'cases/1/results/df.parquet',
      variable: 'df',
      columns: [{ name: 'x', type: 'long' }],
      rowCount: 3,
      elapsedMs: 12,
      query: 'T | take 3',
      workspace: { backend: 'local', id: 'demo', name: 'Demo' },
      timespan: {
        start: new Date('2026-10-01T00:00:00Z'),
        end: new Date('2026-10-02T00:00:00Z')
      },
      ranAt: new Date('2026-10-02T00:00:00Z'),
      render: null,
      summary: '3 rows from Demo'
    });
    expect(output.output_type).toBe('display_data');
    expect(output.data['text/plain']).toBe('3 rows from Demo');
    const data = readResultOutput(output.data[RESULT_MIME_TYPE]);
    expect(data).toMatchObject({
      file: 'results/df.parquet',
      rowCount: 3,
      timespan: {
        start: '2026-10-01T00:00:00.000Z',
        end: '2026-10-02T00:00:00.000Z'
      },
      ranAt: '2026-10-02T00:00:00.000Z'
    });
    expect(JSON.stringify(output)).not.toContain('"rows"');
    expect(readResultOutput({ file: 1 })).toBeNull();
    expect(readResultOutput(null)).toBeNull();
  });
});
