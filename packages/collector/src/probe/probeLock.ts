import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { onExit } from './exitCleanup.ts';
import { ProbeInputError } from './resolvedTarget.ts';

const LOCK_DIR = '/run/hoplens';

/** Thrown when a probe from the same namespace is running: two at once would share one neighbour queue and one ping identity space. */
export class ProbeBusyError extends ProbeInputError {
  override readonly name: string = 'ProbeBusyError';
}

/**
 * Takes the lock of the namespace a probe pings from (by the namespace's inode, so a name and a
 * /proc path of one namespace are one lock), or throws ProbeBusyError naming the probe that holds
 * it. A lock whose process is gone is taken over. Returns the release, which also runs on exit.
 */
export function lockProbe(netnsFile: string): () => void {
  const st = statSync(netnsFile === '-' ? '/proc/self/ns/net' : netnsFile);
  mkdirSync(LOCK_DIR, { recursive: true, mode: 0o700 });
  const path = `${LOCK_DIR}/probe-${st.dev}-${st.ino}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const forget = onExit(() => unlinkSync(path));
      return () => {
        forget();
        unlinkSync(path);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (holder && holder !== process.pid && alive(holder)) {
        throw new ProbeBusyError(
          `a probe from this namespace is already running (pid ${holder}); try again when it ends`,
        );
      }
      try {
        unlinkSync(path); // its probe died without cleaning up
      } catch {
        // taken over by another probe meanwhile: the next attempt says so
      }
    }
  }
  throw new ProbeBusyError('a probe from this namespace is already running; try again when it ends');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
