/**
 * Kusto's geospatial functions on DuckDB's built-in functions (no spatial or H3 extension), as
 * Kusto's documentation defines them. Kusto computes on Google's S2 model: a sphere of radius
 * 6,371,010 m (S2's Earth radius), edges are geodesics, and S2 cells are S2's cell ids written as
 * S2 tokens. Every entry answers null (an empty string for strings) for invalid input, as Kusto
 * does.
 *
 * Values a formula reads several times are bound once with `bind` (a one-element
 * `list_transform`), so the SQL grows linearly with the nesting of calls.
 */
import type { Expr, ICall } from '../ast';
import { UnsupportedError } from '../diagnostics';
import type { IDialect } from './dialect';
import type { Emit, IScalarEmitter } from './functions/emit';

/** S2's Earth radius in meters (`S2Earth::RadiusMeters`), the sphere Kusto measures on. */
const EARTH_RADIUS = '6371010.0';

let bindings = 0;

/**
 * Binds SQL values to names for `body`, each computed once: the body sees struct fields of a
 * lambda parameter.
 */
export function bind(
  d: IDialect,
  values: Record<string, string>,
  body: (v: Record<string, string>) => string
): string {
  const g = `__geo${++bindings}`;
  const fields = Object.entries(values)
    .map(([k, sql]) => `'${k}': ${sql}`)
    .join(', ');
  const refs = Object.fromEntries(
    Object.keys(values).map(k => [k, `${g}.${k}`])
  );
  return `${d.fn('list_transform')}([{${fields}}], ${g} -> ${body(refs)})[1]`;
}

/**
 * Folds `state` over the BIGINT values of the list `over` (`list_reduce`, whose accumulator
 * must have the elements' type: each element is the state's struct with the value as `__k`).
 */
export function fold(
  d: IDialect,
  over: string,
  state: Record<string, [type: string, init: string]>,
  step: (acc: Record<string, string>, k: string) => Record<string, string>
): string {
  const n = ++bindings;
  const [acc, e, x] = [`__acc${n}`, `__e${n}`, `__x${n}`];
  const names = Object.keys(state);
  const refs = Object.fromEntries(names.map(f => [f, `${acc}.${f}`]));
  const next = step(refs, `${e}.__k`);
  const struct = (k: string, value: (f: string) => string) =>
    `{'__k': ${k}, ${names.map(f => `'${f}': CAST(${value(f)} AS ${state[f][0]})`).join(', ')}}`;
  return `${d.call('list_reduce', [`${d.fn('list_transform')}(${over}, ${x} -> ${struct(`CAST(${x} AS BIGINT)`, () => 'NULL')})`, `(${acc}, ${e}) -> ${struct(`${e}.__k`, f => next[f])}`, struct('-1::BIGINT', f => state[f][1])])}`;
}

/** A real argument as DOUBLE. */
function real(ctx: IScalarEmitter, e: Expr): string {
  return `CAST(${ctx.as(e, 'real')} AS DOUBLE)`;
}

/** True for a valid coordinate (null for a null one). */
function validPoint(lng: string, lat: string): string {
  return `(${lng} BETWEEN -180 AND 180 AND ${lat} BETWEEN -90 AND 90)`;
}

/** The central angle between two points in radians (S2LatLng::GetDistance, haversine). */
function centralAngle(
  d: IDialect,
  lng1: string,
  lat1: string,
  lng2: string,
  lat2: string
): string {
  const dlat = `${d.fn('sin')}(0.5 * (${d.fn('radians')}(${lat2}) - ${d.fn('radians')}(${lat1})))`;
  const dlng = `${d.fn('sin')}(0.5 * (${d.fn('radians')}(${lng2}) - ${d.fn('radians')}(${lng1})))`;
  return `(2 * ${d.fn('asin')}(${d.fn('sqrt')}(${d.fn('least')}(1.0, ${dlat} * ${dlat} + ${dlng} * ${dlng} * ${d.fn('cos')}(${d.fn('radians')}(${lat1})) * ${d.fn('cos')}(${d.fn('radians')}(${lat2}))))))`;
}

/** A point's unit vector `[x, y, z]` (S2LatLng::ToPoint). */
function toXyz(d: IDialect, lng: string, lat: string): string {
  return `[${d.fn('cos')}(${d.fn('radians')}(${lat})) * ${d.fn('cos')}(${d.fn('radians')}(${lng})), ${d.fn('cos')}(${d.fn('radians')}(${lat})) * ${d.fn('sin')}(${d.fn('radians')}(${lng})), ${d.fn('sin')}(${d.fn('radians')}(${lat}))]`;
}

/** `[lng, lat]` in degrees of a (not necessarily unit) vector `[x, y, z]`. */
function toLngLat(d: IDialect, p: string): string {
  return `[${d.fn('degrees')}(${d.fn('atan2')}(${p}[2], ${p}[1])), ${d.fn('degrees')}(${d.fn('atan2')}(${p}[3], ${d.fn('sqrt')}(${p}[1] * ${p}[1] + ${p}[2] * ${p}[2])))]`;
}

/** A GeoJSON point of `[lng, lat]`. */
function geoJsonPoint(d: IDialect, lngLat: string): string {
  return `${d.call('json_object', [`'type'`, `'Point'`, `'coordinates'`, `${d.call('to_json', [lngLat])}`])}`;
}

/** A GeoJSON polygon of one ring, a list of `[lng, lat]`. */
function geoJsonPolygon(d: IDialect, ring: string): string {
  return `${d.call('json_object', [`'type'`, `'Polygon'`, `'coordinates'`, `${d.call('to_json', [`[[${ring}]]`])}`])}`;
}

/**
 * The azimuth in radians, clockwise from north in [0, 2π), of the geodesic from point 1 to
 * point 2; null when the points are equal or antipodal (no single geodesic).
 */
function azimuth(
  d: IDialect,
  lng1: string,
  lat1: string,
  lng2: string,
  lat2: string
): string {
  return bind(
    d,
    {
      d: centralAngle(d, lng1, lat1, lng2, lat2),
      y: `${d.fn('sin')}(${d.fn('radians')}(${lng2}) - ${d.fn('radians')}(${lng1})) * ${d.fn('cos')}(${d.fn('radians')}(${lat2}))`,
      x: `${d.fn('cos')}(${d.fn('radians')}(${lat1})) * ${d.fn('sin')}(${d.fn('radians')}(${lat2})) - ${d.fn('sin')}(${d.fn('radians')}(${lat1})) * ${d.fn('cos')}(${d.fn('radians')}(${lat2})) * ${d.fn('cos')}(${d.fn('radians')}(${lng2}) - ${d.fn('radians')}(${lng1}))`
    },
    v =>
      `CASE WHEN ${v.d} > 0 AND ${v.d} < ${d.fn('pi')}() THEN (${d.fn('atan2')}(${v.y}, ${v.x}) + 2 * ${d.fn('pi')}()) % (2 * ${d.fn('pi')}()) END`
  );
}

// -------------------------------------------------------------------------------------------------
// Points and distances

/** `geo_distance_2points(lng1, lat1, lng2, lat2 [, use_spheroid])`: meters on S2's sphere. */
const distance2Points: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  sphereOnly(call, 4);
  const [lng1, lat1, lng2, lat2] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng1),
      b: real(ctx, lat1),
      c: real(ctx, lng2),
      d: real(ctx, lat2)
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${validPoint(v.c, v.d)} THEN ${EARTH_RADIUS} * ${centralAngle(d, v.a, v.b, v.c, v.d)} END`
  );
};

/** `geo_point_in_circle(lng, lat, center_lng, center_lat, radius)`: a spherical cap. */
const pointInCircle: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, clng, clat, radius] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      c: real(ctx, clng),
      d: real(ctx, clat),
      r: real(ctx, radius)
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${validPoint(v.c, v.d)} AND ${v.r} > 0 AND ${d.call('isfinite', [v.r])} THEN ${EARTH_RADIUS} * ${centralAngle(d, v.a, v.b, v.c, v.d)} <= ${v.r} END`
  );
};

/** `geo_azimuth(lng1, lat1, lng2, lat2)`. */
const geoAzimuth: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng1, lat1, lng2, lat2] = call.args.map(e => real(ctx, e));
  return bind(
    d,
    { a: lng1, b: lat1, c: lng2, d: lat2 },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${validPoint(v.c, v.d)} THEN ${azimuth(d, v.a, v.b, v.c, v.d)} END`
  );
};

/**
 * `geo_angle(p1, p2, p3)`: the angle at p2, clockwise from the line to p1 to the line to p3, in
 * [0, 2π).
 */
const geoAngle: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng1, lat1, lng2, lat2, lng3, lat3] = call.args.map(x => real(ctx, x));
  const points = { a: lng1, b: lat1, c: lng2, d: lat2, e: lng3, f: lat3 };
  return bind(d, points, v =>
    bind(
      d,
      {
        first: azimuth(d, v.c, v.d, v.a, v.b),
        second: azimuth(d, v.c, v.d, v.e, v.f)
      },
      w =>
        `CASE WHEN ${validPoint(v.a, v.b)} AND ${validPoint(v.c, v.d)} AND ${validPoint(v.e, v.f)} THEN (${w.second} - ${w.first} + 2 * ${d.fn('pi')}()) % (2 * ${d.fn('pi')}()) END`
    )
  );
};

// -------------------------------------------------------------------------------------------------
// Polygons: rings of geodesic edges on the sphere, as S2 loops.

/** The cross product of two vectors (simple SQL references). */
function cross(a: string, b: string): string {
  return `[${a}[2] * ${b}[3] - ${a}[3] * ${b}[2], ${a}[3] * ${b}[1] - ${a}[1] * ${b}[3], ${a}[1] * ${b}[2] - ${a}[2] * ${b}[1]]`;
}

/** The dot product of two vectors (simple SQL references). */
function dot(a: string, b: string): string {
  return `(${a}[1] * ${b}[1] + ${a}[2] * ${b}[2] + ${a}[3] * ${b}[3])`;
}

/**
 * The polygons of a GeoJSON Polygon or MultiPolygon as a list of polygons, each a list of rings
 * of `[lng, lat]`; null for any other value.
 */
function geoJsonPolygons(d: IDialect, json: string): string {
  return bind(d, { j: json }, v =>
    bind(
      d,
      { t: `${d.fn('json_extract_string')}(${v.j}, '$.type')` },
      w =>
        `CASE WHEN ${w.t} = 'Polygon' THEN [TRY_CAST(${d.fn('json_extract')}(${v.j}, '$.coordinates') AS DOUBLE[][][])] WHEN ${w.t} = 'MultiPolygon' THEN TRY_CAST(${d.fn('json_extract')}(${v.j}, '$.coordinates') AS DOUBLE[][][][]) END`
    )
  );
}

/**
 * A ring's vertices as unit vectors (the closing vertex left out), null unless it is a valid
 * LinearRing as Kusto defines it: at least four positions, the last equal to the first, valid
 * coordinates, at least three distinct vertices and no vertex repeated.
 */
function ringVertices(d: IDialect, ring: string): string {
  return bind(d, { r: ring }, v => {
    const positions = `${d.call('list_slice', [v.r, `1`, `${d.fn('len')}(${v.r}) - 1`])}`;
    const valid = `${d.fn('len')}(${v.r}) >= 4 AND ${v.r}[1] = ${v.r}[-1] AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(${v.r}, c -> ${d.fn('len')}(c) >= 2 AND ${validPoint('c[1]', 'c[2]')})`])} AND ${d.fn('len')}(${d.fn('list_distinct')}(${positions})) = ${d.fn('len')}(${v.r}) - 1`;
    return `CASE WHEN ${valid} THEN ${d.fn('list_transform')}(${positions}, c -> ${toXyz(d, 'c[1]', 'c[2]')}) END`;
  });
}

/**
 * What containment tests need of a valid ring (unit vectors), computed once per polygon:
 * `{edges, q, left}` — the edges `{a, b, cd = a×b, cdq = cd·q}`, a point `q` just left of the
 * longest edge, and whether the region on the ring's left is the smaller one (the ring turns
 * left in total: by Gauss-Bonnet that region's area is 2π minus the turning angles).
 */
function preparedRing(d: IDialect, vertices: string): string {
  return bind(d, { v: vertices }, r => {
    const m = `${d.fn('len')}(${r.v})`;
    const at = (k: string) => `${r.v}[((${k}) - 1 + ${m}) % ${m} + 1]`;
    const turning = `${d.call('list_sum', [
      `${d.fn('list_transform')}(${d.call('range', [`1`, `${m} + 1`])}, k -> ${bind(
        d,
        { a: at('k - 1'), b: at('k'), c: at('k + 1') },
        e =>
          bind(d, { n1: cross(e.a, e.b), n2: cross(e.b, e.c) }, n =>
            bind(
              d,
              { x: cross(n.n1, n.n2) },
              x =>
                `${d.fn('atan2')}(${d.fn('sqrt')}(${dot(x.x, x.x)}), ${dot(n.n1, n.n2)}) * CASE WHEN ${dot(n.n1, e.c)} < 0 THEN -1 ELSE 1 END`
            )
          )
      )})`
    ])}`;
    const normals = `${d.fn('list_transform')}(${d.call('range', [`1`, `${m} + 1`])}, k -> ${bind(
      d,
      { a: at('k'), b: at('k + 1') },
      e => cross(e.a, e.b)
    )})`;
    return bind(d, { cd: normals }, n => {
      const reference = bind(
        d,
        { l: `${d.fn('list_transform')}(${n.cd}, c -> ${dot('c', 'c')})` },
        l =>
          bind(
            d,
            {
              k: `${d.call('list_position', [l.l, `${d.fn('list_max')}(${l.l})`])}`
            },
            k =>
              bind(
                d,
                { a: at(k.k), b: at(`${k.k} + 1`), c: `${n.cd}[${k.k}]` },
                e =>
                  bind(
                    d,
                    {
                      mid: `[${e.a}[1] + ${e.b}[1], ${e.a}[2] + ${e.b}[2], ${e.a}[3] + ${e.b}[3]]`
                    },
                    x =>
                      bind(
                        d,
                        {
                          len: `${d.fn('sqrt')}(${dot(x.mid, x.mid)})`,
                          // 1e-9 radians (6 mm) off the edge, or less on a short edge: no other
                          // edge passes between q and the edge unless it is closer than that.
                          f: `${d.fn('least')}(1e-3, 1e-9 / ${d.fn('sqrt')}(${dot(e.c, e.c)}))`
                        },
                        y =>
                          `[${x.mid}[1] / ${y.len} + ${y.f} * ${e.c}[1], ${x.mid}[2] / ${y.len} + ${y.f} * ${e.c}[2], ${x.mid}[3] / ${y.len} + ${y.f} * ${e.c}[3]]`
                      )
                  )
              )
          )
      );
      return bind(d, { q: reference }, q => {
        const edgeList = `${d.fn('list_transform')}(${d.call('range', [`1`, `${m} + 1`])}, k -> {'a': ${at('k')}, 'b': ${at('k + 1')}, 'cd': ${n.cd}[k], 'cdq': ${dot(`${n.cd}[k]`, q.q)}})`;
        return `{'edges': ${edgeList}, 'q': ${q.q}, 'left': ${turning} > 0}`;
      });
    });
  });
}

