import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { labFilesDir } from '../prefix.ts';

/** The OVSDB schema Debian's openvswitch-switch installs. */
const VSWITCH_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

/**
 * A lab host's own Open vSwitch run directory: its database, sockets, pidfiles and logs, under the
 * lab's files, so that labs never share a switch with each other or with the machine's own.
 */
export const ovsRunDir = (prefix: string, host: string): string => `${labFilesDir(prefix)}/${host}/ovs`;

/** `ovs-vsctl` against the lab's database, never the system's. */
export const vsctl = (runDir: string, ...args: string[]): string[] => [
  'ovs-vsctl',
  `--db=unix:${runDir}/db.sock`,
  '--timeout=10',
  ...args,
];

/** `ovs-ofctl` against a bridge of the lab's switch, through its management socket. */
export const ofctl = (runDir: string, verb: string, bridge: string, ...args: string[]): string[] => [
  'ovs-ofctl',
  verb,
  `unix:${runDir}/${bridge}.mgmt`,
  ...args,
];

/**
 * Commands that start ovsdb-server and ovs-vswitchd with a private run directory, the switch inside
 * `netns` (with the userspace datapath it reads and writes the devices of the namespace it runs in).
 * `lab down` stops them by their pidfiles (stopLabDaemons).
 */
export function ovsStartCommands(runDir: string, netns: string): string[][] {
  const env = ['env', `OVS_RUNDIR=${runDir}`, `OVS_LOGDIR=${runDir}`, `OVS_DBDIR=${runDir}`];
  const daemon = (name: string): string[] => [
    `--pidfile=${runDir}/${name}.pid`,
    `--log-file=${runDir}/${name}.log`,
    '--detach',
    '--no-chdir',
    '-vconsole:off',
  ];
  return [
    ['mkdir', '-p', runDir],
    ['ovsdb-tool', 'create', `${runDir}/conf.db`, VSWITCH_SCHEMA],
    [...env, 'ovsdb-server', `${runDir}/conf.db`, `--remote=punix:${runDir}/db.sock`, ...daemon('ovsdb-server')],
    vsctl(runDir, '--no-wait', 'init'),
    ['ip', 'netns', 'exec', netns, ...env, 'ovs-vswitchd', `unix:${runDir}/db.sock`, ...daemon('ovs-vswitchd')],
  ];
}

/** The lab's TCP/UDP servers and the switch go first: they hold the namespace alive (and the switch the database). */
const STOP_ORDER = ['node', 'ovs-vswitchd', 'ovsdb-server'];

/**
 * Stops the daemons a lab started (Open vSwitch, its TCP/UDP servers) under `dir` (one lab's files, or all of them), by
 * the pidfiles they wrote there, and only processes that still are those daemons: a pid the kernel
 * has since given to something else is left alone.
 */
export async function stopLabDaemons(dir: string): Promise<void> {
  const pidfiles = (await findPidfiles(dir)).sort(
    (a, b) => STOP_ORDER.indexOf(daemonOf(a)) - STOP_ORDER.indexOf(daemonOf(b)),
  );
  for (const file of pidfiles) {
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 1 && (await commOf(pid)) === daemonOf(file)) await stop(pid);
    await rm(file, { force: true });
  }
}

const daemonOf = (pidfile: string): string => pidfile.replace(/^.*\//, '').replace(/\.pid$/, '');

async function findPidfiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && STOP_ORDER.some((d) => e.name === `${d}.pid`))
    .map((e) => join(e.parentPath, e.name));
}

async function commOf(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function stop(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals): boolean => {
    try {
      process.kill(pid, s);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 40));
    if (!(await alive(pid))) return;
  }
  signal('SIGKILL');
}

/** A zombie has exited: it only waits for whoever adopted it to reap it. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/s.test(stat);
  } catch {
    return false;
  }
}
