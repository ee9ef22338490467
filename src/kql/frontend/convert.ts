// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Converts Kusto.Language's bound syntax tree into our AST (`../ast.ts`). Kusto's binder has
 * already resolved every name and computed every type and every operator's output columns; this
 * module reads those facts off the tree and keeps them, so the emitter never guesses a schema.
 * Valid KQL that the emitter cannot run is reported here as `UnsupportedError` with its span.
 */
import type {
  Expr,
  IAggregate,
  ICall,
  INamedExpr,
  IQuery,
  IRenderSpec,
  ISortKey,
  ITableRef,
  JoinKind,
  ParsePart,
  Tabular
} from '../ast';
import { DiscoveryNeeded, type ISpan, UnsupportedError } from '../diagnostics';
import { type RowSchema, type ScalarType, scalarType } from '../types';
import type { ICompilerSchema } from './kusto';
import type { IConvertContext } from './operators/context';
import { convertFind } from './operators/find';
import { convertParseKv } from './operators/parse-kv';
import { convertPartition } from './operators/partition';
import { convertPlugin } from './operators/plugins';
import { type Patterns, patternBody } from './operators/pattern';
import { convertScan } from './operators/scan';
import { isTupleCall, tupleItems } from './tuples';

import Syntax = Kusto.Language.Syntax;
import Symbols = Kusto.Language.Symbols;

type Node = Syntax.SyntaxNode;
type SeparatedList<T extends Syntax.SyntaxElement> = Syntax.SyntaxList$1<
  Syntax.SeparatedElement$1<T>
>;

/** The i-th element of a comma-separated list (the library types the item loosely). */
export function elementAt<T extends Syntax.SyntaxElement>(
  list: SeparatedList<T>,
  i: number
): T | null {
  return (list.getItem(i) as unknown as Syntax.SeparatedElement$1<T>)
    .Element as T | null;
}

/** What a name bound by `let`, a function parameter or `as` stands for. */
type Binding =
  { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; value: Tabular };

/** Names in scope: `let`s and the parameters of the function being expanded. */
type Scope = ReadonlyMap<string, Binding>;

const JOIN_KINDS: ReadonlySet<string> = new Set<JoinKind>([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi'
]);

const JOIN_ALIASES: Record<string, JoinKind> = {
  anti: 'leftanti',
  leftantisemi: 'leftanti',
  rightantisemi: 'rightanti',
  semi: 'leftsemi'
};

/** Converts the query of one analysed block (`KustoCode.Syntax`). */
export function convertQuery(root: Node, schema: ICompilerSchema): IQuery {
  return new Converter(schema).query(root);
}

class Converter {
  constructor(private readonly _schema: ICompilerSchema) {}

  query(root: Node): IQuery {
    const block = root as Syntax.QueryBlock;
    let scope: Scope = new Map();
    let body: Tabular | null = null;
    const statements = block.Statements;
    for (let i = 0; i < (statements?.Count ?? 0); i++) {
      const statement = elementAt(statements!, i);
      if (!statement) {
        continue;
      }
      switch (kindOf(statement)) {
        case 'LetStatement':
          scope = this.let(statement as Syntax.LetStatement, scope);
          break;
        case 'PatternStatement': {
          const pattern = statement as Syntax.PatternStatement;
          if (pattern.Pattern) {
            this._patterns.set(pattern.Name!.SimpleName!, pattern.Pattern);
          }
          break;
        }
        case 'ExpressionStatement': {
          const expression = (statement as Syntax.ExpressionStatement)
            .Expression!;
          const invoked = patternBody(
            expression,
            this._patterns,
            this.span(expression)
          );
          if (invoked) {
            body = this.tabular(invoked, scope);
            break;
          }
          if (!isTabular(expression)) {
            throw new UnsupportedError(
              'a query whose result is a scalar (use print)',
              this.span(expression)
            );
          }
          body = this.tabular(expression, scope);
          break;
        }
        case 'SetOptionStatement':
          break;
        case 'QueryParametersStatement':
          scope = this.queryParameters(
            statement as Syntax.QueryParametersStatement,
            scope
          );
          break;
        default:
          throw new UnsupportedError(
            `statement ${kindOf(statement)}`,
            this.span(statement)
          );
      }
    }
    if (!body) {
      throw new UnsupportedError('a query with no tabular expression', {
        start: 0,
        end: 0
      });
    }
    const shown = body.schema.filter(c => !this._hidden.has(c.name));
    if (shown.length < body.schema.length) {
      body = {
        kind: 'project',
        span: body.span,
        schema: shown,
        input: body,
        columns: passThrough(shown, body.span)
      };
    }
    return { lets: this._lets, body, render: this._render };
  }

  /**
   * `declare query_parameters(name:type = default, …)`: locally no caller passes values, so each
   * parameter is its default; one without a default cannot run.
   */
  private queryParameters(
    statement: Syntax.QueryParametersStatement,
    scope: Scope
  ): Scope {
    const next = new Map(scope);
    const list = statement.Parameters!;
    for (let i = 0; i < list.Count; i++) {
      const parameter = elementAt(list, i)!;
      const name = parameter.NameAndType!.Name!.SimpleName!;
      const value = parameter.DefaultValue?.Value;
      if (!value) {
        throw new UnsupportedError(
          `the query parameter ${name} without a default value`,
          this.span(parameter),
          'give it a default (name:type = value) or write the value in the query'
        );
      }
      next.set(name, { kind: 'scalar', expr: this.expr(value, scope) });
    }
    return next;
  }

  private let(statement: Syntax.LetStatement, scope: Scope): Scope {
    const name = statement.Name!.SimpleName!;
    const value = statement.Expression!;
    const next = new Map(scope);
    if (kindOf(value) === 'FunctionDeclaration') {
      // Calls are expanded where they are made (Kusto.Language binds each expansion).
      next.delete(name);
    } else if (isTabular(value)) {
      next.set(name, {
        kind: 'tabular',
        value: this.letTable(name, value, scope)
      });
    } else {
      next.set(name, { kind: 'scalar', expr: this.expr(value, scope) });
    }
    return next;
  }

