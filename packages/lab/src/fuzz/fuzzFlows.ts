import type { NetnsRef, Snapshot } from '@hoplens/model';
import type { Connect, Flow, LabPlan } from '../scenario.ts';
import { pick, placesOf, type Rand } from './place.ts';

/** A flow of a random-fault case: a ping, or TCP/UDP connections (`connect`). */
export interface FuzzFlow {
  readonly from: NetnsRef;
  readonly pingNetns: string;
  readonly to: string;
  readonly size?: number;
  readonly df?: boolean;
  readonly connect?: Connect;
  /** Where known, the address the client's connections leave with (see Flow.clientAddress). */
  readonly clientAddress?: string;
}

/**
 * The base's own flows: its pings, and its connections (those it declares beyond hoplens' reach
 * left out; a connection the base refuses always is kept, its refusal is a verdict too).
 */
export const baseFlows = (plan: LabPlan): FuzzFlow[] =>
  plan.flows.filter(
    (f: Flow) => f.traceUnknown === undefined && (f.connect !== undefined || f.refusedAlways === undefined),
  );

/**
 * A few more flows picked by the dice: pings pod to pod (namespaces the host map lists besides
 * roots), and where the lab runs servers, connections from anywhere to a server's address, on its
 * port or on the other protocol's (where nobody may listen).
 */
export function extraFlows(snapshot: Snapshot, plan: LabPlan, rand: Rand, count: number): FuzzFlow[] {
  const places = placesOf(snapshot, plan.hostMap);
  const hostOf = new Map(snapshot.hosts.flatMap((h) => h.namespaces.map((ns) => [ns, h.name] as const)));
  const v4 = (p: (typeof places)[number]): string[] =>
    p.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global').map((a) => a.address);
  const targets = places.flatMap((p) => v4(p).map((address) => ({ p, address })));
  const out: FuzzFlow[] = [];
  const taken = (f: FuzzFlow): boolean =>
    out.some((o) => o.pingNetns === f.pingNetns && o.to === f.to && o.connect?.port === f.connect?.port);
  for (let i = 0; i < count * 4 && out.length < count; i++) {
    const from = pick(rand, places);
    const to = pick(rand, targets);
    if (!from || !to || to.p === from) continue;
    const f = { from: { host: hostOf.get(from.ns)!, netns: from.netns }, pingNetns: from.netns, to: to.address };
    if (!taken(f)) out.push(f);
  }
  const servers = plan.servers ?? [];
  const ports = [...new Map(servers.map((s) => [`${s.proto}/${s.port}`, { proto: s.proto, port: s.port }])).values()];
  for (let i = 0; servers.length > 0 && i < count * 4 && out.length < count * 2; i++) {
    const from = pick(rand, places);
    const server = pick(rand, servers)!;
    const at = places.find((p) => p.netns === server.netns);
    const address = at && pick(rand, v4(at));
    const connect = rand() < 0.75 ? { proto: server.proto, port: server.port } : pick(rand, ports)!;
    if (!from || !address || at === from) continue;
    const f = { from: { host: hostOf.get(from.ns)!, netns: from.netns }, pingNetns: from.netns, to: address, connect };
    if (!taken(f)) out.push(f);
  }
  return out;
}

export const flowLabel = (f: FuzzFlow): string =>
  `${f.pingNetns} -> ${f.to}${f.connect ? ` ${f.connect.proto}:${f.connect.port}` : ''}${f.size === undefined ? '' : ` (${f.size} B${f.df ? ', DF' : ''})`}`;
