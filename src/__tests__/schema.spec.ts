import { starterQuery } from '../sidebar/schema';
import type { ITableInfo } from '../tokens';

function table(
  name: string,
  columns: ITableInfo['columns'],
  timespanColumn: string | null = null
): ITableInfo {
  return {
    name,
    category: 'Security',
    timespanColumn,
    rowCount: null,
    columns
  };
}

describe('starterQuery', () => {
  it('filters the last day by the time column Sentinel uses', () => {
    expect(
      starterQuery(
        table('SigninLogs', [{ name: 'TimeGenerated', type: 'datetime' }])
      )
    ).toBe('SigninLogs\n| where TimeGenerated > ago(1d)\n| take 100');
  });

  it('prefers the declared time column, then Timestamp, then any datetime', () => {
    expect(
      starterQuery(
        table(
          'T',
          [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'EventTime', type: 'datetime' }
          ],
          'EventTime'
        )
      )
    ).toBe('T\n| where EventTime > ago(1d)\n| take 100');
    expect(
      starterQuery(
        table('DeviceEvents', [{ name: 'Timestamp', type: 'datetime' }])
      )
    ).toBe('DeviceEvents\n| where Timestamp > ago(1d)\n| take 100');
    expect(
      starterQuery(table('Logs', [{ name: 'When', type: 'datetime' }]))
    ).toBe('Logs\n| where When > ago(1d)\n| take 100');
  });

  it('takes rows of a table without time, and quotes names that need it', () => {
    expect(
      starterQuery(table('Watchlist', [{ name: 'SearchKey', type: 'string' }]))
    ).toBe('Watchlist\n| take 100');
    expect(starterQuery(table('my-table', []))).toBe(
      "['my-table']\n| take 100"
    );
  });
});
