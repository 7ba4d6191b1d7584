import { fileURLToPath } from 'node:url';
import type { CollectCommand, QuickCommands } from './cachedCommands.ts';
import { requireCached } from './codeCache.ts';
import { tuneForOneShot } from './shortLived.ts';

const load = (file: string): unknown => requireCached(fileURLToPath(new URL(file, import.meta.url)));

/** cachedCommands.ts as built: `findings` and `trace` from dist/quick.cjs, through V8's code cache. */
export function quickCommands(): Promise<QuickCommands> {
  return Promise.resolve(load('./quick.cjs') as QuickCommands);
}

/**
 * cachedCommands.ts as built: `lab` from dist/lab.cjs, through V8's code cache; `lab list` alone
 * prints the list made at build (labList.ts) without loading the lab.
 */
export async function labCommand(args: readonly string[]): Promise<(args: string[]) => Promise<void>> {
  if (args.length === 1 && args[0] === 'list') {
    // A chunk of its own: a watch build (which bundles the real labList.ts) keeps the lab out of hoplens.js.
    const { labList } = await import('./labList.ts');
    return () => {
      process.stdout.write(labList());
      return Promise.resolve();
    };
  }
  return (load('./lab.cjs') as { lab: (args: string[]) => Promise<void> }).lab;
}

/** cachedCommands.ts as built: `collect` from dist/collect.cjs, through V8's code cache. */
export function collectCommand(): Promise<CollectCommand> {
  // V8 refuses a cache made under other flags: `collect` sets its own (shortLived.ts), so it does
  // before its file is compiled, and the cache it writes at exit fits the next run's.
  tuneForOneShot();
  return Promise.resolve((load('./collect.cjs') as { collect: CollectCommand }).collect);
}
