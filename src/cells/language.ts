/**
 * KQL highlighting for CodeMirror 6: a stream tokenizer for Kusto's keywords, tabular operators,
 * types, strings (including verbatim `@"…"` and multi-line ``` strings), comments, numbers with
 * timespan units, and operators, registered with JupyterLab's editor language registry under
 * `text/x-kusto` so any editor — a KQL cell, a `.kql` file — can use it.
 */
import type { IEditorLanguage } from '@jupyterlab/codemirror';
import type { StreamParser, StringStream } from '@codemirror/language';

/** The MIME type of KQL text; a KQL cell's editor model carries it. */
export const KQL_MIME = 'text/x-kusto';

const TABULAR_OPERATORS = [
  'as',
  'consume',
  'count',
  'datatable',
  'distinct',
  'evaluate',
  'extend',
  'externaldata',
  'facet',
  'find',
  'fork',
  'getschema',
  'invoke',
  'join',
  'limit',
  'lookup',
  'make-series',
  'materialize',
  'mv-apply',
  'mv-expand',
  'order',
  'parse',
  'parse-where',
  'parse-kv',
  'partition',
  'print',
  'project',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'range',
  'reduce',
  'render',
  'sample',
  'sample-distinct',
  'scan',
  'search',
  'serialize',
  'sort',
  'summarize',
  'take',
  'top',
  'top-hitters',
  'top-nested',
  'union',
  'where',
  'filter'
];

const KEYWORDS = [
  'let',
  'set',
  'declare',
  'query_parameters',
  'by',
  'on',
  'kind',
  'with',
  'withsource',
  'inner',
  'outer',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
  'innerunique',
  'anti',
  'semi',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'and',
  'or',
  'not',
  'in',
  'has',
  'contains',
  'startswith',
  'endswith',
  'matches',
  'regex',
  'between',
  'has_any',
  'has_all',
  'has_cs',
  'contains_cs',
  'startswith_cs',
  'endswith_cs',
  'hasprefix',
  'hassuffix',
  'to',
  'step',
  'from',
  'of',
  'bagexpansion',
  'with_itemindex',
  'isfuzzy',
  'hint.strategy',
  'hint.shufflekey',
  'typeof',
  'timechart',
  'barchart',
  'columnchart',
  'piechart',
  'scatterchart',
  'areachart',
  'linechart',
  'table'
];

const TYPES = [
  'bool',
  'boolean',
  'datetime',
  'date',
  'dynamic',
  'guid',
  'uuid',
  'uniqueid',
  'int',
  'long',
  'real',
  'double',
  'string',
  'timespan',
  'time',
  'decimal'
];

const ATOMS = ['true', 'false', 'null'];

const WORDS = new Map<string, string>([
  ...TABULAR_OPERATORS.map(w => [w, 'keyword'] as [string, string]),
  ...KEYWORDS.map(w => [w, 'keyword'] as [string, string]),
  ...TYPES.map(w => [w, 'typeName'] as [string, string]),
  ...ATOMS.map(w => [w, 'atom'] as [string, string])
]);

/** Tokenizer state: inside a multi-line ``` string or not. */
interface IKqlState {
  inMultiline: boolean;
}

function quoted(stream: StringStream, quote: string, verbatim: boolean): void {
  // Verbatim strings (`@"…"`) have no escapes: a doubled quote is the quote.
  while (!stream.eol()) {
    const ch = stream.next();
    if (!verbatim && ch === '\\') {
      stream.next();
    } else if (ch === quote) {
      if (verbatim && stream.peek() === quote) {
        stream.next();
        continue;
      }
      return;
    }
  }
}

/** The KQL stream parser, for `StreamLanguage.define`. */
export const kqlStreamParser: StreamParser<IKqlState> = {
  name: 'kusto',
  startState: () => ({ inMultiline: false }),
  token(stream, state) {
    if (state.inMultiline) {
      if (stream.skipTo('```')) {
        stream.match('```');
        state.inMultiline = false;
      } else {
        stream.skipToEnd();
      }
      return 'string';
    }
    if (stream.eatSpace()) {
      return null;
    }
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('```')) {
      state.inMultiline = true;
      return 'string';
    }
    const ch = stream.peek() ?? '';
    if (/[@hH]/.test(ch) && stream.match(/^[@hH]@?["']/, false)) {
      // Verbatim (@"…") and obfuscated (h"…") string literals.
      const prefix = stream.match(/^[hH]?@?/) as RegExpMatchArray;
      const quote = stream.next() ?? '"';
      quoted(stream, quote, prefix[0].includes('@'));
      return 'string';
    }
    if (ch === '"' || ch === "'") {
      stream.next();
      quoted(stream, ch, false);
      return 'string';
    }
    if (
      stream.match(
        /^(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?:d|h|m|s|ms|microseconds?|ticks|days?|hours?|minutes?|seconds?|milliseconds?|tick)?\b/i
      )
    ) {
      return 'number';
    }
    if (stream.match(/^[A-Za-z_][\w]*(?:-[a-z]+)*(?:\.[a-z]+)?/)) {
      const word = stream.current();
      const kind = WORDS.get(word) ?? WORDS.get(word.toLowerCase());
      if (kind) {
        return kind;
      }
      // A hyphenated operator name that is not one is a name, a minus and a name: back off.
      const dash = word.indexOf('-');
      if (dash > 0) {
        stream.backUp(word.length - dash);
      }
      return stream.match(/^\s*\(/, false)
        ? 'variableName.function'
        : 'variableName';
    }
    if (stream.match(/^(?:==|!=|<>|<=|>=|=~|!~|=>|\.\.|[|=<>+\-*/%!])/)) {
      return 'operator';
    }
    stream.next();
    return null;
  },
  languageData: {
    commentTokens: { line: '//' }
  }
};

/** The KQL entry for JupyterLab's editor language registry. */
export const kqlLanguage: IEditorLanguage = {
  name: 'Kusto',
  displayName: 'KQL',
  alias: ['kql', 'kusto'],
  mime: KQL_MIME,
  extensions: ['kql', 'csl'],
  load: async () => {
    const { LanguageSupport, StreamLanguage } =
      await import('@codemirror/language');
    return new LanguageSupport(StreamLanguage.define(kqlStreamParser));
  }
};
