import { readdir, readFile, stat } from 'node:fs/promises';
import type { HeldNetns } from '@hoplens/model';

/** Where iproute2 (and some runtimes) keep named namespaces; /var/run is usually /run. */
const NAMED_DIRS = ['/run/netns', '/var/run/netns'];

/** A namespace's identity: the nsfs inode behind every file that refers to it. */
const identity = async (path: string): Promise<string | undefined> => {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
};

/** What this machine's namespaces are, each once: the collector's own, the named, the held-only. */
export interface DiscoveredNetns {
  readonly named: string[];
  readonly held: HeldNetns[];
}

/**
 * Finds every network namespace of this machine: named ones (/run/netns, /var/run/netns) and
 * those only a process holds (/proc/PID/ns/net, as container runtimes leave a pod's), each once
 * by inode, without the collector's own. A held one is labelled with its holder: the container
 * (from the process's cgroup) or the process name and pid.
 */
export async function discoverNetns(): Promise<DiscoveredNetns> {
  const own = await identity('/proc/self/ns/net');
  const seen = new Set<string>(own ? [own] : []);
  const named: string[] = [];
  for (const dir of NAMED_DIRS) {
    for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
      const id = await identity(`${dir}/${name}`);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      named.push(name);
    }
  }
  const held: HeldNetns[] = [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids.sort((a, b) => Number(a) - Number(b))) {
    const path = `/proc/${pid}/ns/net`;
    const id = await identity(path);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const holder = await holderOf(pid);
    held.push({ name: `${holder.short}-${pid}`, path, holder: holder.label });
  }
  return { named, held };
}

/** A container id in a cgroup path (docker, containerd, cri-o: 64 hex digits), or the process name. */
async function holderOf(pid: string): Promise<{ short: string; label: string }> {
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim() || '?';
  const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  const container = /([0-9a-f]{64})/.exec(cgroup)?.[1];
  const name = comm.replace(/[^A-Za-z0-9._-]/g, '_');
  return container
    ? { short: `ctr-${container.slice(0, 12)}`, label: `container ${container.slice(0, 12)} (${comm}, pid ${pid})` }
    : { short: name, label: `${comm} (pid ${pid})` };
}