  /** A tabular `let` becomes a common table expression referenced by name. */
  private letTable(
    name: string,
    value: Syntax.Expression,
    scope: Scope
  ): Tabular {
    const converted = this.tabular(value, scope);
    const cte = `${name}_${this._lets.length + 1}`;
    this._lets.push({ name: cte, value: converted });
    return {
      kind: 'let',
      name: cte,
      span: converted.span,
      schema: converted.schema
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Tabular expressions

  tabular(node: Syntax.Expression, scope: Scope): Tabular {
    const span = this.span(node);
    const schema = schemaOf(node);
    switch (kindOf(node)) {
      case 'PipeExpression': {
        const pipe = node as Syntax.PipeExpression;
        const input = this.tabular(pipe.Expression!, scope);
        return this.operator(pipe.Operator!, input, scope);
      }
      case 'ParenthesizedExpression':
        return this.tabular(
          (node as Syntax.ParenthesizedExpression).Expression!,
          scope
        );
      case 'MaterializeExpression':
        return this.tabular(
          (node as Syntax.MaterializeExpression).Expression!,
          scope
        );
      case 'NameReference': {
        const name = (node as Syntax.NameReference).SimpleName!;
        const bound = scope.get(name) ?? this._as.get(name);
        if (bound?.kind === 'tabular') {
          return bound.value;
        }
        const symbol = node.ReferencedSymbol;
        if (symbol && symbol.Kind === Symbols.SymbolKind.Table) {
          return { kind: 'table', name: symbol.Name!, span, schema };
        }
        if (symbol && symbol.Kind === Symbols.SymbolKind.Function) {
          return this.expand(node, [], scope);
        }
        throw new UnsupportedError(`the tabular name '${name}'`, span);
      }
      case 'DataTableExpression':
        return this.datatable(node as Syntax.DataTableExpression, schema);
      case 'RangeOperator': {
        const range = node as Syntax.RangeOperator;
        return {
          kind: 'range',
          span,
          schema,
          from: this.expr(range.From!, scope),
          to: this.expr(range.To!, scope),
          step: this.expr(range.Step!, scope)
        };
      }
      case 'PrintOperator':
        return {
          kind: 'print',
          span,
          schema,
          columns: this.namedList(
            (node as Syntax.PrintOperator).Expressions,
            schema,
            scope
          )
        };
      case 'UnionOperator':
        return this.union(node as Syntax.UnionOperator, [], scope);
      case 'SearchOperator':
        return this.search(node as Syntax.SearchOperator, null, scope);
      case 'ExternalDataExpression':
        return this.externalData(node as Syntax.ExternalDataExpression, schema);
      case 'PathExpression':
      case 'ElementExpression':
      case 'FunctionCallExpression': {
        const invoked = patternBody(node, this._patterns, span);
        if (invoked) {
          return this.tabular(invoked, scope);
        }
        if (kindOf(node) === 'FunctionCallExpression') {
          return this.tabularCall(node as Syntax.FunctionCallExpression, scope);
        }
        throw new UnsupportedError(describe(node), span);
      }
      case 'FindOperator':
        return convertFind(
          this.context(scope),
          node as Syntax.FindOperator,
          schema
        );
      default:
        throw new UnsupportedError(describe(node), span);
    }
  }

  private operator(
    op: Syntax.QueryOperator,
    input: Tabular,
    scope: Scope
  ): Tabular {
    const outer = this._row;
    this._row = input.schema;
    try {
      return this.operatorOn(op, input, scope);
    } finally {
      this._row = outer;
    }
  }

  private operatorOn(
    op: Syntax.QueryOperator,
    input: Tabular,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const schema = schemaOf(op);
    switch (kindOf(op)) {
      case 'FilterOperator':
        return {
          kind: 'where',
          span,
          schema,
          input,
          predicate: this.condition(
            (op as Syntax.FilterOperator).Condition!,
            scope
          )
        };
      case 'ExtendOperator':
        return this.extend(op as Syntax.ExtendOperator, input, schema, scope);
      case 'SerializeOperator':
        return this.extend(
          op as Syntax.SerializeOperator,
          input,
          schema,
          scope
        );
      case 'ProjectOperator':
        return {
          kind: 'project',
          span,
          schema,
          input,
          columns: this.namedList(
            (op as Syntax.ProjectOperator).Expressions,
            schema,
            scope
          )
        };
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
      // Kusto's binder resolves names, arrays, wildcards and column_names_of() to the columns.
      case 'ProjectByNamesOperator':
        return {
          kind: 'project',
          span,
          schema,
          input,
          columns: passThrough(schema, span)
        };
      case 'ProjectRenameOperator':
        return this.rename(
          op as Syntax.ProjectRenameOperator,
          input,
          schema,
          span
        );
      case 'SummarizeOperator':
        return this.summarize(
          op as Syntax.SummarizeOperator,
          input,
          schema,
          scope
        );
      case 'DistinctOperator': {
        const distinct = op as Syntax.DistinctOperator;
        const star =
          distinct.Expressions!.Count === 1 &&
          kindOf(elementAt(distinct.Expressions!, 0)!) === 'StarExpression';
        return {
          kind: 'distinct',
          span,
          schema,
          input,
          columns: star
            ? passThrough(schema, span)
            : this.namedList(distinct.Expressions, schema, scope)
        };
      }
      case 'SortOperator':
        return {
          kind: 'sort',
          span,
          schema,
          input,
          keys: this.sortKeys((op as Syntax.SortOperator).Expressions!, scope)
        };
      case 'TakeOperator':
        return {
          kind: 'take',
          span,
          schema,
          input,
          count: this.expr((op as Syntax.TakeOperator).Expression!, scope),
          keys: []
        };
      case 'TopOperator': {
        const top = op as Syntax.TopOperator;
        return {
          kind: 'take',
          span,
          schema,
          input,
          count: this.expr(top.Expression!, scope),
          keys: [this.sortKey(top.ByExpression!, scope)]
        };
      }
      case 'SampleOperator':
        return {
          kind: 'sample',
          span,
          schema,
          input,
          count: this.expr((op as Syntax.SampleOperator).Expression!, scope)
        };
      case 'CountOperator':
        if ((op as Syntax.CountOperator).AsIdentifier) {
          throw new UnsupportedError('count as', span);
        }
        return { kind: 'count', span, schema, input };
      case 'JoinOperator':
        return this.join(op as Syntax.JoinOperator, input, schema, scope);
      case 'LookupOperator':
        return this.lookup(op as Syntax.LookupOperator, input, schema, scope);
      case 'UnionOperator':
        return this.union(op as Syntax.UnionOperator, [input], scope);
      case 'MvExpandOperator':
        return this.mvExpand(
          op as Syntax.MvExpandOperator,
          input,
          schema,
          scope
        );
      case 'ParseOperator':
      case 'ParseWhereOperator':
        return this.parse(op as Syntax.ParseOperator, input, schema, scope);
      case 'RenderOperator':
        this._render = this.render(op as Syntax.RenderOperator);
        return input;
      case 'AsOperator':
        // `as Name` names the rows so far for the rest of the query (`toscalar(Name | …)`).
        this._as.set((op as Syntax.AsOperator).Name!.SimpleName!, {
          kind: 'tabular',
          value: input
        });
        return input;
      case 'EvaluateOperator':
        return this.evaluate(
          op as Syntax.EvaluateOperator,
          input,
          schema,
          scope
        );
      case 'InvokeOperator':
        return this.expand(
          (op as Syntax.InvokeOperator).Function!,
          [input],
          scope
        );
      case 'SearchOperator':
        return this.search(op as Syntax.SearchOperator, input, scope);
      case 'GetSchemaOperator':
        return { kind: 'getschema', span, schema, input };
      case 'MakeSeriesOperator':
        return this.makeSeries(
          op as Syntax.MakeSeriesOperator,
          input,
          schema,
          scope
        );
      case 'MvApplyOperator':
        return this.mvApply(op as Syntax.MvApplyOperator, input, schema, scope);
      case 'TopNestedOperator':
        return this.topNested(
          op as Syntax.TopNestedOperator,
          input,
          schema,
          scope
        );
      case 'PartitionOperator':
        return convertPartition(
          this.context(scope),
          op as Syntax.PartitionOperator,
          input,
          schema
        );
      case 'ScanOperator':
        return convertScan(
          this.context(scope),
          op as Syntax.ScanOperator,
          input,
          schema
        );
      case 'ParseKvOperator':
        return convertParseKv(
          this.context(scope),
          op as Syntax.ParseKvOperator,
          input,
          schema
        );
      default:
        throw new UnsupportedError(describe(op), this.span(op));
    }
  }

  /** The converter as an operator's converter in `operators/` sees it, in `scope`. */
  private context(scope: Scope): IConvertContext {
    return {
      expr: (node, names) => {
        const inner = new Map(scope);
        names?.forEach((expr, name) =>
          inner.set(name, { kind: 'scalar', expr })
        );
        return this.expr(node, inner);
      },
      named: node => this.named(node, scope),
      sortKey: node => this.sortKey(node, scope),
      tabular: node => this.tabular(node, scope),
      subqueryOver: (node, rows) => this.subqueryOver(node, rows, scope),
      tables: pattern => this.wildcard(pattern),
      searchCondition: (node, columns) =>
        this.searchCondition(node, columns, scope),
      span: node => this.span(node),
      hide: name => this._hidden.add(name)
    };
  }

  /** A `where` condition; Kusto still reads `where Column = value` as a comparison. */
  private condition(node: Syntax.Expression, scope: Scope): Expr {
    if (kindOf(node) !== 'SimpleNamedExpression') {
      return this.expr(node, scope);
    }
    const named = node as Syntax.SimpleNamedExpression;
    const name = named.Name!.SimpleName!;
    const column: Expr = {
      kind: 'column',
      span: this.span(named.Name!),
      type: typeOf(named.Name!),
      name
    };
    return {
      kind: 'call',
      span: this.span(node),
      type: 'bool',
      name: '==',
      args: [column, this.expr(named.Expression!, scope)]
    };
  }

  private extend(
    op: Syntax.ExtendOperator | Syntax.SerializeOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const existing = new Set(input.schema.map(c => c.name));
    const added = schema.filter(c => !existing.has(c.name)).map(c => c.name);
    const columns: INamedExpr[] = [];
    const list = op.Expressions;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const element = elementAt(list!, i)!;
      const named = this.named(element, scope);
      for (const n of named) {
        if (n.name === '') {
          n.name = added.shift() ?? `Column${i + 1}`;
        } else {
          const at = added.indexOf(n.name);
          if (at >= 0) {
            added.splice(at, 1);
          }
        }
      }
      columns.push(...named);
    }
    return { kind: 'extend', span, schema, input, columns };
  }

  private rename(
    op: Syntax.ProjectRenameOperator,
    input: Tabular,
    schema: RowSchema,
    span: ISpan
  ): Tabular {
    const renamed = new Map<string, string>();
    const list = op.Expressions;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const element = elementAt(list!, i) as Syntax.SimpleNamedExpression;
      renamed.set(
        element.Name!.SimpleName!,
        (element.Expression as Syntax.NameReference).SimpleName!
      );
    }
    return {
      kind: 'project',
      span,
      schema,
      input,
      columns: schema.map(c => ({
        name: c.name,
        expr: {
          kind: 'column',
          span,
          type: c.type,
          name: renamed.get(c.name) ?? c.name
        }
      }))
    };
  }

