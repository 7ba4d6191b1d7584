import { execFile } from 'node:child_process';

/** A command that failed or timed out; the message is what the tool said on stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** Runs a program with an argv array — never a shell — and returns its stdout. */
export function runCommand(argv: readonly string[], timeoutMs = 10_000): Promise<string> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new CommandError(argv, 'empty command'));
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const why = stderr.trim() || (err.killed ? `timed out after ${timeoutMs} ms` : err.message);
          reject(new CommandError(argv, why.split('\n')[0] ?? why));
          return;
        }
        resolve(stdout);
      },
    );
  });
}
