/**
 * Dynamic values (JSON): arrays and property bags — `array_length`, `pack`, `bag_keys`, `array_slice`,
 * `array_concat`, `bag_merge`, `range`, JSON paths of member access.
 */
import type { Expr } from '../../ast';
import { UnsupportedError } from '../../diagnostics';
import { isNumeric } from '../../types';
import type { Emit, IScalarEmitter } from './emit';

/** The JSON path of an array index (a negative one counts from the end). */
export function arrayPath(index: number): string {
  return index < 0 ? `$[#${index}]` : `$[${index}]`;
}

const arrayLength: Emit = (call, ctx) => {
  const sql = ctx.as(call.args[0], 'dynamic');
  return `CASE WHEN ${ctx.fn('json_type', sql)} = 'ARRAY' THEN CAST(${ctx.fn('json_array_length', sql)} AS BIGINT) END`;
};

/** `range(start, stop, step)` of numbers: at most 1,048,576 elements, as Kusto caps it. */
export const rangeArray: Emit = (call, ctx) => {
  const [start, stop, step] = call.args;
  if (![start, stop].every(a => isNumeric(a.type))) {
    throw new UnsupportedError('range() of datetimes or timespans', call.span);
  }
  const type = call.args.some(a => a.type === 'real') ? 'real' : 'long';
  const [from, to] = [ctx.as(start, type), ctx.as(stop, type)];
  const by = step
    ? ctx.as(step, type)
    : ctx.literal(type, type === 'long' ? '1' : 1);
  // Stop at the cap before the series is built, not after.
  const last = `${from} + ${by} * 1048575`;
  const capped = `CASE WHEN ${by} > 0 THEN ${ctx.fn('least', to, last)} ELSE ${ctx.fn('greatest', to, last)} END`;
  return ctx.fn('to_json', ctx.fn('generate_series', from, capped, by));
};

const pack: Emit = (call, ctx) => {
  const parts: string[] = [];
  for (let i = 0; i + 1 < call.args.length; i += 2) {
    parts.push(
      `${ctx.str(call.args[i])}, ${ctx.as(call.args[i + 1], 'dynamic')}`
    );
  }
  return ctx.fn('json_object', ...parts);
};

const packArray: Emit = (call, ctx) =>
  ctx.fn('json_array', ...call.args.map(a => ctx.as(a, 'dynamic')));

/** The elements of a dynamic array as a list of text. */
function textElements(ctx: IScalarEmitter, array: Expr): string {
  return ctx.fn('json_extract_string', ctx.as(array, 'dynamic'), "'$[*]'");
}

const setHasElement: Emit = (call, ctx) => {
  const [array, value] = call.args;
  return ctx.fn(
    'coalesce',
    ctx.fn('list_contains', textElements(ctx, array), ctx.str(value)),
    'FALSE'
  );
};

const arrayIndexOf: Emit = (call, ctx) => {
  const [array, value] = call.args;
  if (call.args.length > 2) {
    throw new UnsupportedError(
      'array_index_of with start, length or occurrence',
      call.span
    );
  }
  const position = ctx.fn(
    'list_position',
    textElements(ctx, array),
    ctx.str(value)
  );
  return `CAST(${ctx.fn('coalesce', position, '0')} - 1 AS BIGINT)`;
};

const bagKeys: Emit = (call, ctx) => {
  const bag = ctx.as(call.args[0], 'dynamic');
  return `CASE WHEN ${ctx.fn('json_type', bag)} = 'OBJECT' THEN ${ctx.fn('to_json', ctx.fn('json_keys', bag))} END`;
};

/** A dynamic array as a DuckDB list of JSON values (null for anything else). */
export function jsonList(ctx: IScalarEmitter, e: Expr): string {
  const json = ctx.as(e, 'dynamic');
  return `CASE WHEN ${ctx.fn('json_type', json)} = 'ARRAY' THEN CAST(${json} AS ${ctx.ctx.dialect.listType(ctx.ctx.dialect.type('dynamic'))}) END`;
}

/** `array_slice(a, start, end)`: inclusive bounds, negative ones counted from the end. */
const arraySlice: Emit = (call, ctx) => {
  const [array, start, end] = call.args;
  const list = jsonList(ctx, array);
  const bound = (e: Expr) =>
    `CASE WHEN ${ctx.as(e, 'long')} < 0 THEN ${ctx.fn('len', list)} + ${ctx.as(e, 'long')} + 1 ELSE ${ctx.as(e, 'long')} + 1 END`;
  return ctx.fn(
    'to_json',
    ctx.fn(
      'list_slice',
      list,
      ctx.fn('greatest', bound(start), '1'),
      bound(end)
    )
  );
};

/** `bag_merge`: the first bag's value wins when several have a key. */
const bagMerge: Emit = (call, ctx) =>
  call.args
    .map(a => ctx.as(a, 'dynamic'))
    .reduce((merged, bag) => ctx.fn('json_merge_patch', bag, merged));

/** The entries of `FUNCTIONS` for this family, by KQL name. */
export const DYNAMIC_FUNCTIONS: Record<string, Emit> = {
  array_length: arrayLength,
  pack,
  bag_pack: pack,
  pack_array: packArray,
  bag_keys: bagKeys,
  set_has_element: setHasElement,
  array_index_of: arrayIndexOf,
  pack_dictionary: pack,
  extractjson: (call, ctx) => {
    const [path, text] = call.args;
    const json = ctx.ctx.dialect.parseJson(ctx.str(text), true);
    return call.type === 'string'
      ? ctx.fn(
          'coalesce',
          ctx.fn('json_extract_string', json, ctx.str(path)),
          "''"
        )
      : ctx.fn('json_extract', json, ctx.str(path));
  },
  range: rangeArray,
  array_slice: arraySlice,
  array_concat: (call, ctx) =>
    ctx.fn(
      'to_json',
      ctx.fn(
        'flatten',
        ctx.ctx.dialect.list(call.args.map(a => jsonList(ctx, a)))
      )
    ),
  array_reverse: (call, ctx) =>
    ctx.fn('to_json', ctx.fn('list_reverse', jsonList(ctx, call.args[0]))),
  array_sum: (call, ctx) =>
    ctx.fn(
      'list_sum',
      ctx.fn(
        'list_transform',
        jsonList(ctx, call.args[0]),
        `v -> TRY_CAST(${ctx.fn('json_extract_string', 'v', "'$'")} AS DOUBLE)`
      )
    ),
  // A null element is an empty string between delimiters.
  strcat_array: (call, ctx) => {
    const texts = ctx.fn(
      'list_transform',
      textElements(ctx, call.args[0]),
      `v -> ${ctx.fn('coalesce', 'v', "''")}`
    );
    return ctx.fn(
      'coalesce',
      ctx.fn('array_to_string', texts, ctx.str(call.args[1])),
      "''"
    );
  },
  bag_merge: bagMerge
};