  private summarize(
    op: Syntax.SummarizeOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    if (op.ByClause?.BinClause) {
      throw new UnsupportedError('summarize by … bin=', span);
    }
    const byList = op.ByClause?.Expressions ?? null;
    const by = this.namedList(byList, schema, scope);
    let position = by.length;
    const aggregates: IAggregate[] = [];
    const list = op.Aggregates;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const element = elementAt(list!, i)!;
      const value = namedValue(element);
      const tuple = tupleColumns(value);
      const width = tuple ? tuple.length : 1;
      const names = schema.slice(position, position + width).map(c => c.name);
      position += width;
      const expr = this.expr(value, scope);
      const extreme =
        expr.kind === 'call' &&
        (expr.name === 'arg_max' || expr.name === 'arg_min');
      // arg_max over a one-column row has no tuple type: it carries nothing but the value.
      const carried = tuple
        ? extreme && isDeprecatedCall(value)
          ? deprecatedCarried(expr, span)
          : tuple.slice(1)
        : extreme
          ? []
          : undefined;
      aggregates.push(carried ? { expr, names, carried } : { expr, names });
    }
    return { kind: 'summarize', span, schema, input, by, aggregates };
  }

  private sortKeys(
    list: SeparatedList<Syntax.Expression>,
    scope: Scope
  ): ISortKey[] {
    const keys: ISortKey[] = [];
    for (let i = 0; i < list.Count; i++) {
      keys.push(this.sortKey(elementAt(list, i)!, scope));
    }
    return keys;
  }

  private sortKey(node: Syntax.Expression, scope: Scope): ISortKey {
    let expr: Syntax.Expression = node;
    let descending = true;
    let nullsFirst: boolean | null = null;
    if (kindOf(node) === 'OrderedExpression') {
      const ordered = node as Syntax.OrderedExpression;
      expr = ordered.Expression!;
      const ordering = ordered.Ordering;
      const direction = ordering?.AscOrDescKeyword?.Text?.toLowerCase();
      if (direction === 'asc') {
        descending = false;
      }
      const nulls =
        ordering?.NullsClause?.FirstOrLastKeyword?.Text?.toLowerCase();
      if (nulls) {
        nullsFirst = nulls === 'first';
      }
    }
    // Kusto sorts descending by default, with nulls last when descending and first when ascending.
    return {
      expr: this.expr(expr, scope),
      descending,
      nullsFirst: nullsFirst ?? !descending
    };
  }

  private join(
    op: Syntax.JoinOperator,
    left: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(left, op);
    const kind =
      parameter(op.Parameters, 'kind')?.toLowerCase() ?? 'innerunique';
    const joinKind = (JOIN_ALIASES[kind] ?? kind) as JoinKind;
    if (!JOIN_KINDS.has(joinKind)) {
      throw new UnsupportedError(`join kind=${kind}`, span);
    }
    const right = this.tabular(op.Expression!, scope);
    const clause = op.ConditionClause;
    if (!clause || kindOf(clause) !== 'JoinOnClause') {
      throw new UnsupportedError('join … where', span);
    }
    const on = this.joinKeys(
      (clause as Syntax.JoinOnClause).Expressions!,
      span
    );
    return { kind: 'join', span, schema, joinKind, left, right, on };
  }

  private lookup(
    op: Syntax.LookupOperator,
    left: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(left, op);
    const kind = parameter(op.Parameters, 'kind')?.toLowerCase() ?? 'leftouter';
    const right = this.tabular(op.Expression!, scope);
    const clause = op.LookupClause as Syntax.JoinOnClause;
    const on = this.joinKeys(clause.Expressions!, span);
    // lookup keeps one copy of each key column and the right side's other columns.
    const joinKind: JoinKind = kind === 'inner' ? 'inner' : 'leftouter';
    return { kind: 'join', span, schema, joinKind, left, right, on };
  }

  private joinKeys(
    list: SeparatedList<Syntax.Expression>,
    span: ISpan
  ): { left: string; right: string }[] {
    const keys: { left: string; right: string }[] = [];
    const add = (element: Syntax.Expression): void => {
      if (kindOf(element) === 'NameReference') {
        const name = (element as Syntax.NameReference).SimpleName!;
        keys.push({ left: name, right: name });
        return;
      }
      if (kindOf(element) === 'ParenthesizedExpression') {
        return add((element as Syntax.ParenthesizedExpression).Expression!);
      }
      if (kindOf(element) === 'BinaryExpression') {
        const binary = element as Syntax.BinaryExpression;
        // Kusto joins equalities with `and` as with commas.
        if (binary.Operator?.Text?.toLowerCase() === 'and') {
          add(binary.Left!);
          return add(binary.Right!);
        }
        const a = sideColumn(binary.Left!);
        const b = sideColumn(binary.Right!);
        if (binary.Operator?.Text === '==' && a && b && a.side !== b.side) {
          keys.push(
            a.side === 'left'
              ? { left: a.name, right: b.name }
              : { left: b.name, right: a.name }
          );
          return;
        }
      }
      throw new UnsupportedError(
        'join condition other than equality of columns',
        span
      );
    };
    for (let i = 0; i < list.Count; i++) {
      add(elementAt(list, i)!);
    }
    return keys;
  }

  private union(
    op: Syntax.UnionOperator,
    first: Tabular[],
    scope: Scope
  ): Tabular {
    const span = this.span(op);
    const schema = schemaOf(op);
    const inputs = [...first];
    const names: string[] = first.map(() => 'union_arg0');
    const list = op.Expressions;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const element = elementAt(list!, i)!;
      if (/[*]/.test(textOf(element)) && kindOf(element) !== 'PipeExpression') {
        for (const table of this.wildcard(textOf(element).trim())) {
          inputs.push(table);
          names.push(table.name);
        }
        continue;
      }
      inputs.push(this.tabular(element, scope));
      names.push(unionName(element) ?? `union_arg${inputs.length - 1}`);
    }
    if (parameter(op.Parameters, 'kind')?.toLowerCase() === 'inner') {
      throw new UnsupportedError('union kind=inner', span);
    }
    const sourceColumn = parameter(op.Parameters, 'withsource');
    return {
      kind: 'union',
      span,
      schema,
      inputs,
      sourceColumn: sourceColumn ?? null,
      sourceNames: names
    };
  }

  /** The workspace tables a name pattern such as `Device*` or `*` matches, in schema order. */
  private wildcard(pattern: string): ITableRef[] {
    return this._schema.tables
      .filter(t => wildcardMatch(pattern, t.name))
      .map(t => ({
        kind: 'table',
        name: t.name,
        span: { start: 0, end: 0 },
        schema: t.columns
      }));
  }

  private mvExpand(
    op: Syntax.MvExpandOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    // `kind=array` and `bagexpansion=array` are the same parameter.
    const bagsAsArrays =
      (
        parameter(op.Parameters, 'bagexpansion') ??
        parameter(op.Parameters, 'kind')
      )?.toLowerCase() === 'array';
    const items: { name: string; expr: Expr; type: ScalarType }[] = [];
    const list = op.Expressions!;
    for (let i = 0; i < list.Count; i++) {
      const item = elementAt(list, i)!;
      const [named] = this.named(item.Expression!, scope);
      const name =
        named.name ||
        (schema.find(c => !input.schema.some(d => d.name === c.name))?.name ??
          'Column1');
      const column = schema.find(c => c.name === name);
      items.push({ name, expr: named.expr, type: column?.type ?? 'dynamic' });
    }
    const limit = op.RowLimitClause?.RowLimit
      ? this.expr(op.RowLimitClause.RowLimit, scope)
      : null;
    return {
      kind: 'mv-expand',
      span,
      schema,
      input,
      items,
      limit,
      indexColumn: parameter(op.Parameters, 'with_itemindex') ?? null,
      bagsAsArrays
    };
  }

  /**
   * `search`: rows of the input (or of the tables named with `in (…)`, or of every table) where a
   * term occurs in any column, or where a condition holds. Several tables are unioned with their
   * name in `$table`, as Kusto does.
   */
  private search(
    op: Syntax.SearchOperator,
    piped: Tabular | null,
    scope: Scope
  ): Tabular {
    const span = this.span(op);
    const schema = schemaOf(op);
    if (op.DataScope || parameter(op.Parameters, 'kind')) {
      throw new UnsupportedError('search with kind= or datascope=', span);
    }
    let sources: ITableRef[] | Tabular[];
    if (piped) {
      sources = [piped];
    } else if (op.InClause) {
      const list = op.InClause.Expressions!;
      const tables: ITableRef[] = [];
      for (let i = 0; i < list.Count; i++) {
        tables.push(...this.wildcard(textOf(elementAt(list, i)!).trim()));
      }
      sources = tables;
    } else {
      sources = this.wildcard('*');
    }
    const condition = op.Condition!;
    const filtered = sources.map(source => {
      const predicate = this.searchCondition(condition, source.schema, scope);
      return {
        kind: 'where',
        span,
        schema: source.schema,
        input: source,
        predicate
      } as const;
    });
    if (filtered.length === 1 && !schema.some(c => c.name === '$table')) {
      return { ...filtered[0], schema };
    }
    return {
      kind: 'union',
      span,
      schema,
      inputs: filtered,
      sourceColumn: '$table',
      // Kusto names a source that is not a table by its place: search_arg0 for piped input.
      sourceNames: sources.map((s, i) =>
        s.kind === 'table' ? s.name : `search_arg${i}`
      )
    };
  }

  /** A search condition: a bare string is a term looked for in every column. */
  private searchCondition(
    node: Syntax.Expression,
    columns: RowSchema,
    scope: Scope
  ): Expr {
    const span = this.span(node);
    if (kindOf(node) === 'StarExpression') {
      return { kind: 'literal', span, type: 'bool', value: true };
    }
    if (kindOf(node) === 'ParenthesizedExpression') {
      return this.searchCondition(
        (node as Syntax.ParenthesizedExpression).Expression!,
        columns,
        scope
      );
    }
    if (kindOf(node) === 'BinaryExpression') {
      // `search "a" or "b"`: each bare term is looked for on its own.
      const binary = node as Syntax.BinaryExpression;
      const op = binary.Operator!.Text!.toLowerCase();
      if (op === 'and' || op === 'or') {
        return {
          kind: 'call',
          span,
          type: 'bool',
          name: op,
          args: [
            this.searchCondition(binary.Left!, columns, scope),
            this.searchCondition(binary.Right!, columns, scope)
          ]
        };
      }
    }
    const literal = (node as Syntax.LiteralExpression).LiteralValueInfo;
    if (
      kindOf(node) !== 'LiteralExpression' ||
      typeof literal?.Value !== 'string'
    ) {
      return this.expr(node, scope);
    }
    const text = literal.Value;
    const prefix = text.endsWith('*');
    const suffix = text.startsWith('*');
    const needle = text.replace(/^\*|\*$/g, '');
    const name =
      prefix && suffix
        ? 'contains'
        : prefix
          ? 'hasprefix'
          : suffix
            ? 'hassuffix'
            : 'has';
    const value: Expr = {
      kind: 'literal',
      span,
      type: 'string',
      value: needle
    };
    if (!columns.length) {
      return { kind: 'literal', span, type: 'bool', value: false };
    }
    // One test over the row's columns joined by a control character, which is a term break and
    // in no needle: a regular expression per column made a search over a workspace's thousands of
    // columns take DuckDB minutes to prepare.
    const row: Expr = {
      kind: 'call',
      span,
      type: 'string',
      name: 'strcat_delim',
      args: [
        { kind: 'literal', span, type: 'string', value: '\u0001' },
        ...columns.map((c): Expr => ({
          kind: 'column',
          span,
          type: c.type,
          name: c.name
        }))
      ]
    };
    return { kind: 'call', span, type: 'bool', name, args: [row, value] };
  }

  private mvApply(
    op: Syntax.MvApplyOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    if (op.ContextIdClause || op.RowLimitClause) {
      throw new UnsupportedError('mv-apply with id= or limit', span);
    }
    const items: { name: string; expr: Expr; type: ScalarType }[] = [];
    const list = op.Expressions!;
    for (let i = 0; i < list.Count; i++) {
      const item = elementAt(list, i)!;
      const [named] = this.named(item.Expression!, scope);
      const typed = item.ToTypeOf?.TypeOf
        ? typeOfLiteral(item.ToTypeOf.TypeOf)
        : 'dynamic';
      items.push({
        name: named.name || `Column${i + 1}`,
        expr: named.expr,
        type: typed === 'unknown' ? 'dynamic' : typed
      });
    }
    // The subquery starts from the input row with each array replaced by one of its elements.
    const rowSchema: RowSchema = input.schema.map(c => {
      const item = items.find(i => i.name === c.name);
      return item
        ? {
            name: c.name,
            type: item.type === 'unknown' ? 'dynamic' : item.type
          }
        : c;
    });
    for (const item of items) {
      if (!rowSchema.some(c => c.name === item.name)) {
        rowSchema.push({
          name: item.name,
          type: item.type === 'unknown' ? 'dynamic' : item.type
        });
      }
    }
    const row: Tabular = { kind: 'mv-apply-row', span, schema: rowSchema };
    const body = this.subqueryOver(op.Subquery!.Expression!, row, scope);
    return { kind: 'mv-apply', span, schema, input, items, body };
  }

  /** Converts a pipeline whose leftmost operand is the implicit input row set of `mv-apply`. */
  private subqueryOver(
    node: Syntax.Expression,
    row: Tabular,
    scope: Scope
  ): Tabular {
    if (kindOf(node) === 'PipeExpression') {
      const pipe = node as Syntax.PipeExpression;
      return this.operator(
        pipe.Operator!,
        this.subqueryOver(pipe.Expression!, row, scope),
        scope
      );
    }
    if (kindOf(node).endsWith('Operator')) {
      return this.operator(node as Syntax.QueryOperator, row, scope);
    }
    throw new UnsupportedError(describe(node), this.span(node));
  }

  private parse(
    op: Syntax.ParseOperator | Syntax.ParseWhereOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const kind = parameter(op.Parameters, 'kind')?.toLowerCase() ?? 'simple';
    if (kind !== 'simple' && kind !== 'regex' && kind !== 'relaxed') {
      throw new UnsupportedError(`parse kind=${kind}`, span);
    }
    const flags = parameter(op.Parameters, 'flags') ?? '';
    if (flags && (kind !== 'regex' || !/^[Uims]+$/.test(flags))) {
      throw new UnsupportedError(`parse flags=${flags}`, span);
    }
    const parts: ParsePart[] = [];
    const patterns = op.Patterns!;
    for (let i = 0; i < patterns.Count; i++) {
      const pattern = patterns.getItem(i) as Syntax.SyntaxNode;
      switch (kindOf(pattern)) {
        case 'StarExpression':
          parts.push({ kind: 'skip' });
          break;
        case 'NameDeclaration': {
          const name = (pattern as Syntax.NameDeclaration).SimpleName!;
          parts.push({
            kind: 'capture',
            name,
            type: schema.find(c => c.name === name)?.type ?? 'string'
          });
          break;
        }
        case 'NameAndTypeDeclaration': {
          const name = (pattern as Syntax.NameAndTypeDeclaration).Name!
            .SimpleName!;
          parts.push({
            kind: 'capture',
            name,
            type: schema.find(c => c.name === name)?.type ?? 'string'
          });
          break;
        }
        case 'LiteralExpression':
        case 'CompoundStringLiteralExpression':
          parts.push({
            kind: 'text',
            text: String(
              (pattern as Syntax.LiteralExpression).LiteralValueInfo!.Value
            )
          });
          break;
        default:
          if (pattern.IsToken) {
            break;
          }
          throw new UnsupportedError(
            `parse pattern ${describe(pattern)}`,
            this.span(pattern)
          );
      }
    }
    return {
      kind: 'parse',
      span,
      schema,
      input,
      source: this.expr(op.Expression!, scope),
      parts,
      flags,
      mode: kind,
      filter: kindOf(op) === 'ParseWhereOperator'
    };
  }

  private render(op: Syntax.RenderOperator): IRenderSpec {
    const properties: Record<string, string | string[]> = {};
    const list = op.WithClause?.Properties;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      const property = elementAt(list!, i)!;
      const value = property.Expression!;
      const name = property.Name!.SimpleName!;
      if (
        kindOf(value) === 'ParenthesizedExpression' ||
        kindOf(value) === 'ExpressionList'
      ) {
        properties[name] = textOf(value)
          .replace(/[()\s]/g, '')
          .split(',');
      } else {
        const literal = (value as Syntax.LiteralExpression).LiteralValueInfo;
        properties[name] = literal
          ? String(literal.Value)
          : textOf(value).trim();
      }
    }
    return { visualization: op.ChartType!.Text!, properties };
  }

  private evaluate(
    op: Syntax.EvaluateOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const call = op.FunctionCall!;
    const name = call.Name!.SimpleName!;
    if (name === 'bag_unpack') {
      return this.bagUnpack(op, input, schema, span);
    }
    if (name === 'pivot') {
      return this.pivot(op, input, schema, scope, span);
    }
    const plugin = convertPlugin(this.context(scope), op, input, schema);
    if (plugin) {
      return plugin;
    }
    throw new UnsupportedError(`evaluate ${name}`, span);
  }

  /**
   * `evaluate bag_unpack(column [, prefix])`: with an output schema (written in the query, or
   * added by the compiler from the slots the data has), the input's other columns and the slots.
   */
  private bagUnpack(
    op: Syntax.EvaluateOperator,
    input: Tabular,
    schema: RowSchema,
    span: ISpan
  ): Tabular {
    const args = op.FunctionCall!.ArgumentList!.Expressions!;
    const column = elementAt(args, 0) as Syntax.NameReference;
    if (kindOf(column) !== 'NameReference') {
      throw new UnsupportedError('bag_unpack of an expression', span);
    }
    const second = args.Count > 1 ? elementAt(args, 1)! : null;
    if (
      args.Count > 2 ||
      (second && kindOf(second) === 'SimpleNamedExpression')
    ) {
      throw new UnsupportedError(
        'bag_unpack with columnsConflict or ignoredProperties',
        span
      );
    }
    const prefix = second
      ? String(
          (second as Syntax.LiteralExpression).LiteralValueInfo?.Value ?? ''
        )
      : '';
    const bag = column.SimpleName!;
    if (!op.Schema) {
      this.checkDiscoverable(span);
      throw new DiscoveryNeeded(
        discoveryKey(op),
        'bag_unpack',
        input,
        [...this._lets],
        { kind: 'column', span, type: 'dynamic', name: bag },
        span,
        [],
        'dynamic',
        prefix
      );
    }
    const kept = new Set(input.schema.map(c => c.name).filter(c => c !== bag));
    const slots = schema
      .filter(c => !kept.has(c.name))
      .map(c => ({
        key: c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name,
        name: c.name
      }));
    return { kind: 'bag-unpack', span, schema, input, column: bag, slots };
  }

  /**
   * `evaluate pivot(column [, aggregate] [, by…])`: with an output schema (written in the query, or
   * added by the compiler from the values the data has), one column per pivot value.
   */
  private pivot(
    op: Syntax.EvaluateOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope,
    span: ISpan
  ): Tabular {
    const args = op.FunctionCall!.ArgumentList!.Expressions!;
    const pivot = this.expr(elementAt(args, 0)!, scope);
    let aggregate: { name: string; arg: Expr | null; type: ScalarType } = {
      name: 'count',
      arg: null,
      type: 'long'
    };
    const by: string[] = [];
    for (let i = 1; i < args.Count; i++) {
      const arg = this.expr(elementAt(args, i)!, scope);
      if (arg.kind === 'call' && i === 1) {
        if (!['count', 'sum', 'dcount'].includes(arg.name)) {
          throw new UnsupportedError(`evaluate pivot with ${arg.name}()`, span);
        }
        aggregate = {
          name: arg.name,
          arg: arg.args[0] ?? null,
          type: arg.type === 'unknown' ? 'long' : arg.type
        };
      } else if (arg.kind === 'column') {
        by.push(arg.name);
      } else {
        throw new UnsupportedError('evaluate pivot by an expression', span);
      }
    }
    const read = new Set(
      [pivot, aggregate.arg].flatMap(e =>
        e && e.kind === 'column' ? [e.name] : []
      )
    );
    const keys = by.length
      ? by
      : input.schema.map(c => c.name).filter(c => !read.has(c));
    if (!op.Schema) {
      this.checkDiscoverable(span);
      throw new DiscoveryNeeded(
        discoveryKey(op),
        'pivot',
        input,
        [...this._lets],
        pivot,
        span,
        input.schema.filter(c => keys.includes(c.name)),
        aggregate.type
      );
    }
    const values = schema
      .filter(c => !keys.includes(c.name))
      .map(c => ({ value: c.name, name: c.name }));
    return {
      kind: 'pivot',
      span,
      schema,
      input,
      pivot,
      aggregate: { name: aggregate.name, arg: aggregate.arg },
      by: keys,
      values
    };
  }

  /**
   * Columns found in the data are written into the query text as the operator's output schema,
   * which a function's body (bound per call) does not take.
   */
  private checkDiscoverable(span: ISpan): void {
    if (this._expansionSpans.length) {
      throw new UnsupportedError(
        'evaluate bag_unpack or pivot inside a function without an output schema',
        span,
        'write the output schema: evaluate pivot(…) : (Column:type, …)'
      );
    }
  }

  private makeSeries(
    op: Syntax.MakeSeriesOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const aggregates: { name: string; expr: Expr; fill: Expr | null }[] = [];
    const list = op.Aggregates!;
    let position = 0;
    for (let i = 0; i < list.Count; i++) {
      const element = elementAt(list, i)!;
      const [named] = this.named(element.Expression!, scope);
      const fill = element.DefaultExpression?.Expression
        ? this.expr(element.DefaultExpression.Expression, scope)
        : null;
      aggregates.push({
        name: named.name || schema[position].name,
        expr: named.expr,
        fill
      });
      position++;
    }
    const [axis] = this.named(op.OnClause!.Expression!, scope);
    const range = op.RangeClause!;
    let from: Expr | null = null;
    let to: Expr | null = null;
    let step: Expr;
    if (kindOf(range) === 'MakeSeriesFromToStepClause') {
      const clause = range as Syntax.MakeSeriesFromToStepClause;
      from = clause.MakeSeriesFromClause
        ? this.expr(clause.MakeSeriesFromClause.Expression!, scope)
        : null;
      to = clause.MakeSeriesToClause
        ? this.expr(clause.MakeSeriesToClause.Expression!, scope)
        : null;
      step = this.expr(clause.MakeSeriesStepClause!.Expression!, scope);
    } else {
      const args = (range as Syntax.MakeSeriesInRangeClause).Arguments!
        .Expressions!;
      from = this.expr(elementAt(args, 0)!, scope);
      to = this.expr(elementAt(args, 1)!, scope);
      step = this.expr(elementAt(args, 2)!, scope);
    }
    const by = this.namedList(
      op.ByClause?.Expressions ?? null,
      schema.slice(aggregates.length + 1),
      scope
    );
    const axisName = axis.name || schema[aggregates.length].name;
    return {
      kind: 'make-series',
      span,
      schema,
      input,
      aggregates,
      axis: { name: axisName, expr: axis.expr },
      from,
      to,
      step,
      by
    };
  }

  private topNested(
    op: Syntax.TopNestedOperator,
    input: Tabular,
    schema: RowSchema,
    scope: Scope
  ): Tabular {
    const span = this.spanFrom(input, op);
    const levels = [];
    const clauses = op.Clauses!;
    let position = 0;
    for (let i = 0; i < clauses.Count; i++) {
      const clause = elementAt(clauses, i)!;
      let byNode: Syntax.Expression = clause.ByExpression!;
      let descending = true;
      if (kindOf(byNode) === 'OrderedExpression') {
        const ordered = byNode as Syntax.OrderedExpression;
        descending =
          ordered.Ordering?.AscOrDescKeyword?.Text?.toLowerCase() !== 'asc';
        byNode = ordered.Expression!;
      }
      const [key] = this.named(clause.OfExpression!, scope);
      key.name = key.name || schema[position].name;
      const [aggregate] = this.named(byNode, scope);
      aggregate.name = aggregate.name || schema[position + 1].name;
      position += 2;
      levels.push({
        count: clause.Expression ? this.expr(clause.Expression, scope) : null,
        key,
        aggregate,
        descending,
        others: clause.WithOthersClause
          ? this.expr(clause.WithOthersClause.Expression!, scope)
          : null
      });
    }
    return { kind: 'top-nested', span, schema, input, levels };
  }

  private externalData(
    node: Syntax.ExternalDataExpression,
    schema: RowSchema
  ): Tabular {
    const span = this.span(node);
    const uris: string[] = [];
    const list = node.URIs!;
    for (let i = 0; i < list.Count; i++) {
      const uri = elementAt(list, i)! as Syntax.LiteralExpression;
      const value = uri.LiteralValueInfo?.Value as unknown;
      if (typeof value !== 'string') {
        throw new UnsupportedError(
          'externaldata with a URI that is not a string literal',
          span
        );
      }
      uris.push(value);
    }
    const properties = new Map<string, string>();
    const withList = node.WithClause?.Properties;
    for (let i = 0; i < (withList?.Count ?? 0); i++) {
      const property = elementAt(withList!, i)!;
      const value = property.Expression!;
      const literal = (value as Syntax.LiteralExpression).LiteralValueInfo
        ?.Value as unknown;
      properties.set(
        property.Name!.SimpleName!.toLowerCase(),
        String(literal ?? textOf(value)).toLowerCase()
      );
    }
    return {
      kind: 'externaldata',
      span,
      schema,
      uris,
      format: properties.get('format') ?? 'csv',
      ignoreFirstRecord: properties.get('ignorefirstrecord') === 'true'
    };
  }

  private datatable(
    node: Syntax.DataTableExpression,
    schema: RowSchema
  ): Tabular {
    const span = this.span(node);
    const values = node.Values!;
    const width = schema.length;
    const rows: Expr[][] = [];
    const empty: Scope = new Map();
    for (let i = 0; i < values.Count; i += width) {
      const row: Expr[] = [];
      for (let j = 0; j < width && i + j < values.Count; j++) {
        row.push(this.expr(elementAt(values, i + j)!, empty));
      }
      rows.push(row);
    }
    return { kind: 'datatable', span, schema, rows };
  }

  private tabularCall(
    node: Syntax.FunctionCallExpression,
    scope: Scope
  ): Tabular {
    const symbol = node.ReferencedSymbol as Symbols.FunctionSymbol | null;
    const name = node.Name!.SimpleName!;
    if (node.GetExpansion()) {
      return this.expand(node, [], scope);
    }
    if (name === 'materialize') {
      return this.tabular(
        elementAt(node.ArgumentList!.Expressions!, 0)!,
        scope
      );
    }
    if (name === 'table' || name === 'view') {
      const symbolName =
        node.ResultType && 'Name' in node.ResultType
          ? node.ResultType.Name
          : null;
      if (symbol === null && symbolName) {
        return {
          kind: 'table',
          name: symbolName,
          span: this.span(node),
          schema: schemaOf(node)
        };
      }
      const named = this.tableByValue(node, scope);
      if (named) {
        return named;
      }
    }
    throw new UnsupportedError(`${name}()`, this.span(node));
  }

  /**
   * `table(name)` whose name is a `let` value, a query parameter or a function's argument: the
   * workspace table the string names, with the schema's columns.
   */
  private tableByValue(
    node: Syntax.FunctionCallExpression,
    scope: Scope
  ): ITableRef | null {
    const arg = elementAt(node.ArgumentList!.Expressions!, 0);
    if (!arg || isTabular(arg)) {
      return null;
    }
    const value = this.expr(arg, scope);
    if (value.kind !== 'literal' || typeof value.value !== 'string') {
      return null;
    }
    const table = this._schema.tables.find(t => t.name === value.value);
    return table
      ? {
          kind: 'table',
          name: table.name,
          span: this.span(node),
          schema: table.columns
        }
      : null;
  }

  /**
   * Expands a call of a user-defined function (a `let` lambda or `invoke`). Kusto.Language binds
   * a copy of the body for each call with the arguments' types; its parameters appear in it as
   * variables, bound here to the converted arguments.
   */
  private expand(
    node: Syntax.Expression,
    leading: Tabular[],
    scope: Scope
  ): Tabular {
    const call = node as Syntax.FunctionCallExpression;
    const expansion = call.GetExpansion() as Syntax.FunctionBody | null;
    const symbol = call.ReferencedSymbol as Symbols.FunctionSymbol | null;
    const span = this.span(node);
    if (!expansion || !symbol) {
      throw new UnsupportedError(`the function ${textOf(call).trim()}`, span);
    }
    const signature = symbol.Signatures!.getItem(0);
    const parameters = signature.Parameters!;
    const args: Syntax.Expression[] = [];
    const list =
      kindOf(node) === 'FunctionCallExpression'
        ? call.ArgumentList?.Expressions
        : null;
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      args.push(elementAt(list!, i)!);
    }
    let inner: Map<string, Binding> = new Map(scope);
    const bound = bindArguments(args, parameters, leading.length);
    for (let i = 0; i < parameters.Count; i++) {
      const parameter = parameters.getItem(i);
      const name = parameter.Name!;
      if (i < leading.length) {
        inner.set(name, { kind: 'tabular', value: leading[i] });
        continue;
      }
      const arg = bound.get(name) ?? parameter.DefaultValue;
      if (!arg) {
        throw new UnsupportedError(
          `a call of ${symbol.Name} without its parameter ${name}`,
          span
        );
      }
      inner.set(
        name,
        isTabular(arg)
          ? { kind: 'tabular', value: this.tabular(arg, scope) }
          : { kind: 'scalar', expr: this.expr(arg, scope) }
      );
    }
    this._expansionSpans.push(span);
    try {
      const statements = expansion.Statements;
      for (let i = 0; i < (statements?.Count ?? 0); i++) {
        const statement = elementAt(statements!, i)!;
        if (kindOf(statement) === 'LetStatement') {
          inner = new Map(this.let(statement as Syntax.LetStatement, inner));
        }
      }
      return this.tabular(expansion.Expression!, inner);
    } finally {
      this._expansionSpans.pop();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scalar expressions

  /** The named columns of a list such as `project a, b = f(c)`; unnamed ones take schema names. */
  private namedList(
    list: SeparatedList<Syntax.Expression> | null,
    schema: RowSchema,
    scope: Scope
  ): INamedExpr[] {
    const result: INamedExpr[] = [];
    for (let i = 0; i < (list?.Count ?? 0); i++) {
      for (const named of this.named(elementAt(list!, i)!, scope)) {
        named.name =
          named.name ||
          schema[result.length]?.name ||
          `Column${result.length + 1}`;
        result.push(named);
      }
    }
    return result;
  }

  /** One expression with the name it declares, or `''` where Kusto derives the name. */
  private named(node: Syntax.Expression, scope: Scope): INamedExpr[] {
    switch (kindOf(node)) {
      case 'SimpleNamedExpression': {
        const named = node as Syntax.SimpleNamedExpression;
        const expr = this.expr(named.Expression!, scope);
        if (isTupleCall(expr)) {
          return tupleItems(expr, [named.Name!.SimpleName!], this.span(node));
        }
        return [{ name: named.Name!.SimpleName!, expr }];
      }
      case 'CompoundNamedExpression': {
        const compound = node as Syntax.CompoundNamedExpression;
        const list = compound.Names!.Names!;
        const names = Array.from(
          { length: list.Count },
          (_, i) => elementAt(list, i)!.SimpleName!
        );
        const expr = this.expr(compound.Expression!, scope);
        return tupleItems(expr, names, this.span(node));
      }
      default: {
        const expr = this.expr(node, scope);
        if (isTupleCall(expr)) {
          return tupleItems(expr, [], this.span(node));
        }
        return [{ name: expr.kind === 'column' ? expr.name : '', expr }];
      }
    }
  }

  expr(node: Syntax.Expression, scope: Scope): Expr {
    const span = this.span(node);
    const type = typeOf(node);
    switch (kindOf(node)) {
      case 'LiteralExpression':
      case 'CompoundStringLiteralExpression':
        return literal(node as Syntax.LiteralExpression, type, span);
      case 'DynamicExpression': {
        const inner = (node as Syntax.DynamicExpression).Expression!;
        return {
          kind: 'literal',
          span,
          type: 'dynamic',
          value: jsonText(inner)
        };
      }
      case 'ParenthesizedExpression':
        return this.expr(
          (node as Syntax.ParenthesizedExpression).Expression!,
          scope
        );
      case 'NameReference':
        return this.name(node as Syntax.NameReference, scope, type, span);
      case 'BracketedExpression':
        return this.expr(
          (node as Syntax.BracketedExpression).Expression!,
          scope
        );
      case 'BinaryExpression': {
        const binary = node as Syntax.BinaryExpression;
        return {
          kind: 'call',
          span,
          type,
          name: binary.Operator!.Text!.toLowerCase(),
          args: [
            this.expr(binary.Left!, scope),
            this.expr(binary.Right!, scope)
          ]
        };
      }
      case 'PrefixUnaryExpression': {
        const unary = node as Syntax.PrefixUnaryExpression;
        if (
          unary.Operator!.Text === '-' &&
          /^(long\(\s*)?9223372036854775808\s*\)?$/.test(
            textOf(unary.Expression!).trim()
          )
        ) {
          // long.MinValue: its digits alone are beyond a long.
          return {
            kind: 'literal',
            span,
            type: 'long',
            value: '-9223372036854775808'
          };
        }
        const operand = this.expr(unary.Expression!, scope);
        if (unary.Operator!.Text === '+') {
          return operand;
        }
        return { kind: 'call', span, type, name: 'negate', args: [operand] };
      }
      case 'InExpression':
      case 'HasAnyExpression':
      case 'HasAllExpression': {
        const inExpr = node as Syntax.InExpression;
        const args = [this.expr(inExpr.Left!, scope)];
        const list = inExpr.Right!.Expressions!;
        for (let i = 0; i < list.Count; i++) {
          const element = elementAt(list, i)!;
          args.push(
            isTabular(element)
              ? {
                  kind: 'subquery',
                  span: this.span(element),
                  type: 'dynamic',
                  query: this.tabular(element, scope)
                }
              : this.expr(element, scope)
          );
        }
        return {
          kind: 'call',
          span,
          type,
          name: inExpr.Operator!.Text!.toLowerCase(),
          args
        };
      }
      case 'BetweenExpression': {
        const between = node as Syntax.BetweenExpression;
        return {
          kind: 'call',
          span,
          type,
          name: between.Operator!.Text!.toLowerCase().replace(/\s+/g, ''),
          args: [
            this.expr(between.Left!, scope),
            this.expr(between.Right!.First!, scope),
            this.expr(between.Right!.Second!, scope)
          ]
        };
      }
      case 'FunctionCallExpression':
        return this.call(
          node as Syntax.FunctionCallExpression,
          scope,
          type,
          span
        );
      case 'PathExpression': {
        const path = node as Syntax.PathExpression;
        const selector = path.Selector!;
        if (kindOf(selector) === 'BracketedExpression') {
          // `x.[p]`: the key is the value of the expression in brackets, as `x[p]`.
          return {
            kind: 'member',
            span,
            type,
            target: this.expr(path.Expression!, scope),
            key: this.expr(
              (selector as Syntax.BracketedExpression).Expression!,
              scope
            )
          };
        }
        const key =
          kindOf(selector) === 'NameReference'
            ? (selector as Syntax.NameReference).SimpleName!
            : textOf(selector).trim();
        return {
          kind: 'member',
          span,
          type,
          target: this.expr(path.Expression!, scope),
          key: {
            kind: 'literal',
            span: this.span(selector),
            type: 'string',
            value: key
          }
        };
      }
      case 'ElementExpression': {
        const element = node as Syntax.ElementExpression;
        return {
          kind: 'member',
          span,
          type,
          target: this.expr(element.Expression!, scope),
          key: this.expr(element.Selector!, scope)
        };
      }
      case 'StarExpression':
        return { kind: 'star', span, type: 'unknown' };
      case 'TypeOfLiteralExpression':
        return {
          kind: 'literal',
          span,
          type: 'string',
          value: typeOfLiteral(node)
        };
      case 'SimpleNamedExpression':
        // A name given to an argument (`case(p, strcat=x, …)`) does not change its value.
        return this.expr(
          (node as Syntax.SimpleNamedExpression).Expression!,
          scope
        );
      case 'ToScalarExpression': {
        const inner = (node as Syntax.ToScalarExpression).Expression!;
        return {
          kind: 'subquery',
          span,
          type,
          query: this.tabular(inner, scope)
        };
      }
      default:
        if (isTabular(node)) {
          return {
            kind: 'subquery',
            span,
            type,
            query: this.tabular(node, scope)
          };
        }
        throw new UnsupportedError(describe(node), span);
    }
  }

  private name(
    node: Syntax.NameReference,
    scope: Scope,
    type: ScalarType,
    span: ISpan
  ): Expr {
    const name = node.SimpleName!;
    const symbol = node.ReferencedSymbol;
    const symbolKind = symbol?.Kind;
    if (symbolKind === Symbols.SymbolKind.Column) {
      return { kind: 'column', span, type, name: symbol!.Name! };
    }
    const bound = scope.get(name);
    if (bound?.kind === 'scalar') {
      return bound.expr;
    }
    if (bound?.kind === 'tabular') {
      return { kind: 'subquery', span, type, query: bound.value };
    }
    if (symbolKind === Symbols.SymbolKind.Table) {
      return { kind: 'subquery', span, type, query: this.tabular(node, scope) };
    }
    if (!symbol) {
      throw new UnsupportedError(`the unknown name '${name}'`, span);
    }
    throw new UnsupportedError(`the name '${name}'`, span);
  }

  private call(
    node: Syntax.FunctionCallExpression,
    scope: Scope,
    type: ScalarType,
    span: ISpan
  ): Expr {
    const name = node.Name!.SimpleName!;
    if (node.GetExpansion()) {
      return this.scalarExpansion(node, scope, type, span);
    }
    const args: Expr[] = [];
    const list = node.ArgumentList!.Expressions!;
    for (let i = 0; i < list.Count; i++) {
      args.push(this.expr(elementAt(list, i)!, scope));
    }
    const modern = modernName(
      node.ReferencedSymbol as Symbols.FunctionSymbol | null,
      name
    );
    if (modern === 'replace_regex' && name.toLowerCase() === 'replace') {
      // The deprecated replace(regex, rewrite, text) takes the text last.
      const [regex, rewrite, text] = args;
      return {
        kind: 'call',
        span,
        type,
        name: modern,
        args: [text, regex, rewrite]
      };
    }
    if (modern === 'column_ifexists') {
      return this.columnIfExists(args, span);
    }
    if (modern === 'pack_all') {
      return this.packAll(args, span);
    }
    const call: ICall = { kind: 'call', span, type, name: modern, args };
    return call;
  }

  /** `column_ifexists(name, default)`: the column when the row has it, else the default. */
  private columnIfExists(args: Expr[], span: ISpan): Expr {
    const [name, fallback] = args;
    if (name.kind !== 'literal' || typeof name.value !== 'string') {
      throw new UnsupportedError('column_ifexists of a computed name', span);
    }
    const column = this._row.find(c => c.name === name.value);
    return column
      ? { kind: 'column', span, type: column.type, name: column.name }
      : fallback;
  }

  /**
   * `pack_all([ignore_null_empty])`: a bag of every column of the row, by name; the call carries
   * the flag and the name and value of each column.
   */
  private packAll(args: Expr[], span: ISpan): Expr {
    const ignore: Expr = args[0] ?? {
      kind: 'literal',
      span,
      type: 'bool',
      value: false
    };
    return {
      kind: 'call',
      span,
      type: 'dynamic',
      name: 'pack_all',
      args: [
        ignore,
        ...this._row.flatMap((c): Expr[] => [
          { kind: 'literal', span, type: 'string', value: c.name },
          { kind: 'column', span, type: c.type, name: c.name }
        ])
      ]
    };
  }

  /** A call of a user-defined scalar function: its body with the arguments bound. */
  private scalarExpansion(
    node: Syntax.FunctionCallExpression,
    scope: Scope,
    type: ScalarType,
    span: ISpan
  ): Expr {
    const expansion = node.GetExpansion() as Syntax.FunctionBody;
    const symbol = node.ReferencedSymbol as Symbols.FunctionSymbol;
    const parameters = symbol.Signatures!.getItem(0).Parameters!;
    const list = node.ArgumentList!.Expressions!;
    let inner: Map<string, Binding> = new Map(scope);
    const args: Syntax.Expression[] = [];
    for (let i = 0; i < list.Count; i++) {
      args.push(elementAt(list, i)!);
    }
    const bound = bindArguments(args, parameters, 0);
    for (let i = 0; i < parameters.Count; i++) {
      const parameter = parameters.getItem(i);
      const arg = bound.get(parameter.Name!) ?? parameter.DefaultValue;
      if (!arg) {
        throw new UnsupportedError(
          `a call of ${symbol.Name} without its parameter ${parameter.Name}`,
          span
        );
      }
      inner.set(parameter.Name!, {
        kind: 'scalar',
        expr: this.expr(arg, scope)
      });
    }
    const statements = expansion.Statements;
    for (let i = 0; i < (statements?.Count ?? 0); i++) {
      const statement = elementAt(statements!, i)!;
      if (kindOf(statement) === 'LetStatement') {
        inner = new Map(this.let(statement as Syntax.LetStatement, inner));
      }
    }
    this._expansionSpans.push(span);
    try {
      const body = this.expr(expansion.Expression!, inner);
      return body.type === 'unknown' ? { ...body, type } : body;
    } finally {
      this._expansionSpans.pop();
    }
  }

  /** The span of an operator together with the rows it reads, `T | where …` as a whole. */
  private spanFrom(input: Tabular, op: Syntax.SyntaxElement): ISpan {
    return { start: input.span.start, end: this.span(op).end };
  }

  /** The span of a node; inside an expansion, the span of the call being expanded. */
  private span(node: Syntax.SyntaxElement): ISpan {
    const outer = this._expansionSpans[this._expansionSpans.length - 1];
    return outer ?? { start: node.TextStart, end: node.End };
  }

  /** The columns of the row the operator being converted reads (`column_ifexists`, `pack_all`). */
  private _row: RowSchema = [];
  private _lets: { name: string; value: Tabular }[] = [];
  private _as = new Map<string, Binding>();
  private _render: IRenderSpec | null = null;
  private _expansionSpans: ISpan[] = [];
  /** Columns Kusto.Language adds that Kusto's engine does not return (see `hide`). */
  private _hidden = new Set<string>();
  /** The patterns `declare pattern` statements define, by name. */
  private _patterns: Patterns = new Map();
}

