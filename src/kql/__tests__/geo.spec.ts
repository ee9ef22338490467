/**
 * Kusto's geospatial functions on DuckDB, against the examples of Kusto's documentation (each
 * expected value is the documented output) and the edge behaviour its pages define: S2's sphere,
 * geohash and S2 cell tokens, GeoJSON shapes, null (or an empty string) for invalid input.
 */
import { expectRows, valueOf } from './expect-rows';
import { runKql } from './harness';

// Loading Kusto.Language takes seconds on a loaded machine: not part of any one test.
beforeAll(() => runKql('print 1'), 120_000);

/** Expects reals to 12 significant digits (the documentation prints 15). */
function expectClose(actual: unknown, expected: number): void {
  expect(typeof actual).toBe('number');
  expect(Number((actual as number).toPrecision(12))).toBe(
    Number(expected.toPrecision(12))
  );
}

describe('distances, circles and angles on S2’s sphere', () => {
  it('geo_distance_2points measures on a sphere of 6,371,010 m', async () => {
    expectClose(
      await valueOf(
        'print d = geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056)'
      ),
      1546754.35197381
    );
    expect(await valueOf('print d = geo_distance_2points(300,1,1,1)')).toBe(
      null
    );
    expectClose(
      await valueOf(
        'print d = geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056, false)'
      ),
      1546754.35197381
    );
  });

  it('refuses the spheroid it does not reproduce', async () => {
    const outcome = await runKql(
      'print d = geo_distance_2points(-122.4, 47.5, -118.2, 34.0, true)'
    );
    expect(outcome).toMatchObject({ kind: 'unsupported' });
  });

  it.each([
    [
      'geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500)',
      true
    ],
    [
      'geo_point_in_circle(-122.137575, 47.630683, -122.100896, 47.527351, 3500)',
      false
    ],
    ['geo_point_in_circle(200, 1, 1, 1, 1)', null],
    ['geo_point_in_circle(1, 1, 1, 1, -1)', null],
    ['isnull(geo_azimuth(5, 10, 5, 10))', true],
    ['isnull(geo_azimuth(0, 0, 180, 0))', true],
    ['isnull(geo_angle(0, 10, 0, 10, 3, -10))', true]
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toBe(expected);
  });

  it('geo_azimuth and geo_angle in radians, clockwise', async () => {
    expectClose(
      await valueOf('print a = geo_azimuth(5, 10, 10, -40)'),
      3.05459939796449
    );
    expectClose(
      await valueOf('print a = degrees(geo_azimuth(5, 10, 10, -40))'),
      175.015653606568
    );
    expectClose(
      await valueOf('print a = geo_angle(0, 10, 0, 5, 3, -10)'),
      2.94493843406882
    );
    // Due east is a quarter turn clockwise from north; west three quarters.
    expectClose(
      await valueOf('print a = geo_azimuth(0, 0, 1, 0)'),
      Math.PI / 2
    );
    expectClose(
      await valueOf('print a = geo_azimuth(0, 0, -1, 0)'),
      (3 * Math.PI) / 2
    );
  });
});

