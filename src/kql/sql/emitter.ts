/**
 * Tabular expressions to one SQL statement: each operator becomes a common table expression that
 * produces exactly the columns Kusto's binder says it produces, in Kusto's order and with Kusto's
 * names, so each step can be read and checked on its own.
 */
import type {
  Expr,
  IAggregate,
  IBagUnpack,
  IJoin,
  IMakeSeries,
  IMvApply,
  IMvExpand,
  INamedExpr,
  IParse,
  IPivot,
  IQuery,
  ISortKey,
  ISummarize,
  ITableRef,
  IUnion,
  IWhere,
  ParsePart,
  Tabular
} from '../ast';
import {
  type DiscoveryNeeded,
  type ISpan,
  UnsupportedError
} from '../diagnostics';
import { isNumeric, type RowSchema } from '../types';
import type { IDialect, SqlFunction } from './dialect';
import {
  columnNeeds,
  joinSources,
  merge,
  type Needed,
  type Prunable
} from './prune';
import { translateRegex } from './regex';
import { parseDatetime } from './functions/datetime';
import type { ISerializedRows } from './functions/emit';
import { ScalarEmitter } from './scalar';
import {
  conjuncts,
  type ISharedRead,
  type ISharedUse,
  sharedReads
} from './shared';
import { type ITimeWindow, windowShadows } from './window';
import { weightedPercentileColumns } from './statistics';
import type { IEmitContext, IOrder } from './operators/context';
import { emitParseKv } from './operators/parse-kv';
import { emitPartition } from './operators/partition';
import { emitIpLookup, emitRowsNear } from './operators/plugins';
import { emitScan } from './operators/scan';
import { emitTopNested } from './operators/top-nested';

/** Options of one compilation. */
export interface IEmitOptions {
  /** The instant `now()` and `ago()` refer to. */
  now: Date;
  /** Restricts every table the query reads that has a time column (`window.ts`). */
  timeWindow?: ITimeWindow;
  /** The tables with a time column and that column, in schema order. */
  timeColumns?: ReadonlyArray<readonly [table: string, column: string]>;
}

/** Emits the SQL of one query. */
/** A relation the compiled SQL reads that the runner must provide: the files of `externaldata`. */
export interface IExternalData {
  /** Name of the relation in the SQL. */
  relation: string;
  uris: string[];
  format: string;
  ignoreFirstRecord: boolean;
  columns: RowSchema;
}

/** Emits the SQL of one query, and the external relations it reads. */
export function emitQuery(
  query: IQuery,
  dialect: IDialect,
  options: IEmitOptions
): { sql: string; externalData: IExternalData[]; geoIp: boolean } {
  const emitter = new Emitter(dialect, options);
  const sql = emitter.query(query);
  return { sql, externalData: emitter.externalData, geoIp: emitter.geoIp };
}

/**
 * The SQL that finds the columns of an `evaluate bag_unpack` or `evaluate pivot` in the data (the
 * first of Kusto's two steps): rows `[name, type]` of the output columns that depend on the data,
 * in the order they take — the bag's slots by name, each with the type all its values share (else
 * dynamic); or the pivot's `by` columns, then its values in ascending order.
 */
export function emitDiscovery(
  needed: DiscoveryNeeded,
  dialect: IDialect,
  options: IEmitOptions
): { sql: string; externalData: IExternalData[]; geoIp: boolean } {
  const emitter = new Emitter(dialect, options);
  const sql = emitter.discovery(needed);
  return { sql, externalData: emitter.externalData, geoIp: emitter.geoIp };
}

class Emitter {
  constructor(
    private readonly _dialect: IDialect,
    private readonly _options: IEmitOptions
  ) {
    this._scalar = new ScalarEmitter({
      dialect: _dialect,
      now: _dialect.timestamp(_options.now),
      relation: query => this.relation(query),
      useGeoIp: () => {
        this.geoIp = true;
      }
    });
  }

  query(query: IQuery): string {
    for (const { name, value } of query.lets) {
      this._lets.set(name, value);
    }
    this._needs = columnNeeds(query);
    this._shared = sharedReads(query, chained);
    const last = this.relation(query.body);
    const columns =
      query.body.schema
        .map(c => {
          const column = this._dialect.resultColumn(this.id(c.name), c.type);
          return column === this.id(c.name)
            ? column
            : `${column} AS ${this.id(c.name)}`;
        })
        .join(', ') || '*';
    const order = this._orders.get(last);
    const select = `SELECT ${columns} FROM ${last}${order ? ` ORDER BY ${order.sql}` : ''}`;
    const { timeWindow, timeColumns = [] } = this._options;
    const ctes = timeWindow
      ? [
          ...windowShadows(
            timeWindow,
            timeColumns,
            this._tables,
            this._dialect
          ),
          ...this._ctes
        ]
      : this._ctes;
    return ctes.length ? `WITH ${ctes.join(',\n')}\n${select}` : select;
  }

  discovery(needed: DiscoveryNeeded): string {
    const input = `(${this.query({ lets: needed.lets, body: needed.input, render: null })}) __input`;
    if (needed.kind === 'bag_unpack') {
      const bag = `__input.${this.id((needed.target as { name: string }).name)}`;
      const type = `CASE ${this.fn('json_type', 'e.value')} WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'NULL' THEN NULL ELSE 'dynamic' END`;
      return `SELECT ${this._dialect.string(needed.prefix)} || k AS name, CASE WHEN ${this.fn('count', 'DISTINCT t')} = 1 THEN ${this.fn('min', 't')} ELSE 'dynamic' END AS type FROM (SELECT e.key AS k, ${type} AS t FROM ${input}, ${this.fn('json_each', `CASE WHEN ${this.fn('json_type', bag)} = 'OBJECT' THEN ${bag} END`)} e) GROUP BY k ORDER BY ${this.inputFirst(needed)}k`;
    }
    const fixed = needed.fixed.map(
      (c, i) =>
        `SELECT ${this._dialect.string(c.name)} AS name, ${this._dialect.string(c.type)} AS type, 0 AS o, ${i} AS i`
    );
    const values = `SELECT DISTINCT ${this._scalar.str(needed.target)} AS name, ${this._dialect.string(needed.valueType)} AS type, 1 AS o, 0 AS i FROM ${input}`;
    return `SELECT name, type FROM (${[...fixed, values].join(' UNION ALL ')}) ORDER BY o, i, name`;
  }

  /**
   * bag_unpack's discovery order: a slot named as a column of the input (kept or replaced by
   * `columnsConflict`) takes that column's place, as Kusto's documented output shows; then by name.
   */
  private inputFirst(needed: DiscoveryNeeded): string {
    const bag = (needed.target as { name: string }).name;
    const sources = needed.input.schema.map(c => c.name).filter(c => c !== bag);
    if (!sources.length) {
      return '';
    }
    const places = sources.map(
      (c, i) => `WHEN ${this._dialect.string(c)} THEN ${i}`
    );
    return `CASE ${this._dialect.string(needed.prefix)} || k ${places.join(' ')} ELSE ${sources.length} END, `;
  }

  /** Emits a tabular expression (once per node) and returns the name of its relation. */
  relation(node: Tabular): string {
    const done = this._emitted.get(node);
    if (done) {
      return done;
    }
    const before = this._ctes.length;
    const name = this.emit(node);
    const foreign = this._dialect.foreign(this._ctes.slice(before).join('\n'));
    if (foreign) {
      throw new UnsupportedError(
        `${node.kind} on ${this._dialect.name}`,
        node.span,
        `its SQL is still written with ${foreign}`
      );
    }
    this._emitted.set(node, name);
    return name;
  }