// -----------------------------------------------------------------------------------------------
// Reading facts off Kusto.Language nodes

/**
 * The argument of each parameter of a user-defined function: positional arguments in order (after
 * `skip` parameters bound otherwise), then `name=value` arguments by name.
 */
function bindArguments(
  args: Syntax.Expression[],
  parameters: System.Collections.Generic.IReadOnlyList$1<Symbols.Parameter>,
  skip: number
): Map<string, Syntax.Expression> {
  const bound = new Map<string, Syntax.Expression>();
  let next = skip;
  for (const arg of args) {
    if (kindOf(arg) === 'SimpleNamedExpression') {
      const named = arg as Syntax.SimpleNamedExpression;
      bound.set(named.Name!.SimpleName!, named.Expression!);
    } else if (next < parameters.Count) {
      bound.set(parameters.getItem(next++).Name!, arg);
    }
  }
  return bound;
}

/**
 * The function a call means: a deprecated name Kusto still accepts (`makeset`, `parsejson`,
 * `argmax`, …) is its modern function, as Kusto's catalogue names it. Kusto names two alternatives
 * for `replace`; its arguments are those of `replace_regex` in another order.
 */
function modernName(
  symbol: Symbols.FunctionSymbol | null,
  name: string
): string {
  if (!symbol?.IsObsolete || !symbol.Alternative) {
    return name;
  }
  const alternative = /^[a-z_0-9]+/.exec(symbol.Alternative)?.[0];
  return alternative ?? name;
}