/**
 * Whether a prepared ring (from `preparedRing`, a simple reference) contains a point (unit vector
 * `p`): the ring bounds the smaller region; `p` lies in the region on the ring's left, as `q`
 * does, when the geodesic between them crosses the ring an even number of times.
 */
function ringContains(d: IDialect, ring: string, p: string): string {
  return bind(d, { pq: cross(p, `${ring}.q`) }, y => {
    // S2's SimpleCrossing of the geodesics p-q and a-b, inline: a lambda per edge and row
    // would cost more than the arithmetic.
    const acb = `(-${dot(y.pq, 'e.a')})`;
    const crossings = `${d.fn('len')}(${d.fn('list_filter')}(${ring}.edges, e -> ${acb} * ${dot(y.pq, 'e.b')} > 0 AND ${acb} * -e.cdq > 0 AND ${acb} * ${dot('e.cd', p)} > 0))`;
    return `((${crossings} % 2 = 0) = ${ring}.left)`;
  });
}

/** Polygons (from `geoJsonPolygons`) prepared for containment tests; null if a ring is invalid. */
function preparedPolygons(d: IDialect, polygons: string): string {
  return bind(
    d,
    { rings: validRings(d, polygons) },
    w =>
      `CASE WHEN ${w.rings} IS NOT NULL THEN ${d.fn('list_transform')}(${w.rings}, poly -> ${d.fn('list_transform')}(poly, ring -> ${preparedRing(d, 'ring')})) END`
  );
}

/**
 * Whether prepared polygons (from `preparedPolygons`) contain a point (unit vector `p`): one
 * polygon's shell contains it and none of its holes. Prepare the polygons outside any lambda:
 * DuckDB folds a constant polygon once there, not inside a lambda's body.
 */
function preparedContain(d: IDialect, prepared: string, p: string): string {
  // The point is bound first: the lambdas below must not capture a name it uses.
  return bind(d, { pt: p, polys: prepared }, v => {
    const inside = `${d.call('list_bool_or', [`${d.fn('list_transform')}(${v.polys}, poly -> ${ringContains(d, 'poly[1]', v.pt)} AND NOT ${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${d.call('list_slice', [`poly`, `2`, `${d.fn('len')}(poly)`])}, hole -> ${ringContains(d, 'hole', v.pt)})`])}, false))`])}`;
    return `CASE WHEN ${v.polys} IS NOT NULL THEN ${inside} END`;
  });
}

/** Whether polygons (from `geoJsonPolygons`) contain a point; null when a ring is invalid. */
function polygonsContain(d: IDialect, polygons: string, p: string): string {
  return preparedContain(d, preparedPolygons(d, polygons), p);
}

/**
 * Whether a polygon's rings (lists of unit vectors) cross: two edges that are not neighbours on
 * one ring cross (S2's SimpleCrossing), which Kusto rejects. Each pair is tested once: for a
 * constant polygon DuckDB folds this, else it costs n² per row.
 */
function ringsCross(d: IDialect, poly: string): string {
  return bind(
    d,
    {
      es: `${d.fn('flatten')}(${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${poly}) + 1`])}, r -> ${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${poly}[r]) + 1`])}, k -> {'r': r, 'k': k, 'm': ${d.fn('len')}(${poly}[r]), 'a': ${poly}[r][k], 'b': ${poly}[r][k % ${d.fn('len')}(${poly}[r]) + 1], 'n': ${bind(
        d,
        {
          a: `${poly}[r][k]`,
          b: `${poly}[r][k % ${d.fn('len')}(${poly}[r]) + 1]`
        },
        e => cross(e.a, e.b)
      )}})))`
    },
    v => {
      const later = `(f.r > e.r OR (f.r = e.r AND f.k > e.k + 1 AND NOT (e.k = 1 AND f.k = e.m)))`;
      const acb = `(-${dot('e.n', 'f.a')})`;
      const crossing = `${acb} * ${dot('e.n', 'f.b')} > 0 AND ${acb} * -${dot('f.n', 'e.b')} > 0 AND ${acb} * ${dot('f.n', 'e.a')} > 0`;
      return `${d.fn('coalesce')}(${d.call('list_bool_or', [`${d.fn('list_transform')}(${v.es}, e -> ${d.call('list_bool_or', [`${d.fn('list_transform')}(${v.es}, f -> ${later} AND ${crossing})`])})`])}, false)`;
    }
  );
}

/**
 * The valid rings of polygons (from `geoJsonPolygons`) as unit vectors; null if a ring is
 * invalid or two edges cross.
 */
function validRings(d: IDialect, polygons: string): string {
  // Bound first: a subquery (toscalar) may not appear inside a lambda.
  return bind(d, { ps: polygons }, v =>
    bind(
      d,
      {
        rings: `${d.fn('list_transform')}(${v.ps}, poly -> ${d.fn('list_transform')}(poly, ring -> ${ringVertices(d, 'ring')}))`
      },
      w =>
        `CASE WHEN ${d.fn('len')}(${v.ps}) > 0 AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(${w.rings}, poly -> ${d.fn('len')}(poly) > 0 AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(poly, ring -> ring IS NOT NULL)`])})`])} AND NOT ${d.call('list_bool_or', [`${d.fn('list_transform')}(${w.rings}, shape -> ${ringsCross(d, 'shape')})`])} THEN ${w.rings} END`
    )
  );
}

/** `geo_polygon_perimeter(polygon)`: meters along all rings of a polygon. */
const polygonPerimeter: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { ps: validRings(d, geoJsonPolygons(d, ctx.as(call.args[0], 'dynamic'))) },
    v => {
      const ring = `${d.call('list_sum', [
        `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(ring) + 1`])}, k -> ${bind(
          d,
          { a: 'ring[k]', b: `ring[k % ${d.fn('len')}(ring) + 1]` },
          e => angleBetween(d, e.a, e.b)
        )})`
      ])}`;
      return `${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ps})`, 'geo_polygon_perimeter', 'polygons')}, ${EARTH_RADIUS} * ${d.call('list_sum', [`${d.fn('list_transform')}(${v.ps}[1], ring -> ${ring})`])})`;
    }
  );
};

/**
 * The area in steradians of the smaller region a ring bounds: the signed areas of the triangles
 * fanned from its first vertex (tan(E/2) = a·(b×c) / (1 + a·b + b·c + c·a)) give the region on
 * its left modulo 4π.
 */
function ringArea(d: IDialect, ring: string): string {
  const fan = `${d.call('list_sum', [
    `${d.fn('list_transform')}(${d.call('range', [`2`, `${d.fn('len')}(${ring})`])}, k -> ${bind(
      d,
      { a: `${ring}[1]`, b: `${ring}[k]`, c: `${ring}[k + 1]` },
      e =>
        bind(
          d,
          { bc: cross(e.b, e.c) },
          x =>
            `2 * ${d.fn('atan2')}(${dot(e.a, x.bc)}, 1 + ${dot(e.a, e.b)} + ${dot(e.b, e.c)} + ${dot(e.c, e.a)})`
        )
    )})`
  ])}`;
  // The sum is the region on the left, or minus the region on the right: never adding 4π to a
  // small area keeps its precision.
  return bind(
    d,
    { f: `${d.fn('abs')}(${fan})` },
    v => `${d.fn('least')}(${v.f}, 4 * ${d.fn('pi')}() - ${v.f})`
  );
}

/** `geo_polygon_area(polygon)`: square meters of the shell less its holes. */
const polygonArea: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { ps: validRings(d, geoJsonPolygons(d, ctx.as(call.args[0], 'dynamic'))) },
    v =>
      `${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ps})`, 'geo_polygon_area', 'polygons')}, ${EARTH_RADIUS} * ${EARTH_RADIUS} * (${ringArea(d, `${v.ps}[1][1]`)} - ${d.fn('coalesce')}(${d.call('list_sum', [`${d.fn('list_transform')}(${d.call('list_slice', [`${v.ps}[1]`, `2`, `${d.fn('len')}(${v.ps}[1])`])}, hole -> ${ringArea(d, 'hole')})`])}, 0)))`
  );
};

/**
 * `geo_distance_point_to_polygon(lng, lat, polygon)`: 0 inside, else meters to the nearest point
 * of any ring.
 */
const distancePointToPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return pointAndPolygon(
    d,
    call,
    ctx,
    () => '0.0',
    nearest => `${EARTH_RADIUS} * ${nearest}.d`
  );
};

/**
 * A point and a polygon argument bound once: `inside(lng, lat)` when a polygon holds the point,
 * else `outside` of the nearest point of its rings (`closestOnLines`'s `{d, p}`); null for an
 * invalid point or polygon.
 */
function pointAndPolygon(
  d: IDialect,
  call: ICall,
  ctx: IScalarEmitter,
  inside: (lng: string, lat: string) => string,
  outside: (nearest: string) => string
): string {
  const [lng, lat, polygon] = call.args;
  const json = ctx.as(polygon, 'dynamic');
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      polys: preparedPolygons(d, geoJsonPolygons(d, json)),
      rings: ringLines(d, validRings(d, geoJsonPolygons(d, json)))
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} THEN ${bind(
        d,
        { p: toXyz(d, v.a, v.b) },
        w =>
          `CASE WHEN ${preparedContain(d, v.polys, w.p)} THEN ${inside(v.a, v.b)} WHEN ${v.polys} IS NOT NULL THEN ${outside(closestOnLines(d, v.rings, w.p))} END`
      )} END`
  );
}

/** `geo_point_in_polygon(lng, lat, polygon)`: a Polygon or MultiPolygon in GeoJSON. */
const pointInPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, polygon] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      polys: preparedPolygons(d, geoJsonPolygons(d, ctx.as(polygon, 'dynamic')))
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} THEN ${preparedContain(d, v.polys, toXyz(d, v.a, v.b))} END`
  );
};

// -------------------------------------------------------------------------------------------------
// Lines: polylines of geodesic edges.

/**
 * The lines of a GeoJSON LineString or MultiLineString as a list of lines, each a list of unit
 * vectors; null unless every line has at least two positions, all valid coordinates.
 */
function geoJsonLines(d: IDialect, json: string): string {
  return bind(d, { j: json }, v =>
    bind(
      d,
      {
        ls: `CASE ${d.fn('json_extract_string')}(${v.j}, '$.type') WHEN 'LineString' THEN [TRY_CAST(${d.fn('json_extract')}(${v.j}, '$.coordinates') AS DOUBLE[][])] WHEN 'MultiLineString' THEN TRY_CAST(${d.fn('json_extract')}(${v.j}, '$.coordinates') AS DOUBLE[][][]) END`
      },
      w => {
        const valid = `${d.fn('len')}(${w.ls}) > 0 AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(${w.ls}, l -> ${d.fn('len')}(l) >= 2 AND ${d.call('list_bool_and', [`${d.fn('list_transform')}(l, c -> ${d.fn('len')}(c) >= 2 AND ${validPoint('c[1]', 'c[2]')})`])})`])}`;
        return `CASE WHEN ${valid} THEN ${d.fn('list_transform')}(${w.ls}, l -> ${d.fn('list_transform')}(l, c -> ${toXyz(d, 'c[1]', 'c[2]')})) END`;
      }
    )
  );
}

/** The edges `{a, b}` of lines (lists of unit vectors). */
function edges(d: IDialect, lines: string): string {
  return `${d.fn('flatten')}(${d.fn('list_transform')}(${lines}, l -> ${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(l)`])}, k -> {'a': l[k], 'b': l[k + 1]})))`;
}

/** The angle between two unit vectors (simple references), from their chord. */
function angleBetween(d: IDialect, a: string, b: string): string {
  return `(2 * ${d.fn('asin')}(${d.fn('least')}(1.0, 0.5 * ${d.fn('sqrt')}((${a}[1] - ${b}[1]) ** 2 + (${a}[2] - ${b}[2]) ** 2 + (${a}[3] - ${b}[3]) ** 2))))`;
}

/**
 * The point of the geodesic edge a-b closest to x, and its angular distance, as `{p, d}` (S2's
 * edge distance: the perpendicular foot when x lies in the wedge of the edge, else the nearer
 * end).
 */
function closestOnEdge(d: IDialect, x: string, a: string, b: string): string {
  return bind(d, { c: cross(a, b) }, v =>
    bind(d, { ca: cross(v.c, a), bc: cross(b, v.c), cc: dot(v.c, v.c) }, w =>
      bind(d, { xc: dot(x, v.c) }, y => {
        const foot = `[${x}[1] - ${y.xc} / ${w.cc} * ${v.c}[1], ${x}[2] - ${y.xc} / ${w.cc} * ${v.c}[2], ${x}[3] - ${y.xc} / ${w.cc} * ${v.c}[3]]`;
        const interior = `${w.cc} > 0 AND ${dot(w.ca, x)} > 0 AND ${dot(w.bc, x)} > 0`;
        // The distance first: the structs are sorted to find the nearest.
        return `CASE WHEN ${interior} THEN {'d': ${d.fn('asin')}(${d.fn('least')}(1.0, ${d.fn('abs')}(${y.xc}) / ${d.fn('sqrt')}(${w.cc}))), 'p': ${foot}} WHEN ${angleBetween(d, x, a)} <= ${angleBetween(d, x, b)} THEN {'d': ${angleBetween(d, x, a)}, 'p': ${a}} ELSE {'d': ${angleBetween(d, x, b)}, 'p': ${b}} END`;
      })
    )
  );
}

/**
 * The closest point of lines (from `geoJsonLines`) to a unit vector, as `{d, k, p}`: its angular
 * distance, the number of its edge (the first of equally near ones) and the point.
 */
function closestOnLines(d: IDialect, lines: string, x: string): string {
  return bind(d, { es: edges(d, lines) }, v =>
    bind(
      d,
      {
        c: `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${v.es}) + 1`])}, k -> ${bind(d, { e: `${v.es}[k]` }, w => closestOnEdge(d, x, `${w.e}.a`, `${w.e}.b`))})`
      },
      w =>
        `${d.fn('list_sort')}(${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${w.c}) + 1`])}, k -> {'d': ${w.c}[k].d, 'k': k, 'p': ${w.c}[k].p}))[1]`
    )
  );
}

/** Refuses a `use_spheroid` argument other than `false`: Kusto's spheroid is not reproduced. */
function sphereOnly(call: ICall, index: number): void {
  const flag = call.args[index];
  if (flag && !(flag.kind === 'literal' && flag.value === false)) {
    throw new UnsupportedError(
      `${call.name}() on the spheroid`,
      flag.span,
      "Kusto's geodesics on the WGS-84 spheroid are not reproduced; the sphere (the default) is"
    );
  }
}

/** The edge angles of lines, in order. */
function edgeAngles(d: IDialect, lines: string): string {
  return `${d.fn('list_transform')}(${edges(d, lines)}, e -> ${angleBetween(d, 'e.a', 'e.b')})`;
}

/**
 * `geo_line_locate_point(line, lng, lat [, use_spheroid])`: the fraction of the line's length
 * before its point nearest to the coordinate (one line).
 */
const lineLocatePoint: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  sphereOnly(call, 3);
  const [line, lng, lat] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      ls: geoJsonLines(d, ctx.as(line, 'dynamic'))
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${v.ls} IS NOT NULL THEN ${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ls})`, 'geo_line_locate_point', 'lines')}, ${bind(
        d,
        {
          x: toXyz(d, v.a, v.b),
          lens: edgeAngles(d, v.ls),
          es: edges(d, v.ls)
        },
        w =>
          bind(d, { c: closestOnLines(d, v.ls, w.x) }, c =>
            bind(
              d,
              { e: `${w.es}[${c.c}.k]`, p: `${c.c}.p` },
              e =>
                `(${d.fn('coalesce')}(${d.call('list_sum', [`${d.call('list_slice', [w.lens, `1`, `${c.c}.k - 1`])}`])}, 0) + ${angleBetween(d, `${e.e}.a`, e.p)}) / ${d.call('list_sum', [w.lens])}`
            )
          )
      )}) END`
  );
};

