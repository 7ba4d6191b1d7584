import { runCommand } from '@hoplens/collector';

/** One real ICMP echo from inside a namespace: what the kernel really does with the path. */
export async function ping(
  netns: string,
  ip: string,
  opts: { size?: number; dontFragment?: boolean } = {},
): Promise<boolean> {
  const argv = ['ip', 'netns', 'exec', netns, 'ping', '-n', '-q', '-c', '1', '-W', '1'];
  if (opts.size !== undefined) argv.push('-s', String(opts.size));
  if (opts.dontFragment) argv.push('-M', 'do');
  try {
    await runCommand([...argv, ip], 5000);
    return true;
  } catch {
    return false;
  }
}