  private emit(node: Tabular): string {
    const refusal = this._dialect.refusals[node.kind];
    if (refusal) {
      throw new UnsupportedError(
        `${node.kind} on ${this._dialect.name}`,
        node.span,
        refusal
      );
    }
    switch (node.kind) {
      case 'table':
        // The table itself is the relation: the operators over it list the columns they read.
        this._tables.add(node.name);
        return this.id(node.name);
      case 'let': {
        const value = this._lets.get(node.name);
        if (!value) {
          throw new UnsupportedError(`the let '${node.name}'`, node.span);
        }
        return this.relation(value);
      }
      case 'datatable':
        return this.datatable(node.schema, node.rows);
      case 'externaldata': {
        const relation = `__externaldata_${this.externalData.length + 1}`;
        this.externalData.push({
          relation,
          uris: node.uris,
          format: node.format,
          ignoreFirstRecord: node.ignoreFirstRecord,
          columns: node.schema
        });
        return this.cte(
          `SELECT ${this.columns(node.schema)} FROM ${this.id(relation)}`
        );
      }
      case 'range': {
        const [column] = node.schema;
        const type = column.type;
        const from = this._scalar.as(node.from, type);
        const to = this._scalar.as(node.to, type);
        const step = this._scalar.as(
          node.step,
          type === 'datetime' ? 'timespan' : type
        );
        return this.cte(
          this._dialect.series(from, to, step, this.id(column.name))
        );
      }
      case 'print':
        return this.cte(`SELECT ${this.named(node.columns)}`);
      case 'union':
        return this.union(node);
      case 'where':
        if (readsRowOrder(node.predicate)) {
          return this.whereInOrder(node.input, node.predicate, node.span);
        }
        if (node.input.kind === 'join') {
          return this.filteredJoin(node.input, node.predicate);
        }
        return this.where(node);
      case 'extend':
        return this.extend(node.input, node.columns, node.schema);
      case 'project': {
        if (node.columns.length === 0) {
          throw new UnsupportedError('a result with no columns', node.span);
        }
        // Inside an mv-apply subquery, projections keep the numbers of the rows being applied.
        const kept = (c: string) =>
          node.columns.some(
            n => n.name === c && n.expr.kind === 'column' && n.expr.name === c
          );
        // Columns nothing downstream reads are left out, as a union leaves them out (`absent`).
        const needs = this._needs.get(node) ?? 'all';
        const { sql: columns, from } = this.overRows(node.input, () =>
          this.named(
            needs === 'all'
              ? node.columns
              : node.columns.filter(c => needs.has(c.name))
          )
        );
        return this.cte(
          `SELECT ${columns}${this.carried(node.schema)} FROM ${from}`,
          this.orderOf(node.input, kept)
        );
      }
      case 'summarize':
        return this.summarize(node);
      case 'distinct':
        return this.cte(
          `SELECT DISTINCT ${this.named(node.columns)}${this.carried(node.schema)} FROM ${this.relation(node.input)}`
        );
      case 'sort': {
        const input = this.relation(node.input);
        const order = this.orderBy(node.keys);
        return this.cte(`SELECT * FROM ${input} ORDER BY ${order.sql}`, order);
      }
      case 'take': {
        const input = this.relation(node.input);
        const count = this._scalar.as(node.count, 'long');
        const row = this._rowColumns[this._rowColumns.length - 1];
        if (row) {
          // Inside an mv-apply subquery the limit applies to each applied row's set.
          const order = node.keys.length
            ? ` ORDER BY ${this.orderBy(node.keys, true).sql}`
            : '';
          return this.cte(
            this.qualify(
              '*',
              input,
              `${this.fn('row_number')} OVER (PARTITION BY ${row}${order}) <= ${count}`
            )
          );
        }
        if (node.keys.length === 0) {
          return this.cte(
            `SELECT * FROM ${input} LIMIT ${this._dialect.limit(count)}`,
            this.orderOf(node.input)
          );
        }
        const order = this.orderBy(node.keys);
        return this.cte(
          `SELECT * FROM ${input} ORDER BY ${order.sql} LIMIT ${this._dialect.limit(count)}`,
          order
        );
      }
      case 'sample':
        return this.cte(
          `SELECT * FROM ${this.relation(node.input)} USING SAMPLE reservoir(${sampleSize(node)} ROWS)`
        );
      case 'count':
        return this.cte(
          `SELECT ${this.fn('count', '*')} AS ${this.id(node.schema[0].name)} FROM ${this.relation(node.input)}`
        );
      case 'join':
        return this.join(node);
      case 'mv-expand':
        return this.mvExpand(node);
      case 'parse':
        return this.parse(node);
      case 'make-series':
        return this.makeSeries(node);
      case 'mv-apply':
        return this.mvApply(node);
      case 'mv-apply-row': {
        const row = this._applyRows.get(node);
        if (!row) {
          throw new UnsupportedError(
            'mv-apply row outside mv-apply',
            node.span
          );
        }
        return row;
      }
      case 'getschema':
        return this.getschema(node.input.schema);
      case 'bag-unpack':
        return this.bagUnpack(node);
      case 'pivot':
        return this.pivot(node);
      case 'top-nested':
        return emitTopNested(this.context, node);
      case 'parse-kv':
        return emitParseKv(this.context, node);
      case 'scan':
        return emitScan(this.context, node);
      case 'partition':
        return emitPartition(this.context, node);
      case 'rows-near':
        return emitRowsNear(this.context, node);
      case 'ip-lookup':
        return emitIpLookup(this.context, node);
    }
  }