/** A unit vector moved from `a` toward `b` by the angle `t` along their geodesic. */
function alongEdge(d: IDialect, a: string, b: string, t: string): string {
  return bind(d, { n: cross(a, b) }, n =>
    bind(d, { dir: cross(n.n, a) }, u =>
      bind(d, { len: `${d.fn('sqrt')}(${dot(u.dir, u.dir)})` }, l => {
        const at = (i: number) =>
          `${a}[${i}] * ${d.fn('cos')}(${t}) + ${u.dir}[${i}] / ${l.len} * ${d.fn('sin')}(${t})`;
        return `CASE WHEN ${l.len} = 0 THEN ${a} ELSE [${at(1)}, ${at(2)}, ${at(3)}] END`;
      })
    )
  );
}

/**
 * `geo_line_interpolate_point(line, fraction [, use_spheroid])`: the point at a fraction (0 to
 * 1) of the line's length from its start (one line; S2Polyline's `Interpolate`).
 */
const lineInterpolatePoint: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  sphereOnly(call, 2);
  const [line, fraction] = call.args;
  return bind(
    d,
    { f: real(ctx, fraction), ls: geoJsonLines(d, ctx.as(line, 'dynamic')) },
    v =>
      `CASE WHEN ${v.f} BETWEEN 0 AND 1 AND ${v.ls} IS NOT NULL THEN ${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ls})`, 'geo_line_interpolate_point', 'lines')}, ${bind(
        d,
        { lens: edgeAngles(d, v.ls), es: edges(d, v.ls) },
        w =>
          bind(
            d,
            {
              before: `${d.fn('list_transform')}(${d.call('range', [`1`, `${d.fn('len')}(${w.lens}) + 1`])}, k -> ${d.fn('coalesce')}(${d.call('list_sum', [`${d.call('list_slice', [w.lens, `1`, `k - 1`])}`])}, 0))`,
              target: `${v.f} * ${d.call('list_sum', [w.lens])}`
            },
            x =>
              bind(
                d,
                {
                  k: `${d.fn('coalesce')}(${d.fn('list_filter')}(${d.call('range', [`1`, `${d.fn('len')}(${w.lens}) + 1`])}, k -> ${x.before}[k] + ${w.lens}[k] >= ${x.target})[1], ${d.fn('len')}(${w.lens}))`
                },
                y =>
                  bind(
                    d,
                    {
                      e: `${w.es}[${y.k}]`,
                      t: `${d.fn('least')}(${x.target} - ${x.before}[${y.k}], ${w.lens}[${y.k}])`
                    },
                    e =>
                      geoJsonPoint(
                        d,
                        toLngLat(d, alongEdge(d, `${e.e}.a`, `${e.e}.b`, e.t))
                      )
                  )
              )
          )
      )}) END`
  );
};

/**
 * `geo_line_centroid(line)`: the length-weighted centre of the edges (S2's `TrueCentroid` of
 * each edge: its midpoint direction with length 2 sin θ), of one line.
 */
const lineCentroid: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { ls: geoJsonLines(d, ctx.as(call.args[0], 'dynamic')) },
    v =>
      `${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ls})`, 'geo_line_centroid', 'lines')}, ${bind(
        d,
        {
          parts: `${d.fn('list_transform')}(${edges(d, v.ls)}, e -> ${bind(
            d,
            {
              sum: `[e.a[1] + e.b[1], e.a[2] + e.b[2], e.a[3] + e.b[3]]`,
              diff: `[e.a[1] - e.b[1], e.a[2] - e.b[2], e.a[3] - e.b[3]]`
            },
            w =>
              bind(
                d,
                {
                  k: `CASE WHEN ${dot(w.sum, w.sum)} = 0 THEN 0 ELSE ${d.fn('sqrt')}(${dot(w.diff, w.diff)} / ${dot(w.sum, w.sum)}) END`
                },
                x =>
                  `[${x.k} * ${w.sum}[1], ${x.k} * ${w.sum}[2], ${x.k} * ${w.sum}[3]]`
              )
          )})`
        },
        w =>
          bind(
            d,
            {
              c: `[${d.call('list_sum', [`${d.fn('list_transform')}(${w.parts}, q -> q[1])`])}, ${d.call('list_sum', [`${d.fn('list_transform')}(${w.parts}, q -> q[2])`])}, ${d.call('list_sum', [`${d.fn('list_transform')}(${w.parts}, q -> q[3])`])}]`
            },
            x =>
              `CASE WHEN ${dot(x.c, x.c)} > 0 THEN ${geoJsonPoint(d, toLngLat(d, x.c))} END`
          )
      )})`
  );
};

/** `geo_distance_point_to_line(lng, lat, line)`: meters to the nearest point of the lines. */
const distancePointToLine: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, line] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      ls: geoJsonLines(d, ctx.as(line, 'dynamic'))
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${v.ls} IS NOT NULL THEN ${bind(
        d,
        { x: toXyz(d, v.a, v.b) },
        w =>
          bind(
            d,
            { c: closestOnLines(d, v.ls, w.x) },
            c => `${EARTH_RADIUS} * ${c.c}.d`
          )
      )} END`
  );
};

/** `geo_closest_point_on_line(lng, lat, line)`: the nearest point of the lines, a GeoJSON point. */
const closestPointOnLine: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, line] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      ls: geoJsonLines(d, ctx.as(line, 'dynamic'))
    },
    v =>
      `CASE WHEN ${validPoint(v.a, v.b)} AND ${v.ls} IS NOT NULL THEN ${bind(
        d,
        { x: toXyz(d, v.a, v.b) },
        w =>
          bind(d, { c: closestOnLines(d, v.ls, w.x) }, c =>
            bind(d, { p: `${c.c}.p` }, p => geoJsonPoint(d, toLngLat(d, p.p)))
          )
      )} END`
  );
};

/**
 * Fails the query when a shape has several lines or polygons: Kusto measures their union, which
 * is not reproduced.
 */
function singleShape(
  d: IDialect,
  count: string,
  name: string,
  what: string
): string {
  return `CASE WHEN ${count} > 1 THEN ${d.fn('error')}('not supported locally: ${name}() of several ${what} (Kusto measures their union)') END`;
}

/** `geo_line_length(line)`: meters along a line (one line of a MultiLineString). */
const lineLength: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { ls: geoJsonLines(d, ctx.as(call.args[0], 'dynamic')) },
    v =>
      `${d.fn('coalesce')}(${singleShape(d, `${d.fn('len')}(${v.ls})`, 'geo_line_length', 'lines')}, ${EARTH_RADIUS} * ${d.call('list_sum', [`${d.fn('list_transform')}(${edges(d, v.ls)}, e -> ${angleBetween(d, 'e.a', 'e.b')})`])})`
  );
};

/**
 * Whether the geodesic edges a1-a2 and b1-b2 (unit vectors, simple references) share a point:
 * they cross (S2's SimpleCrossing) or share a vertex.
 */
function edgesMeet(
  d: IDialect,
  a1: string,
  a2: string,
  b1: string,
  b2: string
): string {
  return bind(d, { ab: cross(a1, a2), cd: cross(b1, b2) }, v =>
    bind(
      d,
      { acb: `-${dot(v.ab, b1)}` },
      w =>
        `((${w.acb} * ${dot(v.ab, b2)} > 0 AND ${w.acb} * -${dot(v.cd, a2)} > 0 AND ${w.acb} * ${dot(v.cd, a1)} > 0) OR ${a1} = ${b1} OR ${a1} = ${b2} OR ${a2} = ${b1} OR ${a2} = ${b2})`
    )
  );
}

/** Whether any edge of the lines `l1` meets any edge of the lines `l2` (lists of unit vectors). */
function linesMeet(d: IDialect, l1: string, l2: string): string {
  return bind(
    d,
    { e1: edges(d, l1), e2: edges(d, l2) },
    v =>
      `${d.call('list_bool_or', [`${d.fn('list_transform')}(${v.e1}, x -> ${d.call('list_bool_or', [`${d.fn('list_transform')}(${v.e2}, y -> ${edgesMeet(d, 'x.a', 'x.b', 'y.a', 'y.b')})`])})`])}`
  );
}

/** The rings of valid polygons (from `validRings`) as closed lines. */
function ringLines(d: IDialect, rings: string): string {
  return `${d.fn('flatten')}(${d.fn('list_transform')}(${rings}, poly -> ${d.fn('list_transform')}(poly, ring -> ${d.fn('list_concat')}(ring, [ring[1]]))))`;
}

/** `geo_intersects_2lines(line1, line2)`: whether the lines share a point. */
const intersects2Lines: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    {
      l1: geoJsonLines(d, ctx.as(call.args[0], 'dynamic')),
      l2: geoJsonLines(d, ctx.as(call.args[1], 'dynamic'))
    },
    v =>
      `CASE WHEN ${v.l1} IS NOT NULL AND ${v.l2} IS NOT NULL THEN ${linesMeet(d, v.l1, v.l2)} END`
  );
};

/**
 * `geo_intersects_line_with_polygon(line, polygon)`: whether the line meets a ring or lies in
 * the polygon.
 */
const intersectsLineWithPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    {
      l: geoJsonLines(d, ctx.as(call.args[0], 'dynamic')),
      g: geoJsonPolygons(d, ctx.as(call.args[1], 'dynamic'))
    },
    v =>
      bind(
        d,
        { rings: validRings(d, v.g) },
        w =>
          `CASE WHEN ${v.l} IS NOT NULL AND ${w.rings} IS NOT NULL THEN ${linesMeet(d, v.l, ringLines(d, w.rings))} OR ${bind(d, { p: `${v.l}[1][1]` }, x => polygonsContain(d, v.g, x.p))} END`
      )
  );
};

/**
 * `geo_intersects_2polygons(polygon1, polygon2)`: whether their rings meet or one contains a
 * vertex of the other.
 */
const intersects2Polygons: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    {
      g1: geoJsonPolygons(d, ctx.as(call.args[0], 'dynamic')),
      g2: geoJsonPolygons(d, ctx.as(call.args[1], 'dynamic'))
    },
    v =>
      bind(
        d,
        { r1: validRings(d, v.g1), r2: validRings(d, v.g2) },
        w =>
          `CASE WHEN ${w.r1} IS NOT NULL AND ${w.r2} IS NOT NULL THEN ${linesMeet(d, ringLines(d, w.r1), ringLines(d, w.r2))} OR ${d.call('list_bool_or', [`${d.fn('list_transform')}(${w.r2}, other -> ${polygonsContain(d, v.g1, 'other[1][1]')})`])} OR ${d.call('list_bool_or', [`${d.fn('list_transform')}(${w.r1}, other -> ${polygonsContain(d, v.g2, 'other[1][1]')})`])} END`
      )
  );
};

/**
 * `geo_closest_point_on_polygon(lng, lat, polygon)`: the point itself inside, else the nearest
 * point of any ring.
 */
const closestPointOnPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return pointAndPolygon(
    d,
    call,
    ctx,
    (lng, lat) => geoJsonPoint(d, `[${lng}, ${lat}]`),
    nearest =>
      bind(d, { c: `${nearest}.p` }, x => geoJsonPoint(d, toLngLat(d, x.c)))
  );
};

// -------------------------------------------------------------------------------------------------
// Geohash: longitude and latitude bits interleaved (longitude first), five bits per character.

const GEOHASH_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** Longitude bits (`nx`) and latitude bits (`ny`) of a geohash of `length` characters. */
function geohashBits(length: string): { nx: string; ny: string } {
  return { nx: `((5 * ${length} + 1) // 2)`, ny: `((5 * ${length}) // 2)` };
}

/**
 * A geohash's cell as a struct of its longitude and latitude indices `x`, `y` and its length
 * `n`; null for an invalid geohash (1 to 18 characters of the geohash alphabet).
 */
