// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * Converts Kusto.Language's bound syntax tree into our AST (`../ast.ts`). Kusto's binder has
 * already resolved every name and computed every type and every operator's output columns; this
 * module reads those facts off the tree and keeps them, so the emitter never guesses a schema.
 * The conversion is split by family: `statements.ts`, `expressions.ts`, `literals.ts`,
 * `functions.ts` (user functions), `operators/*.ts`; `syntax.ts` reads facts off the nodes.
 * Valid KQL that the emitter cannot run is reported here as `UnsupportedError` with its span.
 */
import type { Expr, INamedExpr, IQuery, IRenderSpec, Tabular } from '../ast';
import { type ISpan, UnsupportedError } from '../diagnostics';
import type { RowSchema, ScalarType } from '../types';
import type { IConverter } from './converter';
import type { ICompilerSchema } from './kusto';
import {
  type Binding,
  describe,
  elementAt,
  isTabular,
  kindOf,
  type Node,
  passThrough,
  schemaOf,
  type Scope,
  type SeparatedList
} from './syntax';
import { parse } from './operators/parse';
import { extend, rename } from './operators/project';
import { datatable, externalData } from './operators/sources';
import { sortKey, sortKeys } from './operators/sort';
import { mvApply, mvExpand } from './operators/mv-expand';
import { makeSeries, summarize, topNested } from './operators/summarize';
import { renderOperator } from './operators/render';
import { evaluate } from './operators/evaluate';
import { join, lookup } from './operators/join';
import { search, union } from './operators/union';
import { condition, expr, named, namedList } from './expressions';
import { hoistTupleCalls } from './tuples';
import { expand, scalarExpansion, tabularCall } from './functions';
import { letStatement, queryParameters } from './statements';
import type { IConvertContext } from './operators/context';
import { convertFind } from './operators/find';
import { convertParseKv } from './operators/parse-kv';
import { convertPartition } from './operators/partition';
import { type Patterns, patternBody } from './operators/pattern';
import { convertScan } from './operators/scan';
import { searchCondition, testsAnyColumn, wildcard } from './operators/union';
import { subqueryOver } from './operators/mv-expand';
import { workspaceTableOf } from './workspaces';

import Syntax = Kusto.Language.Syntax;
import Symbols = Kusto.Language.Symbols;

export { outputSchemaSplices } from './operators/evaluate';

/** Converts the query of one analysed block (`KustoCode.Syntax`). */
export function convertQuery(root: Node, schema: ICompilerSchema): IQuery {
  return new Converter(schema).query(root);
}

class Converter implements IConverter {
  constructor(readonly schema: ICompilerSchema) {}

