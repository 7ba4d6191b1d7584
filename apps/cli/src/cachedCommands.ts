import type { EarlyCollect } from './startCollectHelper.ts';

/** The `findings` and `trace` commands. */
export interface QuickCommands {
  readonly findings: (args: string[]) => Promise<void>;
  readonly trace: (args: string[]) => Promise<void>;
}

/** The `collect` command, given what the entry did for it first (see startCollectHelper). */
export type CollectCommand = (args: string[], early?: EarlyCollect) => Promise<void>;

/**
 * Loads `findings` and `trace`. From source these are plain imports; the build replaces this file
 * with cachedCommands.built.ts, which loads them from dist/quick.cjs with V8's code cache.
 */
export async function quickCommands(): Promise<QuickCommands> {
  return import('./commands/quick.ts');
}

/**
 * Loads `lab` (built: from dist/lab.cjs with V8's code cache, as quickCommands; `lab list` from the
 * text made at build). `args` are the command's, for the built one.
 */
export async function labCommand(_args: readonly string[]): Promise<(args: string[]) => Promise<void>> {
  return (await import('./commands/lab.ts')).lab;
}

/** Loads `collect` (built: from dist/collect.cjs with V8's code cache, as quickCommands). */
export async function collectCommand(): Promise<CollectCommand> {
  return (await import('./commands/collect.ts')).collect;
}
