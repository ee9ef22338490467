/**
 * Kusto's H3 functions that walk H3's grid: `geo_h3cell_neighbors` and `geo_h3cell_rings`, as
 * ports of H3's `h3NeighborRotations` (the digits adjusted from the finest resolution up, the
 * base cell neighbour and rotation tables, pentagons' deleted k-axis subsequence) and
 * `gridDiskDistancesUnsafe` (ring by ring: one step along the i axis, then each of the six sides),
 * whose order is the order of Kusto's documented examples. H3 falls back to an unordered
 * traversal when the disk meets a pentagon; that order is not reproduced, so such a query stops
 * at run time naming the function. The index bits (`h3Decode`, `h3Token`) and the rotation
 * tables are `geo.ts`'s.
 */
import type { IDialect } from './dialect';
import type { Emit, IScalarEmitter } from './functions/emit';
import {
  bind,
  fold,
  h3Decode,
  h3Digit,
  h3Resolution,
  h3Token,
  H3_BASE_HOMES,
  H3_CW_OFFSET_FACES,
  H3_PENTAGONS,
  H3_ROTATE_CCW
} from './geo';
/** Each base cell's neighbour in each direction, 127 for the deleted k direction of a pentagon, `[base cell + 1][direction + 1]` (H3's `baseCellNeighbors`). */
const H3_BASE_NEIGHBORS = table(
  '[[0,1,5,2,4,3,8],[1,7,6,9,0,3,2],[2,6,10,11,0,1,5],[3,13,1,7,4,12,0],[4,127,15,8,3,0,12],[5,2,18,10,8,0,16],[6,14,11,17,1,9,2],[7,21,9,19,3,13,1],[8,5,22,16,4,0,15],[9,19,14,20,1,7,6],[10,11,24,23,5,2,18],[11,17,23,25,2,6,10],[12,28,13,26,4,15,3],[13,26,21,29,3,12,7],[14,127,17,27,9,20,6],[15,22,28,31,4,8,12],[16,18,33,30,8,5,22],[17,11,14,6,35,25,27],[18,24,30,32,5,10,16],[19,34,20,36,7,21,9],[20,14,19,9,40,27,36],[21,38,19,34,13,29,7],[22,16,41,33,15,8,31],[23,24,11,10,39,37,25],[24,127,32,37,10,23,18],[25,23,17,11,45,39,35],[26,42,29,43,12,28,13],[27,40,35,46,14,20,17],[28,31,42,44,12,15,26],[29,43,38,47,13,26,21],[30,32,48,50,16,18,33],[31,41,44,53,15,22,28],[32,30,24,18,52,50,37],[33,30,49,48,22,16,41],[34,19,38,21,54,36,51],[35,46,45,56,17,27,25],[36,20,34,19,55,40,54],[37,39,52,57,24,23,32],[38,127,34,51,29,47,21],[39,37,25,23,59,57,45],[40,27,36,20,60,46,55],[41,49,53,61,22,33,31],[42,58,43,62,28,44,26],[43,62,47,64,26,42,29],[44,53,58,65,28,31,42],[45,39,35,25,63,59,56],[46,60,56,68,27,40,35],[47,38,43,29,69,51,64],[48,49,30,33,67,66,50],[49,127,61,66,33,48,41],[50,48,32,30,70,67,52],[51,69,54,71,38,47,34],[52,57,70,74,32,37,50],[53,61,65,75,31,41,44],[54,71,55,73,34,51,36],[55,40,54,36,72,60,73],[56,68,63,77,35,46,45],[57,59,74,78,37,39,52],[58,127,62,76,44,65,42],[59,63,78,79,39,45,57],[60,72,68,80,40,55,46],[61,53,49,41,81,75,66],[62,43,58,42,82,64,76],[63,127,56,45,79,59,77],[64,47,62,43,84,69,82],[65,58,53,44,86,76,75],[66,67,81,85,49,48,61],[67,66,50,48,87,85,70],[68,56,60,46,90,77,80],[69,51,64,47,89,71,84],[70,67,52,50,83,87,74],[71,89,73,91,51,69,54],[72,127,73,55,80,60,88],[73,91,72,88,54,71,55],[74,78,83,92,52,57,70],[75,65,61,53,94,86,81],[76,86,82,96,58,65,62],[77,63,68,56,93,79,90],[78,74,59,57,95,92,79],[79,78,63,59,93,95,77],[80,68,72,60,99,90,88],[81,85,94,101,61,66,75],[82,96,84,98,62,76,64],[83,127,74,70,100,87,92],[84,69,82,64,97,89,98],[85,87,101,102,66,67,81],[86,76,75,65,104,96,94],[87,83,102,100,67,70,85],[88,72,91,73,99,80,105],[89,97,91,103,69,84,71],[90,77,80,68,106,93,99],[91,73,89,71,105,88,103],[92,83,78,74,108,100,95],[93,79,90,77,109,95,106],[94,86,81,75,107,104,101],[95,92,79,78,109,108,93],[96,104,98,110,76,86,82],[97,127,98,84,103,89,111],[98,110,97,111,82,96,84],[99,80,105,88,106,90,113],[100,102,83,87,108,114,92],[101,102,107,112,81,85,94],[102,101,87,85,114,112,100],[103,91,97,89,116,105,111],[104,107,110,115,86,94,96],[105,88,103,91,113,99,116],[106,93,99,90,117,109,113],[107,127,101,94,115,104,112],[108,100,95,92,118,114,109],[109,108,93,95,117,118,106],[110,98,104,96,119,111,115],[111,97,110,98,116,103,119],[112,107,102,101,120,115,114],[113,99,116,105,117,106,121],[114,112,100,102,118,120,108],[115,110,107,104,120,119,112],[116,103,119,111,113,105,121],[117,127,109,118,113,121,106],[118,120,108,114,117,121,109],[119,111,115,110,121,116,120],[120,115,114,112,121,119,118],[121,116,120,119,117,113,118]]'
);
/** The 60° counterclockwise rotations into that neighbour's coordinate system, same index (H3's `baseCellNeighbor60CCWRots`). */
const H3_BASE_NEIGHBOR_ROTATIONS = table(
  '[[0,5,0,0,1,5,1],[0,0,1,0,1,0,1],[0,0,0,0,0,5,0],[0,5,0,0,2,5,1],[0,-1,1,0,3,4,2],[0,0,1,0,1,0,1],[0,0,0,3,5,5,0],[0,0,0,0,0,5,0],[0,5,0,0,0,5,1],[0,0,1,3,0,0,1],[0,0,1,3,0,0,1],[0,3,3,3,0,0,0],[0,5,0,0,3,5,1],[0,0,1,0,1,0,1],[0,-1,3,0,5,2,0],[0,5,0,0,4,5,1],[0,0,0,0,0,5,0],[0,3,3,3,3,0,3],[0,0,0,3,5,5,0],[0,3,3,3,0,0,0],[0,3,3,3,0,3,0],[0,0,0,3,5,5,0],[0,0,1,0,1,0,1],[0,3,3,3,0,3,0],[0,-1,3,0,5,2,0],[0,0,0,3,0,0,3],[0,0,0,0,0,5,0],[0,3,0,0,0,3,3],[0,0,1,0,1,0,1],[0,0,1,3,0,0,1],[0,3,3,3,0,0,0],[0,0,0,0,0,5,0],[0,3,3,3,3,0,3],[0,0,1,3,0,0,1],[0,3,3,3,3,0,3],[0,0,3,0,3,0,3],[0,0,0,3,0,0,3],[0,3,0,0,0,3,3],[0,-1,3,0,5,2,0],[0,3,0,0,3,3,0],[0,3,0,0,3,3,0],[0,0,0,3,5,5,0],[0,0,0,3,5,5,0],[0,3,3,3,0,0,0],[0,0,1,3,0,0,1],[0,0,3,0,0,3,3],[0,0,0,3,0,3,0],[0,3,3,3,0,3,0],[0,3,3,3,0,3,0],[0,-1,3,0,5,2,0],[0,0,0,3,0,0,3],[0,3,0,0,0,3,3],[0,0,3,0,3,0,3],[0,3,3,3,0,0,0],[0,0,3,0,3,0,3],[0,0,3,0,0,3,3],[0,3,3,3,0,0,3],[0,0,0,3,0,3,0],[0,-1,3,0,5,2,0],[0,3,3,3,3,3,0],[0,3,3,3,3,3,0],[0,3,3,3,3,0,3],[0,3,3,3,3,0,3],[0,-1,3,0,5,2,0],[0,0,0,3,0,0,3],[0,3,3,3,0,3,0],[0,3,0,0,0,3,3],[0,3,0,0,3,3,0],[0,3,3,3,0,0,0],[0,3,0,0,3,3,0],[0,0,3,0,0,3,3],[0,0,0,3,0,3,0],[0,-1,3,0,5,2,0],[0,3,3,3,0,0,3],[0,3,3,3,0,0,3],[0,0,0,3,0,0,3],[0,3,0,0,0,3,3],[0,0,0,3,0,5,0],[0,3,3,3,0,0,0],[0,0,1,3,1,0,1],[0,0,1,3,1,0,1],[0,0,3,0,3,0,3],[0,0,3,0,3,0,3],[0,-1,3,0,5,2,0],[0,0,3,0,0,3,3],[0,0,0,3,0,3,0],[0,3,0,0,3,3,0],[0,3,3,3,3,3,0],[0,0,0,3,0,5,0],[0,3,3,3,3,3,0],[0,0,0,0,0,0,1],[0,3,3,3,0,0,0],[0,0,0,3,0,5,0],[0,5,0,0,5,5,0],[0,0,3,0,0,3,3],[0,0,0,0,0,0,1],[0,0,0,3,0,3,0],[0,-1,3,0,5,2,0],[0,3,3,3,0,0,3],[0,5,0,0,5,5,0],[0,0,1,3,1,0,1],[0,3,3,3,0,0,3],[0,3,3,3,0,0,0],[0,0,1,3,1,0,1],[0,3,3,3,3,3,0],[0,0,0,0,0,0,1],[0,0,1,0,3,5,1],[0,-1,3,0,5,2,0],[0,5,0,0,5,5,0],[0,0,1,0,4,5,1],[0,3,3,3,0,0,0],[0,0,0,3,0,5,0],[0,0,0,3,0,5,0],[0,0,1,0,2,5,1],[0,0,0,0,0,0,1],[0,0,1,3,1,0,1],[0,5,0,0,5,5,0],[0,-1,1,0,3,4,2],[0,0,1,0,0,5,1],[0,0,0,0,0,0,1],[0,5,0,0,5,5,0],[0,0,1,0,1,5,1]]'
);
/** A digit moved one cell in a direction on a Class III resolution, `[digit + 1][direction + 1]` (H3's `NEW_DIGIT_II`). */
const H3_NEW_DIGIT_II = table(
  '[[0,1,2,3,4,5,6],[1,4,3,6,5,2,0],[2,3,1,4,6,0,5],[3,6,4,5,0,1,2],[4,5,6,0,2,3,1],[5,2,0,1,3,6,4],[6,0,5,2,1,4,3]]'
);
/** The move left to make at the next coarser resolution, same index (H3's `NEW_ADJUSTMENT_II`). */
const H3_NEW_ADJUSTMENT_II = table(
  '[[0,0,0,0,0,0,0],[0,1,0,1,0,5,0],[0,0,2,3,0,0,2],[0,1,3,3,0,0,0],[0,0,0,0,4,4,6],[0,5,0,0,4,5,0],[0,0,2,0,6,0,6]]'
);
/** A digit moved one cell on a Class II resolution (H3's `NEW_DIGIT_III`). */
const H3_NEW_DIGIT_III = table(
  '[[0,1,2,3,4,5,6],[1,2,3,4,5,6,0],[2,3,4,5,6,0,1],[3,4,5,6,0,1,2],[4,5,6,0,1,2,3],[5,6,0,1,2,3,4],[6,0,1,2,3,4,5]]'
);
/** The move left to make at the next coarser resolution (H3's `NEW_ADJUSTMENT_III`). */
const H3_NEW_ADJUSTMENT_III = table(
  '[[0,0,0,0,0,0,0],[0,1,0,3,0,1,0],[0,0,2,2,0,0,6],[0,3,2,3,0,0,0],[0,0,0,0,4,5,4],[0,1,0,0,5,5,0],[0,0,6,0,4,0,6]]'
);
/** The six sides of a ring in walking order (H3's `DIRECTIONS`: j, jk, k, ik, i, ij). */
const H3_DIRECTIONS = table('[[2, 3, 1, 5, 4, 6]]');
/** The direction from one ring to the next (H3's `NEXT_RING_DIRECTION`, the i axis). */
const H3_NEXT_RING = '4';
/** The most rings Kusto computes (`geo_h3cell_rings`: distance in [0, 142]). */
const H3_MAX_RINGS = 142;
/**
 * The most rings walked locally: the walk is one step of a SQL fold per cell (about 0.15 s per
 * step on DuckDB, 331 cells for 10 rings), so a larger distance stops the query rather than run
 * for hours.
 */
