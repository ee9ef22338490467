/**
 * Property tests of the compiler's robustness: for any text — random strings and real hunting
 * queries cut, spliced and duplicated at random — `compile` and `syntax` return diagnostics instead
 * of throwing, every diagnostic lies within the text (1-based lines and columns), and no single
 * compilation takes long (a hang detector, not a speed target).
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';

import {
  compilerSchema,
  type IKqlCompiler,
  type IKqlDiagnostic,
  loadCompiler
} from '..';

const CORPUS = path.resolve(
  __dirname,
  '../../../../shared/corpus/sentinel_queries.jsonl'
);

const queries: string[] = fs
  .readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter(line => line.trim())
  .map(line => (JSON.parse(line) as { query: string }).query);

const SCHEMA = compilerSchema([
  {
    name: 'SecurityEvent',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Account', type: 'string' },
      { name: 'EventID', type: 'int' },
      { name: 'Computer', type: 'string' }
    ]
  },
  {
    name: 'SigninLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'IPAddress', type: 'string' },
      { name: 'LocationDetails', type: 'dynamic' }
    ]
  }
]);

let compiler: IKqlCompiler;
let slowest = 0;

beforeAll(async () => {
  compiler = await loadCompiler();
}, 60000);

afterAll(() => {
  process.stdout.write(`fuzz: slowest compile ${slowest.toFixed(0)} ms\n`);
});

/** Lines of a text, the way diagnostics count them (split at \n). */
function lineLengths(text: string): number[] {
  return text.split('\n').map(l => l.length);
}

function checkDiagnostics(text: string, diagnostics: IKqlDiagnostic[]): void {
  expect(Array.isArray(diagnostics)).toBe(true);
  const lines = lineLengths(text);
  for (const d of diagnostics) {
    expect(typeof d.message).toBe('string');
    expect(d.start).toBeGreaterThanOrEqual(0);
    expect(d.end).toBeGreaterThanOrEqual(d.start);
    expect(d.end).toBeLessThanOrEqual(text.length);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines.length);
    expect(d.column).toBeGreaterThanOrEqual(1);
    // A column may point just past the end of its line (a missing token at the end).
    expect(d.column).toBeLessThanOrEqual(lines[d.line - 1] + 1);
    expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    expect(d.endLine).toBeLessThanOrEqual(lines.length);
    expect(['syntax', 'semantic', 'unsupported']).toContain(d.stage);
  }
}

/** Compiles and checks one text; throws (failing the property) on any broken promise. */
function survive(text: string): void {
  const started = performance.now();
  const result = compiler.compile(text, SCHEMA, {
    now: new Date('2024-01-15T12:00:00Z')
  });
  const syntax = compiler.syntax(text);
  const elapsed = performance.now() - started;
  // Printed, not asserted: a hang fails the test by its timeout, and speed is the benchmarks'.
  slowest = Math.max(slowest, elapsed);
  checkDiagnostics(text, result.diagnostics);
  checkDiagnostics(text, syntax);
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  // Either SQL or an error that says why not.
  expect(result.sql === null).toBe(errors.length > 0);
  expect(result.diagnostics.every(d => d.code !== 'KQL-INTERNAL')).toBe(true);
}

/** Real queries with random slices deleted, duplicated or spliced from another query. */
const mutated = fc
  .tuple(
    fc.integer({ min: 0, max: queries.length - 1 }),
    fc.integer({ min: 0, max: queries.length - 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom('delete', 'duplicate', 'splice', 'insert'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.string({ maxLength: 8 })
      ),
      { minLength: 1, maxLength: 4 }
    )
  )
  .map(([i, j, edits]) => {
    let text = queries[i];
    const other = queries[j];
    for (const [edit, a, b, noise] of edits) {
      const from = Math.floor(Math.min(a, b) * text.length);
      const to = Math.floor(Math.max(a, b) * text.length);
      switch (edit) {
        case 'delete':
          text = text.slice(0, from) + text.slice(to);
          break;
        case 'duplicate':
          text = text.slice(0, to) + text.slice(from, to) + text.slice(to);
          break;
        case 'splice': {
          const o = Math.floor(a * other.length);
          text =
            text.slice(0, from) +
            other.slice(o, o + (to - from) + 1) +
            text.slice(to);
          break;
        }
        case 'insert':
          text = text.slice(0, from) + noise + text.slice(from);
          break;
      }
    }
    return text;
  });

/** Fragments of KQL syntax put together at random. */
const kqlish = fc
  .array(
    fc.constantFrom(
      'print',
      'datatable(a:long)[1,2]',
      '|',
      'where',
      'extend',
      'summarize',
      'by',
      'join',
      'kind=inner',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ',',
      ';',
      'let',
      'x',
      '=',
      '==',
      'has',
      '"s"',
      "'",
      '"',
      '@"',
      '1',
      '1.5',
      '1h',
      'datetime(2024-01-01)',
      'dynamic([1])',
      'count()',
      'arg_max(',
      '*',
      'mv-expand',
      'parse',
      'with',
      '\n',
      '//',
      ' ',
      'SecurityEvent',
      'SigninLogs',
      'TimeGenerated',
      'ago(1d)',
      '$left.',
      'on',
      'range',
      'from',
      'to',
      'step',
      '..',
      'toscalar(',
      'materialize(',
      'union',
      'render',
      'timechart'
    ),
    { maxLength: 30 }
  )
  .map(parts => parts.join(' '));

describe('the compiler never throws and never hangs', () => {
  it('on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), text => survive(text)),
      { numRuns: 200 }
    );
  });

  it('on any unicode text with newlines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 20 }),
            fc.constant('\n')
          ),
          { maxLength: 10 }
        ),
        parts => survive(parts.join(''))
      ),
      { numRuns: 150 }
    );
  });

  it('on KQL-like token soup', () => {
    fc.assert(
      fc.property(kqlish, text => survive(text)),
      { numRuns: 400 }
    );
  });

  it('on real hunting queries mutated at random', () => {
    fc.assert(
      fc.property(mutated, text => survive(text)),
      { numRuns: 200 }
    );
  });

  it('on every corpus query truncated at a random point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: queries.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, cut) =>
          survive(queries[i].slice(0, Math.floor(cut * queries[i].length)))
      ),
      { numRuns: 200 }
    );
  });
});
