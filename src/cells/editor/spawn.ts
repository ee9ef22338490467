/**
 * Starts the KQL language service's Web Worker. Alone in its module because `import.meta` is how
 * the bundler finds the worker's script, and jest cannot compile it.
 */

/** A new worker running `worker.ts`; throws where workers cannot be made. */
export function spawnLanguageWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), {
    name: 'jupyterlab-sentinel-kql-language-service'
  });
}
