/**
 * `scan` as a recursive query that reads the rows of each partition one at a time, in order,
 * carrying Kusto's state from row to row: per step, whether it holds a sequence, the sequence's
 * match id, and the values of `step.column` its conditions and assignments read. Each row is
 * matched against the steps from the last to the first, as Kusto's documentation describes
 * (check 1: the previous step holds a sequence and the row meets the condition — the sequence
 * moves up; check 2: the step holds one, or is the first — the step's record is replaced).
 */
import type { Expr, IScan } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { ScalarType } from '../../types';
import type { IEmitContext } from './context';

/** A `step.column` value the state must carry: which step, which column, its type. */
interface IStateRef {
  step: number;
  column: string;
  type: ScalarType;
}

/** Emits a `scan` node; returns its relation. */
export function emitScan(ctx: IEmitContext, node: IScan): string {
  const s = ctx.scalar;
  const id = (name: string) => ctx.id(name);
  const n = node.steps.length;
  const stepIndex = new Map(node.steps.map((step, k) => [step.name, k]));
  const declaredType = new Map(node.declared.map(d => [d.name, d.type]));
  const refs: IStateRef[] = [];
  const refIndex = (name: string, type: ScalarType): number => {
    const [step, column] = name.split('\u0000');
    let r = refs.findIndex(
      x => x.step === stepIndex.get(step) && x.column === column
    );
    if (r < 0) {
      r = refs.push({ step: stepIndex.get(step)!, column, type }) - 1;
    }
    return r;
  };
  /** An expression read with the state of step `c` (`__s{c}_r{r}` for each `step.column`). */
  const inState = (e: Expr, c: number): Expr =>
    mapColumns(e, col =>
      col.name.includes('\u0000')
        ? { ...col, name: `__s${c}_r${refIndex(col.name, col.type)}` }
        : col
    );
  const type = (t: ScalarType) =>
    ctx.dialect.type(t === 'unknown' ? 'dynamic' : t);
  const initial = new Map(
    node.declared.map(d => [
      d.name,
      d.initial
        ? ctx.castTo(d.initial, d.type === 'unknown' ? 'dynamic' : d.type)
        : `CAST(NULL AS ${type(d.type)})`
    ])
  );
  // Conditions and assignments first: they name the state values the query must carry.
  const steps = node.steps.map((step, k) => {
    const read = (e: Expr, c: number) => s.sql(inState(e, c));
    const condition = (c: number) =>
      ctx.fn('coalesce', s.predicate(inState(step.condition, c)), 'FALSE');
    const check1 = k > 0 ? `(__on${k - 1} AND ${condition(k - 1)})` : 'FALSE';
    const check2 = `(NOT ${check1} AND ${k === 0 ? 'TRUE' : `__on${k}`} AND ${condition(k)})`;
    const assigned = new Map(step.assignments.map(a => [a.name, a.expr]));
    const values = node.declared.map((d, i) => {
      const expr = assigned.get(d.name);
      const value = expr
        ? k > 0
          ? `CASE WHEN ${check1} THEN ${read(expr, k - 1)} ELSE ${read(expr, k)} END`
          : read(expr, k)
        : initial.get(d.name)!;
      return `CAST(${value} AS ${type(d.type)}) AS __v${k}_${i}`;
    });
    return { check1, check2, values };
  });
  for (const ref of refs) {
    if (ref.step === undefined) {
      throw new UnsupportedError('scan reading an unknown step', node.span);
    }
  }
  const empty = (r: IStateRef) =>
    declaredType.has(r.column)
      ? initial.get(r.column)!
      : `CAST(NULL AS ${type(r.type)})`;
  // Inside `partition` (or `mv-apply`), each group is scanned on its own.
  const groups = ctx.groupColumns();
  const partitions = [...node.partitionBy.map((_, i) => `__p${i}`), ...groups];
  const inputColumns = node.input.schema.map(c => id(c.name));
  const stateColumns = (k: number) => [
    `__on${k}`,
    `__id${k}`,
    ...refs.flatMap((r, i) => (r.step <= k ? [`__s${k}_r${i}`] : []))
  ];
  const outputColumns = (k: number) => [
    `__o${k}`,
    `__oid${k}`,
    ...node.declared.map((_, i) => `__v${k}_${i}`)
  ];
  const steps0 = Array.from({ length: n }, (_, k) => k);
  const columns = [
    ...partitions,
    '__i',
    ...inputColumns,
    ...steps0.flatMap(stateColumns),
    '__seq',
    ...steps0.flatMap(outputColumns)
  ];

  // Each partition's rows as one list in order: the recursion reads row i as an element (a join
  // with the rows on their number would cost a pass over them per row).
  const positioned = ctx.cte(
    `SELECT *, ${[...node.partitionBy.map((p, i) => `${s.sql(p)} AS __p${i}`), `${ctx.fn('row_number')} OVER () AS __pos`].join(', ')} FROM ${ctx.relation(node.input)}`
  );
  const order = node.orderBy.length
    ? ctx.orderBy(node.orderBy)
    : ctx.orderOf(node.input);
  const record = node.input.schema
    .map(c => `${ctx.dialect.string(c.name)}: ${id(c.name)}`)
    .join(', ');
  const lists = ctx.cte(
    `SELECT ${[...partitions, `${ctx.fn('list', `{${record}} ORDER BY ${order ? `${order.sql}, ` : ''}__pos`)} AS __rows`].join(', ')} FROM ${positioned}${partitions.length ? ` GROUP BY ${partitions.join(', ')}` : ''}`
  );

  const start = columns.map(c => {
    if (partitions.includes(c)) {
      return c;
    }
    const stateRef = /^__s(\d+)_r(\d+)$/.exec(c);
    if (stateRef) {
      return `${empty(refs[Number(stateRef[2])])} AS ${c}`;
    }
    const value = /^__v(\d+)_(\d+)$/.exec(c);
    if (value) {
      return `CAST(NULL AS ${type(node.declared[Number(value[2])].type)}) AS ${c}`;
    }
    if (c === '__i' || c === '__seq') {
      return `CAST(0 AS BIGINT) AS ${c}`;
    }
    if (/^__(on|o)\d+$/.test(c)) {
      return `FALSE AS ${c}`;
    }
    if (/^__(id|oid)\d+$/.test(c)) {
      return `CAST(NULL AS BIGINT) AS ${c}`;
    }
    const input = node.input.schema.find(x => id(x.name) === c)!;
    return `CAST(NULL AS ${type(input.type)}) AS ${c}`;
  });

  // One row: the next of its partition's list, with the state after the previous row, then
  // matched step by step.
  const same = partitions.map(p => `l.${p} IS NOT DISTINCT FROM w.${p}`);
  const carried = columns.filter(
    c => c.startsWith('__s') || /^__(on|id)\d+$/.test(c) || c === '__seq'
  );
  const fields = node.input.schema.map(
    c => `l.__rows[w.__i + 1][${ctx.dialect.string(c.name)}] AS ${id(c.name)}`
  );
  let layer = `SELECT ${[...carried.map(c => `w.${c}`), ...partitions.map(p => `l.${p}`), 'w.__i + 1 AS __i', ...fields].join(', ')} FROM __scan w JOIN ${lists} l ON ${[...same, `w.__i < ${ctx.fn('len', 'l.__rows')}`].join(' AND ')}`;
  for (let k = n - 1; k >= 0; k--) {
    const { check1, check2, values } = steps[k];
    const checked = `SELECT *, ${check1} AS __c1_${k}, ${check2} AS __c2_${k}, ${values.join(', ')} FROM (${layer})`;
    const matched = `(__c1_${k} OR __c2_${k})`;
    const fresh = k === 0 ? 'NOT __on0' : 'FALSE';
    const matchId = `CASE WHEN __c1_${k} THEN ${k > 0 ? `__id${k - 1}` : 'NULL'} WHEN ${fresh} THEN __seq ELSE __id${k} END`;
    const replaced = [
      `__on${k} OR ${matched} AS __on${k}`,
      `CASE WHEN ${matched} THEN ${matchId} ELSE __id${k} END AS __id${k}`,
      ...refs.flatMap((r, i) => {
        if (r.step > k) {
          return [];
        }
        const own = declaredType.has(r.column)
          ? `__v${k}_${node.declared.findIndex(d => d.name === r.column)}`
          : id(r.column);
        return [
          r.step === k
            ? `CASE WHEN ${matched} THEN ${own} ELSE __s${k}_r${i} END AS __s${k}_r${i}`
            : `CASE WHEN __c1_${k} THEN __s${k - 1}_r${i} ELSE __s${k}_r${i} END AS __s${k}_r${i}`
        ];
      })
    ];
    if (k > 0) {
      // The previous step's sequence moved up: its state is empty again.
      replaced.push(
        `__on${k - 1} AND NOT __c1_${k} AS __on${k - 1}`,
        `CASE WHEN __c1_${k} THEN NULL ELSE __id${k - 1} END AS __id${k - 1}`,
        ...refs.flatMap((r, i) =>
          r.step <= k - 1
            ? [
                `CASE WHEN __c1_${k} THEN ${empty(r)} ELSE __s${k - 1}_r${i} END AS __s${k - 1}_r${i}`
              ]
            : []
        )
      );
    } else {
      replaced.push(
        `CASE WHEN __c2_0 AND NOT __on0 THEN __seq + 1 ELSE __seq END AS __seq`
      );
    }
    const output = node.steps[k].output === 'all' ? matched : 'FALSE';
    layer = `SELECT * REPLACE (${replaced.join(', ')}), ${output} AS __o${k}, ${matchId} AS __oid${k} FROM (${checked})`;
  }
  const scan = ctx.cte(
    `WITH RECURSIVE __scan AS (SELECT ${start.join(', ')} FROM ${lists} UNION ALL SELECT ${columns.join(', ')} FROM (${layer})) SELECT * FROM __scan WHERE __i > 0`
  );

  // Each row's outputs, the last step's first, as the steps matched it.
  const declaredIndex = new Map(node.declared.map((d, i) => [d.name, i]));
  const outputs = steps0
    .slice()
    .reverse()
    .map(k => {
      const select = node.schema.map(c => {
        const d = declaredIndex.get(c.name);
        if (d !== undefined) {
          return `__v${k}_${d} AS ${id(c.name)}`;
        }
        return c.name === node.matchId
          ? `__oid${k} AS ${id(c.name)}`
          : id(c.name);
      });
      return `SELECT ${select.join(', ')}, ${[...partitions, '__i'].join(', ')}, ${n - k} AS __step FROM ${scan} WHERE __o${k}`;
    });
  const all = ctx.cte(outputs.join(' UNION ALL '));
  return ctx.cte(
    `SELECT ${[...node.schema.map(c => id(c.name)), ...groups].join(', ')} FROM ${all} ORDER BY ${[...partitions, '__i', '__step'].join(', ')}`,
    partitions.length ? undefined : keptOrder(order, node)
  );
}

/** The order the input's rows followed still holds for the output: its columns pass unchanged. */
function keptOrder(
  order: { sql: string; columns: string[] } | undefined,
  node: IScan
): { sql: string; columns: string[] } | undefined {
  const inputs = new Set(node.input.schema.map(c => c.name));
  return order && order.columns.every(c => inputs.has(c)) ? order : undefined;
}

/** An expression with each column reference replaced by `f`'s. */
function mapColumns(
  e: Expr,
  f: (column: Extract<Expr, { kind: 'column' }>) => Expr
): Expr {
  switch (e.kind) {
    case 'column':
      return f(e);
    case 'call':
      return { ...e, args: e.args.map(a => mapColumns(a, f)) };
    case 'member':
      return {
        ...e,
        target: mapColumns(e.target, f),
        key: mapColumns(e.key, f)
      };
    default:
      return e;
  }
}