function geohashDecode(d: IDialect, hash: string): string {
  return bind(d, { s: hash }, v => {
    const cells = fold(
      d,
      `${d.call('range', [`${d.fn('length')}(${v.s})`])}`,
      { x: ['BIGINT', '0'], y: ['BIGINT', '0'] },
      (acc, c) => {
        const digit = `(${d.fn('strpos')}('${GEOHASH_ALPHABET}', ${v.s}[${c} + 1]) - 1)`;
        const three = `(((${digit} >> 2) & 4) | ((${digit} >> 1) & 2) | (${digit} & 1))`;
        const two = `(((${digit} >> 2) & 2) | ((${digit} >> 1) & 1))`;
        return {
          x: `CASE WHEN ${c} % 2 = 0 THEN ${acc.x} * 8 + ${three} ELSE ${acc.x} * 4 + ${two} END`,
          y: `CASE WHEN ${c} % 2 = 0 THEN ${acc.y} * 4 + ${two} ELSE ${acc.y} * 8 + ${three} END`
        };
      }
    );
    return `CASE WHEN ${d.fn('length')}(${v.s}) BETWEEN 1 AND 18 AND ${d.call('regexp_full_match', [v.s, `'[0-9b-hjkmnp-z]+'`])} THEN ${d.fn('struct_insert')}(${cells}, n := ${d.fn('length')}(${v.s})) END`;
  });
}

/** The geohash of longitude index `x`, latitude index `y` and `n` characters. */
function geohashEncode(d: IDialect, x: string, y: string, n: string): string {
  const { nx, ny } = geohashBits(n);
  const xb = `((5 * c + 1) // 2)`;
  const yb = `((5 * c) // 2)`;
  const even = `(((${x} >> (${nx} - ${xb} - 3)) & 4) << 2) | (((${y} >> (${ny} - ${yb} - 2)) & 2) << 2) | (((${x} >> (${nx} - ${xb} - 3)) & 2) << 1) | (((${y} >> (${ny} - ${yb} - 2)) & 1) << 1) | ((${x} >> (${nx} - ${xb} - 3)) & 1)`;
  const odd = `(((${y} >> (${ny} - ${yb} - 3)) & 4) << 2) | (((${x} >> (${nx} - ${xb} - 2)) & 2) << 2) | (((${y} >> (${ny} - ${yb} - 3)) & 2) << 1) | (((${x} >> (${nx} - ${xb} - 2)) & 1) << 1) | ((${y} >> (${ny} - ${yb} - 3)) & 1)`;
  return `${d.fn('array_to_string')}(${d.fn('list_transform')}(${d.call('range', [n])}, c -> ${d.fn('substr')}('${GEOHASH_ALPHABET}', CAST(CASE WHEN c % 2 = 0 THEN ${even} ELSE ${odd} END AS INTEGER) + 1, 1)), '')`;
}

/** The index of the cell of `bits` bits over [-half, half) that holds `value` (bisection's). */
function geohashIndex(
  d: IDialect,
  value: string,
  half: number,
  bits: string
): string {
  const width = `(${2 * half} / CAST(1::BIGINT << ${bits} AS DOUBLE))`;
  return bind(
    d,
    {
      k: `CAST(${d.fn('floor')}((${value} + ${half}) / ${width}) AS BIGINT)`,
      w: width
    },
    v => {
      const lo = (k: string) => `(-${half} + ${k} * ${v.w})`;
      // The floor of a rounded quotient is corrected by exact comparisons with the cell's bounds.
      const exact = `${v.k} - CASE WHEN ${value} < ${lo(v.k)} THEN 1 ELSE 0 END + CASE WHEN ${value} >= ${lo(`(${v.k} + 1)`)} THEN 1 ELSE 0 END`;
      return `${d.fn('least')}(${d.fn('greatest')}(${exact}, 0), (1::BIGINT << ${bits}) - 1)`;
    }
  );
}

/** `geo_point_to_geohash(lng, lat [, accuracy = 5])`. */
const pointToGeohash: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, accuracy] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      n: accuracy ? `CAST(${ctx.as(accuracy, 'long')} AS BIGINT)` : '5::BIGINT'
    },
    v => {
      const { nx, ny } = geohashBits(v.n);
      return `${d.fn('coalesce')}(CASE WHEN ${validPoint(v.a, v.b)} AND ${v.n} BETWEEN 1 AND 18 THEN ${bind(
        d,
        {
          x: geohashIndex(d, v.a, 180, nx),
          y: geohashIndex(d, v.b, 90, ny)
        },
        w => geohashEncode(d, w.x, w.y, v.n)
      )} END, '')`;
    }
  );
};

/** The `[lng, lat]` bounds of a decoded geohash cell: `[west, south, east, north]`. */
function geohashBounds(cell: string): string {
  const { nx, ny } = geohashBits(`${cell}.n`);
  const w = `(360 / CAST(1::BIGINT << ${nx} AS DOUBLE))`;
  const h = `(180 / CAST(1::BIGINT << ${ny} AS DOUBLE))`;
  return `[-180 + ${cell}.x * ${w}, -90 + ${cell}.y * ${h}, -180 + (${cell}.x + 1) * ${w}, -90 + (${cell}.y + 1) * ${h}]`;
}

/** `geo_geohash_to_central_point(geohash)`. */
const geohashToCentralPoint: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, { c: geohashDecode(d, ctx.str(call.args[0])) }, v =>
    bind(
      d,
      { b: geohashBounds(v.c) },
      w =>
        `CASE WHEN ${v.c} IS NOT NULL THEN ${geoJsonPoint(d, `[(${w.b}[1] + ${w.b}[3]) / 2, (${w.b}[2] + ${w.b}[4]) / 2]`)} END`
    )
  );
};

/** `geo_geohash_to_polygon(geohash)`: the cell's rectangle, counterclockwise from south-west. */
const geohashToPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, { c: geohashDecode(d, ctx.str(call.args[0])) }, v =>
    bind(d, { b: geohashBounds(v.c) }, w => {
      const [west, south, east, north] = [1, 2, 3, 4].map(i => `${w.b}[${i}]`);
      return `CASE WHEN ${v.c} IS NOT NULL THEN ${geoJsonPolygon(d, `[${west}, ${south}], [${east}, ${south}], [${east}, ${north}], [${west}, ${north}], [${west}, ${south}]`)} END`;
    })
  );
};

/**
 * The eight neighbors' offsets in longitude and latitude cells, in the order of Kusto's
 * documented example (Kusto documents no order).
 */
const GEOHASH_NEIGHBORS = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [0, 1],
  [-1, 0],
  [1, 1],
  [1, 0],
  [0, -1]
];

/**
 * `geo_geohash_neighbors(geohash)`: longitude wraps around the antimeridian; there are no cells
 * beyond the poles.
 */
const geohashNeighbors: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, { c: geohashDecode(d, ctx.str(call.args[0])) }, v => {
    const { nx, ny } = geohashBits(`${v.c}.n`);
    const x = `((${v.c}.x + o[1] + (1::BIGINT << ${nx})) % (1::BIGINT << ${nx}))`;
    const y = `(${v.c}.y + o[2])`;
    const cell = `CASE WHEN ${y} >= 0 AND ${y} < (1::BIGINT << ${ny}) THEN ${geohashEncode(d, x, y, `${v.c}.n`)} END`;
    return `CASE WHEN ${v.c} IS NOT NULL THEN ${d.call('to_json', [`${d.fn('list_filter')}(${d.fn('list_transform')}(${JSON.stringify(GEOHASH_NEIGHBORS)}, o -> ${cell}), h -> h IS NOT NULL)`])} END`;
  });
};

// -------------------------------------------------------------------------------------------------
// S2 cells: a cube's six faces projected onto the sphere (quadratic projection), each face's
// 2^30 x 2^30 leaf cells numbered along a Hilbert curve; a cell id is the face (3 bits), the
// curve position (2 bits per level) and a trailing 1 bit; its token is its hex digits without
// trailing zeros (S2's `S2CellId`).

const S2_MAX_SIZE = 1 << 30;
/** Hilbert curve position of (i, j) bits by orientation (S2's `kIJtoPos`). */
const S2_IJ_TO_POS = '[[0, 1, 3, 2], [0, 3, 1, 2], [2, 3, 1, 0], [2, 1, 3, 0]]';
/** (i, j) bits of a Hilbert curve position by orientation (S2's `kPosToIJ`). */
const S2_POS_TO_IJ = '[[0, 1, 3, 2], [0, 2, 3, 1], [3, 2, 0, 1], [3, 1, 0, 2]]';
/** How a position changes the orientation of its subcells (S2's `kPosToOrientation`). */
const S2_POS_TO_ORIENTATION = '[1, 0, 0, 3]';

/** The cube face of a vector `[x, y, z]` (S2's `GetFace`). */
function s2Face(d: IDialect, p: string): string {
  const [x, y, z] = [1, 2, 3].map(i => `${d.fn('abs')}(${p}[${i}])`);
  const axis = `CASE WHEN ${x} > ${y} THEN (CASE WHEN ${x} > ${z} THEN 0 ELSE 2 END) ELSE (CASE WHEN ${y} > ${z} THEN 1 ELSE 2 END) END`;
  return bind(
    d,
    { a: axis },
    v => `(${v.a} + CASE WHEN ${p}[${v.a} + 1] < 0 THEN 3 ELSE 0 END)`
  );
}

/** `[u, v]` of a vector on a face (S2's `ValidFaceXYZtoUV`). */
function s2FaceUv(face: string, p: string): string {
  const [x, y, z] = [1, 2, 3].map(i => `${p}[${i}]`);
  return `CASE ${face} WHEN 0 THEN [${y} / ${x}, ${z} / ${x}] WHEN 1 THEN [-${x} / ${y}, ${z} / ${y}] WHEN 2 THEN [-${x} / ${z}, -${y} / ${z}] WHEN 3 THEN [${z} / ${x}, ${y} / ${x}] WHEN 4 THEN [${z} / ${y}, -${x} / ${y}] ELSE [-${y} / ${z}, -${x} / ${z}] END`;
}

/** The vector of `(u, v)` on a face (S2's `FaceUVtoXYZ`). */
function s2FaceUvToXyz(face: string, u: string, v: string): string {
  return `CASE ${face} WHEN 0 THEN [1.0, ${u}, ${v}] WHEN 1 THEN [-${u}, 1.0, ${v}] WHEN 2 THEN [-${u}, -${v}, 1.0] WHEN 3 THEN [-1.0, -${v}, -${u}] WHEN 4 THEN [${v}, -1.0, -${u}] ELSE [${v}, ${u}, -1.0] END`;
}

/** S2's quadratic projection, u to s. */
function s2UvToSt(d: IDialect, u: string): string {
  return `CASE WHEN ${u} >= 0 THEN 0.5 * ${d.fn('sqrt')}(1 + 3 * ${u}) ELSE 1 - 0.5 * ${d.fn('sqrt')}(1 - 3 * ${u}) END`;
}

/** S2's quadratic projection, s to u. */
function s2StToUv(s: string): string {
  return `CASE WHEN ${s} >= 0.5 THEN (4 * ${s} * ${s} - 1) / 3.0 ELSE (1 - 4 * (1 - ${s}) * (1 - ${s})) / 3.0 END`;
}

/** The leaf index of s (S2's `STtoIJ`: rounded half to even, clamped). */
function s2StToIj(d: IDialect, s: string): string {
  return `CAST(${d.fn('least')}(${d.fn('greatest')}(${d.fn('round_even')}(${S2_MAX_SIZE}.0 * (${s}) - 0.5, 0), 0), ${S2_MAX_SIZE - 1}) AS BIGINT)`;
}

/** The leaf cell id (UBIGINT) of face and leaf indices i, j (S2's `FromFaceIJ`). */
function s2FromFaceIj(d: IDialect, face: string, i: string, j: string): string {
  return bind(
    d,
    {
      f: `CAST(${face} AS BIGINT)`,
      i: `CAST(${i} AS BIGINT)`,
      j: `CAST(${j} AS BIGINT)`
    },
    v => {
      return `${fold(
        d,
        `${d.call('range', [`29`, `-1`, `-1`])}`,
        {
          o: ['INTEGER', `${v.f} & 1`],
          n: ['UBIGINT', `(CAST(${v.f} AS UBIGINT) << 61) | 1::UBIGINT`]
        },
        (acc, b) => {
          const pos = `${S2_IJ_TO_POS}[${acc.o} + 1][(((${v.i} >> ${b}) & 1) << 1 | ((${v.j} >> ${b}) & 1)) + 1]`;
          return {
            o: `${d.call('xor', [acc.o, `${S2_POS_TO_ORIENTATION}[${pos} + 1]`])}`,
            n: `${acc.n} | (CAST(${pos} AS UBIGINT) << (2 * ${b} + 1))`
          };
        }
      )}.n`;
    }
  );
}

/** The cell id's ancestor at `level` (S2's `parent(level)`). */
function s2Parent(id: string, level: string): string {
  const lsb = `(1::UBIGINT << (2 * (30 - ${level})))`;
  return `((${id} & ~(${lsb} - 1::UBIGINT) & ~${lsb}) | ${lsb})`;
}

/** The token of a cell id. */
function s2Token(d: IDialect, id: string): string {
  return `${d.call('rtrim', [`${d.fn('lpad')}(${d.fn('lower')}(${d.fn('hex')}(${id})), 16, '0')`, `'0'`])}`;
}

/** The cell id of a token, null for an invalid token or cell. */
function s2Decode(d: IDialect, token: string): string {
  return bind(d, { s: token }, v =>
    bind(
      d,
      {
        id: `CASE WHEN ${d.call('regexp_full_match', [v.s, `'[0-9a-fA-F]{1,16}'`])} THEN CAST('0x' || ${d.fn('rpad')}(${v.s}, 16, '0') AS UBIGINT) END`
      },
      w =>
        `CASE WHEN ${w.id} <> 0 AND (${w.id} >> 61) < 6 AND (${w.id} & ~(${w.id} - 1::UBIGINT) & 1537228672809129301::UBIGINT) <> 0 THEN ${w.id} END`
    )
  );
}

/** A valid cell id's level. */
function s2Level(d: IDialect, id: string): string {
  return `(30 - CAST(${d.fn('round')}(${d.fn('log2')}(CAST(${id} & ~(${id} - 1::UBIGINT) AS DOUBLE))) AS BIGINT) // 2)`;
}

/**
 * A valid cell id's face, the indices of its lower-left leaf `i`, `j` and its `size` in leaves
 * (S2's `ToFaceIJOrientation`).
 */