describe('geohash', () => {
  it('geo_point_to_geohash (documented examples)', async () => {
    expect(
      await valueOf('print h = geo_point_to_geohash(-80.195829, 25.802215, 8)')
    ).toBe('dhwfz15h');
    await expectRows(
      `datatable(location_id:string, longitude:real, latitude:real)
       ["A", double(-122.303404), 47.570482, "B", double(-122.304745), 47.567052, "C", double(-122.278156), 47.566936]
       | summarize count = count(), locations = make_list(location_id) by geohash = geo_point_to_geohash(longitude, latitude)`,
      [
        ['c23n8', 2, ['A', 'B']],
        ['c23n9', 1, ['C']]
      ]
    );
  });

  it.each([
    ['geo_point_to_geohash(200, 1, 8)'],
    ['geo_point_to_geohash(1, 1, int(null))'],
    ['geo_point_to_geohash(1, 1, 19)']
  ])('%s is empty', async call => {
    expect(await valueOf(`print h = ${call}`)).toBe('');
  });

  it('cells of the highest accuracy keep every bit', async () => {
    expect(await valueOf('print h = geo_point_to_geohash(180, 90, 18)')).toBe(
      'zzzzzzzzzzzzzzzzzz'
    );
    expect(await valueOf('print h = geo_point_to_geohash(-180, -90, 18)')).toBe(
      '000000000000000000'
    );
  });

  it('geo_geohash_to_central_point, geo_geohash_to_polygon (documented examples)', async () => {
    expect(
      await valueOf('print p = geo_geohash_to_central_point("sunny")')
    ).toEqual({
      type: 'Point',
      coordinates: [42.47314453125, 23.70849609375]
    });
    expect(await valueOf('print p = geo_geohash_to_polygon("dr5ru")')).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [-74.00390625, 40.7373046875],
          [-73.9599609375, 40.7373046875],
          [-73.9599609375, 40.78125],
          [-74.00390625, 40.78125],
          [-74.00390625, 40.7373046875]
        ]
      ]
    });
    expect(await valueOf('print p = geo_geohash_to_central_point("a")')).toBe(
      null
    );
    expect(await valueOf('print p = geo_geohash_to_polygon("a")')).toBe(null);
  });

  it('geo_geohash_neighbors (documented example), wrapping at the antimeridian', async () => {
    expect(await valueOf("print n = geo_geohash_neighbors('sunny')")).toEqual([
      'sunnt',
      'sunpj',
      'sunnx',
      'sunpn',
      'sunnv',
      'sunpp',
      'sunnz',
      'sunnw'
    ]);
    expect(await valueOf("print n = isnull(geo_geohash_neighbors('a'))")).toBe(
      true
    );
    // The cell west of the first longitude column is the last one.
    const west = (await valueOf(
      'print n = geo_geohash_neighbors(geo_point_to_geohash(-179.99, 0, 2))'
    )) as string[];
    expect(west).toContain(
      await valueOf('print h = geo_point_to_geohash(179.99, 0, 2)')
    );
  });
});

describe('S2 cells', () => {
  it('geo_point_to_s2cell (documented examples)', async () => {
    expect(
      await valueOf('print s = geo_point_to_s2cell(-80.195829, 25.802215, 8)')
    ).toBe('88d9b');
    await expectRows(
      `datatable(location_id:string, longitude:real, latitude:real)
       ["A", 10.1234, 53, "B", 10.3579, 53, "C", 10.6842, 53]
       | summarize count = count(), locations = make_list(location_id) by s2cell = geo_point_to_s2cell(longitude, latitude, 8)`,
      [
        ['47b1d', 2, ['A', 'B']],
        ['47ae3', 1, ['C']]
      ]
    );
  });

  it.each([
    ['geo_point_to_s2cell(300, 1, 8)'],
    ['geo_point_to_s2cell(1, 1, 35)'],
    ['geo_point_to_s2cell(1, 1, int(null))']
  ])('%s is empty', async call => {
    expect(await valueOf(`print s = ${call}`)).toBe('');
  });

  it('level 0 is the face, level 30 a leaf', async () => {
    expect(await valueOf('print s = geo_point_to_s2cell(0, 0, 0)')).toBe('1');
    expect(await valueOf('print s = geo_point_to_s2cell(0, 90, 0)')).toBe('5');
    expect(
      ((await valueOf('print s = geo_point_to_s2cell(1, 1, 30)')) as string)
        .length
    ).toBe(16);
  });

  it('geo_s2cell_to_central_point, geo_s2cell_to_polygon (documented examples)', async () => {
    const point = (await valueOf(
      'print p = geo_s2cell_to_central_point("1234567")'
    )) as { type: string; coordinates: number[] };
    expect(point.type).toBe('Point');
    expectClose(point.coordinates[0], 9.86830731850408);
    expectClose(point.coordinates[1], 27.468392925827604);
    const polygon = (await valueOf(
      'print p = geo_s2cell_to_polygon("89c259")'
    )) as { type: string; coordinates: number[][][] };
    const documented = [
      [-74.030012249838478, 40.8012684339439],
      [-74.030012249838478, 40.7222262918358],
      [-73.935982114337421, 40.708880489804564],
      [-73.935982114337421, 40.787917134506841],
      [-74.030012249838478, 40.8012684339439]
    ];
    expect(polygon.type).toBe('Polygon');
    polygon.coordinates[0].forEach((vertex, i) => {
      expectClose(vertex[0], documented[i][0]);
      expectClose(vertex[1], documented[i][1]);
    });
    expect(await valueOf('print p = geo_s2cell_to_central_point("a")')).toBe(
      null
    );
    expect(await valueOf('print p = geo_s2cell_to_polygon("a")')).toBe(null);
  });

  it('geo_s2cell_neighbors (documented example), across a face edge', async () => {
    expect(await valueOf("print n = geo_s2cell_neighbors('89c259')")).toEqual([
      '89c25d',
      '89c2f9',
      '89c251',
      '89c257',
      '89c25f',
      '89c25b',
      '89c2f7',
      '89c2f5'
    ]);
    expect(await valueOf("print n = isnull(geo_s2cell_neighbors('a'))")).toBe(
      true
    );
    // Face 0 (centred on 0°, 0°) ends at 45° east, where face 1 begins.
    const neighbors = (await valueOf(
      'print n = geo_s2cell_neighbors(geo_point_to_s2cell(44.99, 0, 10))'
    )) as string[];
    expect(neighbors).toContain(
      await valueOf('print s = geo_point_to_s2cell(45.01, 0, 10)')
    );
  });
});

