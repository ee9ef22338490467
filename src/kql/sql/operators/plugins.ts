/**
 * The `evaluate` plugins `rows_near` (a window over the rows in order) and `ipv4_lookup` /
 * `ipv6_lookup` (a join whose condition is `ipv4_is_in_range`/`ipv6_is_in_range`).
 */
import type { Expr, IIpLookup, IRowsNear } from '../../ast';
import type { IEmitContext } from './context';

/** Emits `evaluate rows_near`; returns its relation. */
export function emitRowsNear(ctx: IEmitContext, node: IRowsNear): string {
  const s = ctx.scalar;
  const order = ctx.orderOf(node.input);
  const numbered = ctx.cte(
    `SELECT *, ${ctx.fn('row_number')} OVER (${order ? `ORDER BY ${order.sql}` : ''}) AS __n FROM ${ctx.relation(node.input)}`
  );
  // A row is kept when a row meeting the condition lies at most `before` rows after it or at
  // most `after` rows before it.
  const near = `${ctx.fn('bool_or', ctx.fn('coalesce', s.predicate(node.condition), 'FALSE'))} OVER (ORDER BY __n ROWS BETWEEN ${s.as(node.after, 'long')} PRECEDING AND ${s.as(node.before, 'long')} FOLLOWING)`;
  const marked = ctx.cte(`SELECT *, ${near} AS __near FROM ${numbered}`);
  return ctx.cte(
    `SELECT ${node.schema.map(c => ctx.id(c.name)).join(', ')} FROM ${marked} WHERE __near ORDER BY __n`,
    order
  );
}

/** Emits `evaluate ipv4_lookup`/`ipv6_lookup`; returns its relation. */
export function emitIpLookup(ctx: IEmitContext, node: IIpLookup): string {
  const span = node.span;
  const column = (name: string): Expr => ({
    kind: 'column',
    span,
    type: 'string',
    name
  });
  const source = ctx.cte(
    `SELECT *, ${ctx.id(node.sourceKey)} AS __ip_source FROM ${ctx.relation(node.input)}`
  );
  const lookup = ctx.cte(
    `SELECT *, ${ctx.id(node.lookupKey)} AS __ip_key FROM ${ctx.relation(node.lookup)}`
  );
  // Each key column is on one side only, so the condition reads them unqualified.
  const contains = ctx.scalar.predicate({
    kind: 'call',
    span,
    type: 'bool',
    name: node.family === 4 ? 'ipv4_is_in_range' : 'ipv6_is_in_range',
    args: [column('__ip_source'), column('__ip_key')]
  });
  const inputTypes = new Map(node.input.schema.map(c => [c.name, c.type]));
  const extra = node.extraKeys.map(k =>
    inputTypes.get(k) === 'string'
      ? `${ctx.fn('coalesce', `l.${ctx.id(k)}`, "''")} = ${ctx.fn('coalesce', `r.${ctx.id(k)}`, "''")}`
      : `l.${ctx.id(k)} IS NOT DISTINCT FROM r.${ctx.id(k)}`
  );
  // The input's columns (its extra keys among them) come from the input, the others from the
  // lookup table, as the binder ordered them.
  const columns = node.schema.map(
    c => `${inputTypes.has(c.name) ? 'l' : 'r'}.${ctx.id(c.name)}`
  );
  return ctx.cte(
    `SELECT ${columns.join(', ')} FROM ${source} l ${node.unmatched ? 'LEFT ' : ''}JOIN ${lookup} r ON ${[contains, ...extra].join(' AND ')}`
  );
}