function s2Cell(d: IDialect, id: string): string {
  return bind(d, { id }, v => {
    const leaf = fold(
      d,
      `${d.call('range', [`29`, `-1`, `-1`])}`,
      {
        o: ['INTEGER', `CAST(${v.id} >> 61 AS INTEGER) & 1`],
        i: ['BIGINT', '0'],
        j: ['BIGINT', '0']
      },
      (acc, b) => {
        const pos = `CAST((${v.id} >> (2 * ${b} + 1)) & 3::UBIGINT AS INTEGER)`;
        const ij = `${S2_POS_TO_IJ}[${acc.o} + 1][${pos} + 1]`;
        return {
          o: `${d.call('xor', [acc.o, `${S2_POS_TO_ORIENTATION}[${pos} + 1]`])}`,
          i: `${acc.i} | (CAST(${ij} >> 1 AS BIGINT) << ${b})`,
          j: `${acc.j} | (CAST(${ij} & 1 AS BIGINT) << ${b})`
        };
      }
    );
    return bind(
      d,
      { l: leaf, size: `(1::BIGINT << (30 - ${s2Level(d, v.id)}))` },
      w =>
        `{'face': CAST(${v.id} >> 61 AS INTEGER), 'i': ${w.l}.i & ~(${w.size} - 1), 'j': ${w.l}.j & ~(${w.size} - 1), 'size': ${w.size}, 'level': ${s2Level(d, v.id)}}`
    );
  });
}

/** `[lng, lat]` of the point at leaf coordinates `(si, ti)` / 2^31 on a face. */
function s2PointAt(d: IDialect, face: string, si: string, ti: string): string {
  return bind(
    d,
    {
      p: s2FaceUvToXyz(
        face,
        s2StToUv(`(${si}) / ${2 * S2_MAX_SIZE}.0`),
        s2StToUv(`(${ti}) / ${2 * S2_MAX_SIZE}.0`)
      )
    },
    v => toLngLat(d, v.p)
  );
}

/** `geo_point_to_s2cell(lng, lat [, level = 11])`. */
const pointToS2cell: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, level] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      l: level ? `CAST(${ctx.as(level, 'long')} AS BIGINT)` : '11::BIGINT'
    },
    v =>
      `${d.fn('coalesce')}(CASE WHEN ${validPoint(v.a, v.b)} AND ${v.l} BETWEEN 0 AND 30 THEN ${bind(
        d,
        { p: toXyz(d, v.a, v.b) },
        w =>
          bind(d, { f: s2Face(d, w.p) }, x =>
            bind(d, { uv: s2FaceUv(x.f, w.p) }, y =>
              s2Token(
                d,
                s2Parent(
                  s2FromFaceIj(
                    d,
                    x.f,
                    s2StToIj(d, s2UvToSt(d, `${y.uv}[1]`)),
                    s2StToIj(d, s2UvToSt(d, `${y.uv}[2]`))
                  ),
                  v.l
                )
              )
            )
          )
      )} END, '')`
  );
};

/** `geo_s2cell_to_central_point(token)`. */
const s2cellToCentralPoint: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { id: s2Decode(d, ctx.str(call.args[0])) },
    v =>
      `CASE WHEN ${v.id} IS NOT NULL THEN ${bind(d, { c: s2Cell(d, v.id) }, w =>
        geoJsonPoint(
          d,
          s2PointAt(
            d,
            `${w.c}.face`,
            `2 * ${w.c}.i + ${w.c}.size`,
            `2 * ${w.c}.j + ${w.c}.size`
          )
        )
      )} END`
  );
};

/** `geo_s2cell_to_polygon(token)`: the cell's four vertices counterclockwise (S2Cell's order). */
const s2cellToPolygon: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { id: s2Decode(d, ctx.str(call.args[0])) },
    v =>
      `CASE WHEN ${v.id} IS NOT NULL THEN ${bind(
        d,
        { c: s2Cell(d, v.id) },
        w => {
          const corner = (di: number, dj: number) =>
            s2PointAt(
              d,
              `${w.c}.face`,
              `2 * (${w.c}.i + ${di} * ${w.c}.size)`,
              `2 * (${w.c}.j + ${dj} * ${w.c}.size)`
            );
          return bind(
            d,
            {
              a: corner(0, 0),
              b: corner(1, 0),
              c: corner(1, 1),
              d: corner(0, 1)
            },
            x => geoJsonPolygon(d, `${x.a}, ${x.b}, ${x.c}, ${x.d}, ${x.a}`)
          );
        }
      )} END`
  );
};

/**
 * Offsets (i, j) of the eight neighbors in cells, in the order of Kusto's documented example
 * (Kusto documents no order; S2's `AppendAllNeighbors` gives another).
 */
const S2_NEIGHBORS = [
  [1, 1],
  [-1, -1],
  [1, -1],
  [0, -1],
  [0, 1],
  [1, 0],
  [-1, 0],
  [-1, 1]
];

/**
 * The leaf cell id at leaf indices (i, j) of a face, which may lie beyond the face: then the
 * leaf just beyond the edge is projected onto the adjacent face (S2's `FromFaceIJWrap`).
 */
function s2FromFaceIjWrap(
  d: IDialect,
  face: string,
  i: string,
  j: string
): string {
  const linear = (k: string) =>
    `${d.fn('least')}(${d.fn('greatest')}((2 * (${d.fn('least')}(${d.fn('greatest')}(${k}, -1), ${S2_MAX_SIZE}) - ${S2_MAX_SIZE / 2}) + 1) / ${S2_MAX_SIZE}.0, -(1 + 2.220446049250313e-16)), 1 + 2.220446049250313e-16)`;
  return bind(d, { f: face, i, j }, v => {
    const wrapped = bind(
      d,
      { p: s2FaceUvToXyz(v.f, linear(v.i), linear(v.j)) },
      w =>
        bind(d, { f: s2Face(d, w.p) }, x =>
          bind(
            d,
            { uv: s2FaceUv(x.f, w.p) },
            y =>
              `{'f': ${x.f}, 'i': ${s2StToIj(d, `0.5 * (${y.uv}[1] + 1)`)}, 'j': ${s2StToIj(d, `0.5 * (${y.uv}[2] + 1)`)}}`
          )
        )
    );
    const inside = `${v.i} >= 0 AND ${v.i} < ${S2_MAX_SIZE} AND ${v.j} >= 0 AND ${v.j} < ${S2_MAX_SIZE}`;
    return bind(
      d,
      {
        c: `CASE WHEN ${inside} THEN {'f': CAST(${v.f} AS INTEGER), 'i': ${v.i}, 'j': ${v.j}} ELSE ${wrapped} END`
      },
      w => s2FromFaceIj(d, `${w.c}.f`, `${w.c}.i`, `${w.c}.j`)
    );
  });
}

/** `geo_s2cell_neighbors(token)`: the eight cells of the same level around it. */
const s2cellNeighbors: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { id: s2Decode(d, ctx.str(call.args[0])) },
    v =>
      `CASE WHEN ${v.id} IS NOT NULL THEN ${bind(
        d,
        { c: s2Cell(d, v.id) },
        w => {
          const cell = s2Token(
            d,
            s2Parent(
              s2FromFaceIjWrap(
                d,
                `${w.c}.face`,
                `(${w.c}.i + o[1] * ${w.c}.size)`,
                `(${w.c}.j + o[2] * ${w.c}.size)`
              ),
              `${w.c}.level`
            )
          );
          return `${d.call('to_json', [`${d.fn('list_transform')}(${JSON.stringify(S2_NEIGHBORS)}, o -> ${cell})`])}`;
        }
      )} END`
  );
};

// -------------------------------------------------------------------------------------------------
// H3 cells: the bits of an H3 index (mode, resolution, base cell, one 3-bit digit per resolution)
// are computed exactly; locating a point or a cell on the icosahedron is not reproduced.

/** H3's twelve pentagon base cells. */
export const H3_PENTAGONS = '[4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117]';

/** An H3 index's digit at resolution `r` (1-15). */
export function h3Digit(h: string, r: string): string {
  return `CAST((${h} >> (3 * (15 - (${r})))) & 7::UBIGINT AS INTEGER)`;
}

/** An H3 index's resolution. */
export function h3Resolution(h: string): string {
  return `CAST((${h} >> 52) & 15::UBIGINT AS INTEGER)`;
}

/**
 * The index (UBIGINT) of an H3 cell token, null unless it is a valid cell (H3's
 * `isValidCell`): mode 1, a base cell below 122, digits 0-6 up to the resolution and 7 after
 * it, and no pentagon cell in the deleted subsequence (first non-zero digit 1).
 */
export function h3Decode(d: IDialect, token: string): string {
  return bind(d, { s: token }, v =>
    bind(
      d,
      {
        h: `CASE WHEN ${d.call('regexp_full_match', [v.s, `'[0-9a-fA-F]{1,16}'`])} THEN CAST('0x' || ${v.s} AS UBIGINT) END`
      },
      w =>
        bind(
          d,
          {
            r: h3Resolution(w.h),
            digits: `${d.fn('list_transform')}(${d.call('range', [`1`, `16`])}, r -> ${h3Digit(w.h, 'r')})`,
            base: `CAST((${w.h} >> 45) & 127::UBIGINT AS INTEGER)`
          },
          x => {
            const valid = [
              `(${w.h} >> 63) = 0`,
              `((${w.h} >> 59) & 15::UBIGINT) = 1`,
              `((${w.h} >> 56) & 7::UBIGINT) = 0`,
              `${x.base} < 122`,
              `${d.call('list_bool_and', [`${d.fn('list_transform')}(${d.call('range', [`1`, `16`])}, r -> CASE WHEN r <= ${x.r} THEN ${x.digits}[r] < 7 ELSE ${x.digits}[r] = 7 END)`])}`,
              `NOT (${d.fn('list_contains')}(${H3_PENTAGONS}, ${x.base}) AND ${d.fn('coalesce')}(${d.fn('list_filter')}(${d.call('list_slice', [x.digits, `1`, x.r])}, d -> d <> 0)[1], 0) = 1)`
            ].join(' AND ');
            return `CASE WHEN ${valid} THEN ${w.h} END`;
          }
        )
    )
  );
}

/** The token of an H3 index: lower-case hex digits. */
export function h3Token(d: IDialect, h: string): string {
  return `${d.fn('lower')}(${d.fn('hex')}(${h}))`;
}

/** The index with resolution `r` and every digit after `r` set to 7. */
function h3AtResolution(h: string, r: string): string {
  const below = `((1::UBIGINT << (3 * (15 - (${r})))) - 1::UBIGINT)`;
  return `((${h} & ~(15::UBIGINT << 52) & ~${below}) | (CAST(${r} AS UBIGINT) << 52) | ${below})`;
}

/** `geo_h3cell_level(h3cell)`. */
const h3cellLevel: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(d, { h: h3Decode(d, ctx.str(call.args[0])) }, v =>
    h3Resolution(v.h)
  );
};

/**
 * `geo_h3cell_parent(h3cell [, resolution])`: the parent at a resolution from 0 to the cell's
 * (the next coarser one by default); an empty string otherwise.
 */
const h3cellParent: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [cell, resolution] = call.args;
  return bind(d, { h: h3Decode(d, ctx.str(cell)) }, v =>
    bind(
      d,
      {
        r: resolution
          ? `CAST(${ctx.as(resolution, 'long')} AS INTEGER)`
          : `${h3Resolution(v.h)} - 1`
      },
      w =>
        `${d.fn('coalesce')}(CASE WHEN ${w.r} BETWEEN 0 AND ${h3Resolution(v.h)} THEN ${h3Token(d, h3AtResolution(v.h, w.r))} END, '')`
    )
  );
};

/**
 * `geo_h3cell_children(h3cell [, resolution])`: the children at a resolution at most 5 finer
 * (the next finer one by default), in H3's order; a pentagon has no children in its deleted
 * subsequence.
 */
const h3cellChildren: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [cell, resolution] = call.args;
  return bind(d, { h: h3Decode(d, ctx.str(cell)) }, v =>
    bind(
      d,
      {
        r: h3Resolution(v.h),
        c: resolution
          ? `CAST(${ctx.as(resolution, 'long')} AS INTEGER)`
          : `${h3Resolution(v.h)} + 1`,
        pentagon: `${d.fn('list_contains')}(${H3_PENTAGONS}, CAST((${v.h} >> 45) & 127::UBIGINT AS INTEGER))`
      },
      w => {
        // Child number n's digits in base 7, the first new resolution most significant.
        const digits = `${d.fn('list_transform')}(${d.call('range', [`1`, `${w.c} - ${w.r} + 1`])}, k -> CAST((n // CAST(${d.fn('power')}(7, ${w.c} - ${w.r} - k) AS BIGINT)) % 7 AS INTEGER))`;
        const index = `${d.call('list_reduce', [`${d.fn('list_transform')}(${d.call('range', [`1`, `${w.c} - ${w.r} + 1`])}, k -> CAST(${digits}[k] AS UBIGINT) << (3 * (15 - (${w.r} + k))))`, `(a, b) -> a | b`, `${h3AtResolution(v.h, w.c)} & ~(((1::UBIGINT << (3 * (${w.c} - ${w.r}))) - 1::UBIGINT) << (3 * (15 - ${w.c})))`])}`;
        const deleted = `(${w.pentagon} AND ${d.fn('coalesce')}(${d.fn('list_filter')}(${digits}, d -> d <> 0)[1], 0) = 1)`;
        return `CASE WHEN ${w.c} > ${w.r} AND ${w.c} <= 15 AND ${w.c} - ${w.r} <= 5 THEN ${d.call('to_json', [`${d.fn('list_transform')}(${d.fn('list_filter')}(${d.call('range', [`CAST(${d.fn('power')}(7, ${w.c} - ${w.r}) AS BIGINT)`])}, n -> NOT ${deleted}), n -> ${h3Token(d, index)})`])} END`;
      }
    )
  );
};

