// The global typings of Kusto.Language: the library defines its namespaces on the global object.
/// <reference types="@kusto/language-service-next" />
/**
 * `parse-kv Expression as (key:type, …) with (…)`: the keys to extract and how pairs are found.
 */
import type { IParseKv, ParseKvMode, Tabular } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import type { RowSchema } from '../../types';
import { elementAt } from '../syntax';
import { type IConvertContext, literalValue } from './context';

import Syntax = Kusto.Language.Syntax;

/** Converts one `parse-kv` applied to `input`; `schema` is its output, as Kusto's binder gave it. */
export function convertParseKv(
  ctx: IConvertContext,
  op: Syntax.ParseKvOperator,
  input: Tabular,
  schema: RowSchema
): IParseKv {
  const span = { start: input.span.start, end: ctx.span(op).end };
  const keys: IParseKv['keys'] = [];
  const columns = op.Keys!.Columns!;
  for (let i = 0; i < columns.Count; i++) {
    const name = elementAt(columns, i)!.Name!.SimpleName!;
    keys.push({
      name,
      type: schema.find(c => c.name === name)?.type ?? 'string'
    });
  }
  const options = new Map<string, (string | boolean)[]>();
  const list = op.WithClause?.Properties;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const property = elementAt(list!, i)!;
    const name = property.Name!.SimpleName!.toLowerCase();
    const value = literalValue(property.Expression!);
    if (typeof value !== 'string' && typeof value !== 'boolean') {
      throw new UnsupportedError(
        `parse-kv ${name}= that is not a literal`,
        ctx.span(property)
      );
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  const text = (name: string): string[] =>
    (options.get(name) ?? []).filter((v): v is string => typeof v === 'string');
  let mode: ParseKvMode;
  const [regex] = text('regex');
  if (regex !== undefined) {
    mode = { kind: 'regex', pattern: regex };
  } else {
    const [pair = ''] = text('pair_delimiter');
    const [kv = ''] = text('kv_delimiter');
    const delimited =
      options.has('pair_delimiter') || options.has('kv_delimiter');
    if (delimited && (pair.length !== 1 || kv.length !== 1)) {
      // Single characters are what the local matcher can exclude from keys and values.
      throw new UnsupportedError(
        'parse-kv with a delimiter that is not one character',
        span
      );
    }
    const quotes = text('quote').map((q): [string, string] => {
      if (q.length !== 1 && q.length !== 2) {
        throw new UnsupportedError(`parse-kv quote='${q}'`, span);
      }
      return [q[0], q[q.length - 1]];
    });
    const escapes = text('escape');
    if (escapes.some(e => e.length !== 1)) {
      throw new UnsupportedError('parse-kv escape of several characters', span);
    }
    mode = {
      kind: delimited ? 'delimiters' : 'words',
      pair,
      kv,
      quotes,
      escapes,
      greedy: options.get('greedy')?.includes(true) ?? false
    };
    if (mode.greedy && !delimited) {
      throw new UnsupportedError(
        'parse-kv greedy=true without delimiters',
        span
      );
    }
  }
  return {
    kind: 'parse-kv',
    span,
    schema,
    input,
    source: ctx.expr(op.Expression!),
    keys,
    mode
  };
}
