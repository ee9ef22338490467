import { execFileSync } from 'child_process';
import * as path from 'path';
import {
  dataFrameExpression,
  detectDataFrame,
  rowsFromTable
} from '../dataframe';

const PYTHON = path.join(__dirname, '../../../.venv/bin/python');
const WORKSPACE = { backend: 'local', id: 'demo', name: 'Demo' };

describe('bookmarks from a pandas DataFrame', () => {
  it('finds the DataFrame a cell shows', () => {
    expect(detectDataFrame('import pandas as pd\nspray_df.head(10)')).toBe(
      'spray_df'
    );
    expect(detectDataFrame('df')).toBe('df');
    expect(detectDataFrame('df[df.Failures == 3]\n# a comment')).toBe('df');
    expect(detectDataFrame('top = df.head()')).toBeNull();
    expect(detectDataFrame('')).toBeNull();
  });

  it('reads pandas’ rows with their types, as pandas writes them', () => {
    // The expression the kernel evaluates, on a real DataFrame.
    const script = [
      'import pandas as pd, base64',
      'df = pd.DataFrame({',
      '  "TimeGenerated": pd.to_datetime(["2026-10-01T04:41:07Z", "2026-10-01T04:42:00Z"]),',
      '  "IPAddress": ["203.0.113.42", "203.0.113.17"],',
      '  "Failures": [41, 40], "Rate": [0.5, 0.25], "Blocked": [True, False]})',
      `print(base64.b64decode(${dataFrameExpression('df', 1000)}).decode())`
    ].join('\n');
    const json = execFileSync(PYTHON, ['-c', script], { encoding: 'utf-8' });
    const rows = rowsFromTable(json, { name: 'df', workspace: WORKSPACE }, 2);
    expect(rows.columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'IPAddress', type: 'string' },
      { name: 'Failures', type: 'long' },
      { name: 'Rate', type: 'real' },
      { name: 'Blocked', type: 'bool' }
    ]);
    expect(rows.rows[0]).toMatchObject({
      IPAddress: '203.0.113.42',
      Failures: 41,
      Blocked: true
    });
    expect(String(rows.rows[0].TimeGenerated)).toMatch(/^2026-10-01T04:41:07/);
    expect(rows.query).toBe('// the pandas DataFrame df');
    expect(rows.selected).toBe(false);
  });
});
