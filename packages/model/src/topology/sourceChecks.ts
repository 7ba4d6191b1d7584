import { parseIp } from '../net/ip.ts';
import type { Route } from '../schema/inventory.ts';
import { confMax, confOr } from '../trace/netConf.ts';
import { sourceFor } from '../trace/stages/route.ts';
import { sourceVerdict, type SourceVerdict } from '../trace/stages/validateSource.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from './snapshotIndex.ts';

/**
 * A source the kernel refuses where it arrives: `sender` sends by `route` (out of `out`) to a
 * gateway held on `at`, with packets from `src` — its own, or those of `client`, a namespace that
 * routes through it — and `at`'s input routing decision drops them.
 */
export interface RefusedSource {
  readonly sender: NetnsEntry;
  readonly route: Route;
  readonly out: LinkEntry;
  readonly at: LinkEntry;
  readonly src: string;
  readonly client?: NetnsEntry;
  readonly verdict: SourceVerdict;
}

/** Every refused source of the snapshot, found once and shared by the rules that report them. */
export function refusedSources(index: SnapshotIndex): readonly RefusedSource[] {
  return index.derive(findRefusedSources);
}

/**
 * For each IPv4 route through a gateway another namespace holds, the sources that route carries —
 * the sender's own for it, and those of namespaces whose gateway the sender is when it forwards —
 * checked as `fib_validate_source` checks them on the gateway's device. Only gateways whose
 * sysctls were collected are judged; namespaces without them cost a map lookup.
 */
function findRefusedSources(index: SnapshotIndex): RefusedSource[] {
  let clients: Map<NetnsEntry, NetnsEntry[]> | undefined;
  const out: RefusedSource[] = [];
  for (const sender of index.namespaces) {
    for (const route of sender.ns.routes) {
      if (!route.gateway || route.type !== 'unicast' || route.family === 'inet6' || route.gateway.includes(':'))
        continue;
      const holders = index.withIp(route.gateway);
      // Most gateways' sysctls were not collected: nothing to judge, and no device to look up.
      if (!holders.some((at) => at.netns !== sender && at.netns.ns.sysctls !== undefined)) continue;
      const dev = route.dev === undefined ? undefined : sender.linksByName.get(route.dev);
      if (!dev) continue;
      for (const at of holders) {
        if (at.netns === sender || at.netns.ns.sysctls === undefined) continue;
        const rpf = confMax(at, 'rpFilter');
        const acceptLocal = confOr(at, 'acceptLocal');
        if (rpf === undefined || acceptLocal === undefined) continue;
        const dst = route.dst === 'default' ? route.gateway : route.dst.split('/')[0]!;
        const forwardOut = outOf(index, at.netns, dst);
        // The gateway's own routing of it is unknown (a VRF, a tun_id rule): nothing to judge.
        if (forwardOut === 'unknown') continue;
        const own = route.prefsrc ?? sourceFor(sender, dev, route.gateway, route);
        const sources: { src: string; client?: NetnsEntry }[] = own ? [{ src: own }] : [];
        if (sender.ns.ipForward) {
          for (const c of (clients ??= gatewayClients(index)).get(sender) ?? []) {
            // The gateway's own packets do not come back to it through the sender.
            if (c === at.netns) continue;
            for (const a of c.ns.addresses) {
              if (a.family === 'inet' && a.scope === 'global') sources.push({ src: a.address, client: c });
            }
          }
        }
        for (const { src, client } of sources) {
          const verdict = sourceVerdict(index, at, src, dst, forwardOut, rpf, acceptLocal);
          if (verdict?.dropReason)
            out.push({ sender, route, out: dev, at, src, ...(client ? { client } : {}), verdict });
        }
      }
    }
  }
  return out;
}

/** The device a namespace forwards `dst` out of; undefined when `dst` is its own (or it has no route). */
function outOf(index: SnapshotIndex, ns: NetnsEntry, dst: string): LinkEntry | 'unknown' | undefined {
  if (index.isLocal(ns, dst)) return undefined;
  const m = parseIp(dst) ? index.routes(ns).lookup(dst) : undefined;
  if (m?.kind === 'unknown') return 'unknown';
  return m?.kind === 'route' && m.route.dev !== undefined ? ns.linksByName.get(m.route.dev) : undefined;
}

/** Namespaces by the namespace that holds their IPv4 gateway (the pods behind a node). */
function gatewayClients(index: SnapshotIndex): Map<NetnsEntry, NetnsEntry[]> {
  const by = new Map<NetnsEntry, NetnsEntry[]>();
  for (const ns of index.namespaces) {
    for (const r of ns.ns.routes) {
      if (!r.gateway || r.family === 'inet6' || r.gateway.includes(':')) continue;
      for (const owner of index.withIp(r.gateway)) {
        if (owner.netns === ns) continue;
        const list = by.get(owner.netns) ?? [];
        if (!list.includes(ns)) list.push(ns);
        by.set(owner.netns, list);
      }
    }
  }
  return by;
}
