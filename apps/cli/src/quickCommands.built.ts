import { fileURLToPath } from 'node:url';
import { requireCached } from './codeCache.ts';
import type { QuickCommands } from './quickCommands.ts';

/** quickCommands.ts as built: `findings` and `trace` from dist/quick.cjs, through V8's code cache. */
export function quickCommands(): Promise<QuickCommands> {
  return Promise.resolve(requireCached(fileURLToPath(new URL('./quick.cjs', import.meta.url))) as QuickCommands);
}
