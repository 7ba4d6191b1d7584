/** Placeholder until the server package lands in the next commit. */
export async function start(): Promise<void> {
  throw new Error('not yet');
}