describe('geo_point_in_polygon on geodesic edges', () => {
  const triangle =
    'dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]})';
  it.each([
    [`geo_point_in_polygon(8, 5, ${triangle})`, true],
    [`geo_point_in_polygon(2, 5, ${triangle})`, false],
    // A clockwise ring bounds the same (smaller) region.
    [
      'geo_point_in_polygon(8, 5, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,1],[10,10],[0,0]]]}))',
      true
    ],
    // A point in the hole is outside.
    [
      'geo_point_in_polygon(5, 5, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[4,6],[6,6],[6,4],[4,4]]]}))',
      false
    ],
    [
      'geo_point_in_polygon(2, 5, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[4,6],[6,6],[6,4],[4,4]]]}))',
      true
    ],
    // The edge from (0, 60) to (90, 60) is a geodesic: it bulges north of the 60th parallel.
    [
      'geo_point_in_polygon(45, 62, dynamic({"type": "Polygon","coordinates": [[[0,0],[90,0],[90,60],[0,60],[0,0]]]}))',
      true
    ],
    [
      'geo_point_in_polygon(5, 5, dynamic({"type": "MultiPolygon","coordinates": [[[[20,20],[30,20],[30,30],[20,20]]], [[[0,0],[10,0],[10,10],[0,10],[0,0]]]]}))',
      true
    ],
    // Invalid input: a coordinate out of range, repeated vertices, not a polygon.
    [`geo_point_in_polygon(200, 1, ${triangle})`, null],
    [
      'geo_point_in_polygon(1, 1, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}))',
      null
    ],
    [
      'geo_point_in_polygon(1, 1, dynamic({"type": "LineString","coordinates": [[0,0],[10,10]]}))',
      null
    ]
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toBe(expected);
  });

  it('filters rows (documented example)', async () => {
    await expectRows(
      `datatable(longitude:real, latitude:real, description:string)
       [
         real(-73.985654), 40.748487, 'Empire State Building',
         real(-73.963249), 40.779525, 'The Metropolitan Museum of Art',
         real(-73.874367), 40.777356, 'LaGuardia Airport',
       ]
       | where geo_point_in_polygon(longitude, latitude, dynamic({"type":"Polygon","coordinates":[[[-73.92597198486328,40.87821814104651],[-73.94691467285156,40.85069618625578],[-73.94691467285156,40.841865966890786],[-74.01008605957031,40.7519385984599],[-74.01866912841797,40.704586878965245],[-74.01214599609375,40.699901911003046],[-73.99772644042969,40.70875101828792],[-73.97747039794922,40.71083299030839],[-73.97026062011719,40.7290474687069],[-73.97506713867186,40.734510840309376],[-73.970947265625,40.74543623770158],[-73.94210815429688,40.77586181063573],[-73.9434814453125,40.78080140115127],[-73.92974853515625,40.79691751000055],[-73.93077850341797,40.804454347291006],[-73.93489837646484,40.80965166748853],[-73.93524169921875,40.837190668541105],[-73.92288208007812,40.85770758108904],[-73.9101791381836,40.871728144624974],[-73.92597198486328,40.87821814104651]],[[-73.95824432373047,40.80071852197889],[-73.98206233978271,40.76815921628347],[-73.97309303283691,40.76422632379533],[-73.94914627075195,40.796949998204596],[-73.95824432373047,40.80071852197889]]]}))`,
      [[-73.985654, 40.748487, 'Empire State Building']]
    );
  });
});