  /** The emitter as an operator's emitter in `operators/` sees it. */
  private get context(): IEmitContext {
    return {
      scalar: this._scalar,
      dialect: this._dialect,
      relation: node => this.relation(node),
      cte: (sql, order) => this.cte(sql, order),
      orderOf: (node, kept) => this.orderOf(node, kept),
      orderBy: keys => this.orderBy(keys),
      castTo: (expr, type) => this.castTo(expr, type),
      fn: (name, ...args) => this.fn(name, ...args),
      id: name => this.id(name),
      groupColumns: () => [...this._rowColumns],
      applyTo: (rows, body, group, nonEmpty) => {
        const column = `__row${this._rowColumns.length + 1}`;
        this._applyRows.set(rows, group(column));
        if (nonEmpty) {
          this._nonEmptyRows.add(column);
        }
        this._rowColumns.push(column);
        try {
          return { relation: this.relation(body), column };
        } finally {
          this._rowColumns.pop();
          this._nonEmptyRows.delete(column);
        }
      }
    };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A chain of `where`s as one filter: each level of SQL costs DuckDB time to bind, and more for
   * the many columns of a table read. A chain that starts at a table filters the table's read.
   */
  private where(node: IWhere): string {
    const shared = this.sharedRead(node);
    if (shared) {
      return shared;
    }
    const predicates = [node.predicate];
    let input = node.input;
    while (chained(input) && !this._emitted.has(input)) {
      predicates.unshift(input.predicate);
      input = input.input;
    }
    if (input.kind === 'table') {
      return this.read(input, predicates);
    }
    return this.cte(
      `SELECT * FROM ${this.relation(input)} WHERE ${this.conditions(predicates)}`,
      this.orderOf(input)
    );
  }

  /** A read of a table that shares its rows with other reads (`sharedReads`), if it is one. */
  private sharedRead(top: Tabular): string | null {
    const use = this._shared.get(top);
    if (!use) {
      return null;
    }
    const { shared, rest } = use;
    let relation = this._sharedRelations.get(shared);
    if (!relation) {
      const [table] = shared.tables;
      const needs = shared.tables.reduce<Needed>(
        (all, t) => merge(all, this.needs(t)),
        new Set()
      );
      relation = this.read(table, shared.common, needs);
      this._sharedRelations.set(shared, relation);
    }
    return rest.length
      ? this.cte(`SELECT * FROM ${relation} WHERE ${this.conditions(rest)}`)
      : relation;
  }

  /** Conditions that all hold, as one SQL condition. */
  private conditions(predicates: Expr[]): string {
    return predicates.map(p => this._scalar.predicate(p)).join(' AND ');
  }

  /** A table's rows that pass `predicates`, with only the columns the query reads of it. */
  private read(
    table: ITableRef,
    predicates: Expr[],
    needs = this.needs(table)
  ): string {
    this._tables.add(table.name);
    const columns =
      needs === 'all' ? [] : table.schema.filter(c => needs.has(c.name));
    const list =
      columns.length && columns.length < table.schema.length
        ? this.columns(columns)
        : '*';
    const where = predicates.length
      ? ` WHERE ${this.conditions(predicates)}`
      : '';
    return this.cte(`SELECT ${list} FROM ${this.id(table.name)}${where}`);
  }

  /** `extend`: new columns at the end, redefined ones in place, as Kusto's binder ordered them. */
  private extend(
    input: Tabular,
    columns: INamedExpr[],
    schema: RowSchema
  ): string {
    const defined = new Map(columns.map(c => [c.name, c.expr] as const));
    const absent = this.absent(input);
    const { sql: select, from } = this.overRows(input, () =>
      schema
        .filter(c => defined.has(c.name) || !absent.has(c.name))
        .map(c => {
          const expr = defined.get(c.name);
          return expr
            ? `${this.castTo(expr, c.type)} AS ${this.id(c.name)}`
            : this.id(c.name);
        })
        .join(', ')
    );
    return this.cte(
      `SELECT ${select}${this.carried(schema)} FROM ${from}`,
      this.orderOf(input, c => !defined.has(c))
    );
  }

  /** `evaluate bag_unpack`: the input's other columns, then each slot as its column's type. */
  private bagUnpack(node: IBagUnpack): string {
    const bag: Expr = {
      kind: 'column',
      span: node.span,
      type: 'dynamic',
      name: node.column
    };
    const slots = new Map(node.slots.map(s => [s.name, s] as const));
    const columns = node.schema.map(c => {
      const slot = slots.get(c.name);
      if (!slot) {
        return this.id(c.name);
      }
      const value: Expr = {
        kind: 'member',
        span: node.span,
        type: 'dynamic',
        target: bag,
        key: {
          kind: 'literal',
          span: node.span,
          type: 'string',
          value: slot.key
        }
      };
      return `${this.castTo(value, c.type)} AS ${this.id(c.name)}`;
    });
    return this.cte(
      `SELECT ${columns.join(', ')}${this.carried(node.schema)} FROM ${this.relation(node.input)}`,
      this.orderOf(node.input, c => c !== node.column)
    );
  }

  /**
   * `evaluate pivot`: grouped by the `by` columns, each pivot value's cell the aggregate over its
   * rows (0 when it has none, as Kusto shows count, sum and dcount cells).
   */
  private pivot(node: IPivot): string {
    const s = this._scalar;
    const value = s.str(node.pivot);
    const { name, arg } = node.aggregate;
    const cells = node.values.map(v => {
      const filter = `FILTER (WHERE ${value} = ${this._dialect.string(v.value)})`;
      const cell =
        name === 'count'
          ? `${this.fn('count', '*')} ${filter}`
          : name === 'dcount'
            ? `${this.fn('count', `DISTINCT ${s.sql(arg!)}`)} ${filter}`
            : this.fn(
                'coalesce',
                `${this.fn('sum', s.sql(arg!))} ${filter}`,
                '0'
              );
      const type = node.schema.find(c => c.name === v.name)?.type ?? 'long';
      return `CAST(${cell} AS ${this._dialect.type(type)}) AS ${this.id(v.name)}`;
    });
    const keys = node.by.map(b => this.id(b));
    const groupBy = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    return this.cte(
      `SELECT ${[...keys, ...cells].join(', ')} FROM ${this.relation(node.input)}${groupBy}`
    );
  }

  /**
   * Emits a row's columns (`emit`) where Kusto's functions of serialized rows may appear, over the
   * input's order. Restart flags they ask for become a running count per flag, `__group{i}`,
   * computed in two steps first (SQL cannot nest one window function in another); `from` is the
   * relation that has them.
   */
  /**
   * A `where` reading serialized rows (`prev`, `row_number`…): QUALIFY computes the window
   * functions over all the input's rows in order before filtering, as Kusto reads the row before.
   */
  private whereInOrder(input: Tabular, predicate: Expr, span: ISpan): string {
    const { sql, from } = this.overRows(input, () =>
      this._scalar.predicate(predicate)
    );
    if (from !== this.relation(input)) {
      throw new UnsupportedError(
        'a where reading row_number, row_cumsum or row_rank_dense with a restart',
        span
      );
    }
    return this.cte(this.qualify('*', from, sql), this.orderOf(input));
  }

  private overRows(
    input: Tabular,
    emit: () => string
  ): { sql: string; from: string } {
    const rows: ISerializedRows = {
      order: this.orderOf(input)?.sql ?? null,
      restarts: []
    };
    this._scalar.rows = rows;
    let sql: string;
    try {
      sql = emit();
    } finally {
      this._scalar.rows = undefined;
    }
    let from = this.relation(input);
    if (rows.restarts.length) {
      const order = rows.order ?? this._dialect.inputOrder;
      const over = `OVER (${order ? `ORDER BY ${order} ` : ''}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
      const flags = rows.restarts
        .map(
          (r, i) => `${this.fn('coalesce', r, 'FALSE')} AS __restart${i + 1}`
        )
        .join(', ');
      const flagged = this.cte(`SELECT *, ${flags} FROM ${from}`);
      const groups = rows.restarts
        .map(
          (_, i) =>
            `${this.fn('sum', `CASE WHEN __restart${i + 1} THEN 1 ELSE 0 END`)} ${over} AS __group${i + 1}`
        )
        .join(', ');
      from = this.cte(`SELECT *, ${groups} FROM ${flagged}`);
    }
    return { sql, from };
  }

  private summarize(node: ISummarize): string {
    const applied = this._rowColumns[this._rowColumns.length - 1];
    // Kusto gives one row per applied row even when its subquery has no rows: the rows without
    // any get the aggregates of no rows.
    const emptyRows =
      node.by.length === 0 && applied && !this._nonEmptyRows.has(applied)
        ? this._rowSources.get(applied)
        : undefined;
    if (
      this._rowColumns.some(c => !this._nonEmptyRows.has(c)) &&
      node.by.length === 0 &&
      !emptyRows
    ) {
      throw new UnsupportedError(
        'mv-apply with summarize without by in its subquery',
        node.span
      );
    }
    const latest = this._rowColumns.length ? null : this.latestPerGroup(node);
    if (latest) {
      return latest;
    }
    const input = this.relation(node.input);
    const select: string[] = [];
    const outer: string[] = [];
    const keys = node.by.map((b, i) => {
      const type = node.schema[i]?.type ?? b.expr.type;
      select.push(`${this.castTo(b.expr, type)} AS ${this.id(b.name)}`);
      outer.push(this.id(b.name));
      return i + 1;
    });
    // Inside an mv-apply subquery, each applied row is its own group.
    for (const row of this._rowColumns) {
      select.push(row);
      outer.push(row);
      keys.push(keys.length + 1);
    }
    let needsOuter = false;
    node.aggregates.forEach((aggregate, i) => {
      const carried = this.argExtreme(aggregate, i);
      if (carried) {
        needsOuter = true;
        select.push(carried.select);
        outer.push(...carried.outer);
        return;
      }
      if (
        aggregate.expr.kind === 'call' &&
        (aggregate.expr.name === 'percentiles' ||
          aggregate.expr.name === 'percentilesw')
      ) {
        this.percentiles(aggregate, select, outer);
        return;
      }
      const name = aggregate.names[0];
      const type =
        node.schema.find(c => c.name === name)?.type ??
        (aggregate.expr.type === 'unknown' ? 'dynamic' : aggregate.expr.type);
      // DuckDB widens sums (a sum of BIGINT is a HUGEINT): give every number Kusto's type.
      const value = isNumeric(type)
        ? `CAST(${this._scalar.sql(aggregate.expr)} AS ${this._dialect.type(type)})`
        : this.castTo(aggregate.expr, type);
      select.push(`${value} AS ${this.id(name)}`);
      outer.push(this.id(name));
    });
    const groupBy = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const grouped = this.cte(
      `SELECT ${select.join(', ')} FROM ${input}${groupBy}`
    );
    const result = needsOuter
      ? this.cte(`SELECT ${outer.join(', ')} FROM ${grouped}`)
      : grouped;
    if (!emptyRows) {
      return result;
    }
    if (needsOuter) {
      // arg_max(x, *) of no rows: whether the applied row's own columns are then null is not
      // documented.
      throw new UnsupportedError(
        'mv-apply with arg_max or arg_min in a summarize without by',
        node.span
      );
    }
    // The aggregates of no rows: one row, as a summarize without `by` gives for an empty input.
    const rows = new Set(this._rowColumns);
    const aggregates = select.filter(c => !rows.has(c)).join(', ');
    const empty = this.cte(`SELECT ${aggregates} FROM ${input} WHERE FALSE`);
    const rowList = this._rowColumns.map(c => `n.${c}`).join(', ');
    return this.cte(
      `SELECT * FROM ${result} UNION ALL BY NAME SELECT ${rowList}, e.* FROM ${emptyRows} n CROSS JOIN ${empty} e WHERE n.${applied} NOT IN (SELECT ${applied} FROM ${result})`
    );
  }

  /**
   * `summarize arg_max(x, *) by k` alone — the most common hunting idiom, "the latest row per key" —
   * as a window filter: DuckDB's arg_max over a struct of every column is an order of magnitude
   * slower than ranking the rows.
   */
  private latestPerGroup(node: ISummarize): string | null {
    const [aggregate] = node.aggregates;
    const call = aggregate?.expr;
    if (
      node.aggregates.length !== 1 ||
      node.by.length === 0 ||
      call.kind !== 'call' ||
      (call.name !== 'arg_max' && call.name !== 'arg_min') ||
      !aggregate.carried
    ) {
      return null;
    }
    const input = this.relation(node.input);
    const s = this._scalar;
    const value = s.sql(call.args[0]);
    const keys = node.by.map(b => s.sql(b.expr));
    const columns = [
      ...node.by.map(
        (b, i) =>
          `${this.castTo(b.expr, node.schema[i].type)} AS ${this.id(b.name)}`
      ),
      `${value} AS ${this.id(aggregate.names[0])}`,
      ...aggregate.carried.map(
        (c, i) => `${this.id(c)} AS ${this.id(aggregate.names[i + 1])}`
      )
    ];
    const direction = call.name === 'arg_max' ? 'DESC' : 'ASC';
    return this.cte(
      this.qualify(
        columns.join(', '),
        input,
        `${this.fn('row_number')} OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${this.rankedBy(value)} ${direction} NULLS LAST) = 1`
      )
    );
  }

  /** `arg_max(x, a, b)`/`arg_min`: the whole chosen row as one struct, so ties pick one row. */
  private argExtreme(
    aggregate: IAggregate,
    index: number
  ): { select: string; outer: string[] } | null {
    const call = aggregate.expr;
    if (
      call.kind !== 'call' ||
      (call.name !== 'arg_max' && call.name !== 'arg_min') ||
      !aggregate.carried
    ) {
      return null;
    }
    const value = this._scalar.sql(call.args[0]);
    const struct = `__arg${index}`;
    // When every value is null Kusto still returns a row of the group; DuckDB's arg_max skips nulls.
    const row = this._dialect.struct([
      ['v', value],
      ...aggregate.carried.map((c, i): [string, string] => [
        `c${i}`,
        this.id(c)
      ])
    ]);
    const select = `${this.fn('coalesce', this.fn(call.name, row, value), this.fn('any_value', row))} AS ${struct}`;
    const outer = aggregate.names.map(
      (n, i) => `${struct}.${i === 0 ? 'v' : `c${i - 1}`} AS ${this.id(n)}`
    );
    return { select, outer };
  }

  private percentiles(
    aggregate: IAggregate,
    select: string[],
    outer: string[]
  ): void {
    const call = aggregate.expr as Extract<Expr, { kind: 'call' }>;
    if (call.name === 'percentilesw') {
      weightedPercentileColumns(call.args, this._scalar).forEach((sql, i) => {
        select.push(`${sql} AS ${this.id(aggregate.names[i])}`);
        outer.push(this.id(aggregate.names[i]));
      });
      return;
    }
    const value = this._scalar.sql(call.args[0]);
    call.args.slice(1).forEach((p, i) => {
      const name = aggregate.names[i];
      select.push(
        `${this.fn('quantile_disc', value, `${this._scalar.as(p, 'real')} / 100.0`)} AS ${this.id(name)}`
      );
      outer.push(this.id(name));
    });
  }

  /**
   * `union`: each input keeps its own columns, lined up by name by DuckDB (the SQL stays small even
   * for `union *` over a whole workspace). Where inputs disagree on a column's type, Kusto's binder
   * either renames each typed variant (`a_string`, `a_long`, numbered when such a column already
   * exists) or keeps one type; each input column goes to the output column Kusto made for it.
   */
  private union(node: IUnion): string {
    const out = new Map(node.schema.map(c => [c.name, c.type] as const));
    const native = new Set(
      node.inputs.flatMap(input => input.schema.map(c => c.name))
    );
    const produced = new Set<string>(
      node.sourceColumn ? [node.sourceColumn] : []
    );
    // Columns nothing downstream reads are left out of the inputs and null in the result.
    const needs = this._needs.get(node) ?? 'all';
    const needed = (name: string) => needs === 'all' || needs.has(name);
    // Each input's value of each output column it has, for an engine that lines them up by position.
    const values: Map<string, string>[] = [];
    const parts = node.inputs.map((input, i) => {
      const columns: string[] = [];
      const named = new Map<string, string>();
      values.push(named);
      for (const c of input.schema) {
        const id = this.id(c.name);
        const target = unionTarget(c, out, native);
        if (!target || !needed(target.name)) {
          continue;
        }
        produced.add(target.name);
        const value =
          target.type === c.type
            ? id
            : `TRY_CAST(${id} AS ${this._dialect.type(target.type)})`;
        columns.push(
          value === id && target.name === c.name
            ? id
            : `${value} AS ${this.id(target.name)}`
        );
        named.set(target.name, value);
      }
      if (node.sourceColumn) {
        const source = this._dialect.string(
          sourceName(input, node.sourceNames[i])
        );
        columns.push(`${source} AS ${this.id(node.sourceColumn)}`);
        named.set(node.sourceColumn, source);
      }
      return `SELECT ${columns.length ? columns.join(', ') : '*'} FROM ${this.relation(input)}`;
    });
    const missing = node.schema
      .filter(c => needed(c.name) && !produced.has(c.name))
      .map(c => c.name);
    if (missing.length) {
      throw new UnsupportedError(
        'union of tables whose columns clash in type',
        node.span,
        `Kusto names ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''} in a way not reproduced yet`
      );
    }
    // Columns nothing reads are left out (`absent`): a `union *` over a workspace has thousands,
    // and listing each as a typed null made SQL of megabytes that DuckDB took seconds to bind.
    const absent = this.absent(node);
    const union = this.cte(
      this._dialect.capabilities.unionByName
        ? parts.join(' UNION ALL BY NAME ')
        : this.unionByPosition(
            node,
            values,
            c => produced.has(c) && !absent.has(c)
          )
    );
    const select = node.schema
      .filter(c => !absent.has(c.name))
      .map(c => this.id(c.name))
      .join(', ');
    return this.cte(`SELECT ${select || '*'} FROM ${union}`);
  }

  /** A union whose inputs list the same columns in the same order, null where one lacks a column. */
  private unionByPosition(
    node: IUnion,
    values: Map<string, string>[],
    kept: (name: string) => boolean
  ): string {
    const columns = node.schema.filter(c => kept(c.name));
    return node.inputs
      .map((input, i) => {
        const list = columns.map(
          c =>
            `${values[i].get(c.name) ?? `CAST(NULL AS ${this._dialect.type(c.type)})`} AS ${this.id(c.name)}`
        );
        return `SELECT ${list.join(', ') || 'NULL AS __none'} FROM ${this.relation(input)}`;
      })
      .join(' UNION ALL ');
  }

  /**
   * A `where` over an inner join: its conditions that read only the joined row's columns go into
   * the join's `ON` clause, where DuckDB can make them join conditions (a time window between the
   * sides becomes a range the probe side's scan is filtered by); the same rows as filtering the
   * join's output, for an inner join only (an outer join keeps the rows `ON` rejects). Conditions
   * with a subquery, which Spark refuses in `ON`, stay a filter of the join's output.
   */
  private filteredJoin(join: IJoin, predicate: Expr): string {
    const inner = join.joinKind === 'inner' || join.joinKind === 'innerunique';
    const parts = conjuncts(predicate);
    const joined = parts.filter(p => !readsOtherRows(p));
    if (!inner || !joined.length) {
      return this.cte(
        `SELECT * FROM ${this.relation(join)} WHERE ${this._scalar.predicate(predicate)}`
      );
    }
    const relation = this.join(join, joined);
    const rest = parts.filter(p => readsOtherRows(p));
    return rest.length
      ? this.cte(`SELECT * FROM ${relation} WHERE ${this.conditions(rest)}`)
      : relation;
  }

  /** A join; `filters` are conditions on its output row, read in its `ON` clause (inner kinds). */
  private join(node: IJoin, filters: Expr[] = []): string {
    const left = this.relation(node.left);
    const right = this.relation(node.right);
    const leftTypes = new Map(
      node.left.schema.map(c => [c.name, c.type] as const)
    );
    const condition = node.on
      .map(({ left: l, right: r }) => {
        const text = leftTypes.get(l) === 'string';
        // Kusto matches empty string keys with each other; files may hold them as nulls.
        // Null keys match each other, as in Kusto (a SQL join drops them).
        return text
          ? `${this.fn('coalesce', `l.${this.id(l)}`, "''")} = ${this.fn('coalesce', `r.${this.id(r)}`, "''")}`
          : `l.${this.id(l)} IS NOT DISTINCT FROM r.${this.id(r)}`;
      })
      .join(' AND ');
    const kind = node.joinKind;
    let leftSource = left;
    if (kind === 'innerunique') {
      // innerunique keeps one row of the left side per join key before joining: the first, as
      // Kusto's join page shows (any one is correct; the first makes results repeatable).
      const keys = node.on.map(k => this.id(k.left)).join(', ');
      const position = this.id('__position');
      leftSource = this.cte(
        this.qualify(
          `* ${this._dialect.starExcept} (${position})`,
          `(SELECT *, ${this.fn('row_number')} ${this.unordered()} AS ${position} FROM ${left})`,
          `${this.fn('row_number')} OVER (PARTITION BY ${keys} ORDER BY ${position}) = 1`
        )
      );
    }
    if (kind === 'leftanti' || kind === 'leftsemi') {
      const exists = `SELECT 1 FROM ${right} r WHERE ${condition}`;
      return this.cte(
        `SELECT l.* FROM ${leftSource} l WHERE ${kind === 'leftanti' ? 'NOT ' : ''}EXISTS (${exists})`
      );
    }
    if (kind === 'rightanti' || kind === 'rightsemi') {
      const exists = `SELECT 1 FROM ${leftSource} l WHERE ${condition}`;
      return this.cte(
        `SELECT r.* FROM ${right} r WHERE ${kind === 'rightanti' ? 'NOT ' : ''}EXISTS (${exists})`
      );
    }
    const sqlKind = {
      innerunique: 'JOIN',
      inner: 'JOIN',
      leftouter: 'LEFT JOIN',
      rightouter: 'RIGHT JOIN',
      fullouter: 'FULL JOIN'
    }[kind];
    const sources = this.joinSources(node);
    const needs = this.needs(node);
    const columns = [...sources]
      .filter(([name]) => needs === 'all' || needs.has(name))
      .map(([name, source]) => `${source} AS ${this.id(name)}`)
      .join(', ');
    const on = [
      condition,
      ...filters.map(f => this._scalar.predicateOver(f, sources))
    ].join(' AND ');
    return this.cte(
      `SELECT ${columns} FROM ${leftSource} l ${sqlKind} ${right} r ON ${on}`
    );
  }

  /** The output columns of a join, each with the side's column it is (`joinSources`). */
  private joinSources(node: IJoin): Map<string, string> {
    const sources = joinSources(node);
    if (!sources) {
      throw new UnsupportedError(
        'this join: its columns could not be matched',
        node.span
      );
    }
    return new Map(
      [...sources].map(([name, { side, name: column }]) => [
        name,
        `${side === 'left' ? 'l' : 'r'}.${this.id(column)}`
      ])
    );
  }

  private mvExpand(node: IMvExpand): string {
    if (node.limit) {
      throw new UnsupportedError('mv-expand limit', node.span);
    }
    const input = this.relation(node.input);
    const expanded = new Map<string, string>();
    const lists = node.items.map(item =>
      // The value is read inside a lambda, where a toscalar() subquery may not be.
      this._scalar.hoisting(() => this.expansion(item.expr, node.bagsAsArrays))
    );
    node.items.forEach((item, i) => {
      expanded.set(item.name, this.fn('unnest', lists[i]));
    });
    const columns = node.schema.map(c => {
      if (c.name === node.indexColumn) {
        const indexes = this.fn(
          'range',
          `CAST(${this.fn('len', lists[0])} AS BIGINT)`
        );
        return `${this.fn('unnest', indexes)} AS ${this.id(c.name)}`;
      }
      const sql = expanded.get(c.name);
      return sql ? `${sql} AS ${this.id(c.name)}` : this.id(c.name);
    });
    const rows = this.cte(
      `SELECT ${columns.join(', ')}${this.carried(node.schema)} FROM ${input}`
    );
    const typed = node.items.filter(item => item.type !== 'dynamic');
    if (!typed.length) {
      return rows;
    }
    // Elements take their `to typeof()` type in a query of their own: Spark takes no
    // generator (its unnest) inside another expression.
    const converted = node.schema.map(c => {
      const item = typed.find(i => i.name === c.name);
      const name = this.id(c.name);
      return item
        ? `${this._scalar.fromDynamic(name, item.type)} AS ${name}`
        : name;
    });
    return this.cte(
      `SELECT ${converted.join(', ')}${this.carried(node.schema)} FROM ${rows}`
    );
  }

  /**
   * The elements `mv-expand` makes of a value: an array's elements, one {key: value} bag (or
   * [key, value] pair) per property of a bag, any other value itself.
   */
  private expansion(expr: Expr, bagsAsArrays = false): string {
    const json = this._scalar.as(expr, 'dynamic');
    const pair = bagsAsArrays ? 'json_array' : 'json_object';
    const type = this.fn('json_type', json);
    const d = this._dialect;
    const slot = this.fn('json_extract', json, d.memberPathOf('k'));
    return `CASE WHEN ${type} = 'ARRAY' THEN CAST(${json} AS ${d.listType(d.type('dynamic'))}) WHEN ${type} = 'OBJECT' THEN ${this.fn('list_transform', this.fn('json_keys', json), `k -> ${this.fn(pair, 'k', slot)}`)} ELSE ${d.list([json])} END`;
  }

  private parse(node: IParse): string {
    const input = this.relation(node.input);
    const pattern = parseRegex(node);
    const source = this._scalar.str(node.source);
    const captures = node.parts.filter(
      (p): p is Extract<ParsePart, { kind: 'capture' }> => p.kind === 'capture'
    );
    const regex = this._dialect.string(pattern);
    const values = new Map(
      captures.map((c, i) => {
        const text = this.fn('regexp_extract', source, regex, `${i + 1}`);
        const value =
          c.type === 'string'
            ? text
            : c.type === 'dynamic'
              ? `CASE WHEN ${this.fn('regexp_matches', source, regex)} THEN ${this._dialect.parseJson(text, false)} END`
              : c.type === 'datetime'
                ? parseDatetime(this._dialect, this.fn('nullif', text, "''"))
                : `TRY_CAST(${this.fn('nullif', text, "''")} AS ${this._dialect.type(c.type)})`;
        return [c.name, value] as const;
      })
    );
    const columns = node.schema.map(c => {
      const value = values.get(c.name);
      return value ? `${value} AS ${this.id(c.name)}` : this.id(c.name);
    });
    // parse-where also drops rows whose typed captures do not convert.
    const typed = captures
      .filter(c => c.type !== 'string')
      .map(c => `${values.get(c.name)} IS NOT NULL`);
    const where = node.filter
      ? ` WHERE ${[this.fn('regexp_matches', source, regex), ...typed].join(' AND ')}`
      : '';
    return this.cte(
      `SELECT ${columns.join(', ')}${this.carried(node.schema)} FROM ${input}${where}`,
      this.orderOf(node.input)
    );
  }

  private makeSeries(node: IMakeSeries): string {
    const input = this.relation(node.input);
    const s = this._scalar;
    if (!node.from || !node.to) {
      throw new UnsupportedError('make-series without from and to', node.span);
    }
    const axisType = node.axis.expr.type;
    if (axisType !== 'datetime') {
      throw new UnsupportedError(
        'make-series on a non-datetime axis',
        node.span
      );
    }
    const from = s.as(node.from, 'datetime');
    const to = s.as(node.to, 'datetime');
    const step = s.as(node.step, 'timespan');
    const keys = node.by.map(b => `${s.sql(b.expr)} AS ${this.id(b.name)}`);
    const keyNames = node.by.map(b => this.id(b.name));
    const axis = s.sql(node.axis.expr);
    const bucket = this.fn('time_bucket', step, axis, from);
    const aggregates = node.aggregates.map(
      (a, i) => `${s.sql(a.expr)} AS __v${i}`
    );
    const grouped = this.cte(
      `SELECT ${[...keys, `${bucket} AS __t`, ...aggregates].join(', ')} FROM ${input} WHERE ${axis} >= ${from} AND ${axis} < ${to} GROUP BY ALL`
    );
    const grid = this.cte(
      `SELECT ${this.fn('unnest', this.fn('generate_series', from, `${to} - INTERVAL 1 MICROSECOND`, step))} AS __t`
    );
    // No input rows in the range, or an empty range, give no series at all.
    const groups = keyNames.length
      ? this.cte(`SELECT DISTINCT ${keyNames.join(', ')} FROM ${grouped}`)
      : this.cte(`SELECT DISTINCT 1 AS __all FROM ${grouped}`);
    const using = [...keyNames, '__t'].join(', ');
    // A `default=` given to one aggregate fills the others' gaps too, as Kusto does.
    const given = node.aggregates.find(a => a.fill)?.fill ?? null;
    const series = node.aggregates.map((a, i) => {
      const fill = a.fill ?? given;
      const gap = fill ? s.as(fill, a.expr.type) : defaultFill(a.expr);
      return `${this.inOrder(this.fn('coalesce', `g.__v${i}`, gap))} AS ${this.id(a.name)}`;
    });
    const timeAxis = `${this.inOrder(this.fn('strftime', '__t', "'%Y-%m-%dT%H:%M:%S.%f0Z'"))} AS ${this.id(node.axis.name)}`;
    const outputs = node.schema.map(c => this.id(c.name));
    const joined = this.cte(
      `SELECT ${[...keyNames, ...series, timeAxis].join(', ')} FROM ${groups} CROSS JOIN ${grid} LEFT JOIN ${grouped} g USING (${using}) GROUP BY ${keyNames.length ? keyNames.join(', ') : 'ALL'} HAVING ${this.fn('count', '*')} > 0`
    );
    return this.cte(`SELECT ${outputs.join(', ')} FROM ${joined}`);
  }

  /**
   * `mv-apply` whose subquery works row by row (where, extend, project, parse, nested mv-apply or
   * mv-expand) is the subquery applied to the expanded rows. A subquery that aggregates or
   * limits each row's set (summarize, take, top…) needs a partition per input row: not yet.
   */
  private mvApply(node: IMvApply): string {
    let step: Tabular = node.body;
    const rowWise = new Set([
      'where',
      'extend',
      'project',
      'parse',
      'mv-apply',
      'mv-expand',
      'summarize',
      'take',
      'sort',
      'distinct'
    ]);
    while (step.kind !== 'mv-apply-row') {
      if (!rowWise.has(step.kind) || !('input' in step)) {
        throw new UnsupportedError(
          `mv-apply with ${step.kind} in its subquery`,
          step.span
        );
      }
      step = step.input;
    }
    // Each input row gets a number that the subquery carries along (projections keep it), so its
    // rows can be joined back to the row they came from.
    const rowColumn = `__row${this._rowColumns.length + 1}`;
    const numbered = this.cte(
      `SELECT *, ${this.fn('row_number')} ${this.unordered()} AS ${rowColumn} FROM ${this.relation(node.input)}`
    );
    const rowType = { name: rowColumn, type: 'long' as const };
    const numberedRow: Tabular = {
      kind: 'mv-apply-row',
      span: node.span,
      schema: [...node.input.schema, rowType]
    };
    this._applyRows.set(numberedRow, numbered);
    const expanded = this.mvExpand({
      kind: 'mv-expand',
      span: node.span,
      schema: [...step.schema, rowType],
      input: numberedRow,
      items: node.items,
      limit: null,
      indexColumn: null
    });
    this._applyRows.set(step, expanded);
    this._rowColumns.push(rowColumn);
    this._rowSources.set(rowColumn, numbered);
    let body: string;
    try {
      body = this.relation(node.body);
    } finally {
      this._rowColumns.pop();
      this._rowSources.delete(rowColumn);
    }
    const fromBody = new Set(node.body.schema.map(c => c.name));
    const columns = node.schema.map(c =>
      fromBody.has(c.name) ? `b.${this.id(c.name)}` : `i.${this.id(c.name)}`
    );
    return this.cte(
      `SELECT ${columns.join(', ')}${this.carried(node.schema, 'i.')} FROM ${body} b JOIN ${numbered} i ON b.${rowColumn} = i.${rowColumn}`
    );
  }

  private getschema(schema: RowSchema): string {
    const rows = schema.map(
      (c, i) =>
        `(${this._dialect.string(c.name)}, CAST(${i} AS INTEGER), ${this._dialect.string(DOTNET_TYPES[c.type] ?? 'System.Object')}, ${this._dialect.string(c.type)})`
    );
    return this.cte(
      `SELECT * FROM (VALUES ${rows.join(', ')}) AS t("ColumnName", "ColumnOrdinal", "DataType", "ColumnType")`
    );
  }

  private datatable(schema: RowSchema, rows: Expr[][]): string {
    if (rows.length === 0) {
      const columns = schema.map(
        c => `CAST(NULL AS ${this._dialect.type(c.type)}) AS ${this.id(c.name)}`
      );
      return this.cte(`SELECT ${columns.join(', ')} WHERE FALSE`);
    }
    const values = rows.map(
      row => `(${row.map((v, i) => this.castTo(v, schema[i].type)).join(', ')})`
    );
    const names = schema.map(c => this.id(c.name)).join(', ');
    return this.cte(
      `SELECT * FROM (VALUES ${values.join(', ')}) AS t(${names})`
    );
  }

  // ---------------------------------------------------------------------------------------------

  /** An expression converted to the SQL type of a KQL type. */
  private castTo(expr: Expr, type: RowSchema[number]['type']): string {
    if (expr.type === type || type === 'string' || type === 'guid') {
      return type === 'string' && expr.type !== 'string'
        ? this._scalar.str(expr)
        : this._scalar.sql(expr);
    }
    if (expr.kind === 'literal' && expr.value === null) {
      return `CAST(NULL AS ${this._dialect.type(type)})`;
    }
    if (
      expr.type === 'unknown' ||
      expr.type === 'dynamic' ||
      type === 'dynamic'
    ) {
      return this._scalar.as(expr, type);
    }
    return `CAST(${this._scalar.sql(expr)} AS ${this._dialect.type(type)})`;
  }

  /**
   * Columns of a node's schema its relation leaves out because nothing downstream reads them:
   * those of a pruned `union` or `project`, through the operators that pass its rows on with
   * `SELECT *`.
   */
  private absent(node: Tabular): ReadonlySet<string> {
    switch (node.kind) {
      case 'table':
      case 'join':
      case 'union':
      case 'project': {
        const needs = this.needs(node);
        return needs === 'all'
          ? NONE
          : new Set(
              node.schema.filter(c => !needs.has(c.name)).map(c => c.name)
            );
      }
      case 'let': {
        const value = this._lets.get(node.name);
        return value ? this.absent(value) : NONE;
      }
      case 'where':
      case 'sort':
      case 'take':
        return this.absent(node.input);
      case 'extend': {
        const absent = this.absent(node.input);
        return new Set(
          [...absent].filter(c => !node.columns.some(d => d.name === c))
        );
      }
      default:
        return NONE;
    }
  }

  /**
   * The columns of a node the rest of the query reads. A table none of whose columns is read
   * (under `count`) keeps them all: SQL has no relation without columns.
   */
  private needs(node: Prunable): Needed {
    const needs = this._needs.get(node) ?? 'all';
    return needs !== 'all' && needs.size === 0 && node.kind === 'table'
      ? 'all'
      : needs;
  }

  private carried(schema: RowSchema, qualifier = ''): string {
    return this._rowColumns
      .filter(c => !schema.some(s => s.name === c))
      .map(c => `, ${qualifier}${c}`)
      .join('');
  }

  private named(columns: INamedExpr[]): string {
    return columns
      .map(c => `${this._scalar.sql(c.expr)} AS ${this.id(c.name)}`)
      .join(', ');
  }

  private columns(schema: RowSchema): string {
    return schema.map(c => this.id(c.name)).join(', ');
  }

  /** The sort keys; `ranked` for a window whose row numbers a filter keeps the first of. */
  private orderBy(keys: ISortKey[], ranked = false): IOrder {
    const sql = keys
      .map(k => {
        const e = k.expr;
        const value =
          e.type === 'dynamic' ? this._scalar.str(e) : this._scalar.sql(e);
        const sql = ranked ? this.rankedBy(value) : value;
        return `${sql} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
      })
      .join(', ');
    return { sql, columns: keys.flatMap(k => columnsRead(k.expr)) };
  }

  /**
   * The value a `row_number() … <= n` window orders by, as `coalesce(v, NULL)` (the value itself):
   * DuckDB 1.5 turns such a window into an arg_max aggregate, and before that tries to prove a
   * plain column non-null by walking the filters below it, where a range (`x > a and x < b`, which
   * it folds into a BETWEEN) stops the query with an internal error. An expression is not walked.
   */
  private rankedBy(value: string): string {
    return this.fn('coalesce', value, 'NULL');
  }

  /**
   * The order of a relation's rows, for an operator that keeps them in order; dropped when the
   * operator removes or redefines a column the order reads (`kept` says which it keeps).
   */
  private orderOf(
    node: Tabular,
    kept: (column: string) => boolean = () => true
  ): IOrder | undefined {
    const order = this._orders.get(this.relation(node));
    return order && order.columns.every(kept) ? order : undefined;
  }

  /**
   * `SELECT list FROM from QUALIFY condition`: the rows for which a condition on window functions
   * holds. Without QUALIFY the condition is a column of a subquery, filtered and left out.
   */
  private qualify(list: string, from: string, condition: string): string {
    if (this._dialect.capabilities.qualify) {
      return `SELECT ${list} FROM ${from} QUALIFY ${condition}`;
    }
    const kept = this.id('__qualify');
    return `SELECT * ${this._dialect.starExcept} (${kept}) FROM (SELECT ${list}, ${condition} AS ${kept} FROM ${from}) WHERE ${kept}`;
  }

  /** `OVER ()` over the rows in the order they come, ordered by them where the engine needs it. */
  private unordered(): string {
    const order = this._dialect.inputOrder;
    return `OVER (${order ? `ORDER BY ${order}` : ''})`;
  }

  private cte(sql: string, order?: IOrder): string {
    const name = `q${this._ctes.length + 1}`;
    this._ctes.push(`${name} AS (${sql})`);
    if (order) {
      this._orders.set(name, order);
    }
    return name;
  }

  private id(name: string): string {
    return this._dialect.identifier(name);
  }

  /** A call of a function, spelled by the dialect. */
  private fn(name: SqlFunction, ...args: string[]): string {
    return this._scalar.fn(name, ...args);
  }

  /** A make-series column: the values of the series' bins, in order, as one dynamic array. */
  private inOrder(value: string): string {
    return this.fn('to_json', this._dialect.orderedList(value, '__t'));
  }

  /** The external relations the SQL reads, in order. */
  readonly externalData: IExternalData[] = [];
  /** True when the SQL reads the IP geolocation table `__geoip`. */
  geoIp = false;
  private readonly _scalar: ScalarEmitter;
  private _needs = new Map<Prunable, Needed>();
  private _shared = new Map<Tabular, ISharedUse>();
  private readonly _sharedRelations = new Map<ISharedRead, string>();
  private readonly _ctes: string[] = [];
  /** The workspace tables the SQL reads, for the time window. */
  private readonly _tables = new Set<string>();
  private readonly _lets = new Map<string, Tabular>();
  private readonly _emitted = new Map<Tabular, string>();
  /** The ORDER BY that a relation's rows follow, kept across row-preserving operators. */
  private readonly _orders = new Map<string, IOrder>();
  /** The relation an mv-apply subquery reads its rows from, by the subquery's row node. */
  private readonly _applyRows = new Map<Tabular, string>();
  /** Row-number columns of the mv-apply subqueries being emitted, outermost first. */
  private readonly _rowColumns: string[] = [];
  /** Those of `_rowColumns` whose groups all have rows (`partition`'s). */
  private readonly _nonEmptyRows = new Set<string>();
  /** The numbered input rows of an mv-apply, by its row-number column. */
  private readonly _rowSources = new Map<string, string>();
}

