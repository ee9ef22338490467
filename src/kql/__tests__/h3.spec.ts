/**
 * H3's grid walk (`geo_h3cell_neighbors`, `geo_h3cell_rings`) against the examples of Kusto's
 * documentation and against cells computed by H3's reference implementation (`gridDisk`,
 * version 4.5, whose order Kusto's examples show).
 */
import { rowsOf, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

/**
 * `gridDisk(cell, 2)` of H3's reference implementation: the cell, then ring 1 (6 cells), then
 * ring 2 (12 cells), in H3's walking order. Cells three rings from pentagons (in pentagon base
 * cells) at resolutions 2, 5, 9 and 14, near the poles, across faces and at resolutions 0-15.
 */
const H3_DISKS: [string, string[]][] = [
  [
    '823147fffffffff',
    [
      '823147fffffffff',
      '823177fffffffff',
      '823157fffffffff',
      '82315ffffffffff',
      '82314ffffffffff',
      '82316ffffffffff',
      '823167fffffffff',
      '821497fffffffff',
      '82312ffffffffff',
      '82310ffffffffff',
      '823027fffffffff',
      '82302ffffffffff',
      '8230e7fffffffff',
      '8230effffffffff',
      '822e4ffffffffff',
      '822e5ffffffffff',
      '822eeffffffffff',
      '822ecffffffffff',
      '82149ffffffffff'
    ]
  ],
  [
    '85740053fffffff',
    [
      '85740053fffffff',
      '85740627fffffff',
      '8574005bfffffff',
      '85740043fffffff',
      '85740057fffffff',
      '857400cffffffff',
      '857400cbfffffff',
      '85740637fffffff',
      '85740623fffffff',
      '8574062ffffffff',
      '85740297fffffff',
      '8574004bfffffff',
      '8574004ffffffff',
      '85740047fffffff',
      '8574000bfffffff',
      '8574001bfffffff',
      '857400c7fffffff',
      '857400c3fffffff',
      '857400dbfffffff'
    ]
  ],
  [
    '89c2000007bffff',
    [
      '89c2000007bffff',
      '89c2000004fffff',
      '89c200002b7ffff',
      '89c2000006bffff',
      '89c20000063ffff',
      '89c20000073ffff',
      '89c20000047ffff',
      '89c20000043ffff',
      '89c2000004bffff',
      '89c200002b3ffff',
      '89c200002a3ffff',
      '89c200002a7ffff',
      '89c200003d3ffff',
      '89c2000006fffff',
      '89c20000067ffff',
      '89c20000077ffff',
      '89c2000000fffff',
      '89c2000000bffff',
      '89c20000057ffff'
    ]
  ],
  [
    '8e3000000000117',
    [
      '8e3000000000117',
      '8e3000000000c4f',
      '8e30000000001a7',
      '8e30000000001af',
      '8e300000000011f',
      '8e3000000000107',
      '8e3000000000137',
      '8e3000000000c6f',
      '8e3000000000c47',
      '8e3000000000c5f',
      '8e30000000001b7',
      '8e3000000000187',
      '8e300000000018f',
      '8e3000000000037',
      '8e3000000000027',
      '8e300000000010f',
      '8e300000000012f',
      '8e3000000000127',
      '8e300000000089f'
    ]
  ],
  [
    '836f72fffffffff',
    [
      '836f72fffffffff',
      '836f0dfffffffff',
      '836f09fffffffff',
      '836f54fffffffff',
      '836f73fffffffff',
      '836f70fffffffff',
      '836f76fffffffff',
      '836f2bfffffffff',
      '836f0cfffffffff',
      '836f08fffffffff',
      '836f0bfffffffff',
      '836f56fffffffff',
      '836f50fffffffff',
      '836f55fffffffff',
      '836f46fffffffff',
      '836f71fffffffff',
      '836f75fffffffff',
      '836f74fffffffff',
      '836f29fffffffff'
    ]
  ],
  [
    '87db718d9ffffff',
    [
      '87db718d9ffffff',
      '87db718d8ffffff',
      '87db718dbffffff',
      '87db71166ffffff',
      '87db71164ffffff',
      '87db718caffffff',
      '87db718ddffffff',
      '87db718dcffffff',
      '87db718deffffff',
      '87db718daffffff',
      '87db71174ffffff',
      '87db71175ffffff',
      '87db71162ffffff',
      '87db71160ffffff',
      '87db71165ffffff',
      '87db718cbffffff',
      '87db718c8ffffff',
      '87db718ceffffff',
      '87db718c3ffffff'
    ]
  ],
  [
    '8403263ffffffff',
    [
      '8403263ffffffff',
      '8403261ffffffff',
      '8403267ffffffff',
      '8403229ffffffff',
      '8403205ffffffff',
      '840320dffffffff',
      '840326bffffffff',
      '8403269ffffffff',
      '840326dffffffff',
      '8403265ffffffff',
      '840335bffffffff',
      '840322dffffffff',
      '8403221ffffffff',
      '840322bffffffff',
      '8403207ffffffff',
      '8403201ffffffff',
      '8403209ffffffff',
      '8403247ffffffff',
      '8403245ffffffff'
    ]
  ],
  [
    '8bf2938a8220fff',
    [
      '8bf2938a8220fff',
      '8bf2938a8226fff',
      '8bf2938a8222fff',
      '8bf2938a8223fff',
      '8bf2938a8221fff',
      '8bf2938a8225fff',
      '8bf2938a8224fff',
      '8bf2938a8319fff',
      '8bf2938a831bfff',
      '8bf2938a8235fff',
      '8bf2938a8231fff',
      '8bf2938a8204fff',
      '8bf2938a8205fff',
      '8bf2938a822efff',
      '8bf2938a822cfff',
      '8bf2938a8352fff',
      '8bf2938a8356fff',
      '8bf2938a830bfff',
      '8bf2938a830afff'
    ]
  ],
  [
    '8f2830828129d62',
    [
      '8f2830828129d62',
      '8f2830828129d75',
      '8f2830828129d71',
      '8f2830828129d44',
      '8f2830828129d63',
      '8f2830828129d60',
      '8f2830828129d66',
      '8f283082812d6db',
      '8f2830828129d74',
      '8f2830828129d70',
      '8f2830828129d73',
      '8f2830828129d46',
      '8f2830828129d40',
      '8f2830828129d45',
      '8f2830828129d6e',
      '8f2830828129d61',
      '8f2830828129d65',
      '8f2830828129d64',
      '8f283082812d6d9'
    ]
  ],
  [
    '81ad3ffffffffff',
    [
      '81ad3ffffffffff',
      '81bc7ffffffffff',
      '81adbffffffffff',
      '81ac3ffffffffff',
      '81ad7ffffffffff',
      '81d13ffffffffff',
      '81d17ffffffffff',
      '81bd7ffffffffff',
      '81bc3ffffffffff',
      '81bcfffffffffff',
      '81977ffffffffff',
      '81acbffffffffff',
      '81acfffffffffff',
      '81ac7ffffffffff',
      '81c17ffffffffff',
      '81c07ffffffffff',
      '81d1bffffffffff',
      '81d03ffffffffff',
      '81d07ffffffffff'
    ]
  ]
];

describe('geo_h3cell_neighbors', () => {
  it('gives the documented neighbours in the documented order', async () => {
    expect(
      await valueOf("print neighbors = geo_h3cell_neighbors('862a1072fffffff')")
    ).toEqual([
      '862a10727ffffff',
      '862a10707ffffff',
      '862a1070fffffff',
      '862a10777ffffff',
      '862a100dfffffff',
      '862a100d7ffffff'
    ]);
  });

  it('is null for an invalid cell (documented)', async () => {
    expect(
      await valueOf("print invalid = isnull(geo_h3cell_neighbors('abc'))")
    ).toBe(true);
  });

  it("matches H3's reference implementation", async () => {
    const { rows } = await rowsOf(
      `datatable(c: string)[${H3_DISKS.map(([c]) => `'${c}'`).join(', ')}] | project n = geo_h3cell_neighbors(c)`
    );
    expect(rows.map(([n]) => n)).toEqual(
      H3_DISKS.map(([, d]) => d.slice(1, 7))
    );
  });

  it('stops the query near a pentagon, whose order H3 does not define by a walk', async () => {
    const outcome = await runKql(
      "print n = geo_h3cell_neighbors('8009fffffffffff')"
    );
    expect(outcome).toMatchObject({
      kind: 'error',
      message: expect.stringContaining(
        'not supported locally: geo_h3cell_neighbors()'
      )
    });
  });
});

describe('geo_h3cell_rings', () => {
  it('gives the documented rings in the documented order', async () => {
    expect(
      await valueOf("print rings = geo_h3cell_rings('861f8894fffffff', 2)")
    ).toEqual([
      ['861f8894fffffff'],
      [
        '861f88947ffffff',
        '861f8895fffffff',
        '861f88867ffffff',
        '861f8d497ffffff',
        '861f8d4b7ffffff',
        '861f8896fffffff'
      ],
      [
        '861f88967ffffff',
        '861f88977ffffff',
        '861f88957ffffff',
        '861f8882fffffff',
        '861f88877ffffff',
        '861f88847ffffff',
        '861f8886fffffff',
        '861f8d49fffffff',
        '861f8d487ffffff',
        '861f8d4a7ffffff',
        '861f8d59fffffff',
        '861f8d597ffffff'
      ]
    ]);
  });

  it.each([
    ["isnull(geo_h3cell_rings('abc', 3))", true],
    ["isnull(geo_h3cell_rings('861f8894fffffff', 150))", true],
    ["isnull(geo_h3cell_rings('861f8894fffffff', -1))", true],
    ["geo_h3cell_rings('861f8894fffffff', 0)", [['861f8894fffffff']]]
  ])('%s is %j (documented bounds: 0 to 142)', async (call, expected) => {
    expect(await valueOf(`print r = ${call}`)).toEqual(expected);
  });

  it("matches H3's reference implementation ring by ring", async () => {
    const { rows } = await rowsOf(
      `datatable(c: string)[${H3_DISKS.map(([c]) => `'${c}'`).join(', ')}] | project r = geo_h3cell_rings(c, 2)`
    );
    expect(rows.map(([r]) => r)).toEqual(
      H3_DISKS.map(([, d]) => [d.slice(0, 1), d.slice(1, 7), d.slice(7)])
    );
  });

  it('stops the query beyond the rings it walks locally', async () => {
    const outcome = await runKql(
      "print r = geo_h3cell_rings('861f8894fffffff', 11)"
    );
    expect(outcome).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('beyond 10 rings')
    });
  });
});
