/**
 * `partition by Column (subquery)`: the subquery runs once over all rows, each of its operators
 * working per value of the key (as `mv-apply` applies its subquery per input row): `summarize`
 * groups by the key too, `take`/`top` keep N rows per key, and so on. The union of the
 * subqueries' results is then the subquery's result.
 */
import type { IPartition, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { IEmitContext } from './context';

/** The operators whose SQL works per group of rows (the emitter's `mv-apply` support). */
const PER_GROUP: ReadonlySet<Tabular['kind']> = new Set<Tabular['kind']>([
  'where',
  'extend',
  'project',
  'parse',
  'mv-expand',
  'summarize',
  'take',
  'sort',
  'distinct',
  'scan'
]);

/** Emits a `partition` node; returns its relation. */
export function emitPartition(ctx: IEmitContext, node: IPartition): string {
  let step: Tabular = node.body;
  while (step.kind !== 'mv-apply-row') {
    if (!PER_GROUP.has(step.kind) || !('input' in step)) {
      throw new UnsupportedError(
        `partition with ${step.kind} in its subquery`,
        step.span
      );
    }
    step = step.input;
  }
  const input = ctx.relation(node.input);
  const { relation } = ctx.applyTo(
    step,
    node.body,
    column =>
      ctx.cte(
        `SELECT *, ${ctx.scalar.sql(node.key)} AS ${column} FROM ${input}`
      ),
    true
  );
  return ctx.cte(
    `SELECT ${node.schema.map(c => ctx.id(c.name)).join(', ')} FROM ${relation}`
  );
}
