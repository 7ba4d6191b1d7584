/** The `findings` and `trace` commands. */
export interface QuickCommands {
  readonly findings: (args: string[]) => Promise<void>;
  readonly trace: (args: string[]) => Promise<void>;
}

/**
 * Loads `findings` and `trace`. From source these are plain imports; the build replaces this file
 * with quickCommands.built.ts, which loads them from dist/quick.cjs with V8's code cache.
 */
export async function quickCommands(): Promise<QuickCommands> {
  return import('./commands/quick.ts');
}
