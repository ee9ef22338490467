/**
 * `top-nested`: level by level, the input grouped by the keys so far, the top N groups of each
 * parent group by the level's aggregate. A level `with others=` adds, per parent group, one row
 * whose key is the given value and whose aggregate is over the parent's rows outside the top; the
 * deeper levels' columns of that row are null.
 */
import type { ITopNested } from '../../ast';
import type { IEmitContext } from './context';

/** Emits a `top-nested` node; returns its relation. */
export function emitTopNested(ctx: IEmitContext, node: ITopNested): string {
  const s = ctx.scalar;
  const typeOf = (name: string) =>
    node.schema.find(c => c.name === name)?.type ?? 'dynamic';
  const keys = node.levels.map((_, i) => `__k${i + 1}`);
  const aggs = node.levels.map((_, i) => `__a${i + 1}`);
  // The keys are computed once per input row; the aggregates read the input's own columns.
  const input = ctx.cte(
    `SELECT *, ${node.levels
      .map(
        (l, i) => `${ctx.castTo(l.key.expr, typeOf(l.key.name))} AS ${keys[i]}`
      )
      .join(', ')} FROM ${ctx.relation(node.input)}`
  );
  const same = (a: string, b: string, n: number) =>
    keys
      .slice(0, n)
      .map(k => `${a}.${k} IS NOT DISTINCT FROM ${b}.${k}`)
      .join(' AND ') || 'TRUE';
  const tops: string[] = [];
  const others: string[] = [];
  node.levels.forEach((level, i) => {
    const aggregate = `CAST(${s.sql(level.aggregate.expr)} AS ${ctx.dialect.type(typeOf(level.aggregate.name))})`;
    const parent = tops[i - 1];
    const inParent = parent
      ? [`EXISTS (SELECT 1 FROM ${parent} p WHERE ${same('p', 'r', i)})`]
      : [];
    const partition = keys.slice(0, i);
    const direction = level.descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST';
    const ranked = `${ctx.fn('row_number')} OVER (${partition.length ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${aggs[i]} ${direction}, ${keys[i]})`;
    const limit = level.count
      ? ` QUALIFY ${ranked} <= ${s.as(level.count, 'long')}`
      : '';
    const grouped = ctx.cte(
      `SELECT ${[...keys.slice(0, i + 1), `${aggregate} AS ${aggs[i]}`].join(', ')} FROM ${input} r${inParent.map(c => ` WHERE ${c}`).join('')} GROUP BY ${keys.slice(0, i + 1).join(', ')}${limit}`
    );
    // Each kept group carries its parents' aggregates.
    const top = parent
      ? ctx.cte(
          `SELECT ${[...keys.slice(0, i), ...aggs.slice(0, i)].map(c => `p.${c}`).join(', ')}, g.${keys[i]}, g.${aggs[i]} FROM ${grouped} g JOIN ${parent} p ON ${same('p', 'g', i)}`
        )
      : grouped;
    tops.push(top);
    if (level.others) {
      const outside = `NOT EXISTS (SELECT 1 FROM ${top} t WHERE ${same('t', 'r', i + 1)})`;
      const parentKeys = keys.slice(0, i).map(k => `r.${k}`);
      const rest = ctx.cte(
        `SELECT ${[...parentKeys, `${aggregate} AS ${aggs[i]}`].join(', ')} FROM ${input} r WHERE ${[...inParent, outside].join(' AND ')}${parentKeys.length ? ` GROUP BY ${parentKeys.join(', ')}` : ''} HAVING ${ctx.fn('count', '*')} > 0`
      );
      const value = `${ctx.castTo(level.others, typeOf(level.key.name))} AS ${keys[i]}`;
      others.push(
        parent
          ? `SELECT ${[...keys.slice(0, i), ...aggs.slice(0, i)].map(c => `p.${c}`).join(', ')}, ${value}, o.${aggs[i]} FROM ${rest} o JOIN ${parent} p ON ${same('p', 'o', i)}`
          : `SELECT ${value}, o.${aggs[i]} FROM ${rest} o`
      );
    }
  });
  const all = ctx.cte(
    [`SELECT * FROM ${tops[tops.length - 1]}`, ...others].join(
      ' UNION ALL BY NAME '
    )
  );
  const columns = node.levels.flatMap((level, i) => [
    `${keys[i]} AS ${ctx.id(level.key.name)}`,
    `${aggs[i]} AS ${ctx.id(level.aggregate.name)}`
  ]);
  return ctx.cte(`SELECT ${columns.join(', ')} FROM ${all}`);
}
