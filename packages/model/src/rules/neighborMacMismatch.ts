import { replaceNeighborCommand, setMacCommand } from '../fix/commands.ts';
import { linkPath, netnsPath } from '../ids.ts';
import { sameMac } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import { Walker } from '../trace/walker.ts';
import type { Rule } from './rule.ts';

/**
 * A neighbor (ARP/ND) entry must name the MAC of the interface that will actually receive the frame,
 * after veth, tc redirects and tunnels; otherwise the receiver drops every frame sent with it.
 */
export const neighborMacMismatch: Rule = {
  id: 'neighbor-mac-mismatch',
  run(index) {
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      for (const n of ns.ns.neighbors) {
        if (!n.mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE' || s === 'NOARP')) continue;
        const out = index.linkByName(ns.ref, n.dev);
        if (!out || out.link.kind === 'loopback') continue;
        const walk = new Walker(index, 'request', true);
        const end = walk.transmit(out, {
          srcMac: out.link.mac,
          dstMac: n.mac,
          packet: { src: undefined, dst: n.ip, proto: 'icmp' },
        });
        const rx = end.receiver;
        if (!rx || sameMac(rx.link.mac, n.mac)) continue;
        if (!rx.netns.ns.addresses.some((a) => a.address === n.ip)) continue;
        const rxWhere = linkPath(rx.ref, rx.link.name);
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [out.id, rx.id],
          message:
            `${netnsPath(ns.ref)} resolves ${n.ip} to ${n.mac} on ${n.dev}, ` +
            `but the frame is received by ${rxWhere}, whose MAC is ${rx.link.mac ?? 'none'}`,
          evidence: {
            ip: n.ip,
            neighborMac: n.mac,
            state: n.state.join(','),
            receiver: rxWhere,
            receiverMac: rx.link.mac ?? 'none',
          },
          fix:
            rx.link.kind === 'vxlan'
              ? setMacCommand(rx.netns.ns.name, rx.link.name, n.mac)
              : replaceNeighborCommand(ns.ns.name, n.ip, rx.link.mac ?? '', n.dev),
        });
      }
    }
    return findings;
  },
};
