import { commandIn, ipIn } from '../fix/commands.ts';
import { addressPrefix } from '../net/addressPrefix.ts';
import { parseIp, prefixContains } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import { ipv6Disabled } from '../trace/netConf.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * IPv6 disabled on a device that receives IPv6: a namespace with IPv6 addresses routes IPv6 out of
 * the veth whose peer has disable_ipv6=1, and the kernel drops every such packet on arrival
 * (IPV6DISABLED). Disabling IPv6 also removed the device's addresses, so the fix enables it and puts
 * back the gateway the other side uses, where that is a global address nobody holds.
 */
export const ipv6DisabledOnPath: Rule = {
  id: 'ipv6-disabled-on-path',
  run(index) {
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      const devices = ns.ns.sysctls?.devices;
      if (!devices?.some((d) => (d.conf.ipv6?.disableIpv6 ?? 0) !== 0)) continue;
      for (const le of ns.linksByIndex.values()) {
        if (ipv6Disabled(le) !== true || le.link.masterIfindex !== undefined) continue;
        const peer = le.link.peer && index.link(le.link.peer);
        const routes = peer
          ? peer.netns.ns.routes.filter((r) => r.dev === peer.link.name && isV6(r.dst, r.gateway))
          : [];
        if (!peer || routes.length === 0 || !hasGlobalV6(peer)) continue;
        const gateway = routes
          .map((r) => r.gateway)
          .find((g) => g !== undefined && !g.startsWith('fe80') && index.withIp(g).length === 0);
        const len = gateway && prefixOf(peer, gateway);
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [le.id, peer.id],
          message: `${where(peer)} routes IPv6${gateway ? ` via ${gateway}` : ''} to ${where(le)}, where IPv6 is disabled (disable_ipv6=1): every IPv6 packet is dropped on arrival`,
          evidence: { disabledOn: where(le), sender: where(peer), ...(gateway ? { gateway } : {}) },
          ...(gateway && len !== undefined
            ? {
                fix: [
                  commandIn(ns.ns, ['sysctl', '-w', `net.ipv6.conf.${le.link.name}.disable_ipv6=0`]),
                  ipIn(ns.ns, ['-6', 'addr', 'add', `${gateway}/${len}`, 'dev', le.link.name, 'nodad']),
                ].join('\n'),
              }
            : {}),
        });
      }
    }
    return findings;
  },
};

const isV6 = (dst: string, gateway: string | undefined): boolean => (gateway ?? dst).includes(':');

const hasGlobalV6 = (le: LinkEntry): boolean =>
  le.netns.ns.addresses.some((a) => a.ifindex === le.link.ifindex && a.family === 'inet6' && a.scope === 'global');

/** The prefix length of the sender's address whose subnet holds the gateway. */
function prefixOf(le: LinkEntry, gateway: string): number | undefined {
  const g = parseIp(gateway);
  return le.netns.ns.addresses.find((a) => {
    const p = a.ifindex === le.link.ifindex && a.family === 'inet6' ? addressPrefix(a) : undefined;
    return p && g && prefixContains(p, g);
  })?.prefixlen;
}