const H3_LOCAL_RINGS = 10;

/**
 * A table of small integers as one string literal of fixed-width fields. Inside a fold's lambda
 * DuckDB builds a list literal again at every step (0.2 ms for 122 × 7 numbers); a string it
 * reads in place.
 */
interface ITable {
  text: string;
  width: number;
  columns: number;
}

/** A table of the rows of a JSON array of arrays of integers. */
function table(json: string): ITable {
  const rows = JSON.parse(json) as number[][];
  const width = Math.max(...rows.flat().map(n => String(n).length));
  return {
    text: rows
      .flat()
      .map(n => String(n).padStart(width, '0'))
      .join(''),
    width,
    columns: rows[0].length
  };
}

/** The value at a zero-based row and column of a table. */
function at(
  ctx: IScalarEmitter,
  t: ITable,
  row: string,
  column: string
): string {
  return `CAST(${ctx.fn('substr', `'${t.text}'`, `((${row}) * ${t.columns} + (${column})) * ${t.width} + 1`, `${t.width}`)} AS INTEGER)`;
}

/** A digit rotated 60° counterclockwise n times, row n, column digit (`geo.ts`'s `H3_ROTATE_CCW`). */
const ROTATE_CCW = table(H3_ROTATE_CCW);
/** 1 for each pentagon base cell, by base cell. */
const PENTAGON = table(
  JSON.stringify([
    Array.from({ length: 122 }, (_, bc) =>
      (JSON.parse(H3_PENTAGONS) as number[]).includes(bc) ? 1 : 0
    )
  ])
);
/** Each base cell's home face, by base cell. */
const HOME_FACE = table(
  JSON.stringify([(JSON.parse(H3_BASE_HOMES) as number[][]).map(r => r[0])])
);
/** The two faces on which a pentagon base cell is clockwise offset (-1: none), by base cell. */
const CW_OFFSET_FACES = table(H3_CW_OFFSET_FACES);