/** True for a call by a deprecated name (`argmax`), whose result Kusto names its own way. */
function isDeprecatedCall(node: Syntax.Expression): boolean {
  return (
    kindOf(node) === 'FunctionCallExpression' &&
    !!(
      (node as Syntax.FunctionCallExpression)
        .ReferencedSymbol as Symbols.FunctionSymbol | null
    )?.IsObsolete
  );
}

/**
 * The columns the deprecated `argmax(x, c1, c2)` carries: its arguments after the first (its
 * result columns are named `max_x_c1`…, not after the columns they carry).
 */
function deprecatedCarried(expr: Expr, span: ISpan): string[] {
  const args = expr.kind === 'call' ? expr.args.slice(1) : [];
  return args.map(a => {
    if (a.kind !== 'column') {
      throw new UnsupportedError('argmax/argmin returning an expression', span);
    }
    return a.name;
  });
}

/**
 * The value of a hexadecimal integer literal (`0xFF`, `long(0x10)`), which the library reads as 0;
 * digits beyond the sign bit wrap as in .NET (`0xFFFFFFFFFFFFFFFF` is -1). Null for other forms.
 */
function hexValue(text: string, bits: bigint): string | null {
  const hex = /^(?:(?:long|int)\(\s*)?0x([0-9a-f]{1,16})\s*\)?$/i.exec(
    text
  )?.[1];
  if (!hex) {
    return null;
  }
  const value = BigInt(`0x${hex}`);
  return String(value >= 1n << (bits - 1n) ? value - (1n << bits) : value);
}

