import { linkPath, netnsPath } from '../ids.ts';
import { commandIn, ipIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { confMax, confOr } from '../trace/netConf.ts';
import { BROADCAST_MAC } from '../trace/packet.ts';
import { arpSender, type ArpRefusal } from '../trace/stages/arp.ts';
import { Walk } from '../trace/walk.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { unpluggedOvsPorts } from '../topology/unpluggedOvsPorts.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A gateway that ARP never resolves because the namespace that should answer refuses: proxy_arp
 * off where nobody holds the gateway (Calico's 169.254.1.1), arp_ignore where the address is on
 * another device (kube-proxy's IPVS mode sets arp_ignore=1), arp_filter where the sender speaks from
 * an address routed back elsewhere. Asks ARP the way the tracer does (a silent walk of the request);
 * only where the gateway is held by nobody or by a namespace with ARP or source-check sysctls set,
 * so a cluster of default namespaces costs a lookup per route.
 */
export const arpUnanswered: Rule = {
  id: 'arp-unanswered',
  run(index) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const ns of index.namespaces) {
      for (const r of ns.ns.routes) {
        if (!r.gateway || r.type !== 'unicast' || r.gateway.includes(':') || r.dev === undefined) continue;
        // First the entry (most pods hold one for their gateway), then the device.
        if (hasEntry(index, ns, r.dev, r.gateway)) continue;
        const out = ns.linksByName.get(r.dev);
        if (!out || !out.link.mac || out.link.kind === 'loopback') continue;
        if (!worthAsking(index, ns, r.gateway)) continue;
        const key = `${out.id}|${r.gateway}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const probe = new Walk(index, 'request', true);
        const sender = arpSender(probe, out, r.gateway, r.prefsrc);
        const answer = probe.transmit(out, {
          srcMac: out.link.mac,
          dstMac: BROADCAST_MAC,
          packet: { kind: 'arp', src: sender, dst: r.gateway },
        });
        const refusal = probe.arpRefusal;
        // A refusal by the source check is reported by rp-filter-drop and source-is-local.
        if (answer.verdict !== 'dropped' || !refusal || refusal.verdict !== 'dropped' || refusal.cause === 'source')
          continue;
        // The refuser is a pod's host-side veth that should be a port of its node's Open vSwitch
        // bridge and is not: the switch, not the kernel, would have carried the ARP. ovs-port-missing
        // reports that cause; a sysctl here would be a guess at the wrong layer.
        if (unpluggedOvsPorts(index).some((u) => u.host === refusal.at)) continue;
        const fix = fixFor(index, refusal, out);
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [refusal.at.id, out.id],
          message: `${linkPath(ns.ref, out.link.name)} routes ${r.dst} via ${r.gateway}, but ARP for it gets no answer: ${where(refusal.at)} ${refusal.reason}`,
          evidence: { gateway: r.gateway, from: netnsPath(ns.ref), refusedBy: where(refusal.at), cause: refusal.cause },
          ...(fix ? { fix } : {}),
        });
      }
    }
    return findings;
  },
};

/** A usable neighbour entry: ARP is not asked. */
function hasEntry(index: SnapshotIndex, ns: NetnsEntry, dev: string, ip: string): boolean {
  const n = index.neighbor(ns, dev, ip);
  return !!n?.mac && !n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE');
}

/** Whether a refusal is possible: nobody holds the gateway, or a holder set ARP or source checks. */
function worthAsking(index: SnapshotIndex, ns: NetnsEntry, gateway: string): boolean {
  const holders = index.withIp(gateway).filter((le) => le.netns !== ns);
  if (holders.length === 0) return true;
  return holders.some((le) =>
    le.netns.ns.links.some((l) => {
      const dev = le.netns.linksByIndex.get(l.ifindex)!;
      return (confMax(dev, 'arpIgnore') ?? 1) > 0 || confOr(dev, 'arpFilter') !== false;
    }),
  );
}

/** The smallest change that gets an answer, where one is sure to. */
function fixFor(index: SnapshotIndex, r: ArpRefusal, out: LinkEntry): string | undefined {
  const at = r.at;
  const sysctl = (target: NetnsEntry, key: string): string => commandIn(target.ns, ['sysctl', '-w', key]);
  switch (r.cause) {
    case 'noarp':
      return ipIn(at.netns.ns, ['link', 'set', at.link.name, 'arp', 'on']);
    case 'proxy-arp':
      return sysctl(at.netns, `net.ipv4.conf.${at.link.name}.proxy_arp=1`);
    case 'arp-ignore':
      // arp_ignore=1 answers for an address on the device asked: put the gateway there too.
      return r.mode === 1 ? ipIn(at.netns.ns, ['addr', 'add', `${r.target}/32`, 'dev', at.link.name]) : undefined;
    case 'arp-filter': {
      // Speak from the sender's own address on that link, which the gateway routes back by it.
      const probe = new Walk(index, 'request', true);
      const own = arpSender(probe, out, r.target, undefined);
      const back = own === undefined ? undefined : index.routes(at.netns).lookup(own, { src: r.target });
      const routedBack = back?.kind === 'route' && back.route.dev === at.link.name;
      return routedBack ? sysctl(out.netns, `net.ipv4.conf.${out.link.name}.arp_announce=2`) : undefined;
    }
    default:
      return undefined;
  }
}
