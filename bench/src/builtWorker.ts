import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** Packages with native code: loaded from where the workspace installed them, never bundled. */
const NATIVE = new Set(['better-sqlite3']);

/**
 * Bundles a worker script the way apps/cli's build bundles the server (esbuild, no `keepNames`)
 * and returns the bundle's path. Under tsx every function expression is wrapped in `__name()`, which
 * the tracer's per-hop closures pay for at each call: at 5,000 nodes it added ~1.2 s of CPU to the
 * rules (10% of the analysis) that the built server never spends.
 */
export async function builtWorker(script: string): Promise<string> {
  const entry = fileURLToPath(new URL(`./workers/${script}`, import.meta.url));
  const outfile = join(mkdtempSync(join(tmpdir(), 'hoplens-bench-')), script.replace(/\.ts$/, '.mjs'));
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    minifySyntax: true,
    logLevel: 'error',
    // Bundled CommonJS (Fastify, pg) calls require() for Node's own modules.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'native-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (!NATIVE.has(args.path)) return undefined;
            return { path: createRequire(join(dirname(args.importer), 'x.js')).resolve(args.path), external: true };
          });
        },
      },
    ],
  });
  return outfile;
}
