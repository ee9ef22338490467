/**
 * User Timing measures of the way from running a KQL cell to its rows on screen and in the
 * kernel, all named `sentinel-…`: the latency benchmark (`benchmarks/bench_latency.py`) reads
 * them from the page. Environments without User Timing (jsdom in the unit tests) skip them.
 */
export function measureSince(
  name: string,
  start: number,
  detail?: Record<string, unknown>
): void {
  performance.measure?.(name, { start, end: performance.now(), detail });
}
