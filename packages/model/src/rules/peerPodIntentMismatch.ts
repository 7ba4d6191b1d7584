import { ipIn, setMacCommand, setMtuCommand } from '../fix/commands.ts';
import { VXLAN_OVERHEAD } from '../trace/packet.ts';
import { recreateVxlanCommand } from '../fix/recreateVxlan.ts';
import { hostId } from '../ids.ts';
import { sameMac } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import type { HostInventory, PeerPodIntent } from '../schema/inventory.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { unseenHosts, unseenWords } from '../topology/unseenParts.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/** cloud-api-adaptor caps the pod VM interface's MTU at this (tunneler/vxlan maxMTU). */
const CAA_MAX_MTU = 1450;

const addressOf = (prefix: string): string => prefix.split('/')[0] ?? prefix;

/**
 * cloud-api-adaptor writes down what a peer pod's network must be (apf.json on the pod VM) and
 * builds it; when the pod VM's interface differs from that — another MAC, VNI, port, remote, a
 * missing address or route — the pod VM does not have the network the worker expects. Each
 * difference is named with both values, intended and observed.
 */
export const peerPodIntentMismatch: Rule = {
  id: 'peerpod-intent-mismatch',
  run(index) {
    const findings: Finding[] = [];
    for (const host of index.snapshot.hosts) {
      const intent = host.peerPod;
      if (!intent) continue;
      const name = intent.interface ?? 'vxlan0';
      const pod = intent.podName ? ` for pod ${intent.podNamespace ?? '?'}/${intent.podName}` : '';
      const le = podInterface(index, host, name);
      if (!le) {
        // A namespace of the host that could not be read may hold it: then its absence is unknown.
        const unseen = unseenHosts(index).get(host.name);
        findings.push({
          rule: this.id,
          severity: unseen ? 'warning' : 'fatal',
          subjects: [hostId(host.name)],
          message: unseen
            ? `${intent.source} on ${host.name} says the pod network${pod} runs on ${name}, which no namespace collected of ${unseenWords(unseen)} has: whether it is there is unknown, not passed`
            : `${intent.source} on ${host.name} says the pod network${pod} runs on ${name}, but no namespace of ${host.name} has a device of that name`,
          evidence: { host: host.name, source: intent.source, interface: name },
        });
        continue;
      }
      const finding = (
        severity: Finding['severity'],
        what: string,
        intended: string,
        observed: string,
        fix?: string,
      ): void => {
        const message =
          what === 'route'
            ? `${where(le)}'s namespace has no route ${intended}, which ${intent.source} intends${pod}`
            : `${where(le)} has ${what} ${observed}, but ${intent.source} intends ${intended}${pod}`;
        findings.push({
          rule: this.id,
          severity,
          subjects: [le.id],
          message,
          evidence: { interface: where(le), source: intent.source, field: what, intended, observed },
          ...(fix ? { fix } : {}),
        });
      };
      compare(index, intent, le, finding);
    }
    return findings;
  },
};

type Report = (severity: Finding['severity'], what: string, intended: string, observed: string, fix?: string) => void;

function compare(index: SnapshotIndex, intent: PeerPodIntent, le: LinkEntry, report: Report): void {
  const ns = le.netns.ns;
  const dev = le.link.name;
  if (intent.podMac && !sameMac(intent.podMac, le.link.mac)) {
    report('fatal', 'MAC', intent.podMac, le.link.mac ?? 'none', setMacCommand(ns, dev, intent.podMac));
  }
  const vx = le.link.vxlan;
  if (vx) {
    const change = {
      ...(intent.vxlanId !== undefined && intent.vxlanId !== vx.vni ? { vni: intent.vxlanId } : {}),
      ...(intent.vxlanPort !== undefined && intent.vxlanPort !== vx.port ? { port: intent.vxlanPort } : {}),
      ...(intent.workerNodeIp && addressOf(intent.workerNodeIp) !== vx.remote
        ? { remote: addressOf(intent.workerNodeIp) }
        : {}),
    };
    const fix = Object.keys(change).length > 0 ? recreateVxlanCommand(index, le, change) : undefined;
    if (change.vni !== undefined) report('fatal', 'VNI', String(change.vni), String(vx.vni), fix);
    if (change.port !== undefined) report('fatal', 'UDP port', String(change.port), String(vx.port), fix);
    if (change.remote !== undefined) report('fatal', 'remote', change.remote, vx.remote ?? 'none', fix);
  }
  if (intent.podIp) {
    const [ip = '', len = '32'] = intent.podIp.split('/');
    const own = le.netns.ns.addresses.filter((a) => a.ifindex === le.link.ifindex && a.scope === 'global');
    if (!own.some((a) => a.address === ip)) {
      report(
        'critical',
        'addresses',
        intent.podIp,
        own.map((a) => `${a.address}/${a.prefixlen}`).join(', ') || 'none',
        ipIn(ns, ['addr', 'add', `${ip}/${len}`, 'dev', dev]),
      );
    }
  }
  if (intent.mtu !== undefined) {
    // cloud-api-adaptor's cap assumes a 1500-byte underlay: on a smaller one the device must fit
    // that instead, and a device too large for it is mtu-mismatch's to name.
    const underlay = le.link.vxlan?.underlay && index.link(le.link.vxlan.underlay);
    const fits = underlay ? underlay.link.mtu - VXLAN_OVERHEAD : Infinity;
    const want = Math.min(intent.mtu, CAA_MAX_MTU, fits);
    if (le.link.mtu !== want && le.link.mtu <= fits)
      report('warning', 'MTU', String(want), String(le.link.mtu), setMtuCommand(ns, dev, want));
  }
  for (const r of intent.routes) {
    const dst = r.dst === '0.0.0.0/0' || r.dst === '::/0' ? 'default' : r.dst;
    const has = le.netns.ns.routes.some(
      (o) =>
        o.table === 'main' &&
        (o.dst === dst || `${o.dst}/32` === dst) &&
        (r.gateway === undefined || o.gateway === r.gateway),
    );
    if (has) continue;
    const args = ['route', 'add', dst, ...(r.gateway ? ['via', r.gateway] : []), 'dev', r.dev ?? dev];
    report('critical', 'route', `${dst}${r.gateway ? ` via ${r.gateway}` : ''}`, 'missing', ipIn(ns, args));
  }
}

/** The pod's interface: a device of that name in one of the host's pod namespaces, a VXLAN one first. */
function podInterface(index: SnapshotIndex, host: HostInventory, name: string): LinkEntry | undefined {
  const found = host.namespaces
    .filter((n) => !n.root)
    .flatMap((n) => {
      const le = index.linkByName({ host: host.name, netns: n.name }, name);
      return le ? [le] : [];
    });
  return found.find((le) => le.link.vxlan) ?? found[0];
}