// H3's tables for locating a point on the icosahedron (data of H3's reference implementation).
/** The icosahedron's face centres as unit vectors (H3's `faceCenterPoint`). */
const H3_FACE_CENTERS =
  'CAST([[0.2199307791404606,0.6583691780274996,0.7198475378926182],[-0.2139234834501421,0.1478171829550703,0.9656017935214205],[0.1092625278784797,-0.481195157287321,0.8697775121287253],[0.7428567301586791,-0.3593941678278028,0.5648005936517033],[0.8112534709140969,0.3448953237639384,0.472138773641393],[-0.1055498149613921,0.9794457296411413,0.1718874610009365],[-0.8075407579970092,0.1533552485898818,0.5695261994882688],[-0.2846148069787907,-0.8644080972654206,0.4144792552473539],[0.7405621473854482,-0.6673299564565524,-0.0789837646326737],[0.8512303986474293,0.4722343788582681,-0.2289137388687808],[-0.7405621473854481,0.6673299564565524,0.0789837646326737],[-0.8512303986474292,-0.4722343788582682,0.2289137388687808],[0.1055498149613919,-0.9794457296411413,-0.1718874610009365],[0.8075407579970092,-0.1533552485898819,-0.5695261994882688],[0.2846148069787908,0.8644080972654204,-0.4144792552473539],[-0.7428567301586791,0.3593941678278027,-0.5648005936517033],[-0.811253470914097,-0.3448953237639382,-0.472138773641393],[-0.2199307791404607,-0.6583691780274996,-0.7198475378926182],[0.213923483450142,-0.1478171829550704,-0.9656017935214205],[-0.1092625278784796,0.481195157287321,-0.8697775121287253]] AS DOUBLE[][])';
/** Each face's i axis as an azimuth from its centre (H3's `faceAxesAzRadsCII[f][0]`). */
const H3_FACE_AXES =
  'CAST([5.6199582685239395,5.7603390817141875,0.78021365439343,0.4304693639799999,6.130269123335111,2.692877706530643,2.982963003477244,3.532912002790141,3.494305004259568,3.0032141694995382,5.930472956509812,0.13837848409025486,0.4487149470591504,0.15862965011254937,5.891865957979238,2.711123289609793,3.294508837434268,3.80481969224544,3.6644388790551923,2.361378999196363] AS DOUBLE[])';
/** The base cell at face f, res-0 ijk (i, j, k in 0-2): index f * 27 + i * 9 + j * 3 + k + 1 (H3's `faceIjkBaseCells`). */
const H3_BASE_CELLS =
  '[16,18,24,33,30,32,49,48,50,8,5,10,22,16,18,41,33,30,4,0,2,15,8,5,31,22,16,2,6,14,10,11,17,24,23,25,0,1,9,5,2,6,18,10,11,4,3,7,8,0,1,16,5,2,7,21,38,9,19,34,14,20,36,3,13,29,1,7,21,6,9,19,4,12,26,0,3,13,2,1,7,26,42,58,29,43,62,38,47,64,12,28,44,13,26,42,21,29,43,4,15,31,3,12,28,7,13,26,31,41,49,44,53,61,58,65,75,15,22,33,28,31,41,42,44,53,4,8,16,12,15,22,26,28,31,50,48,49,32,30,33,24,18,16,70,67,66,52,50,48,37,32,30,83,87,85,74,70,67,57,52,50,25,23,24,17,11,10,14,6,2,45,39,37,35,25,23,27,17,11,63,59,57,56,45,39,46,35,25,36,20,14,34,19,9,38,21,7,55,40,27,54,36,20,51,34,19,72,60,46,73,55,40,71,54,36,64,47,38,62,43,29,58,42,26,84,69,51,82,64,47,76,62,43,97,89,71,98,84,69,96,82,64,75,65,58,61,53,44,49,41,31,94,86,76,81,75,65,66,61,53,107,104,96,101,94,86,85,81,75,57,59,63,74,78,79,83,92,95,37,39,45,52,57,59,70,74,78,24,23,25,32,37,39,50,52,57,46,60,72,56,68,80,63,77,90,27,40,55,35,46,60,45,56,68,14,20,36,17,27,40,25,35,46,71,89,97,73,91,103,72,88,105,51,69,84,54,71,89,55,73,91,38,47,64,34,51,69,36,54,71,96,104,107,98,110,115,97,111,119,76,86,94,82,96,104,84,98,110,58,65,75,62,76,86,64,82,96,85,87,83,101,102,100,107,112,114,66,67,70,81,85,87,94,101,102,49,48,50,61,66,67,75,81,85,95,92,83,79,78,74,63,59,57,109,108,100,93,95,92,77,79,78,117,118,114,106,109,108,90,93,95,90,77,63,80,68,56,72,60,46,106,93,79,99,90,77,88,80,68,117,109,95,113,106,93,105,99,90,105,88,72,103,91,73,97,89,71,113,99,80,116,105,88,111,103,91,117,106,90,121,113,99,119,116,105,119,111,97,115,110,98,107,104,96,121,116,103,120,119,111,112,115,110,117,113,105,118,121,116,114,120,119,114,112,107,100,102,101,83,87,85,118,120,115,108,114,112,92,100,102,117,121,119,109,118,120,95,108,114]';
/** The 60° counterclockwise rotations into the base cell's orientation, same index. */
const H3_BASE_ROTATIONS =
  '[0,0,0,0,0,3,1,3,3,0,5,5,0,0,0,1,0,0,0,5,5,1,0,5,1,0,0,0,0,0,0,0,3,1,3,3,0,5,5,0,0,0,1,0,0,1,5,5,1,0,5,1,0,0,0,0,0,0,0,3,1,3,3,0,5,5,0,0,0,1,0,0,2,5,5,1,0,5,1,0,0,0,0,0,0,0,3,1,3,3,0,5,5,0,0,0,1,0,0,3,5,5,1,0,5,1,0,0,0,0,0,0,0,3,1,3,3,0,5,5,0,0,0,1,0,0,4,5,5,1,0,5,1,0,0,0,0,3,0,3,3,3,3,3,0,0,3,3,0,0,3,0,3,0,3,3,3,0,0,1,3,0,0,0,3,0,3,3,3,3,3,0,0,3,3,0,0,3,0,3,0,3,3,3,0,0,3,3,0,0,0,3,0,3,3,3,3,3,0,0,3,3,0,0,3,0,3,0,3,3,3,0,0,3,3,0,0,0,3,0,3,3,3,3,3,0,0,3,3,0,0,3,0,3,0,3,3,3,0,0,3,3,0,0,0,3,0,3,3,3,3,3,0,0,3,3,0,0,3,0,3,0,3,3,3,0,0,3,3,0,0,0,3,0,3,3,3,3,3,0,3,3,0,0,0,3,0,3,0,3,3,3,0,3,3,0,0,0,0,3,0,3,3,3,3,3,0,3,3,0,0,0,3,0,3,0,3,3,3,0,3,3,0,0,0,0,3,0,3,3,3,3,3,0,3,3,0,0,0,3,0,3,0,3,3,3,0,3,3,0,0,0,0,3,0,3,3,3,3,3,0,3,3,0,0,0,3,0,3,0,3,3,3,0,3,3,0,0,0,0,3,0,3,3,3,3,3,0,3,3,0,0,0,3,0,3,0,3,3,3,0,3,3,0,0,0,0,0,0,0,3,1,3,3,0,0,5,1,0,0,1,0,0,4,5,5,1,0,0,1,1,0,0,0,0,0,0,3,1,3,3,0,0,5,1,0,0,1,0,0,3,5,5,1,0,0,1,1,0,0,0,0,0,0,3,1,3,3,0,0,5,1,0,0,1,0,0,2,5,5,1,0,0,1,1,0,0,0,0,0,0,3,1,3,3,0,0,5,1,0,0,1,0,0,1,5,5,1,0,0,1,1,0,0,0,0,0,0,3,1,3,3,0,0,5,1,0,0,1,0,0,0,5,5,1,0,0,1,1,0]';
/** The faces on which each pentagon base cell is clockwise offset (H3's `cwOffsetPent`), by base cell + 1. */
export const H3_CW_OFFSET_FACES =
  '[[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[2,6],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[1,5],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[3,7],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[0,9],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[4,8],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[11,15],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[12,16],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[10,19],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[13,17],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[14,18],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1],[-1,-1]]';

/** A digit rotated 60° counterclockwise n times, `[n + 1][digit + 1]` (H3's `_rotate60ccw`). */
export const H3_ROTATE_CCW = JSON.stringify(
  [0, 1, 2, 3, 4, 5].map(n =>
    [0, 1, 2, 3, 4, 5, 6].map(d => {
      const ccw = [0, 5, 3, 1, 6, 4, 2];
      let r = d;
      for (let i = 0; i < n; i++) {
        r = ccw[r];
      }
      return r;
    })
  )
);

/** ijk coordinates with the smallest made 0 (H3's `_ijkNormalize`), as `{i, j, k}`. */
function ijkNormalize(d: IDialect, i: string, j: string, k: string): string {
  return bind(d, { i, j, k }, v =>
    bind(
      d,
      { m: `${d.fn('least')}(${v.i}, ${v.j}, ${v.k})` },
      w => `{'i': ${v.i} - ${w.m}, 'j': ${v.j} - ${w.m}, 'k': ${v.k} - ${w.m}}`
    )
  );
}

/** H3's `_posAngleRads`: an angle moved once into [0, 2π). */
function posAngle(d: IDialect, a: string): string {
  return bind(
    d,
    { a },
    v =>
      `CASE WHEN ${v.a} < 0 THEN ${v.a} + 2 * ${d.fn('pi')}() WHEN ${v.a} >= 2 * ${d.fn('pi')}() THEN ${v.a} - 2 * ${d.fn('pi')}() ELSE ${v.a} END`
  );
}

/**
 * The face and hex2d coordinates `{f, x, y}` of a unit vector at a resolution (H3's
 * `_vec3ToHex2d`: the nearest face centre, the azimuth from it, the gnomonic distance scaled by
 * √7 per resolution).
 */
function h3Hex2d(d: IDialect, p: string, res: string): string {
  return bind(
    d,
    {
      d: `${d.fn('list_transform')}(${H3_FACE_CENTERS}, c -> (${p}[1] - c[1]) ** 2 + (${p}[2] - c[2]) ** 2 + (${p}[3] - c[3]) ** 2)`
    },
    v =>
      bind(
        d,
        {
          f: `${d.call('list_position', [v.d, `${d.fn('list_min')}(${v.d})`])} - 1`,
          sqd: `${d.fn('list_min')}(${v.d})`
        },
        w =>
          bind(
            d,
            {
              c: `${H3_FACE_CENTERS}[${w.f} + 1]`,
              r: `${d.fn('acos')}(1 - ${w.sqd} * 0.5)`
            },
            x =>
              bind(
                d,
                {
                  north: `[-${x.c}[3] * ${x.c}[1], -${x.c}[3] * ${x.c}[2], 1 - ${x.c}[3] * ${x.c}[3]]`,
                  proj: `[${p}[1] - ${dot(p, x.c)} * ${x.c}[1], ${p}[2] - ${dot(p, x.c)} * ${x.c}[2], ${p}[3] - ${dot(p, x.c)} * ${x.c}[3]]`
                },
                y =>
                  bind(
                    d,
                    {
                      n: `${d.fn('list_transform')}(${y.north}, t -> t / ${d.fn('sqrt')}(${dot(y.north, y.north)}))`,
                      q: `${d.fn('list_transform')}(${y.proj}, t -> t / ${d.fn('sqrt')}(${dot(y.proj, y.proj)}))`
                    },
                    z =>
                      bind(d, { e: cross(z.n, x.c) }, e =>
                        bind(
                          d,
                          {
                            az: `${d.fn('atan2')}(${dot(z.q, e.e)}, ${dot(z.q, z.n)})`
                          },
                          a =>
                            bind(
                              d,
                              {
                                t0: posAngle(
                                  d,
                                  `${H3_FACE_AXES}[${w.f} + 1] - ${posAngle(d, a.az)}`
                                )
                              },
                              t =>
                                bind(
                                  d,
                                  {
                                    theta: `CASE WHEN ${res} % 2 = 1 THEN ${posAngle(d, `${t.t0} - 0.3334731722518321::DOUBLE`)} ELSE ${t.t0} END`,
                                    // √7 applied once per resolution, as H3 multiplies.
                                    r: `${fold(d, `${d.call('range', [res])}`, { r: ['DOUBLE', `${d.fn('tan')}(${x.r}) * 2.618033988749896::DOUBLE`] }, acc => ({ r: `${acc.r} * 2.6457513110645907::DOUBLE` }))}.r`
                                  },
                                  u =>
                                    `CASE WHEN ${x.r} < 1e-16 THEN {'f': ${w.f}, 'x': 0.0, 'y': 0.0} ELSE {'f': ${w.f}, 'x': ${u.r} * ${d.fn('cos')}(${u.theta}), 'y': ${u.r} * ${d.fn('sin')}(${u.theta})} END`
                                )
                            )
                        )
                      )
                  )
              )
          )
      )
  );
}

/** The ijk coordinates of the hexagon holding hex2d coordinates (H3's `_hex2dToCoordIJK`). */
function h3Hex2dToIjk(d: IDialect, x: string, y: string): string {
  return bind(d, { x, y }, v =>
    bind(d, { x2: `${d.fn('abs')}(${v.y}) * 1.1547005383792515::DOUBLE` }, w =>
      bind(d, { x1: `${d.fn('abs')}(${v.x}) + ${w.x2} / 2.0` }, a =>
        bind(
          d,
          {
            m1: `CAST(${d.call('trunc', [a.x1])} AS BIGINT)`,
            m2: `CAST(${d.call('trunc', [w.x2])} AS BIGINT)`
          },
          m =>
            bind(d, { r1: `${a.x1} - ${m.m1}`, r2: `${w.x2} - ${m.m2}` }, r => {
              const [m1, m2, r1, r2] = [m.m1, m.m2, r.r1, r.r2];
              const i = `CASE WHEN ${r1} < 0.5 THEN (CASE WHEN ${r1} < 1.0 / 3.0 THEN ${m1} WHEN (1.0 - ${r1}) <= ${r2} AND ${r2} < (2.0 * ${r1}) THEN ${m1} + 1 ELSE ${m1} END) ELSE (CASE WHEN ${r1} < 2.0 / 3.0 THEN (CASE WHEN (2.0 * ${r1} - 1.0) < ${r2} AND ${r2} < (1.0 - ${r1}) THEN ${m1} ELSE ${m1} + 1 END) ELSE ${m1} + 1 END) END`;
              const j = `CASE WHEN ${r1} < 0.5 THEN (CASE WHEN ${r1} < 1.0 / 3.0 THEN (CASE WHEN ${r2} < (1.0 + ${r1}) / 2.0 THEN ${m2} ELSE ${m2} + 1 END) WHEN ${r2} < (1.0 - ${r1}) THEN ${m2} ELSE ${m2} + 1 END) ELSE (CASE WHEN ${r1} < 2.0 / 3.0 THEN (CASE WHEN ${r2} < (1.0 - ${r1}) THEN ${m2} ELSE ${m2} + 1 END) WHEN ${r2} < (${r1} / 2.0) THEN ${m2} ELSE ${m2} + 1 END) END`;
              return bind(d, { i, j }, h => {
                // Folded across the axes for negative x, then y.
                const fi = `CASE WHEN ${v.x} < 0 THEN (CASE WHEN ${h.j} % 2 = 0 THEN ${h.i} - 2 * (${h.i} - ${h.j} // 2) ELSE ${h.i} - (2 * (${h.i} - (${h.j} + 1) // 2) + 1) END) ELSE ${h.i} END`;
                return bind(d, { i: fi }, g =>
                  ijkNormalize(
                    d,
                    `CASE WHEN ${v.y} < 0 THEN ${g.i} - (2 * ${h.j} + 1) // 2 ELSE ${g.i} END`,
                    `CASE WHEN ${v.y} < 0 THEN -${h.j} ELSE ${h.j} END`,
                    '0'
                  )
                );
              });
            })
        )
      )
    )
  );
}

