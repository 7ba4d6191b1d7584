const cleanups = new Set<() => void>();
let installed = false;

/**
 * Runs `cleanup` (synchronously) if this process exits before the returned function is called:
 * a probe leaves nothing behind — no tracefs instance, no helper process — even when its process
 * is told to stop in the middle. Callers that handle SIGINT/SIGTERM must end with process.exit(),
 * which runs these. Returns the function that forgets the cleanup once it has been done normally.
 */
export function onExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const c of [...cleanups]) {
        try {
          c();
        } catch {
          // best effort: the others still run
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
