import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where Open vSwitch keeps its sockets unless told otherwise. */
export const DEFAULT_OVS_DB_SOCKET = '/var/run/openvswitch/db.sock';
const DEFAULT_RUN_DIRS = new Set(['/var/run/openvswitch', '/run/openvswitch']);

/** A switch's run directory and control socket, found from its database socket. */
export interface VswitchdControl {
  readonly runDir: string;
  /** `RUNDIR/ovs-vswitchd.PID.ctl`: ovs-appctl's target (unixctl, JSON-RPC). */
  readonly control: string;
  /** Whether the run directory is the default one (commands then need no `-t`). */
  readonly isDefault: boolean;
}

/**
 * The control socket of the ovs-vswitchd whose database socket is `dbSocket`: both live in one run
 * directory, where the daemon's pidfile names the socket (`ovs-vswitchd.PID.ctl`), as ovs-appctl
 * finds it.
 */
export async function vswitchdControl(dbSocket: string): Promise<VswitchdControl> {
  const runDir = dirname(dbSocket);
  const text = await readFile(`${runDir}/ovs-vswitchd.pid`, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`no ovs-vswitchd.pid in ${runDir} (${e.code ?? e.message}): is ovs-vswitchd running?`);
  });
  const pid = text.trim();
  if (!/^\d{1,10}$/.test(pid)) throw new Error(`${runDir}/ovs-vswitchd.pid does not hold a pid`);
  return { runDir, control: `${runDir}/ovs-vswitchd.${pid}.ctl`, isDefault: DEFAULT_RUN_DIRS.has(runDir) };
}