/**
 * `geo_point_to_h3cell(lng, lat, resolution)`: H3's `latLngToCell` — the face and hex of the
 * point at the resolution, its digits from coarser hexes (aperture 7, Class III resolutions
 * rotated), the base cell from the face's res-0 hex and the rotations into its orientation,
 * pentagons' deleted k-axis subsequence skipped.
 */
const pointToH3cell: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  const [lng, lat, resolution] = call.args;
  return bind(
    d,
    {
      a: real(ctx, lng),
      b: real(ctx, lat),
      res: `CAST(${ctx.as(resolution, 'long')} AS BIGINT)`
    },
    v =>
      `${d.fn('coalesce')}(CASE WHEN ${validPoint(v.a, v.b)} AND ${v.res} BETWEEN 0 AND 15 THEN ${bind(
        d,
        { h: h3Hex2d(d, toXyz(d, v.a, v.b), v.res) },
        w =>
          bind(d, { ijk: h3Hex2dToIjk(d, `${w.h}.x`, `${w.h}.y`) }, x => {
            const up = fold(
              d,
              `${d.call('range', [`${v.res} - 1`, `-1`, `-1`])}`,
              {
                i: ['BIGINT', `${x.ijk}.i`],
                j: ['BIGINT', `${x.ijk}.j`],
                k: ['BIGINT', `${x.ijk}.k`],
                ds: ['INTEGER[]', '[]']
              },
              (acc, r) => {
                const ci = `(${acc.i} - ${acc.k})`;
                const cj = `(${acc.j} - ${acc.k})`;
                // Class III resolutions (odd) rotate counterclockwise, Class II clockwise.
                const odd = `(${r} + 1) % 2 = 1`;
                const parent = `CASE WHEN ${odd} THEN ${ijkNormalize(d, `CAST(${d.fn('round')}((3 * ${ci} - ${cj}) / 7.0) AS BIGINT)`, `CAST(${d.fn('round')}((${ci} + 2 * ${cj}) / 7.0) AS BIGINT)`, '0')} ELSE ${ijkNormalize(d, `CAST(${d.fn('round')}((2 * ${ci} + ${cj}) / 7.0) AS BIGINT)`, `CAST(${d.fn('round')}((3 * ${cj} - ${ci}) / 7.0) AS BIGINT)`, '0')} END`;
                return {
                  i: `${parent}.i`,
                  j: `${parent}.j`,
                  k: `${parent}.k`,
                  ds: bind(d, { p: parent }, p => {
                    const [pi, pj, pk] = [`${p.p}.i`, `${p.p}.j`, `${p.p}.k`];
                    const center = `CASE WHEN ${odd} THEN ${ijkNormalize(d, `3 * ${pi} + ${pj}`, `3 * ${pj} + ${pk}`, `${pi} + 3 * ${pk}`)} ELSE ${ijkNormalize(d, `3 * ${pi} + ${pk}`, `${pi} + 3 * ${pj}`, `${pj} + 3 * ${pk}`)} END`;
                    return bind(d, { c: center }, c =>
                      bind(
                        d,
                        {
                          d: ijkNormalize(
                            d,
                            `${acc.i} - ${c.c}.i`,
                            `${acc.j} - ${c.c}.j`,
                            `${acc.k} - ${c.c}.k`
                          )
                        },
                        o =>
                          `${d.call('list_prepend', [`CAST(4 * ${o.d}.i + 2 * ${o.d}.j + ${o.d}.k AS INTEGER)`, acc.ds])}`
                      )
                    );
                  })
                };
              }
            );
            return bind(d, { u: up }, u =>
              bind(
                d,
                {
                  at: `${w.h}.f * 27 + ${u.u}.i * 9 + ${u.u}.j * 3 + ${u.u}.k + 1`
                },
                t =>
                  bind(
                    d,
                    {
                      bc: `${H3_BASE_CELLS}[${t.at}]`,
                      rot: `${H3_BASE_ROTATIONS}[${t.at}]`,
                      lead: `${d.fn('coalesce')}(${d.fn('list_filter')}(${u.u}.ds, d -> d <> 0)[1], 0)`
                    },
                    b =>
                      bind(
                        d,
                        {
                          pentagon: `${d.fn('list_contains')}(${H3_PENTAGONS}, ${b.bc})`,
                          // A pentagon's digits leave the deleted k-axis subsequence first.
                          first: `CASE WHEN ${d.fn('list_contains')}(${H3_PENTAGONS}, ${b.bc}) AND ${b.lead} = 1 THEN (CASE WHEN ${d.fn('list_contains')}(${H3_CW_OFFSET_FACES}[${b.bc} + 1], ${w.h}.f) THEN 5 ELSE 1 END) ELSE 0 END`
                        },
                        c =>
                          bind(
                            d,
                            {
                              // Each 60° turn about a pentagon turns once more when it would lead with 1.
                              turns: `CASE WHEN ${c.pentagon} THEN ${fold(
                                d,
                                `${d.call('range', [b.rot])}`,
                                {
                                  lead: [
                                    'INTEGER',
                                    `${H3_ROTATE_CCW}[${c.first} + 1][${b.lead} + 1]`
                                  ],
                                  n: ['INTEGER', c.first]
                                },
                                acc => {
                                  const s = `CASE WHEN ${H3_ROTATE_CCW}[2][${acc.lead} + 1] = 1 THEN 2 ELSE 1 END`;
                                  return {
                                    lead: `${H3_ROTATE_CCW}[${s} + 1][${acc.lead} + 1]`,
                                    n: `${acc.n} + ${s}`
                                  };
                                }
                              )}.n ELSE ${b.rot} END`
                            },
                            t => {
                              const digits = `${d.fn('list_transform')}(${d.call('range', [`1`, `16`])}, r -> CASE WHEN r <= ${v.res} THEN ${H3_ROTATE_CCW}[${t.turns} % 6 + 1][${u.u}.ds[r] + 1] ELSE 7 END)`;
                              const index = `${d.call('list_reduce', [`${d.fn('list_transform')}(${d.call('range', [`1`, `16`])}, r -> CAST(${digits}[r] AS UBIGINT) << (3 * (15 - r)))`, `(x, y) -> x | y`, `(1::UBIGINT << 59) | (CAST(${v.res} AS UBIGINT) << 52) | (CAST(${b.bc} AS UBIGINT) << 45)`])}`;
                              return `CASE WHEN ${u.u}.i <= 2 AND ${u.u}.j <= 2 AND ${u.u}.k <= 2 THEN ${h3Token(d, index)} END`;
                            }
                          )
                      )
                  )
              )
            );
          })
      )} END, '')`
  );
};

/** Each base cell's home face and res-0 ijk `[face, i, j, k]`, by base cell + 1 (H3's `baseCellData`). */
export const H3_BASE_HOMES =
  '[[1,1,0,0],[2,1,1,0],[1,0,0,0],[2,1,0,0],[0,2,0,0],[1,1,1,0],[1,0,0,1],[2,0,0,0],[0,1,0,0],[2,0,1,0],[1,0,1,0],[1,0,1,1],[3,1,0,0],[3,1,1,0],[11,2,0,0],[4,1,0,0],[0,0,0,0],[6,0,1,0],[0,0,0,1],[2,0,1,1],[7,0,0,1],[2,0,0,1],[0,1,1,0],[6,0,0,1],[10,2,0,0],[6,0,0,0],[3,0,0,0],[11,1,0,0],[4,1,1,0],[3,0,1,0],[0,0,1,1],[4,0,0,0],[5,0,1,0],[0,0,1,0],[7,0,1,0],[11,1,1,0],[7,0,0,0],[10,1,0,0],[12,2,0,0],[6,1,0,1],[7,1,0,1],[4,0,0,1],[3,0,0,1],[3,0,1,1],[4,0,1,0],[6,1,0,0],[11,0,0,0],[8,0,0,1],[5,0,0,1],[14,2,0,0],[5,0,0,0],[12,1,0,0],[10,1,1,0],[4,0,1,1],[12,1,1,0],[7,1,0,0],[11,0,1,0],[10,0,0,0],[13,2,0,0],[10,0,0,1],[11,0,0,1],[9,0,1,0],[8,0,1,0],[6,2,0,0],[8,0,0,0],[9,0,0,1],[14,1,0,0],[5,1,0,1],[16,0,1,1],[8,1,0,1],[5,1,0,0],[12,0,0,0],[7,2,0,0],[12,0,1,0],[10,0,1,0],[9,0,0,0],[13,1,0,0],[16,0,0,1],[15,0,1,1],[15,0,1,0],[16,0,1,0],[14,1,1,0],[13,1,1,0],[5,2,0,0],[8,1,0,0],[14,0,0,0],[9,1,0,1],[14,0,0,1],[17,0,0,1],[12,0,0,1],[16,0,0,0],[17,0,1,1],[15,0,0,1],[16,1,0,1],[9,1,0,0],[15,0,0,0],[13,0,0,0],[8,2,0,0],[13,0,1,0],[17,1,0,1],[19,0,1,0],[14,0,1,0],[19,0,1,1],[17,0,1,0],[13,0,0,1],[17,0,0,0],[16,1,0,0],[9,2,0,0],[15,1,0,1],[15,1,0,0],[18,0,1,1],[18,0,0,1],[19,0,0,1],[17,1,0,0],[19,0,0,0],[18,0,1,0],[18,1,0,1],[19,2,0,0],[19,1,0,0],[18,0,0,0],[19,1,0,1],[18,1,0,0]]';
/** Each face's neighbours across its ij, ki and jk edges (index 2-4): `[face, ti, tj, tk, ccw rotations]` (H3's `faceNeighbors`). */
const H3_FACE_NEIGHBORS =
  '[[[0,0,0,0,0],[4,2,0,2,1],[1,2,2,0,5],[5,0,2,2,3]],[[1,0,0,0,0],[0,2,0,2,1],[2,2,2,0,5],[6,0,2,2,3]],[[2,0,0,0,0],[1,2,0,2,1],[3,2,2,0,5],[7,0,2,2,3]],[[3,0,0,0,0],[2,2,0,2,1],[4,2,2,0,5],[8,0,2,2,3]],[[4,0,0,0,0],[3,2,0,2,1],[0,2,2,0,5],[9,0,2,2,3]],[[5,0,0,0,0],[10,2,2,0,3],[14,2,0,2,3],[0,0,2,2,3]],[[6,0,0,0,0],[11,2,2,0,3],[10,2,0,2,3],[1,0,2,2,3]],[[7,0,0,0,0],[12,2,2,0,3],[11,2,0,2,3],[2,0,2,2,3]],[[8,0,0,0,0],[13,2,2,0,3],[12,2,0,2,3],[3,0,2,2,3]],[[9,0,0,0,0],[14,2,2,0,3],[13,2,0,2,3],[4,0,2,2,3]],[[10,0,0,0,0],[5,2,2,0,3],[6,2,0,2,3],[15,0,2,2,3]],[[11,0,0,0,0],[6,2,2,0,3],[7,2,0,2,3],[16,0,2,2,3]],[[12,0,0,0,0],[7,2,2,0,3],[8,2,0,2,3],[17,0,2,2,3]],[[13,0,0,0,0],[8,2,2,0,3],[9,2,0,2,3],[18,0,2,2,3]],[[14,0,0,0,0],[9,2,2,0,3],[5,2,0,2,3],[19,0,2,2,3]],[[15,0,0,0,0],[16,2,0,2,1],[19,2,2,0,5],[10,0,2,2,3]],[[16,0,0,0,0],[17,2,0,2,1],[15,2,2,0,5],[11,0,2,2,3]],[[17,0,0,0,0],[18,2,0,2,1],[16,2,2,0,5],[12,0,2,2,3]],[[18,0,0,0,0],[19,2,0,2,1],[17,2,2,0,5],[13,0,2,2,3]],[[19,0,0,0,0],[15,2,0,2,1],[18,2,2,0,5],[14,0,2,2,3]]]';
/** H3's Class II overage limit and unit scale by resolution + 1 (even resolutions only). */
const H3_MAX_DIM =
  '[2, -1, 14, -1, 98, -1, 686, -1, 4802, -1, 33614, -1, 235298, -1, 1647086, -1, 11529602]';
const H3_UNIT_SCALE =
  '[1, -1, 7, -1, 49, -1, 343, -1, 2401, -1, 16807, -1, 117649, -1, 823543, -1, 5764801]';

/** ijk coordinates rotated 60° counterclockwise `n` times (H3's `_ijkRotate60ccw`). */
function ijkRotateCcw(d: IDialect, c: string, n: string): string {
  return fold(
    d,
    `${d.call('range', [n])}`,
    {
      i: ['BIGINT', `${c}.i`],
      j: ['BIGINT', `${c}.j`],
      k: ['BIGINT', `${c}.k`]
    },
    acc => {
      const m = `${d.fn('least')}(${acc.i} + ${acc.k}, ${acc.i} + ${acc.j}, ${acc.j} + ${acc.k})`;
      return {
        i: `${acc.i} + ${acc.k} - ${m}`,
        j: `${acc.i} + ${acc.j} - ${m}`,
        k: `${acc.j} + ${acc.k} - ${m}`
      };
    }
  );
}

/**
 * One step of H3's `_adjustOverageClassII` at an even resolution: ijk beyond the face's edge move
 * to the neighbouring face; `{f, i, j, k, over}`.
 */