/** A cell on the walk: base cell, digits, H3's accumulated rotations, and no pentagon met. */
const CELL = 'STRUCT(bc INTEGER, ds INTEGER[], rot INTEGER, ok BOOLEAN)';

/** The first non-zero digit (H3's `_h3LeadingNonZeroDigit`), 0 when there is none. */
function leading(ctx: IScalarEmitter, ds: string): string {
  return ctx.fn(
    'coalesce',
    `${ctx.fn('list_filter', ds, 'd -> d <> 0')}[1]`,
    '0'
  );
}

/** Digits rotated 60° counterclockwise `n` times (`n` from 0 to 5). */
function rotate(ctx: IScalarEmitter, ds: string, n: string): string {
  return ctx.fn('list_transform', ds, `d -> ${at(ctx, ROTATE_CCW, n, 'd')}`);
}

/** True for a pentagon: a pentagon base cell with every digit 0 (H3's `isPentagon`). */
function isPentagon(ctx: IScalarEmitter, c: string): string {
  return `(${at(ctx, PENTAGON, '0', `${c}.bc`)} = 1 AND ${leading(ctx, `${c}.ds`)} = 0)`;
}

/** The H3 index (UBIGINT) of a walked cell. */
function h3Index(ctx: IScalarEmitter, c: string): string {
  const res = `${ctx.fn('len', `${c}.ds`)}`;
  const digits = ctx.fn(
    'list_transform',
    ctx.fn('range', '1', '16'),
    `p -> CAST(CASE WHEN p <= ${res} THEN ${c}.ds[p] ELSE 7 END AS UBIGINT) << (3 * (15 - p))`
  );
  return `((1::UBIGINT << 59) | (CAST(${res} AS UBIGINT) << 52) | (CAST(${c}.bc AS UBIGINT) << 45) | ${ctx.fn('list_reduce', digits, '(a, b) -> a | b')})`;
}

