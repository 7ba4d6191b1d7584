import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Pod } from '../schema/snapshot.ts';
import type { RouteMatch } from '../trace/routeTable.ts';
import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';
import { ipIn, linkUpCommand } from '../fix/commands.ts';
import { podGateway } from '../topology/podGateway.ts';

/**
 * Every pod needs a route to the rest of the cluster and back: from its own namespace to a pod on
 * another node, and through its node, which routes pod traffic by policy rules and tables. Checked
 * with route lookups (one pod per node for the node's part), so it stays linear in the cluster's size.
 */
export const routeMissing: Rule = {
  id: 'route-missing',
  run(index) {
    const findings: Finding[] = [];
    const firstPodOfNode = new Map<string, { pod: Pod; ip: string }>();
    for (const pod of index.snapshot.pods) {
      const ip = pod.ips.find((i) => isV4(i));
      const node = nodeOf(pod);
      if (ip && node !== undefined && !firstPodOfNode.has(node)) firstPodOfNode.set(node, { pod, ip });
    }
    const nodes = [...firstPodOfNode.entries()];
    // Any other node will do, and one of the first two always is one: O(1) per pod.
    const otherThan = (node: string): { pod: Pod; ip: string } | undefined =>
      nodes[0]?.[0] !== node ? nodes[0]?.[1] : nodes[1]?.[1];
    for (const pod of index.snapshot.pods) {
      const node = nodeOf(pod);
      const ref = pod.netns[pod.netns.length - 1];
      const ns = ref && index.netns(ref);
      const src = pod.ips.find((i) => isV4(i));
      const other = node === undefined ? undefined : otherThan(node);
      if (!ns || !src || !other || hasPlainDefault(ns)) continue;
      const m = index.routes(ns).lookup(other.ip, { src });
      // An unknown lookup (a rule hoplens cannot evaluate) is no evidence of a missing route.
      if (m?.kind === 'unknown' || routes(m)) continue;
      const gw = podGateway(index, ns, src);
      const dev = gw && ns.linksByName.get(gw.dev);
      // The kernel deletes a device's routes when it goes down; bringing it up does not restore them.
      const wasDown = dev && !dev.link.adminUp ? `; ${dev.link.name} is down, and its routes went with it` : '';
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [netnsId(ns.ref)],
        message: `pod ${pod.namespace}/${pod.name} has no route to ${other.ip} (pod ${other.pod.namespace}/${other.pod.name} on another node) in ${netnsPath(ns.ref)}: ${why(m)}${wasDown}`,
        evidence: {
          pod: `${pod.namespace}/${pod.name}`,
          netns: netnsPath(ns.ref),
          destination: other.ip,
          ...(gw ? { gateway: gw.gateway } : {}),
        },
        ...(gw && dev && m?.kind !== 'rule'
          ? {
              fix: [
                ...(dev.link.adminUp ? [] : [linkUpCommand(ns.ns, dev.link.name)]),
                ipIn(ns.ns, ['route', 'add', 'default', 'via', gw.gateway, 'dev', gw.dev]),
              ].join('\n'),
            }
          : {}),
      });
    }
    for (const [node, { pod, ip }] of nodes) {
      const root = index.rootOf(node);
      const other = otherThan(node);
      if (!root || !other || onLink(index, pod, ip, other.ip)) continue;
      const toPod = index.routes(root).lookup(ip);
      if (toPod?.kind === 'unknown') continue;
      const iif = toPod?.kind === 'route' ? toPod.route.dev : undefined;
      const m = index.routes(root).lookup(other.ip, { src: ip, iif });
      if (m?.kind === 'unknown' || routes(m) || index.isLocal(root, other.ip)) continue;
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [netnsId(root.ref)],
        message: `node ${node} does not route pod traffic: from ${ip} (pod ${pod.namespace}/${pod.name}) in on ${iif ?? '?'} to ${other.ip}, ${why(m)}`,
        evidence: { node, source: ip, destination: other.ip, iif: iif ?? '' },
        ...(m?.kind === 'rule'
          ? { fix: ipIn(root.ns, ['-4', 'rule', 'del', 'priority', String(m.rule.priority)]) }
          : {}),
      });
    }
    return findings;
  },
};

/**
 * A v4 default route in main and no policy rules of its own: every destination routes. Most pods
 * look like this; knowing it without building a route table keeps the rule fast at 10⁵ pods.
 */
/** Dotted quad or not: all the rule needs to know, without parsing 10⁵ addresses. */
const isV4 = (ip: string): boolean => !ip.includes(':');

const DEFAULT_TABLES = new Set(['local', 'main', 'default']);

function hasPlainDefault(ns: NetnsEntry): boolean {
  let v4Rules = 0;
  for (const r of ns.ns.rules ?? []) {
    if (r.family !== 'inet') continue;
    if (r.action !== 'lookup' || r.src !== undefined || r.dst !== undefined || r.iif !== undefined) return false;
    if (r.fwmark !== undefined || r.invert || !DEFAULT_TABLES.has(r.table ?? 'main')) return false;
    v4Rules++;
  }
  if (v4Rules > 3) return false;
  return ns.ns.routes.some(
    (r) =>
      r.dst === 'default' && r.table === 'main' && r.type === 'unicast' && r.family !== 'inet6' && r.dev !== undefined,
  );
}

/**
 * The pod reaches the other node's pod without a gateway (one L2 segment stretched across nodes by
 * a bridged tunnel or a macvlan): its node routes none of that traffic, so its routes do not matter.
 */
function onLink(index: SnapshotIndex, pod: Pod, src: string, dst: string): boolean {
  const ref = pod.netns[pod.netns.length - 1];
  const ns = ref && index.netns(ref);
  const m = ns ? index.routes(ns).lookup(dst, { src }) : undefined;
  return m?.kind === 'route' && m.route.type === 'unicast' && m.route.gateway === undefined;
}

const nodeOf = (pod: Pod): string | undefined => pod.node ?? pod.netns[0]?.host;

const routes = (m: RouteMatch | undefined): boolean => m?.kind === 'route' && m.route.type === 'unicast';

function why(m: RouteMatch | undefined): string {
  if (!m) return 'no route matches';
  if (m.kind === 'rule') return `policy rule ${m.rule.priority} says ${m.rule.action}`;
  return `the matching route ${m.route.dst} in table ${m.route.table} is ${m.route.type}`;
}
