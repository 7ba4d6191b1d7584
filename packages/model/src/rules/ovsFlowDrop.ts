import { describeFlow, flowFields, flowFrame } from '../ovs/flowFrame.ts';
import { ovsVerdict } from '../ovs/ovsOutcome.ts';
import type { TracedRule } from '../ovs/parseOfprotoTrace.ts';
import type { Finding } from '../schema/finding.ts';
import { ovsTopology, type OvsPortEntry, type OvsSwitch } from '../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { describeRule } from '../trace/stages/ovs.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Open vSwitch's own answers, recorded at collection for the packets every pod needs (to and from
 * its node's management port, ARP for its gateway), that say the switch drops one: the pod cannot
 * reach its node — kubelet's probes included, which OVN-Kubernetes always allows. One finding per
 * pod port and rule that drops, naming the rule (table, priority, cookie, match) and the packets.
 */
export const ovsFlowDrop: Rule = {
  id: 'ovs-flow-drop',
  run(index) {
    const findings: Finding[] = [];
    for (const sw of ovsTopology(index).switches) {
      const drops = new Map<string, { ends: Set<LinkEntry>; rule: TracedRule | undefined; packets: string[] }>();
      for (const answer of sw.ovs.traces) {
        if (answer.bridge !== sw.bridge.name) continue;
        const frame = flowFrame(answer.flow);
        if (!frame) continue;
        const outcome = ovsVerdict(answer.output, frame).outcome;
        if (outcome.kind !== 'drop') continue;
        const ends = endsOf(index, sw, answer.flow);
        if (ends.length === 0) continue;
        const rule = outcome.by;
        // Grouped by the pod's port, whichever way the packet went, and by the rule that dropped it.
        const pod = ends.find((e) => !ovsTopology(index).byLink.get(e)?.internal) ?? ends[0];
        const key = `${pod?.id ?? ''}|${rule ? `${rule.table}/${rule.priority ?? 'miss'}/${rule.cookie ?? ''}` : ''}`;
        const entry = drops.get(key) ?? { ends: new Set<LinkEntry>(), rule, packets: [] };
        for (const e of ends) entry.ends.add(e);
        entry.packets.push(describeFlow(answer.flow));
        drops.set(key, entry);
      }
      for (const { ends: set, rule, packets } of drops.values()) {
        const ends = [...set];
        const [first, ...more] = packets;
        const between = ends.map((e) => e.link.name).join(' and ');
        const others = more.length === 0 ? '' : ` (and ${more.length} more between ${between})`;
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: ends.map((e) => e.id),
          message:
            `${sw.bridge.name} on ${sw.host.name} drops ${first ?? 'a packet'}${others}: ` +
            `${rule ? describeRule(rule) : 'no rule forwards it'} — OVS's own ofproto/trace answer, recorded at collection`,
          evidence: {
            bridge: sw.bridge.name,
            ports: ends.map(where).join(', '),
            packets: packets.join('; '),
            ...(rule
              ? {
                  table: String(rule.table),
                  ...(rule.priority === undefined ? {} : { priority: String(rule.priority) }),
                  ...(rule.cookie === undefined ? {} : { cookie: rule.cookie }),
                  match: rule.match,
                }
              : {}),
          },
        });
      }
    }
    return findings;
  },
};

/**
 * The two ports a recorded packet is between, as devices: the one it enters by, and the one its
 * destination sits behind (the port whose device or veth peer has its MAC or address).
 */
function endsOf(index: SnapshotIndex, sw: OvsSwitch, flow: string): LinkEntry[] {
  const f = flowFields(flow);
  const inPort = Number(f.get('in_port'));
  const ingress = sw.ports.find((p) => p.iface.ofport === inPort)?.link;
  if (!ingress) return [];
  const mac = f.get('dl_dst');
  const ip = f.get('arp_tpa') ?? f.get('nw_dst') ?? f.get('ipv6_dst');
  const behind = (p: OvsPortEntry): LinkEntry[] => {
    const peer = p.link?.link.peer ? index.link(p.link.link.peer) : undefined;
    return [p.link, peer].filter((le): le is LinkEntry => le !== undefined);
  };
  const target = sw.ports.find(
    (p) =>
      p.link !== ingress &&
      behind(p).some(
        (le) => (mac !== undefined && le.link.mac === mac) || (ip !== undefined && index.addressesOf(le).includes(ip)),
      ),
  )?.link;
  return target ? [ingress, target] : [ingress];
}
