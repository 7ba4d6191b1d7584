/**
 * Whether the hoplens server answers at all, as the last request or event stream found it. Any HTTP
 * answer, even a 401 or a 500, means it is up; only a request that got no answer marks it down.
 */
let reachable = true;
let downSince: number | undefined;
const listeners = new Set<() => void>();

/** Records what a request found: an answer (true) or none (false). */
export function reportReachable(ok: boolean): void {
  if (ok === reachable) return;
  reachable = ok;
  downSince = ok ? undefined : Date.now();
  listeners.forEach((l) => l());
}

export const isReachable = (): boolean => reachable;
/** When the server stopped answering, while it does not. */
export const unreachableSince = (): number | undefined => downSince;

export function subscribeReachable(run: () => void): () => void {
  listeners.add(run);
  return () => listeners.delete(run);
}

/** Asks the server whether it is back (GET /api/info, whose answer, even a 401, proves it listens). */
export async function probeServer(): Promise<void> {
  try {
    await fetch('/api/info', { cache: 'no-store' });
    reportReachable(true);
  } catch {
    reportReachable(false);
  }
}
