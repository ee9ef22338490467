/**
 * How computed rows compare with the rows Kusto's documentation prints: values in one canonical
 * form (datetimes to the microsecond, timespans, numbers, JSON), reals to 6 significant digits,
 * rows in order or as multisets. Shared by the compiler's tests on DuckDB and `kql doc-cases` on
 * Spark, so that both engines are measured by the same rules.
 */
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A value in one canonical form, so that documented and computed values compare. */
export function canonical(value: unknown): unknown {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (typeof value === 'string') {
    const text = value;
    if (DATETIME.test(text) || DATE_ONLY.test(text)) {
      const [date, time = '00:00:00'] = text.replace('Z', '').split(/[T ]/);
      const [clock, fraction = ''] = time.split('.');
      const full = clock.length === 5 ? `${clock}:00` : clock;
      // Local workspaces keep datetimes to the microsecond (DuckDB); Kusto keeps 100-ns ticks.
      return `dt:${date}T${full}.${fraction.padEnd(6, '0').slice(0, 6)}`;
    }
    if (text === '∞' || text === '-∞') {
      return text === '∞' ? 'Infinity' : '-Infinity';
    }
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) {
      return Number(text);
    }
    if (/^(true|false)$/i.test(text)) {
      return text.toLowerCase() === 'true';
    }
    if (/^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) {
      return `ts:${text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
    }
    if (/^[[{]/.test(text)) {
      try {
        return canonical(JSON.parse(text));
      } catch {
        return text;
      }
    }
    return text;
  }
  if (typeof value === 'bigint') {
    // The documentation's JSON numbers are read as numbers too.
    return Number(value);
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  }
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)])
    );
  }
  return value;
}

/** True when two canonical values are equal (reals to 6 significant digits). */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    // The documentation prints reals rounded, often to 6 or 7 significant digits.
    return (
      a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b))
    );
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(k =>
        same(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k]
        )
      )
    );
  }
  return a === b;
}

/** Compares rows, in order or as multisets. */
export function sameRows(
  actual: unknown[][],
  expected: unknown[][],
  ordered: boolean
): boolean {
  const a = actual.map(r => r.map(canonical));
  const e = expected.map(r => r.map(canonical));
  if (a.length !== e.length) {
    return false;
  }
  if (ordered) {
    return a.every((row, i) => same(row, e[i]));
  }
  const left = [...e];
  return a.every(row => {
    const at = left.findIndex(other => same(row, other));
    if (at < 0) {
      return false;
    }
    left.splice(at, 1);
    return true;
  });
}