describe('H3 cell indices', () => {
  it.each([
    ["geo_h3cell_level('862a1072fffffff')", 6],
    ["isnull(geo_h3cell_level('abc'))", true],
    ["geo_h3cell_parent('862a1072fffffff')", '852a1073fffffff'],
    ["geo_h3cell_parent('862a1072fffffff', 1)", '812a3ffffffffff'],
    ["geo_h3cell_parent('862a1072fffffff', 6)", '862a1072fffffff'],
    ["isempty(geo_h3cell_parent('123'))", true],
    ["isempty(geo_h3cell_parent('862a1072fffffff', 100))", true],
    ["isempty(geo_h3cell_parent('862a1072fffffff', 15))", true],
    // A digit 7 before the resolution, and a pentagon's deleted subsequence, are not cells.
    ["isnull(geo_h3cell_level('862a107ffffffff'))", true],
    ["isnull(geo_h3cell_level('81087ffffffffff'))", true],
    [
      "array_length(geo_h3cell_children('862a1072fffffff', geo_h3cell_level('862a1072fffffff') + 3))",
      343
    ],
    ["isnull(geo_h3cell_children('abc'))", true],
    ["isnull(geo_h3cell_children('862a1072fffffff', 12))", true],
    // A pentagon has 1 + 5 (7^n - 1) / 6 descendants n resolutions finer.
    ["array_length(geo_h3cell_children('8009fffffffffff', 2))", 41]
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toBe(expected);
  });

  it('geo_h3cell_children in H3 order (documented example)', async () => {
    expect(
      await valueOf("print c = geo_h3cell_children('862a1072fffffff')")
    ).toEqual([
      '872a10728ffffff',
      '872a10729ffffff',
      '872a1072affffff',
      '872a1072bffffff',
      '872a1072cffffff',
      '872a1072dffffff',
      '872a1072effffff'
    ]);
  });

  it('geo_point_to_h3cell (documented examples)', async () => {
    expect(
      await valueOf(
        'print h = geo_point_to_h3cell(-74.04450446039874, 40.689250859314974, 6)'
      )
    ).toBe('862a1072fffffff');
    await expectRows(
      `datatable(location_id:string, longitude:real, latitude:real)
       ["A", -73.956683, 40.807907, "B", -73.916869, 40.818314, "C", -73.989148, 40.743273]
       | summarize count = count(), locations = make_list(location_id) by h3cell = geo_point_to_h3cell(longitude, latitude, 5)`,
      [
        ['852a100bfffffff', 2, ['A', 'B']],
        ['852a1073fffffff', 1, ['C']]
      ]
    );
    expect(
      await valueOf(
        'print r = geo_h3cell_level(geo_h3cell_parent(geo_point_to_h3cell(1, 1, 10), 3))'
      )
    ).toBe(3);
  });

  // Near the pentagons of base cells 4 and 117, where digits rotate out of the deleted
  // subsequence: the values of H3's reference implementation (latLngToCell).
  it.each([
    ['geo_point_to_h3cell(11.25, 58.28252559, 0)', '8009fffffffffff'],
    ['geo_point_to_h3cell(11.25, 58.28252559, 3)', '83099afffffffff'],
    ['geo_point_to_h3cell(11.3, 58.3, 7)', '87099a62bffffff'],
    ['geo_point_to_h3cell(10.0, 57.5, 5)', '851f2407fffffff'],
    ['geo_point_to_h3cell(-168.75, -58.28252559, 2)', '82eb87fffffffff'],
    ['geo_point_to_h3cell(-168.7, -58.3, 9)', '89eb84c2b73ffff']
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print h = ${call}`)).toBe(expected);
  });

  it.each([
    ['geo_point_to_h3cell(200, 1, 5)'],
    ['geo_point_to_h3cell(1, 1, 16)'],
    ['geo_point_to_h3cell(1, 1, int(null))']
  ])('%s is empty', async call => {
    expect(await valueOf(`print h = ${call}`)).toBe('');
  });

  it('geo_h3cell_to_central_point (documented example; a pentagon)', async () => {
    const center = (await valueOf(
      "print p = geo_h3cell_to_central_point('862a1072fffffff')"
    )) as { type: string; coordinates: number[] };
    expect(center.type).toBe('Point');
    expectClose(center.coordinates[0], -74.01600847979245);
    expectClose(center.coordinates[1], 40.7041679083504);
    // Base cell 4, a pentagon, is centred at 64.7°N 10.54°E (H3's reference implementation).
    const pentagon = (await valueOf(
      "print p = geo_h3cell_to_central_point('8009fffffffffff')"
    )) as { coordinates: number[] };
    expectClose(pentagon.coordinates[0], 10.536199075467676);
    expectClose(pentagon.coordinates[1], 64.70000012793487);
    expect(
      await valueOf("print p = isnull(geo_h3cell_to_central_point('abc'))")
    ).toBe(true);
  });

  it('a cell holds its own centre', async () => {
    await expectRows(
      `range i from 1 to 300 step 1
       | extend lng = (i * 7919 % 36000) / 100.0 - 180, lat = (i * 104729 % 18000) / 100.0 - 90, res = toint(i % 16)
       | extend h = geo_point_to_h3cell(lng, lat, res)
       | extend c = geo_h3cell_to_central_point(h)
       | summarize mismatches = countif(geo_point_to_h3cell(todouble(c.coordinates[0]), todouble(c.coordinates[1]), res) != h)`,
      [[0]]
    );
  });

  it('refuses to place cells on the icosahedron', async () => {
    for (const call of ["geo_h3cell_to_polygon('862a1072fffffff')"]) {
      const outcome = await runKql(`print v = ${call}`);
      expect(outcome).toMatchObject({ kind: 'unsupported' });
    }
  });
});

describe('lines and polygon measures on geodesic edges', () => {
  const road =
    'dynamic({ "type":"LineString","coordinates":[[-115.115385,36.229195],[-115.136995,36.200366],[-115.140252,36.192470],[-115.143558,36.188523],[-115.144076,36.181954],[-115.154662,36.174483],[-115.166431,36.176388],[-115.183289,36.175007],[-115.192612,36.176736],[-115.202485,36.173439],[-115.225355,36.174365]]})';
  const line =
    'dynamic({"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]})';
  const line5 =
    'dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334],[-73.98210525512695,40.76786669510221],[-73.96004676818848,40.7980870753293]]})';
  const centralPark =
    'dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})';

  it.each([
    // Documented examples (reals to 9 significant digits: Kusto's S2 sums differ in the last ones).
    [
      `geo_distance_point_to_line(-115.199625, 36.210419, ${road})`,
      3797.88887253334
    ],
    [
      'geo_line_length(dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334]]}))',
      4922.48016992081
    ],
    [`geo_polygon_perimeter(${centralPark})`, 9930.30149604938],
    [`geo_polygon_area(${centralPark})`, 3475207.28346606],
    [
      `geo_distance_point_to_polygon(-73.9839, 40.7705, ${centralPark})`,
      259.940756070596
    ],
    [`geo_distance_point_to_polygon(-73.965, 40.785, ${centralPark})`, 0],
    [`geo_line_locate_point(${line}, -73.965, 40.792)`, 0.25560135100307552],
    [`geo_line_centroid(${line}).coordinates[0]`, -73.965567057230942],
    [`geo_line_centroid(${line5}).coordinates[0]`, -73.9660675626837],
    [
      `geo_line_interpolate_point(${line}, 0.25).coordinates[1]`,
      40.791436687257232
    ],
    [
      `geo_line_interpolate_point(${line5}, 0.9).coordinates[0]`,
      -73.96556545832799
    ],
    [
      `geo_closest_point_on_line(-115.199625, 36.210419, ${road}).coordinates[0]`,
      -115.192612
    ]
  ])('%s', async (call, expected) => {
    const actual = await valueOf(`print v = ${call}`);
    expect(typeof actual).toBe('number');
    expect(Number((actual as number).toPrecision(9))).toBe(
      Number(expected.toPrecision(9))
    );
  });

  it.each([
    'geo_closest_point_on_line(300, 3, dynamic({ "type":"LineString","coordinates":[[1,1],[2,2]]}))',
    'geo_line_length(dynamic({"type":"LineString","coordinates":[[1, 1]]}))',
    'geo_line_centroid(dynamic({"type":"LineString","coordinates":[[1, 1]]}))',
    'geo_line_locate_point(dynamic({"type":"LineString","coordinates":[[1, 1]]}), 1, 1)',
    'geo_line_interpolate_point(dynamic({"type":"LineString","coordinates":[[1, 1], [2, 2]]}), 1.5)',
    'geo_polygon_perimeter(dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}))',
    'geo_polygon_area(dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}))',
    'geo_distance_point_to_polygon(500, 1, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}))'
  ])('%s is null', async call => {
    expect(await valueOf(`print v = isnull(${call})`)).toBe(true);
  });

  it('a clockwise shell measures the same (smaller) region', async () => {
    const area = await valueOf(
      'print v = geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.97317886352539,40.76455136505513],[-73.98201942443848,40.76825672305777],[-73.95807266235352,40.80068603561921],[-73.9495,40.7969]]]}))'
    );
    expect(Number((area as number).toPrecision(9))).toBe(3475207.28);
  });

  it('refuses at run time to measure the union of several shapes', async () => {
    const outcome = await runKql(
      'print v = geo_line_length(dynamic({"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[0,1],[1,0]]]}))'
    );
    expect(outcome).toMatchObject({ kind: 'error' });
    expect((outcome as { message: string }).message).toMatch(
      /not supported locally: geo_line_length\(\) of several lines/
    );
  });
});

describe('intersections of lines and polygons', () => {
  const line1 =
    'dynamic({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]})';
  const line2 =
    'dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]})';
  const triangle =
    'dynamic({"type":"Polygon","coordinates":[[[-73.9712905883789,40.78580561168767],[-73.98004531860352,40.775276834803655],[-73.97000312805176,40.77852663535664],[-73.9712905883789,40.78580561168767]]]})';
  it.each([
    // Documented examples.
    [`geo_intersects_2lines(${line1}, ${line2})`, true],
    [
      `isnull(geo_intersects_2lines(${line1}, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275]]})))`,
      true
    ],
    [`geo_intersects_line_with_polygon(${line2}, ${triangle})`, true],
    [
      'geo_intersects_2polygons(dynamic({"type":"Polygon","coordinates":[[[-73.9630937576294,40.77498840732385],[-73.963565826416,40.774383111780914],[-73.96205306053162,40.773745311181585],[-73.96160781383514,40.7743912365898],[-73.9630937576294,40.77498840732385]]]}), dynamic({"type":"Polygon","coordinates":[[[-73.96213352680206,40.775045280447145],[-73.9631313085556,40.774578106920345],[-73.96207988262177,40.77416780398293],[-73.96213352680206,40.775045280447145]]]}))',
      true
    ],
    [
      `isnull(geo_intersects_2polygons(dynamic({"type":"Polygon"}), ${triangle}))`,
      true
    ],
    // Disjoint lines; lines sharing only an end; a polygon inside another; disjoint polygons.
    [
      'geo_intersects_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[1,0]]}), dynamic({"type":"LineString","coordinates":[[0,1],[1,1]]}))',
      false
    ],
    [
      'geo_intersects_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[1,0]]}), dynamic({"type":"LineString","coordinates":[[1,0],[1,1]]}))',
      true
    ],
    [
      'geo_intersects_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[4,4],[6,4],[6,6],[4,4]]]}))',
      true
    ],
    [
      'geo_intersects_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[4,4],[6,4],[6,6],[4,4]]]}))',
      false
    ],
    // A line wholly inside the polygon.
    [
      'geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[4,4],[5,5]]}), dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}))',
      true
    ]
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toBe(expected);
  });

  it('geo_closest_point_on_polygon (documented example; the point itself inside)', async () => {
    const park =
      'dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})';
    const outside = (await valueOf(
      `print v = geo_closest_point_on_polygon(-73.9839, 40.7705, ${park})`
    )) as { coordinates: number[] };
    expectClose(outside.coordinates[0], -73.981205580153926);
    expect(Number(outside.coordinates[1].toPrecision(10))).toBe(
      Number((40.769359452843211).toPrecision(10))
    );
    expect(
      await valueOf(
        `print v = geo_closest_point_on_polygon(-73.965, 40.785, ${park})`
      )
    ).toEqual({ type: 'Point', coordinates: [-73.965, 40.785] });
  });

  it('refuses the functions that build shapes', async () => {
    const outcome = await runKql(
      `print v = geo_intersection_line_with_polygon(${line2}, ${triangle})`
    );
    expect(outcome).toMatchObject({ kind: 'unsupported' });
  });
});

describe('invalid polygons as Kusto defines them', () => {
  it.each([
    // A ring whose edges cross (a bow tie), a hole crossing its shell.
    'geo_point_in_polygon(5, 2, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}))',
    'geo_point_in_polygon(2, 2, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[5,5],[15,5],[15,6],[5,5]]]}))',
    'geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}))',
    // An open ring, too few positions.
    'geo_point_in_polygon(1, 1, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10]]]}))',
    'geo_point_in_polygon(1, 1, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[0,0]]]}))'
  ])('%s is null', async call => {
    expect(await valueOf(`print v = isnull(${call})`)).toBe(true);
  });
});

describe('shapes computed by a subquery', () => {
  it('a toscalar() polygon or line (DuckDB allows no subquery inside a lambda)', async () => {
    const lets = `let P = toscalar(print dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}));
      let L = toscalar(print dynamic({"type":"LineString","coordinates":[[0,0],[2,2]]}));`;
    await expectRows(
      `${lets}
       print a = geo_point_in_polygon(1.0, 1.0, P), b = geo_distance_point_to_polygon(1.0, 1.0, P), c = geo_intersects_line_with_polygon(L, P), d = geo_line_length(L) > 0, e = geo_polygon_area(P) > 0`,
      [[true, 0, true, true, true]]
    );
  });
});

describe('thin polygons', () => {
  // 10 km long and 5 m wide along the equator: the reference point beside the longest edge must
  // stay inside the sliver.
  const sliver =
    'dynamic({"type":"Polygon","coordinates":[[[0,0],[0.09,0],[0.09,0.000045],[0,0.000045],[0,0]]]})';
  it.each([
    [`geo_point_in_polygon(0.05, 0.00002, ${sliver})`, true],
    [`geo_point_in_polygon(0.05, 0.0001, ${sliver})`, false],
    [`geo_point_in_polygon(0.05, -0.00002, ${sliver})`, false]
  ])('%s is %s', async (call, expected) => {
    expect(await valueOf(`print v = ${call}`)).toBe(expected);
  });
});
