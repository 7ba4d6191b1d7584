import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Netns tests need root. Where they cannot run they skip locally and fail in CI, which must run them.
 */
export function canBuildNetns(): boolean {
  const root = isRoot();
  if (!root && process.env.CI) throw new Error('netns tests must run in CI: run them as root (CAP_NET_ADMIN)');
  return root;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'fixtures']);

/** Test files under `dirs` that build namespaces (they ask canBuildNetns), relative to `root`, sorted. */
export function netnsSuites(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(path);
      } else if (/\.test\.tsx?$/.test(e.name) && readFileSync(path, 'utf8').includes('canBuildNetns()')) {
        out.push(relative(root, path));
      }
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

/**
 * Said once before a test run: as a non-root user the netns suites cannot run. In CI that fails the run,
 * naming them; elsewhere they skip, and the run says which, loudly, rather than passing quietly.
 */
export function announceNetnsSkips(suites: readonly string[], env: { readonly CI?: string | undefined }): void {
  if (isRoot() || suites.length === 0) return;
  const list = suites.map((s) => `  - ${s}`).join('\n');
  if (env.CI) throw new Error(`CI must run the netns suites as root (CAP_NET_ADMIN); they would skip:\n${list}`);
  console.warn(
    `\n⚠ not root: ${suites.length} netns suites SKIP (CI runs them as root and fails otherwise):\n${list}\n`,
  );
}
