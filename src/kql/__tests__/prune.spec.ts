/**
 * Columns of a `union` that nothing downstream reads are left out of its SQL: `union *` over a
 * workspace of thousands of columns must stay small SQL, and give the same rows.
 */
import { compilerSchema, loadCompiler } from '..';
import type { IColumnInfo } from '../types';
import { expectRows } from './expect-rows';

describe('column pruning', () => {
  it('leaves out the columns of a projection that nothing downstream reads', async () => {
    const compiler = await loadCompiler();
    const schema = compilerSchema([
      {
        name: 'T',
        columns: ['a', 'b', 'c', 'd'].map(name => ({
          name,
          type: 'long' as const
        }))
      }
    ]);
    const { sql } = compiler.compile(
      'T | project a, b, c2 = c * 2 | where a > 0 | project b',
      schema
    );
    expect(sql).not.toContain('"c"');
    await expectRows(
      'datatable(a:long, b:long, c:long)[1, 2, 3, -1, 5, 6] | project a, b, c2 = c * 2 | where a > 0 | project-away a, c2',
      [[2]]
    );
  });

  it('leaves unread columns out, through where and extend', async () => {
    const compiler = await loadCompiler();
    const wide = (prefix: string): IColumnInfo[] => [
      { name: 'a', type: 'long' },
      ...Array.from({ length: 500 }, (_, i) => ({
        name: `${prefix}${i}`,
        type: 'string' as const
      }))
    ];
    const schema = compilerSchema([
      { name: 'T1', columns: wide('x') },
      { name: 'T2', columns: wide('y') }
    ]);
    const result = compiler.compile(
      'union * | where a > 0 | extend z = a * 2, x7 = "" | where z > 2 | summarize n = count() by z, x7',
      schema
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    // Each of the 1,000 unread columns was listed, as a typed null, by the union and the extend.
    expect(result.sql!.length).toBeLessThan(3000);
    expect(result.sql).not.toContain('"y499"');
  });

  it('gives the same rows when an extend redefines a column the union left out', async () => {
    await expectRows(
      "let A = datatable(a:long, b:string, c:long)[1, 'x', 5]; let B = datatable(a:long, d:string)[2, 'y']; union A, B | extend b = strcat(b, '!'), c = a + 1 | where a > 0 | project a, b, c",
      [
        [1, 'x!', 2],
        [2, '!', 3]
      ]
    );
  });
});
