import { execFile } from 'node:child_process';
import { CommandError, runCommand } from '@hoplens/collector';
import { failedCommand, type CommandBatch } from './commandBatches.ts';

/** As runCommand allows one command; a batch gets that for each of its commands. */
const PER_COMMAND_MS = 10_000;

/**
 * Runs one batch (argv, never a shell; its lines on stdin). A failure throws a CommandError naming
 * the planned command it stopped at, with what the tool said; where the tool does not say which,
 * the whole batch's commands are named.
 */
export function runBatch(batch: CommandBatch): Promise<void> {
  const [file, ...args] = batch.argv;
  if (!file) return Promise.reject(new CommandError(batch.argv, 'empty command'));
  const timeout = PER_COMMAND_MS * batch.commands.length;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        const why = stderr.trim() || (err.killed ? `timed out after ${timeout} ms` : err.message);
        const failed = failedCommand(batch, stderr);
        const first = why.split('\n')[0] ?? why;
        // The error's argv is the planned command that failed; where the tool did not say which, the
        // message lists the batch's commands.
        const unnamed = batch.commands.map((c) => c.join(' ')).join('; ');
        const message = failed ? first : `${first} [one of a batch: ${unnamed}]`;
        reject(new CommandError(failed ?? batch.argv, message));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(batch.stdin ?? '');
  });
}

/** Runs the batches one after another, in order; a command alone runs exactly as runCommand runs it. */
export async function runBatches(batches: readonly CommandBatch[]): Promise<void> {
  for (const b of batches) {
    if (b.kind === 'single') await runCommand(b.argv);
    else await runBatch(b);
  }
}
