import { commandIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { FdbEntry } from '../schema/inventory.ts';
import { macsBehindPort } from '../topology/macsBehindPort.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A bridge fdb entry that sends a MAC out of one port while its owner sits behind another (a pod
 * recreated on another port, a MAC reused): unicast frames for it go to the wrong port, whose
 * receiver drops them as for another host. The kernel moves a `dynamic` or `static` entry at the
 * owner's next frame in (`br_fdb_update`: its ARP answer, say), so those heal and are reported as
 * info; a `sticky` one never moves and loses every frame until it is deleted (critical). Only
 * owners the bridge reaches directly are judged (a port's own MAC, its veth peer's, the macvlans on
 * that peer); a MAC owned behind more hops, or behind several ports, is left to the tracer, as is
 * an entry on a veth whose other end was not collected (what is behind it is not known).
 */
export const bridgeFdbStale: Rule = {
  id: 'bridge-fdb-stale',
  run(index) {
    const findings: Finding[] = [];
    const owners = new Map<LinkEntry, ReadonlyMap<string, readonly LinkEntry[]>>();
    for (const ns of index.namespaces) {
      for (const e of ns.ns.fdb ?? []) {
        if (e.master === undefined || (e.state !== 'dynamic' && e.state !== 'static')) continue;
        const bridge = ns.linksByName.get(e.master);
        const port = ns.linksByName.get(e.dev);
        if (bridge?.link.kind !== 'bridge' || port?.link.masterIfindex !== bridge.link.ifindex) continue;
        // A veth whose other end is not in the snapshot: what is behind it is not known, and may be
        // the entry's MAC (a pod not collected, of the same MAC): the entry cannot be called wrong.
        if (port.link.kind === 'veth' && !(port.link.peer && index.link(port.link.peer))) continue;
        let byMac = owners.get(bridge);
        if (!byMac) owners.set(bridge, (byMac = ownersByMac(index, bridge)));
        // The one port the MAC's owner is behind, if it is not the entry's.
        const [owner, ...more] = byMac.get(e.mac.toLowerCase()) ?? [];
        if (owner && more.length === 0 && owner !== port)
          findings.push(finding(this.id, ns, e, { bridge, port, owner }));
      }
    }
    return findings;
  },
};

interface Misplaced {
  readonly bridge: LinkEntry;
  readonly port: LinkEntry;
  readonly owner: LinkEntry;
}

/** Each MAC a flood of the bridge finds, with the ports it is behind (more than one: a duplicate). */
function ownersByMac(index: SnapshotIndex, bridge: LinkEntry): ReadonlyMap<string, readonly LinkEntry[]> {
  const byMac = new Map<string, LinkEntry[]>();
  for (const p of index.portsOf(bridge)) {
    for (const mac of new Set(macsBehindPort(index, p))) {
      const ports = byMac.get(mac);
      if (ports) ports.push(p);
      else byMac.set(mac, [p]);
    }
  }
  return byMac;
}

function finding(rule: string, ns: NetnsEntry, e: FdbEntry, m: Misplaced): Finding {
  const sticky = e.flags.includes('sticky');
  const vlan = e.vlan === undefined ? '' : ` in VLAN ${e.vlan}`;
  const kind = sticky ? `a sticky ${e.state} entry` : `a ${e.state} entry`;
  const fate = sticky
    ? 'learning never moves a sticky entry, so every unicast frame for it goes to the wrong port until the entry is deleted'
    : `the bridge moves it when a frame from ${e.mac} comes in by ${m.owner.link.name} (its ARP answer, say)${e.state === 'dynamic' ? ' or drops it when it ages out' : ''}; until then unicast frames for it go to the wrong port`;
  return {
    rule,
    severity: sticky ? 'critical' : 'info',
    subjects: [m.bridge.id, m.port.id, m.owner.id],
    message: `${where(m.bridge)} sends frames for ${e.mac}${vlan} out of ${m.port.link.name} (${kind}), but ${e.mac} is behind ${m.owner.link.name}: ${fate}`,
    evidence: {
      bridge: where(m.bridge),
      mac: e.mac,
      ...(e.vlan === undefined ? {} : { vlan: String(e.vlan) }),
      entry: `${e.mac} dev ${e.dev} master ${m.bridge.link.name} ${[e.state, ...e.flags.filter((f) => f !== 'master')].join(' ')}`,
      behind: m.owner.link.name,
    },
    fix: commandIn(ns.ns, [
      'bridge',
      'fdb',
      'del',
      e.mac,
      'dev',
      e.dev,
      'master',
      ...(e.vlan === undefined ? [] : ['vlan', String(e.vlan)]),
    ]),
  };
}
