import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bumped when what is persisted of an analysis changes shape without the code that computes it
 * changing (the names or encoding of the derived rows).
 */
const DERIVED_FORMAT = 1;

/** From source: the packages whose code computes a snapshot's analysis and views. */
const SOURCE_ROOTS = ['packages/model/src', 'packages/collector/src', 'apps/server/src/analysis'];

/** The code that computes analyses: `.js` files of a build, `.ts` sources (not tests) otherwise. */
const isCode = (file: string): boolean =>
  file.endsWith('.js') || (file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'));

function filesUnder(dir: string, deep: boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (deep && entry.name !== 'node_modules') out.push(...filesUnder(path, deep));
    } else if (isCode(path)) out.push(path);
  }
  return out;
}

/**
 * A hash of every code file under `roots` (names relative to `base`, and contents; `deep`: in
 * subdirectories too): any change to the code, however small, gives another version, so derived
 * results it made are never served.
 */
export function hashCode(base: string, roots: readonly string[], deep = true): string {
  const hash = createHash('sha256').update(`derived-format ${DERIVED_FORMAT}\n`);
  const files = roots.flatMap((r) => filesUnder(join(base, r), deep)).sort();
  for (const file of files) {
    const body = readFileSync(file);
    hash.update(`${relative(base, file)}\0${body.byteLength}\0`).update(body);
  }
  return hash.digest('hex').slice(0, 32);
}

let version: string | undefined;

/**
 * The version of the analysis this server runs, keying what it persists of analyses (see
 * SnapshotStore.putDerived). Built, it is the hash of the build's JavaScript (apps/cli/dist/*.js:
 * the analysis worker and every chunk it loads); from source, the hash of the model's, collector's and
 * analysis's sources. Either changes whenever code that could change a result does.
 */
export function analysisVersion(): string {
  if (version !== undefined) return version;
  const here = dirname(fileURLToPath(import.meta.url));
  const built =
    !import.meta.url.endsWith('.ts') && statSync(join(here, 'analysisWorker.js'), { throwIfNoEntry: false });
  // A build is flat (apps/cli/scripts/build.ts): its chunks sit beside this one; the dashboard's files below do not count.
  version = built ? hashCode(here, ['.'], false) : hashCode(join(here, '../../../..'), SOURCE_ROOTS);
  return version;
}