/** Kusto's functions of serialized rows (`sql/library.ts`), window functions over the rows' order. */
const ROW_ORDER = new Set([
  'prev',
  'next',
  'row_number',
  'row_cumsum',
  'row_rank_dense'
]);

/** A `where` that can join the filter of the `where` above it. */
function chained(node: Tabular): node is IWhere {
  return (
    node.kind === 'where' &&
    !readsRowOrder(node.predicate) &&
    node.input.kind !== 'join'
  );
}

/** Whether an expression reads more than the row's own columns: a subquery, or `*`. */
function readsOtherRows(e: Expr): boolean {
  switch (e.kind) {
    case 'subquery':
    case 'star':
      return true;
    case 'call':
      return e.args.some(readsOtherRows);
    case 'member':
      return readsOtherRows(e.target) || readsOtherRows(e.key);
    case 'column':
    case 'literal':
      return false;
  }
}

/** True when an expression calls a function of serialized rows. */
function readsRowOrder(e: Expr): boolean {
  if (e.kind === 'call') {
    return ROW_ORDER.has(e.name) || e.args.some(readsRowOrder);
  }
  return (
    e.kind === 'member' && (readsRowOrder(e.target) || readsRowOrder(e.key))
  );
}

const NONE: ReadonlySet<string> = new Set();