  row: RowSchema = [];
  readonly lets: { name: string; value: Tabular }[] = [];
  readonly bindings = new Map<string, Binding>();
  renderSpec: IRenderSpec | null = null;
  readonly expansionSpans: ISpan[] = [];
  readonly options = new Map<string, Expr>();
  /** Columns Kusto.Language adds that Kusto's engine does not return (see `hide`). */
  private readonly _hidden = new Set<string>();
  /** The patterns `declare pattern` statements define, by name. */
  private readonly _patterns: Patterns = new Map();

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
          scope = letStatement(this, statement as Syntax.LetStatement, scope);
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
        case 'SetOptionStatement': {
          const set = statement as Syntax.SetOptionStatement;
          const name = set.Name!.SimpleName!;
          const value = set.ValueClause?.Expression;
          // Only bin_auto's options change what a query computes; the others tune Kusto's engine.
          if (name.startsWith('query_bin_auto_') && value) {
            this.options.set(name, this.expr(value, scope));
          }
          break;
        }
        case 'QueryParametersStatement':
          scope = queryParameters(
            this,
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
    return { lets: this.lets, body, render: this.renderSpec };
  }

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
        const bound = scope.get(name) ?? this.bindings.get(name);
        if (bound?.kind === 'tabular') {
          return bound.value;
        }
        const symbol = node.ReferencedSymbol;
        if (symbol && symbol.Kind === Symbols.SymbolKind.Table) {
          return { kind: 'table', name: symbol.Name!, span, schema };
        }
        if (symbol && symbol.Kind === Symbols.SymbolKind.Function) {
          return expand(this, node, [], scope);
        }
        throw new UnsupportedError(`the tabular name '${name}'`, span);
      }
      case 'DataTableExpression':
        return datatable(this, node as Syntax.DataTableExpression, schema);
      case 'RangeOperator': {
        const range = node as Syntax.RangeOperator;
        return {
          kind: 'range',
          span,
          schema,
          from: expr(this, range.From!, scope),
          to: expr(this, range.To!, scope),
          step: expr(this, range.Step!, scope)
        };
      }
      case 'PrintOperator':
        return {
          kind: 'print',
          span,
          schema,
          columns: namedList(
            this,
            (node as Syntax.PrintOperator).Expressions,
            schema,
            scope
          )
        };
      case 'UnionOperator':
        return union(this, node as Syntax.UnionOperator, [], scope);
      case 'SearchOperator':
        return search(this, node as Syntax.SearchOperator, null, scope);
      case 'ExternalDataExpression':
        return externalData(
          this,
          node as Syntax.ExternalDataExpression,
          schema
        );
      case 'PathExpression':
      case 'ElementExpression':
      case 'FunctionCallExpression': {
        const relation = workspaceTableOf(node.ReferencedSymbol);
        if (relation) {
          return { kind: 'table', name: relation, span, schema };
        }
        const invoked = patternBody(node, this._patterns, span);
        if (invoked) {
          return this.tabular(invoked, scope);
        }
        if (kindOf(node) === 'FunctionCallExpression') {
          return tabularCall(
            this,
            node as Syntax.FunctionCallExpression,
            scope
          );
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

  operator(op: Syntax.QueryOperator, input: Tabular, scope: Scope): Tabular {
    const outer = this.row;
    this.row = input.schema;
    try {
      return this.operatorOn(op, input, scope);
    } finally {
      this.row = outer;
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
      case 'FilterOperator': {
        const test = (op as Syntax.FilterOperator).Condition!;
        return {
          kind: 'where',
          span,
          schema,
          input,
          predicate: testsAnyColumn(test)
            ? searchCondition(this, test, input.schema, scope)
            : condition(this, test, scope)
        };
      }
      case 'ExtendOperator':
        return extend(this, op as Syntax.ExtendOperator, input, schema, scope);
      case 'SerializeOperator':
        return extend(
          this,
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
          ...hoistTupleCalls(
            input,
            namedList(
              this,
              (op as Syntax.ProjectOperator).Expressions,
              schema,
              scope
            )
          )
        };
      // Kusto's binder resolves names, arrays, wildcards and column_names_of() to the columns.
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
      case 'ProjectByNamesOperator':
        return {
          kind: 'project',
          span,
          schema,
          input,
          columns: passThrough(schema, span)
        };
      case 'ProjectRenameOperator':
        return rename(
          this,
          op as Syntax.ProjectRenameOperator,
          input,
          schema,
          span
        );
      case 'SummarizeOperator':
        return summarize(
          this,
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
            : namedList(this, distinct.Expressions, schema, scope)
        };
      }
      case 'SortOperator':
        return {
          kind: 'sort',
          span,
          schema,
          input,
          keys: sortKeys(this, (op as Syntax.SortOperator).Expressions!, scope)
        };
      case 'TakeOperator':
        return {
          kind: 'take',
          span,
          schema,
          input,
          count: expr(this, (op as Syntax.TakeOperator).Expression!, scope),
          keys: []
        };
      case 'TopOperator': {
        const top = op as Syntax.TopOperator;
        return {
          kind: 'take',
          span,
          schema,
          input,
          count: expr(this, top.Expression!, scope),
          keys: [sortKey(this, top.ByExpression!, scope)]
        };
      }
      case 'SampleOperator':
        return {
          kind: 'sample',
          span,
          schema,
          input,
          count: expr(this, (op as Syntax.SampleOperator).Expression!, scope)
        };
      case 'CountOperator':
        if ((op as Syntax.CountOperator).AsIdentifier) {
          throw new UnsupportedError('count as', span);
        }
        return { kind: 'count', span, schema, input };
      case 'JoinOperator':
        return join(this, op as Syntax.JoinOperator, input, schema, scope);
      case 'LookupOperator':
        return lookup(this, op as Syntax.LookupOperator, input, schema, scope);
      case 'UnionOperator':
        return union(this, op as Syntax.UnionOperator, [input], scope);
      case 'MvExpandOperator':
        return mvExpand(
          this,
          op as Syntax.MvExpandOperator,
          input,
          schema,
          scope
        );
      case 'ParseOperator':
      case 'ParseWhereOperator':
        return parse(this, op as Syntax.ParseOperator, input, schema, scope);
      case 'RenderOperator':
        this.renderSpec = renderOperator(this, op as Syntax.RenderOperator);
        return input;
      case 'AsOperator':
        // `as Name` names the rows so far for the rest of the query (`toscalar(Name | …)`).
        this.bindings.set((op as Syntax.AsOperator).Name!.SimpleName!, {
          kind: 'tabular',
          value: input
        });
        return input;
      case 'EvaluateOperator':
        return evaluate(
          this,
          op as Syntax.EvaluateOperator,
          input,
          schema,
          scope
        );
      case 'InvokeOperator':
        return expand(
          this,
          (op as Syntax.InvokeOperator).Function!,
          [input],
          scope
        );
      case 'SearchOperator':
        return search(this, op as Syntax.SearchOperator, input, scope);
      case 'GetSchemaOperator':
        return { kind: 'getschema', span, schema, input };
      case 'MakeSeriesOperator':
        return makeSeries(
          this,
          op as Syntax.MakeSeriesOperator,
          input,
          schema,
          scope
        );
      case 'MvApplyOperator':
        return mvApply(
          this,
          op as Syntax.MvApplyOperator,
          input,
          schema,
          scope
        );
      case 'TopNestedOperator':
        return topNested(
          this,
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

  context(scope: Scope): IConvertContext {
    return {
      expr: (node, names) => {
        const inner = new Map(scope);
        names?.forEach((value, name) =>
          inner.set(name, { kind: 'scalar', expr: value })
        );
        return expr(this, node, inner);
      },
      named: node => named(this, node, scope),
      sortKey: node => sortKey(this, node, scope),
      tabular: node => this.tabular(node, scope),
      subqueryOver: (node, rows) => subqueryOver(this, node, rows, scope),
      tables: pattern => wildcard(this, pattern),
      searchCondition: (node, columns) =>
        searchCondition(this, node, columns, scope),
      span: node => this.span(node),
      hide: name => this._hidden.add(name)
    };
  }

  /** The span of an operator together with the rows it reads, `T | where …` as a whole. */
  spanFrom(input: Tabular, op: Syntax.SyntaxElement): ISpan {
    return { start: input.span.start, end: this.span(op).end };
  }

  /** The span of a node; inside an expansion, the span of the call being expanded. */
  span(node: Syntax.SyntaxElement): ISpan {
    const outer = this.expansionSpans[this.expansionSpans.length - 1];
    return outer ?? { start: node.TextStart, end: node.End };
  }

  expr(node: Syntax.Expression, scope: Scope): Expr {
    return expr(this, node, scope);
  }

  letStatement(statement: Syntax.LetStatement, scope: Scope): Scope {
    return letStatement(this, statement, scope);
  }

  named(node: Syntax.Expression, scope: Scope): INamedExpr[] {
    return named(this, node, scope);
  }

  namedList(
    list: SeparatedList<Syntax.Expression> | null,
    schema: RowSchema,
    scope: Scope
  ): INamedExpr[] {
    return namedList(this, list, schema, scope);
  }

  scalarExpansion(
    node: Syntax.FunctionCallExpression,
    scope: Scope,
    type: ScalarType,
    span: ISpan
  ): Expr {
    return scalarExpansion(this, node, scope, type, span);
  }
}