function h3AdjustOverage(
  d: IDialect,
  c: string,
  res: string,
  pentLeading4: string
): string {
  return bind(
    d,
    { c, md: `${H3_MAX_DIM}[${res} + 1]`, us: `${H3_UNIT_SCALE}[${res} + 1]` },
    v =>
      bind(
        d,
        {
          q: `CASE WHEN ${v.c}.k > 0 AND ${v.c}.j > 0 THEN 4 WHEN ${v.c}.k > 0 THEN 3 ELSE 2 END`
        },
        w =>
          bind(
            d,
            {
              // A pentagon leading with digit 4 turns about the ki corner first.
              t: `CASE WHEN ${w.q} = 3 AND ${pentLeading4} THEN ${ijkNormalize(d, `(${v.c}.i - ${v.md}) + ${v.c}.j + ${v.md}`, `${v.c}.j + ${v.c}.k`, `(${v.c}.i - ${v.md}) + ${v.c}.k`)} ELSE ${v.c} END`,
              nb: `${H3_FACE_NEIGHBORS}[${v.c}.f + 1][${w.q}]`
            },
            x =>
              bind(d, { r: ijkRotateCcw(d, x.t, `${x.nb}[5]`) }, y =>
                bind(
                  d,
                  {
                    moved: ijkNormalize(
                      d,
                      `${y.r}.i + ${x.nb}[2] * ${v.us}`,
                      `${y.r}.j + ${x.nb}[3] * ${v.us}`,
                      `${y.r}.k + ${x.nb}[4] * ${v.us}`
                    )
                  },
                  z =>
                    `CASE WHEN ${v.c}.i + ${v.c}.j + ${v.c}.k > ${v.md} THEN {'f': ${x.nb}[1], 'i': ${z.moved}.i, 'j': ${z.moved}.j, 'k': ${z.moved}.k, 'over': true} ELSE {'f': ${v.c}.f, 'i': ${v.c}.i, 'j': ${v.c}.j, 'k': ${v.c}.k, 'over': false} END`
                )
              )
          )
      )
  );
}

/**
 * The centre `[lng, lat]` of a valid H3 cell (H3's `cellToLatLng`): the base cell's home face
 * and ijk, down the digits (aperture 7), onto the neighbouring face where the cell lies beyond
 * its home face, then the inverse gnomonic projection.
 */
function h3CellCenter(d: IDialect, h: string): string {
  return bind(d, { h }, v =>
    bind(
      d,
      {
        res: h3Resolution(v.h),
        bc: `CAST((${v.h} >> 45) & 127::UBIGINT AS INTEGER)`
      },
      w =>
        bind(
          d,
          {
            ds: `${d.fn('list_transform')}(${d.call('range', [`1`, `${w.res} + 1`])}, r -> ${h3Digit(v.h, 'r')})`,
            pent: `${d.fn('list_contains')}(${H3_PENTAGONS}, ${w.bc})`,
            home: `${H3_BASE_HOMES}[${w.bc} + 1]`
          },
          x =>
            bind(
              d,
              {
                // A pentagon leading with digit 5 is read rotated clockwise.
                ds: `CASE WHEN ${x.pent} AND ${d.fn('coalesce')}(${d.fn('list_filter')}(${x.ds}, d -> d <> 0)[1], 0) = 5 THEN ${d.fn('list_transform')}(${x.ds}, d -> ${H3_ROTATE_CCW}[6][d + 1]) ELSE ${x.ds} END`
              },
              y =>
                bind(
                  d,
                  {
                    lead: `${d.fn('coalesce')}(${d.fn('list_filter')}(${y.ds}, d -> d <> 0)[1], 0)`,
                    possible: `(${x.pent} OR (${w.res} > 0 AND NOT (${x.home}[2] = 0 AND ${x.home}[3] = 0 AND ${x.home}[4] = 0)))`,
                    ijk: fold(
                      d,
                      `${d.call('range', [`1`, `${w.res} + 1`])}`,
                      {
                        i: ['BIGINT', `${x.home}[2]`],
                        j: ['BIGINT', `${x.home}[3]`],
                        k: ['BIGINT', `${x.home}[4]`]
                      },
                      (acc, r) => {
                        const digit = `${y.ds}[${r}]`;
                        const odd = `${r} % 2 = 1`;
                        const i = `CASE WHEN ${odd} THEN 3 * ${acc.i} + ${acc.j} ELSE 3 * ${acc.i} + ${acc.k} END + ((${digit} >> 2) & 1)`;
                        const j = `CASE WHEN ${odd} THEN 3 * ${acc.j} + ${acc.k} ELSE ${acc.i} + 3 * ${acc.j} END + ((${digit} >> 1) & 1)`;
                        const k = `CASE WHEN ${odd} THEN ${acc.i} + 3 * ${acc.k} ELSE ${acc.j} + 3 * ${acc.k} END + (${digit} & 1)`;
                        const m = `${d.fn('least')}(${i}, ${j}, ${k})`;
                        return {
                          i: `${i} - ${m}`,
                          j: `${j} - ${m}`,
                          k: `${k} - ${m}`
                        };
                      }
                    )
                  },
                  z =>
                    bind(
                      d,
                      {
                        // A Class III cell is looked at one resolution finer (Class II).
                        fine: `CASE WHEN ${w.res} % 2 = 1 THEN ${ijkNormalize(d, `3 * ${z.ijk}.i + ${z.ijk}.k`, `${z.ijk}.i + 3 * ${z.ijk}.j`, `${z.ijk}.j + 3 * ${z.ijk}.k`)} ELSE {'i': ${z.ijk}.i, 'j': ${z.ijk}.j, 'k': ${z.ijk}.k} END`,
                        rr: `${w.res} + ${w.res} % 2`
                      },
                      a =>
                        bind(
                          d,
                          {
                            first: h3AdjustOverage(
                              d,
                              `{'f': ${x.home}[1], 'i': ${a.fine}.i, 'j': ${a.fine}.j, 'k': ${a.fine}.k}`,
                              a.rr,
                              `(${x.pent} AND ${z.lead} = 4)`
                            )
                          },
                          b =>
                            bind(
                              d,
                              {
                                // A pentagon's cell may cross two faces.
                                last: `CASE WHEN ${b.first}.over AND ${x.pent} THEN ${h3AdjustOverage(
                                  d,
                                  h3AdjustOverage(d, b.first, a.rr, 'false'),
                                  a.rr,
                                  'false'
                                )} ELSE ${b.first} END`
                              },
                              c =>
                                bind(
                                  d,
                                  {
                                    cell: `CASE WHEN ${z.possible} AND ${b.first}.over THEN (CASE WHEN ${w.res} % 2 = 1 THEN ${bind(
                                      d,
                                      {
                                        ci: `${c.last}.i - ${c.last}.k`,
                                        cj: `${c.last}.j - ${c.last}.k`
                                      },
                                      u =>
                                        `${d.fn('struct_insert')}(${ijkNormalize(d, `CAST(${d.fn('round')}((2 * ${u.ci} + ${u.cj}) / 7.0) AS BIGINT)`, `CAST(${d.fn('round')}((3 * ${u.cj} - ${u.ci}) / 7.0) AS BIGINT)`, '0')}, f := ${c.last}.f)`
                                    )} ELSE {'i': ${c.last}.i, 'j': ${c.last}.j, 'k': ${c.last}.k, 'f': ${c.last}.f} END) ELSE {'i': ${z.ijk}.i, 'j': ${z.ijk}.j, 'k': ${z.ijk}.k, 'f': ${x.home}[1]} END`
                                  },
                                  p => h3Hex2dToPoint(d, p.cell, w.res)
                                )
                            )
                        )
                    )
                )
            )
        )
    )
  );
}

/** `[lng, lat]` of a cell's ijk `{i, j, k, f}` on its face (H3's `_hex2dToVec3`). */
function h3Hex2dToPoint(d: IDialect, cell: string, res: string): string {
  return bind(
    d,
    {
      x: `(${cell}.i - ${cell}.k) - 0.5 * (${cell}.j - ${cell}.k)`,
      y: `(${cell}.j - ${cell}.k) * 0.8660254037844386::DOUBLE`,
      c: `${H3_FACE_CENTERS}[${cell}.f + 1]`,
      ax: `${H3_FACE_AXES}[${cell}.f + 1]`
    },
    v =>
      bind(
        d,
        {
          // 1/√7 applied once per resolution, as H3 multiplies.
          r: `${d.fn('atan')}(${fold(d, `${d.call('range', [res])}`, { r: ['DOUBLE', `${d.fn('sqrt')}(${v.x} * ${v.x} + ${v.y} * ${v.y})`] }, acc => ({ r: `${acc.r} * 0.37796447300922725::DOUBLE` }))}.r * 0.381966011250105::DOUBLE)`,
          t: `CASE WHEN ${res} % 2 = 1 THEN ${posAngle(d, `${d.fn('atan2')}(${v.y}, ${v.x}) + 0.3334731722518321::DOUBLE`)} ELSE ${d.fn('atan2')}(${v.y}, ${v.x}) END`,
          north: `[-${v.c}[3] * ${v.c}[1], -${v.c}[3] * ${v.c}[2], 1 - ${v.c}[3] * ${v.c}[3]]`
        },
        w =>
          bind(
            d,
            {
              theta: posAngle(d, `${v.ax} - ${w.t}`),
              n: `${d.fn('list_transform')}(${w.north}, q -> q / ${d.fn('sqrt')}(${dot(w.north, w.north)}))`
            },
            x =>
              bind(d, { e: cross(x.n, v.c) }, e =>
                bind(
                  d,
                  {
                    p: `CASE WHEN ${d.fn('sqrt')}(${v.x} * ${v.x} + ${v.y} * ${v.y}) < 1e-16 THEN ${v.c} ELSE ${d.fn('list_transform')}(${d.call('range', [`1`, `4`])}, q -> ${d.fn('cos')}(${w.r}) * ${v.c}[q] + ${d.fn('sin')}(${w.r}) * (${d.fn('cos')}(${x.theta}) * ${x.n}[q] + ${d.fn('sin')}(${x.theta}) * ${e.e}[q])) END`
                  },
                  p => toLngLat(d, p.p)
                )
              )
          )
      )
  );
}

/** `geo_h3cell_to_central_point(h3cell)`: the cell's centre as a GeoJSON point. */
const h3cellToCentralPoint: Emit = (call, ctx) => {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    { h: h3Decode(d, ctx.str(call.args[0])) },
    v =>
      `CASE WHEN ${v.h} IS NOT NULL THEN ${geoJsonPoint(d, h3CellCenter(d, v.h))} END`
  );
};

/** Why each H3 function that places cells on the icosahedron is refused. */
const H3_GEOMETRY =
  "H3's icosahedron projection (faces, aperture-7 rotations, base cell tables) is not reproduced";

/** Why the functions that construct new shapes are refused. */
const SHAPES =
  "Kusto builds the shape with S2's snapping boolean operations (S2Builder), which are not reproduced";

/** Kusto's geo functions that are refused, each with why. */
const REFUSED: Record<string, string> = {
  geo_h3cell_to_polygon: H3_GEOMETRY,
  geo_polygon_to_h3cells: H3_GEOMETRY,
  geo_polygon_to_s2cells:
    "Kusto's covering of a shape by S2 cells (S2RegionCoverer with Kusto's options) is not reproduced",
  geo_line_to_s2cells:
    "Kusto's covering of a shape by S2 cells (S2RegionCoverer with Kusto's options) is not reproduced",
  geo_intersection_2lines: SHAPES,
  geo_intersection_2polygons: SHAPES,
  geo_intersection_line_with_polygon: SHAPES,
  geo_union_lines_array: SHAPES,
  geo_union_polygons_array: SHAPES,
  geo_line_simplify: SHAPES,
  geo_polygon_simplify: SHAPES,
  geo_simplify_polygons_array: SHAPES,
  geo_line_buffer: SHAPES,
  geo_point_buffer: SHAPES,
  geo_polygon_buffer: SHAPES,
  geo_polygon_centroid: SHAPES,
  geo_line_densify:
    "Kusto's subdivision of planar edges into geodesics is not documented precisely enough to reproduce",
  geo_polygon_densify:
    "Kusto's subdivision of planar edges into geodesics is not documented precisely enough to reproduce",
  geo_from_wkt: 'DuckDB has no WKT parser'
};

/** The geo functions, merged into `FUNCTIONS` by `scalar.ts`. */
export function geoFunctions(): Record<string, Emit> {
  const refusals = Object.fromEntries(
    Object.entries(REFUSED).map(([name, why]): [string, Emit] => [
      name,
      call => {
        throw new UnsupportedError(`${name}()`, call.span, why);
      }
    ])
  );
  return {
    ...refusals,
    geo_distance_2points: distance2Points,
    geo_point_in_circle: pointInCircle,
    geo_point_in_polygon: pointInPolygon,
    geo_polygon_perimeter: polygonPerimeter,
    geo_polygon_area: polygonArea,
    geo_distance_point_to_polygon: distancePointToPolygon,
    geo_distance_point_to_line: distancePointToLine,
    geo_closest_point_on_line: closestPointOnLine,
    geo_line_length: lineLength,
    geo_line_locate_point: lineLocatePoint,
    geo_line_interpolate_point: lineInterpolatePoint,
    geo_line_centroid: lineCentroid,
    geo_intersects_2lines: intersects2Lines,
    geo_intersects_line_with_polygon: intersectsLineWithPolygon,
    geo_intersects_2polygons: intersects2Polygons,
    geo_closest_point_on_polygon: closestPointOnPolygon,
    geo_azimuth: geoAzimuth,
    geo_angle: geoAngle,
    geo_point_to_geohash: pointToGeohash,
    geo_geohash_to_central_point: geohashToCentralPoint,
    geo_geohash_to_polygon: geohashToPolygon,
    geo_geohash_neighbors: geohashNeighbors,
    geo_point_to_s2cell: pointToS2cell,
    geo_s2cell_to_central_point: s2cellToCentralPoint,
    geo_s2cell_to_polygon: s2cellToPolygon,
    geo_s2cell_neighbors: s2cellNeighbors,
    geo_h3cell_level: h3cellLevel,
    geo_h3cell_parent: h3cellParent,
    geo_h3cell_children: h3cellChildren,
    geo_point_to_h3cell: pointToH3cell,
    geo_h3cell_to_central_point: h3cellToCentralPoint
  };
}