/** `sample N`: DuckDB takes the sample size as a plain number. */
function sampleSize(node: Extract<Tabular, { kind: 'sample' }>): number {
  const count = node.count;
  if (
    count.kind !== 'literal' ||
    count.value === null ||
    !Number.isFinite(Number(count.value))
  ) {
    throw new UnsupportedError(
      'sample with a size that is not a number literal',
      node.span
    );
  }
  return Number(count.value);
}

/** The columns an expression reads. */
function columnsRead(expr: Expr, into: string[] = []): string[] {
  switch (expr.kind) {
    case 'column':
      into.push(expr.name);
      break;
    case 'call':
      expr.args.forEach(a => columnsRead(a, into));
      break;
    case 'member':
      columnsRead(expr.target, into);
      columnsRead(expr.key, into);
      break;
    default:
      break;
  }
  return into;
}

const DOTNET_TYPES: Record<string, string> = {
  string: 'System.String',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  // Kusto keeps bools as bytes: getschema names their type System.SByte.
  bool: 'System.SByte',
  datetime: 'System.DateTime',
  timespan: 'System.TimeSpan',
  dynamic: 'System.Object',
  guid: 'System.Guid',
  decimal: 'System.Data.SqlTypes.SqlDecimal'
};

/**
 * The output column an input column of a union goes to: the same name and type; else the typed
 * variant Kusto made (`a_string`, or `a_string1` when an input has a column `a_string` of its own);
 * else the same name in the type Kusto kept (the value is converted). Null when there is none.
 */
