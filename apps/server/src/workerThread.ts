import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `entry`: the built .js as it is, or the TypeScript source (tests, `tsx`)
 * with tsx's loader registered in the worker before the entry is imported.
 */
export function workerThread(entry: URL, options: Omit<WorkerOptions, 'eval'>): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
