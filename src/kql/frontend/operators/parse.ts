// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `parse` and `parse-where` (simple and regex kinds).
 */
import type { ParsePart, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import type { IConverter } from '../converter';
import { describe, kindOf, parameter, type Scope } from '../syntax';

import Syntax = Kusto.Language.Syntax;

/** `parse` and `parse-where`: the pattern's literals and captures, `kind=` and `flags=`. */
export function parse(
  cx: IConverter,
  op: Syntax.ParseOperator | Syntax.ParseWhereOperator,
  input: Tabular,
  schema: RowSchema,
  scope: Scope
): Tabular {
  const span = cx.spanFrom(input, op);
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
  const capture = (name: string): ParsePart => {
    if (input.schema.some(c => c.name === name)) {
      // Kusto's binder keeps the input's column and adds the capture under the same name (the
      // next operator sees `name1`); which value the name then holds is not documented.
      throw new UnsupportedError(
        `parse into a column its input already has ('${name}')`,
        span
      );
    }
    return {
      kind: 'capture',
      name,
      type: schema.find(c => c.name === name)?.type ?? 'string'
    };
  };
  for (let i = 0; i < patterns.Count; i++) {
    const pattern = patterns.getItem(i) as Syntax.SyntaxNode;
    switch (kindOf(pattern)) {
      case 'StarExpression':
        parts.push({ kind: 'skip' });
        break;
      case 'NameDeclaration': {
        parts.push(capture((pattern as Syntax.NameDeclaration).SimpleName!));
        break;
      }
      case 'NameAndTypeDeclaration': {
        parts.push(
          capture((pattern as Syntax.NameAndTypeDeclaration).Name!.SimpleName!)
        );
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
          cx.span(pattern)
        );
    }
  }
  return {
    kind: 'parse',
    span,
    schema,
    input,
    source: cx.expr(op.Expression!, scope),
    parts,
    flags,
    mode: kind,
    filter: kindOf(op) === 'ParseWhereOperator'
  };
}
