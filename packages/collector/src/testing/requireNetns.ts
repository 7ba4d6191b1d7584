/**
 * Netns tests need root. Where they cannot run they skip locally and fail in CI, which must run them.
 */
export function canBuildNetns(): boolean {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && process.env.CI) throw new Error('netns tests must run in CI: run them as root (CAP_NET_ADMIN)');
  return root;
}
