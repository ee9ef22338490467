/**
 * Kusto's regular expressions (.NET's dialect) as RE2 patterns, DuckDB's engine. What RE2 can say
 * differently is rewritten: `\d`, `\w` and `\s` match Unicode as .NET's do, `(?<name>…)` is RE2's
 * `(?P<name>…)`. What RE2 cannot run at all (lookarounds, backreferences, atomic groups,
 * conditionals) is refused with its name rather than left to fail or to match differently.
 */
import { type ISpan, UnsupportedError } from '../diagnostics';

/** .NET's classes: `\d` any Unicode decimal digit, `\w` letters, marks, digits and connectors, `\s` Unicode spaces. */
const CLASS_BODY: Record<string, string> = {
  d: '\\p{Nd}',
  w: '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}',
  s: '\\t\\n\\x0B\\f\\r\\x85\\p{Z}'
};

/** The constructs RE2 lacks, by the text that opens them. */
const REFUSED: [RegExp, string][] = [
  [/^\(\?<?[=!]/, 'lookarounds'],
  [/^\(\?>/, 'atomic groups'],
  [/^\(\?\(/, 'conditional groups'],
  [/^\\[1-9]/, 'backreferences'],
  [/^\\k[<'{]/, 'backreferences']
];

/** Options for {@link translateRegex}. */
export interface IRegexOptions {
  /**
   * Capturing groups become non-capturing, except the group of this number (1-based), which
   * becomes group 1; 0 makes every group non-capturing. Undefined keeps the groups.
   */
  keepGroup?: number;
}

/** Translates a .NET regular expression to RE2, or refuses it (`span` is where it was written). */
export function translateRegex(
  pattern: string,
  span: ISpan,
  options: IRegexOptions = {}
): string {
  let out = '';
  let inClass = false;
  let group = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const rest = pattern.slice(i, i + 4);
    if (!inClass) {
      const refused = REFUSED.find(([re]) => re.test(rest));
      if (refused) {
        throw new UnsupportedError(
          `regular expressions with ${refused[1]}`,
          span,
          'RE2, the local engine, has none'
        );
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1];
      i++;
      const body = CLASS_BODY[next.toLowerCase()];
      if (body) {
        const negated = next !== next.toLowerCase();
        if (!inClass) {
          out += `[${negated ? '^' : ''}${body}]`;
        } else if (!negated) {
          out += body;
        } else {
          // A negated class inside a class ([\W.]) has no RE2 spelling with .NET's meaning.
          out += `\\${next}`;
        }
      } else {
        out += `\\${next}`;
      }
      continue;
    }
    if (inClass) {
      if (c === ']' && !out.endsWith('[') && !out.endsWith('[^')) {
        inClass = false;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === '(') {
      const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(
        pattern.slice(i)
      );
      if (pattern[i + 1] !== '?' || named) {
        group++;
        const open =
          options.keepGroup === undefined
            ? named
              ? `(?P<${named[1] ?? named[2]}>`
              : '('
            : group === options.keepGroup
              ? '('
              : '(?:';
        out += open;
        i += named ? named[0].length - 1 : 0;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The number of capturing groups of a .NET regular expression. */
export function groupCount(pattern: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (
      c === '(' &&
      (pattern[i + 1] !== '?' || /^\(\?(P?<\w|')/.test(pattern.slice(i)))
    ) {
      count++;
    }
  }
  return count;
}