/** The key of an `evaluate` whose columns are found in the data: the plugin and its offset. */
function discoveryKey(op: Syntax.EvaluateOperator): string {
  return `${op.FunctionCall!.Name!.SimpleName}@${op.TextStart}`;
}

/**
 * Where to write the output schemas found in the data (`discovered`: the rows of each discovery
 * query by key, `[name, type]`) into the query text: after each `evaluate bag_unpack(…)` or
 * `evaluate pivot(…)` that has none, `: (*, ['Age']:long, …)` (bag_unpack keeps the input's
 * other columns) or `: (['State']:string, ['ALASKA']:long, …)`.
 */
export function outputSchemaSplices(
  root: Node,
  discovered: Record<string, string[][]>
): { at: number; text: string }[] {
  const splices: { at: number; text: string }[] = [];
  const operators = root.GetDescendants(Syntax.EvaluateOperator);
  for (let i = 0; i < (operators?.Count ?? 0); i++) {
    const op = operators!.getItem(i);
    const rows = discovered[discoveryKey(op)];
    if (op.Schema || !rows) {
      continue;
    }
    const columns = rows.map(
      ([name, type]) => `['${name.replace(/['\\]/g, c => `\\${c}`)}']:${type}`
    );
    const all =
      op.FunctionCall!.Name!.SimpleName === 'bag_unpack'
        ? ['*', ...columns]
        : columns;
    splices.push({ at: op.End, text: ` : (${all.join(', ')})` });
  }
  return splices;
}