function unionTarget(
  column: { name: string; type: string },
  out: ReadonlyMap<string, string>,
  native: ReadonlySet<string>
): { name: string; type: RowSchema[number]['type'] } | null {
  const typeOf = (name: string) =>
    out.get(name) as RowSchema[number]['type'] | undefined;
  if (out.get(column.name) === column.type) {
    return {
      name: column.name,
      type: column.type as RowSchema[number]['type']
    };
  }
  const base = `${column.name}_${column.type}`;
  for (let n = 0; n < 10; n++) {
    const name = n === 0 ? base : `${base}${n}`;
    if (out.get(name) === column.type && !native.has(name)) {
      return { name, type: column.type as RowSchema[number]['type'] };
    }
  }
  const kept = typeOf(column.name);
  return kept ? { name: column.name, type: kept } : null;
}

/**
 * The name `union withsource=` or `search` gives the rows of one input: its table's name, else the
 * name of its place (`union_arg1`, `search_arg0`), as Kusto names a `let` value too.
 */
function sourceName(input: Tabular, fallback: string): string {
  return input.kind === 'table' ? input.name : fallback;
}

/** Kusto's default value for a make-series bin with no rows: 0 (the operator's page), null for non-numbers. */
function defaultFill(expr: Expr): string {
  return isNumeric(expr.type) ? '0' : 'NULL';
}