/**
 * The neighbour of a walked cell in a direction, with H3's rotations carried along (H3's
 * `h3NeighborRotations`); `ok` turns false where H3 fails (the deleted k direction of a
 * pentagon).
 */
function neighbor(ctx: IScalarEmitter, c: string, direction: string): string {
  const d = ctx.ctx.dialect;
  return bind(
    d,
    {
      dir: at(ctx, ROTATE_CCW, `${c}.rot % 6`, direction),
      lead: leading(ctx, `${c}.ds`)
    },
    v =>
      bind(
        d,
        {
          // The digits from the finest resolution up, while a move remains.
          walk: `${fold(
            d,
            ctx.fn('range', ctx.fn('len', `${c}.ds`), '0', '-1'),
            {
              s: [
                'STRUCT(ds INTEGER[], dir INTEGER, done BOOLEAN)',
                `{'ds': ${c}.ds, 'dir': ${v.dir}, 'done': false}`
              ]
            },
            (acc, p) => ({
              s: bind(
                d,
                {
                  old: `${acc.s}.ds[${p}]`,
                  odd: `${p} % 2 = 1`
                },
                o =>
                  bind(
                    d,
                    {
                      digit: `CASE WHEN ${o.odd} THEN ${at(ctx, H3_NEW_DIGIT_II, o.old, `${acc.s}.dir`)} ELSE ${at(ctx, H3_NEW_DIGIT_III, o.old, `${acc.s}.dir`)} END`,
                      next: `CASE WHEN ${o.odd} THEN ${at(ctx, H3_NEW_ADJUSTMENT_II, o.old, `${acc.s}.dir`)} ELSE ${at(ctx, H3_NEW_ADJUSTMENT_III, o.old, `${acc.s}.dir`)} END`
                    },
                    n =>
                      `CASE WHEN ${acc.s}.done THEN ${acc.s} ELSE {'ds': ${ctx.fn('list_transform', ctx.fn('range', '1', `${ctx.fn('len', `${acc.s}.ds`)} + 1`), `q -> CASE WHEN q = ${p} THEN ${n.digit} ELSE ${acc.s}.ds[q] END`)}, 'dir': CASE WHEN ${n.next} <> 0 THEN ${n.next} ELSE ${acc.s}.dir END, 'done': ${n.next} = 0} END`
                  )
              )
            })
          )}.s`
        },
        w =>
          bind(
            d,
            {
              top: `NOT ${w.walk}.done`,
              into: at(ctx, H3_BASE_NEIGHBORS, `${c}.bc`, `${w.walk}.dir`)
            },
            t =>
              bind(
                d,
                {
                  // The deleted k direction at the base cell level borders the ik neighbour.
                  deleted: `(${t.top} AND ${t.into} = 127)`
                },
                u =>
                  bind(
                    d,
                    {
                      bc: `CASE WHEN ${u.deleted} THEN ${at(ctx, H3_BASE_NEIGHBORS, `${c}.bc`, '5')} WHEN ${t.top} THEN ${t.into} ELSE ${c}.bc END`,
                      nr: `CASE WHEN ${u.deleted} THEN ${at(ctx, H3_BASE_NEIGHBOR_ROTATIONS, `${c}.bc`, '5')} WHEN ${t.top} THEN ${at(ctx, H3_BASE_NEIGHBOR_ROTATIONS, `${c}.bc`, `${w.walk}.dir`)} ELSE 0 END`,
                      ds: `CASE WHEN ${u.deleted} THEN ${rotate(ctx, `${w.walk}.ds`, '1')} ELSE ${w.walk}.ds END`,
                      rot: `${c}.rot % 6 + CASE WHEN ${u.deleted} THEN 1 ELSE 0 END`
                    },
                    b =>
                      bind(
                        d,
                        {
                          pent: `${at(ctx, PENTAGON, '0', b.bc)} = 1`,
                          cross: `${c}.bc <> ${b.bc}`
                        },
                        x =>
                          bind(
                            d,
                            {
                              // Out of a pentagon's deleted k-axis subsequence.
                              k: `(${x.pent} AND ${leading(ctx, b.ds)} = 1)`
                            },
                            y =>
                              bind(
                                d,
                                {
                                  turn: `CASE WHEN ${y.k} AND ${x.cross} THEN (CASE WHEN ${at(ctx, HOME_FACE, '0', `${c}.bc`)} IN (${at(ctx, CW_OFFSET_FACES, b.bc, '0')}, ${at(ctx, CW_OFFSET_FACES, b.bc, '1')}) THEN 5 ELSE 1 END) WHEN ${y.k} AND ${v.lead} = 3 THEN 1 WHEN ${y.k} AND ${v.lead} = 5 THEN 5 ELSE 0 END`,
                                  extra: `CASE WHEN ${y.k} AND NOT ${x.cross} AND ${v.lead} = 3 THEN 1 WHEN ${y.k} AND NOT ${x.cross} AND ${v.lead} = 5 THEN 5 ELSE 0 END`,
                                  fail: `(${y.k} AND NOT ${x.cross} AND ${v.lead} NOT IN (3, 5))`,
                                  adjusted: `(${y.k} AND ${x.cross})`
                                },
                                z =>
                                  bind(
                                    d,
                                    {
                                      ds: rotate(ctx, b.ds, z.turn)
                                    },
                                    e =>
                                      bind(
                                        d,
                                        {
                                          // A pentagon's rotation skips the deleted k digit as a leading digit.
                                          turns: `CASE WHEN ${x.pent} THEN ${fold(
                                            d,
                                            ctx.fn('range', b.nr),
                                            {
                                              l: [
                                                'INTEGER',
                                                leading(ctx, e.ds)
                                              ],
                                              t: ['INTEGER', '0']
                                            },
                                            acc => {
                                              const once = at(
                                                ctx,
                                                ROTATE_CCW,
                                                '1',
                                                acc.l
                                              );
                                              return {
                                                l: `CASE WHEN ${once} = 1 THEN ${at(ctx, ROTATE_CCW, '1', once)} ELSE ${once} END`,
                                                t: `${acc.t} + CASE WHEN ${once} = 1 THEN 2 ELSE 1 END`
                                              };
                                            }
                                          )}.t ELSE ${b.nr} END`
                                        },
                                        f =>
                                          bind(
                                            d,
                                            {
                                              ds: rotate(
                                                ctx,
                                                e.ds,
                                                `${f.turns} % 6`
                                              )
                                            },
                                            g =>
                                              bind(
                                                d,
                                                {
                                                  // Base cells oriented differently across this edge.
                                                  orient: `CASE WHEN ${x.pent} AND ${x.cross} THEN (CASE WHEN ${b.bc} IN (4, 117) THEN (CASE WHEN ${c}.bc NOT IN (118, 8) AND ${leading(ctx, g.ds)} <> 3 THEN 1 ELSE 0 END) WHEN ${leading(ctx, g.ds)} = 5 AND NOT ${z.adjusted} THEN 1 ELSE 0 END) ELSE 0 END`
                                                },
                                                h =>
                                                  `{'bc': ${b.bc}, 'ds': ${g.ds}, 'rot': (${b.rot} + ${z.extra} + ${h.orient} + ${b.nr}) % 6, 'ok': ${c}.ok AND NOT ${z.fail}}`
                                              )
                                          )
                                      )
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

/**
 * The cells within `k` rings of an H3 index (UBIGINT), ring by ring, as lists of indexes (H3's
 * `gridDiskDistancesUnsafe`): `{c, rings}`, where `c.ok` is false when a pentagon was met.
 */
function gridDisk(ctx: IScalarEmitter, h: string, k: string): string {
  const d = ctx.ctx.dialect;
  const ringsType = `STRUCT(c ${CELL}, rings UBIGINT[][])`;
  const ringType = `STRUCT(c ${CELL}, out UBIGINT[])`;
  return bind(
    d,
    {
      origin: `{'bc': CAST((${h} >> 45) & 127::UBIGINT AS INTEGER), 'ds': ${ctx.fn('list_transform', ctx.fn('range', '1', `${h3Resolution(h)} + 1`), `r -> ${h3Digit(h, 'r')}`)}, 'rot': 0, 'ok': true}::${CELL}`
    },
    o =>
      `${fold(
        d,
        ctx.fn('range', '1', `${k} + 1`),
        {
          w: [
            ringsType,
            `{'c': ${d.fn('struct_update')}(${o.origin}, ok := NOT ${isPentagon(ctx, o.origin)}), 'rings': [[${h}]]}`
          ]
        },
        (acc, ring) => {
          // One step along the i axis to the ring's first corner, then 6 × ring steps around it.
          const walk = fold(
            d,
            ctx.fn('range', '0', `6 * ${ring} + 1`),
            { w: [ringType, `{'c': ${acc.w}.c, 'out': []}`] },
            (step, m) => ({
              w: bind(
                d,
                {
                  n: neighbor(
                    ctx,
                    `${step.w}.c`,
                    `CASE WHEN ${m} = 0 THEN ${H3_NEXT_RING} ELSE ${at(ctx, H3_DIRECTIONS, '0', `(${m} - 1) // ${ring}`)} END`
                  )
                },
                n =>
                  bind(
                    d,
                    {
                      c: `${d.fn('struct_update')}(${n.n}, ok := ${n.n}.ok AND NOT ${isPentagon(ctx, n.n)})`
                    },
                    c =>
                      `{'c': ${c.c}, 'out': CASE WHEN ${m} = 0 THEN ${step.w}.out ELSE ${ctx.fn('list_append', `${step.w}.out`, h3Index(ctx, c.c))} END}`
                  )
              )
            })
          );
          return {
            w: bind(
              d,
              { r: `${walk}.w` },
              r =>
                `{'c': ${r.r}.c, 'rings': ${ctx.fn('list_append', `${acc.w}.rings`, `${r.r}.out`)}}`
            )
          };
        }
      )}.w`
  );
}

/** Stops the query where H3's walk met a pentagon: H3's fallback order is not reproduced. */
function pentagonRefusal(d: IDialect, name: string): string {
  return `${d.fn('error')}('not supported locally: ${name}() of a cell whose rings meet a pentagon (H3 then walks the grid in an order that is not reproduced)')`;
}

/**
 * The rings of a cell token within `k` as JSON arrays of tokens, null for an invalid cell or a
 * distance outside [0, 142].
 */
function rings(
  ctx: IScalarEmitter,
  name: string,
  token: string,
  k: string,
  body: (rings: string) => string
): string {
  const d = ctx.ctx.dialect;
  return bind(d, { h: h3Decode(d, token), k }, v =>
    bind(
      d,
      {
        disk: `CASE WHEN ${v.h} IS NOT NULL AND ${v.k} BETWEEN 0 AND ${H3_LOCAL_RINGS} THEN ${gridDisk(ctx, v.h, v.k)} END`
      },
      g =>
        `CASE WHEN ${v.k} > ${H3_LOCAL_RINGS} AND ${v.h} IS NOT NULL AND ${v.k} <= ${H3_MAX_RINGS} THEN ${d.fn('error')}('not supported locally: ${name}() beyond ${H3_LOCAL_RINGS} rings (one SQL step per cell would take too long)') WHEN ${g.disk} IS NULL THEN NULL WHEN NOT ${g.disk}.c.ok THEN ${pentagonRefusal(d, name)} ELSE ${body(
          ctx.fn(
            'list_transform',
            `${g.disk}.rings`,
            `ring -> ${ctx.fn('list_transform', 'ring', `x -> ${h3Token(d, 'x')}`)}`
          )
        )} END`
    )
  );
}

/** `geo_h3cell_neighbors(h3cell)`: the first ring, in the order of H3's walk. */
const h3cellNeighbors: Emit = (call, ctx) =>
  rings(ctx, 'geo_h3cell_neighbors', ctx.str(call.args[0]), '1', r =>
    ctx.fn('to_json', `${r}[2]`)
  );

/** `geo_h3cell_rings(h3cell, distance)`: the cell, then each ring up to the distance. */
const h3cellRings: Emit = (call, ctx) =>
  rings(
    ctx,
    'geo_h3cell_rings',
    ctx.str(call.args[0]),
    `CAST(${ctx.as(call.args[1], 'long')} AS BIGINT)`,
    r => ctx.fn('to_json', r)
  );

/** The H3 functions of this file, merged into `FUNCTIONS` by `scalar.ts` after `geo.ts`'s. */
export function h3Functions(): Record<string, Emit> {
  return {
    geo_h3cell_neighbors: h3cellNeighbors,
    geo_h3cell_rings: h3cellRings
  };
}