/** The type named by `typeof(long)`. */
function typeOfLiteral(node: Syntax.Expression): ScalarType {
  return scalarType(/typeof\s*\(\s*([a-z]+)/i.exec(textOf(node))?.[1]);
}

/** The source text of a node, without surrounding trivia. */
export function textOf(node: Syntax.SyntaxElement): string {
  return node.ToString(Syntax.IncludeTrivia.Minimal) ?? '';
}

/** The class name of a syntax node, e.g. `FilterOperator`. */
export function kindOf(node: Syntax.SyntaxElement): string {
  const name = (node.constructor as unknown as { $$name: string }).$$name;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** How a node is named in an "unsupported" message. */
function describe(node: Syntax.SyntaxElement): string {
  const text = textOf(node).trim();
  const keyword = /^[a-z][a-z0-9_-]*/i.exec(text);
  const kind = kindOf(node).replace(/(Operator|Expression)$/, '');
  return keyword ? `${keyword[0]} (${kind})` : kind;
}

function isTabular(node: Syntax.Expression): boolean {
  const type = node.ResultType;
  return !!type && type.Kind === Symbols.SymbolKind.Table;
}

function typeOf(node: Syntax.Expression): ScalarType {
  const type = node.ResultType;
  return type ? scalarType(type.Name) : 'unknown';
}

function columnsOf(
  list: System.Collections.Generic.IReadOnlyList$1<Symbols.ColumnSymbol> | null
): RowSchema {
  const columns: RowSchema = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const column = list!.getItem(i);
    const type = scalarType(column.Type?.Name);
    columns.push({
      name: column.Name!,
      type: type === 'unknown' ? 'dynamic' : type
    });
  }
  return columns;
}

export function schemaOf(node: Syntax.SyntaxNode): RowSchema {
  const type = (node as Syntax.Expression)
    .ResultType as Symbols.TableSymbol | null;
  return type && type.Kind === Symbols.SymbolKind.Table
    ? columnsOf(type.Columns)
    : [];
}

/** For `arg_max(x, …)`-like aggregates that return several columns: their input names. */
function tupleColumns(node: Syntax.Expression): string[] | null {
  const type = node.ResultType as Symbols.TupleSymbol | null;
  if (!type || type.Kind !== Symbols.SymbolKind.Tuple) {
    return null;
  }
  return columnsOf(type.Columns).map(c => c.name);
}

function namedValue(node: Syntax.Expression): Syntax.Expression {
  const kind = kindOf(node);
  if (kind === 'SimpleNamedExpression' || kind === 'CompoundNamedExpression') {
    return (node as Syntax.SimpleNamedExpression).Expression!;
  }
  return node;
}

/** The text of a named parameter such as `kind=leftouter` or `withsource=Table`. */
function parameter(
  list: Syntax.SyntaxList$1<Syntax.NamedParameter> | null,
  name: string
): string | undefined {
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const item = list!.getItem(i) as unknown as Syntax.NamedParameter;
    if (item.Name?.SimpleName?.toLowerCase() === name) {
      const value = item.Expression!;
      const literal = (value as Syntax.LiteralExpression).LiteralValueInfo;
      if (literal && typeof literal.Value === 'string') {
        return literal.Value;
      }
      return textOf(value).trim();
    }
  }
  return undefined;
}

