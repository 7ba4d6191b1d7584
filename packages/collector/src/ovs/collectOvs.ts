import { access } from 'node:fs/promises';
import {
  ovsProbes,
  SNAPSHOT_FORMAT,
  SnapshotIndex,
  type CollectError,
  type HostInventory,
  type OvsBridge,
  type OvsInventory,
  type OvsTraceAnswer,
} from '@hoplens/model';
import { runCommand } from '../runCommand.ts';
import { openJsonRpc, type JsonRpcSession } from './jsonRpc.ts';
import { askOfprotoTrace } from './ofprotoTrace.ts';
import { parseDpifShow } from './parseDpifShow.ts';
import { parseDumpFlows } from './parseDumpFlows.ts';
import { readOvsdb } from './readOvsdb.ts';
import { vswitchdControl, type VswitchdControl } from './vswitchdControl.ts';

/** Answers recorded per host at most: a node with a hundred pods needs about 700. */
const MAX_RECORDED = 1024;

/**
 * Adds a host's Open vSwitch to its inventory: bridges, ports and interfaces from OVSDB (read-only
 * selects over its JSON-RPC socket), each bridge's OpenFlow rules (`ovs-ofctl dump-flows`), the
 * datapath's port numbers, and OVS's own ofproto/trace answers for the packets users trace most
 * (ovsProbes). No socket where none was configured means no switch: no section, no error. Every
 * part that fails is an error on the host; the parts that worked stay.
 */
export async function collectOvs(host: HostInventory, dbSocket: string, configured: boolean): Promise<HostInventory> {
  const errors: CollectError[] = [];
  const fail = (message: string, command?: string[]): void => {
    errors.push({ message, ...(command ? { command } : {}) });
  };
  try {
    await access(dbSocket);
  } catch (e) {
    if (!configured) return host;
    return {
      ...host,
      errors: [...host.errors, { message: `OVSDB socket ${dbSocket}: ${(e as NodeJS.ErrnoException).code}` }],
    };
  }
  let config;
  const db = await openJsonRpc(dbSocket).catch((e: Error) => e);
  if (db instanceof Error) return { ...host, errors: [...host.errors, { message: `OVSDB: ${db.message}` }] };
  try {
    config = await readOvsdb(db);
  } catch (e) {
    return { ...host, errors: [...host.errors, { message: `OVSDB ${dbSocket}: ${(e as Error).message}` }] };
  } finally {
    db.close();
  }
  for (const p of config.problems) fail(`OVSDB ${dbSocket}: ${p}`);
  let control: VswitchdControl | undefined;
  let ctl: JsonRpcSession | undefined;
  let dpPorts = new Map<string, Map<string, number>>();
  let version = config.version;
  try {
    control = await vswitchdControl(dbSocket);
    ctl = await openJsonRpc(control.control);
    const text = await ctl.call('dpif/show', []);
    if (typeof text !== 'string') throw new Error('dpif/show answered something that is not text');
    dpPorts = parseDpifShow(text);
    // OVSDB holds the version only where the distribution's start script wrote it there.
    const said = version === undefined ? await ctl.call('version', []) : undefined;
    if (typeof said === 'string') version = /\(Open vSwitch\) (\S+)/.exec(said)?.[1];
  } catch (e) {
    fail(`ovs-vswitchd: ${(e as Error).message}; its datapath ports and ofproto/trace answers are not recorded`);
  }
  const runDir = control?.runDir ?? dbSocket.replace(/\/[^/]*$/, '');
  try {
    const bridges: OvsBridge[] = [];
    for (const b of config.bridges) {
      const dp = dpPorts.get(b.name);
      const ports = b.ports.map((p) => ({
        ...p,
        interfaces: p.interfaces.map((i) => {
          const dpPort = dp?.get(i.name);
          return dpPort === undefined ? i : { ...i, dpPort };
        }),
      }));
      bridges.push({ ...b, ports, ...(await readFlows(runDir, b.name, fail)) });
    }
    const ovs: OvsInventory = {
      dbSocket,
      runDir,
      ...(control && !control.isDefault ? { control: control.control } : {}),
      ...(version === undefined ? {} : { version }),
      bridges,
      traces: ctl ? await record(ctl, { ...host, ovs: { dbSocket, runDir, bridges, traces: [] } }, fail) : [],
      ...(config.problems.length > 0 ? { unreadRows: config.problems.length } : {}),
    };
    return { ...host, ovs, errors: [...host.errors, ...errors] };
  } finally {
    ctl?.close();
  }
}

async function readFlows(
  runDir: string,
  bridge: string,
  fail: (message: string, command?: string[]) => void,
): Promise<Pick<OvsBridge, 'flows' | 'flowsTotal'>> {
  // The management socket is named after the bridge: a name that is not a file name has none.
  if (bridge.includes('/') || bridge.includes('\u0000') || bridge === '..') {
    fail(`bridge ${JSON.stringify(bridge)}: a name that cannot be a socket's, its flows are not read`);
    return { flows: [] };
  }
  const argv = ['ovs-ofctl', '--no-names', 'dump-flows', `unix:${runDir}/${bridge}.mgmt`];
  try {
    const parsed = parseDumpFlows(await runCommand(argv, 30_000));
    return parsed.total === undefined ? { flows: parsed.flows } : { flows: parsed.flows, flowsTotal: parsed.total };
  } catch (e) {
    fail((e as Error).message, argv);
    return { flows: [] };
  }
}

/** Asks the switch about each probe packet, one after the other on one connection. */
async function record(
  ctl: JsonRpcSession,
  host: HostInventory,
  fail: (message: string) => void,
): Promise<OvsTraceAnswer[]> {
  const index = new SnapshotIndex({
    format: SNAPSHOT_FORMAT,
    id: 'ovs-probes-of-one-host-only',
    createdAt: host.collectedAt,
    source: 'collector',
    hosts: [host],
    pods: [],
  });
  const probes = ovsProbes(index, host.name);
  if (probes.length > MAX_RECORDED)
    fail(`${probes.length} packets to record through OVS; the first ${MAX_RECORDED} are`);
  const answers: OvsTraceAnswer[] = [];
  let failures = 0;
  let lastError = '';
  for (const q of probes.slice(0, MAX_RECORDED)) {
    try {
      answers.push(await askOfprotoTrace(ctl, q));
    } catch (e) {
      failures++;
      lastError = (e as Error).message;
    }
  }
  if (failures > 0) fail(`ofproto/trace failed for ${failures} of ${probes.length} packets: ${lastError}`);
  return answers;
}