/**
 * The regular expression for a `parse` pattern; captures become groups 1…n. In `kind=regex` the
 * literals are .NET regular expressions whose own groups do not capture, and `*` and string
 * captures are greedy (`.*`) unless the flags say `U`, as Kusto's parse page shows; the other
 * kinds take the shortest text up to the next literal.
 */
function parseRegex(node: IParse): string {
  const regex = node.mode === 'regex';
  let pattern = '';
  node.parts.forEach((part, i) => {
    const last = i === node.parts.length - 1;
    switch (part.kind) {
      case 'text':
        pattern += regex
          ? translateRegex(part.text, node.span, { keepGroup: 0 })
          : part.text.replace(/[\\^$.|?*+()[\]{}]/g, c => `\\${c}`);
        break;
      case 'skip':
        pattern += last || regex ? '.*' : '.*?';
        break;
      case 'capture':
        if (part.type === 'long' || part.type === 'int') {
          pattern += '(-?\\d+)';
        } else if (part.type === 'real') {
          pattern += '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';
        } else {
          pattern += last || regex ? '(.*)' : '(.*?)';
        }
        break;
    }
  });
  if (regex) {
    return `${node.flags ? `(?${node.flags})` : ''}^${pattern}`;
  }
  return `(?s)^${pattern}`;
}