/** The name `union withsource=` gives an input written as a name or ending in `as Name`. */
function unionName(node: Syntax.Expression): string | null {
  let inner: Syntax.Expression = node;
  while (kindOf(inner) === 'ParenthesizedExpression') {
    inner = (inner as Syntax.ParenthesizedExpression).Expression!;
  }
  // A let-bound tabular value is named by its place (union_arg1), only a table by its name.
  if (
    kindOf(inner) === 'NameReference' &&
    inner.ReferencedSymbol?.Kind === Symbols.SymbolKind.Table
  ) {
    return (inner as Syntax.NameReference).SimpleName;
  }
  if (kindOf(inner) === 'PipeExpression') {
    const op = (inner as Syntax.PipeExpression).Operator!;
    if (kindOf(op) === 'AsOperator') {
      return (op as Syntax.AsOperator).Name!.SimpleName;
    }
  }
  return null;
}

/** `$left.Name` or `$right.Name` in a join condition. */
function sideColumn(
  node: Syntax.Expression
): { side: 'left' | 'right'; name: string } | null {
  if (kindOf(node) !== 'PathExpression') {
    return null;
  }
  const path = node as Syntax.PathExpression;
  const side = textOf(path.Expression!).trim().toLowerCase();
  const name = (path.Selector as Syntax.NameReference).SimpleName!;
  if (side === '$left' || side === '$right') {
    return { side: side === '$left' ? 'left' : 'right', name };
  }
  return null;
}

/** Columns passed through unchanged, by name. */
function passThrough(schema: RowSchema, span: ISpan): INamedExpr[] {
  return schema.map(c => ({
    name: c.name,
    expr: { kind: 'column', span, type: c.type, name: c.name }
  }));
}

function literal(
  node: Syntax.LiteralExpression,
  type: ScalarType,
  span: ISpan
): Expr {
  const info = node.LiteralValueInfo;
  const raw = info?.Value as unknown;
  const text = textOf(node).trim();
  const isNull =
    raw === null || raw === undefined || /\(\s*null\s*\)$/i.test(text);
  if (isNull && type !== 'string') {
    return { kind: 'literal', span, type, value: null };
  }
  switch (type) {
    case 'string':
      return {
        kind: 'literal',
        span,
        type,
        value: typeof raw === 'string' ? raw : String(raw ?? '')
      };
    case 'bool':
      return {
        kind: 'literal',
        span,
        type,
        value: raw === true || String(raw).toLowerCase() === 'true'
      };
    case 'int':
      checkRange(text, span);
      return {
        kind: 'literal',
        span,
        type,
        value: Number(hexValue(text, 32n) ?? String(raw))
      };
    case 'real': {
      // The library reads real(+inf), real(-inf) and real(nan) as 0: take them from the text.
      const special = /^real\(\s*([+-]?inf|nan)\s*\)$/i.exec(text)?.[1];
      const value = special
        ? special.toLowerCase() === 'nan'
          ? NaN
          : special.startsWith('-')
            ? -Infinity
            : Infinity
        : Number(String(raw));
      return { kind: 'literal', span, type, value };
    }
    case 'long':
      checkRange(text, span);
      return {
        kind: 'literal',
        span,
        type,
        value: hexValue(text, 64n) ?? String(raw)
      };
    case 'decimal':
      return { kind: 'literal', span, type, value: String(raw) };
    case 'timespan':
      return {
        kind: 'literal',
        span,
        type,
        value:
          clockTicks(text) ?? (raw as System.TimeSpan).getTicks().toString()
      };
    case 'datetime':
      return {
        kind: 'literal',
        span,
        type,
        value: datetimeText(text, raw as Date)
      };
    case 'guid':
      return { kind: 'literal', span, type, value: String(raw) };
    default:
      return { kind: 'literal', span, type, value: String(raw) };
  }
}

/**
 * Refuses an integer literal whose digits are beyond a long, which the library reads as 0, rather
 * than guess its value (`-9223372036854775808`, long.MinValue, is read whole before this).
 */
function checkRange(text: string, span: ISpan): void {
  const digits = /^(?:(?:long|int)\(\s*)?([0-9]+)\s*\)?$/i.exec(text)?.[1];
  if (digits && BigInt(digits) > 9223372036854775807n) {
    throw new UnsupportedError(
      `the integer literal ${digits}, beyond a long's range`,
      span
    );
  }
}

/**
 * The 100-ns ticks of a timespan literal in clock form, `time([-][d.]hh:mm[:ss[.fffffff]])`, which
 * the library reads as 0; null for the other forms (`2d`, `time(1.5h)`).
 */
function clockTicks(text: string): string | null {
  const open = text.indexOf('(');
  const inner = open >= 0 ? text.slice(open + 1, text.lastIndexOf(')')) : text;
  const clock =
    /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*$/.exec(
      inner
    );
  if (!clock) {
    return null;
  }
  const [, minus, days, hours, minutes, seconds, fraction] = clock;
  const ticks =
    ((BigInt(days ?? 0) * 24n + BigInt(hours)) * 60n + BigInt(minutes)) *
      600000000n +
    BigInt(seconds ?? 0) * 10000000n +
    BigInt((fraction ?? '').padEnd(7, '0'));
  return String(minus ? -ticks : ticks);
}

/**
 * True when `text` matches `pattern`, where `*` stands for any run of characters. Matched in time
 * proportional to their lengths' product: the regular expression `^a.*b.*c$` backtracks
 * combinatorially in the number of stars when it fails.
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  // The last star seen and the text position its run currently ends at.
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}

/**
 * The ISO text of a datetime literal. The literal's own text keeps all 7 fractional digits; the
 * library's value (a JS Date) is used only for forms that are not ISO, such as RFC 822.
 */
function datetimeText(text: string, value: Date): string {
  // Cut by position: `^\w+\(\s*(.*?)\s*\)$` backtracks cubically on long runs of spaces.
  const open = text.indexOf('(');
  const inner =
    open > 0 && text.endsWith(')') && /^\w+$/.test(text.slice(0, open))
      ? text.slice(open + 1, -1).trim()
      : text;
  const iso =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?))?\s*(Z)?$/i.exec(
      inner
    );
  if (iso) {
    return `${iso[1]}T${iso[2] ?? '00:00:00'}`;
  }
  const ticks = (value as unknown as { ticks?: System.Int64 }).ticks;
  if (ticks) {
    const ms = Number(ticks.toString()) / 10000 - 62135596800000;
    return new Date(ms).toISOString().replace('Z', '');
  }
  return new Date(value).toISOString().replace('Z', '');
}

/** The JSON value of a `dynamic(...)` literal's body. */
/** A JSON number as JSON and KQL both write it. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The JSON text of a `dynamic(...)` literal. Numbers keep the digits the query wrote: a long
 * beyond 2^53, or beyond a long, would be rounded (or lost) on the way through a JS number.
 */
function jsonText(node: Syntax.Expression): string {
  switch (kindOf(node)) {
    case 'DynamicExpression':
      // `dynamic({'a': dynamic({…})})`: the inner value is JSON too, not its text.
      return jsonText((node as Syntax.DynamicExpression).Expression!);
    case 'JsonArrayExpression': {
      const values = (node as Syntax.JsonArrayExpression).Values!;
      const items: string[] = [];
      for (let i = 0; i < values.Count; i++) {
        items.push(jsonText(elementAt(values, i)!));
      }
      return `[${items.join(',')}]`;
    }
    case 'JsonObjectExpression': {
      const pairs = (node as Syntax.JsonObjectExpression).Pairs!;
      // A later duplicate key wins, in the place of the first, as in a JSON object.
      const members = new Map<string, string>();
      for (let i = 0; i < pairs.Count; i++) {
        const pair = elementAt(pairs, i)!;
        const key = pair.Name!.Text!.replace(/^(['"])(.*)\1$/s, '$2');
        members.set(key, jsonText(pair.Value!));
      }
      const entries = [...members].map(
        ([key, value]) => `${JSON.stringify(key)}:${value}`
      );
      return `{${entries.join(',')}}`;
    }
    case 'PrefixUnaryExpression': {
      const unary = node as Syntax.PrefixUnaryExpression;
      const value = jsonText(unary.Expression!);
      if (unary.Operator!.Text !== '-') {
        return value;
      }
      return JSON_NUMBER.test(value)
        ? value.startsWith('-')
          ? value.slice(1)
          : `-${value}`
        : JSON.stringify(-Number(value));
    }
    default: {
      const literalNode = node as Syntax.LiteralExpression;
      const value = literalNode.LiteralValueInfo?.Value as unknown;
      const type = typeOf(node);
      const text = textOf(node).trim();
      if (value === null || value === undefined || text === 'null') {
        return 'null';
      }
      if (
        type === 'long' ||
        type === 'int' ||
        type === 'real' ||
        type === 'decimal'
      ) {
        return JSON_NUMBER.test(text)
          ? text
          : JSON.stringify(Number(String(value)));
      }
      if (type === 'bool') {
        // The library's value is a boxed .NET bool: its JSON is the runtime's object.
        return /\btrue\b/i.test(text) ? 'true' : 'false';
      }
      if (type === 'datetime') {
        return JSON.stringify(datetimeText(text, value as Date));
      }
      if (type === 'timespan') {
        return JSON.stringify(String(value));
      }
      return JSON.stringify(value);
    }
  }
}
