/**
 * The commands that read a snapshot file and print (`findings`, `trace`): in the built CLI, one
 * CommonJS file loaded through V8's code cache (see cachedCommands.built.ts), as they are the ones
 * people type again and again and Node's start is most of their time.
 */
import '../precompiledChecks.ts';

export { findings } from './findings.ts';
export { trace } from './trace.ts';
