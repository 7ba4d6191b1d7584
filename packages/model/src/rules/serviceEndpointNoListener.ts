import { netnsId, netnsPath } from '../ids.ts';
import { kubeEndpoints, type KubeEndpoint } from '../kube/kubeEndpoints.ts';
import { parseIp } from '../net/ip.ts';
import { takes } from '../net/socketTakes.ts';
import type { Finding } from '../schema/finding.ts';
import { passThrough } from '../topology/passThrough.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

/**
 * A Service endpoint where nothing listens on the target port: kube-proxy sends it its share of
 * the Service's connections, and the endpoint's kernel refuses each (a TCP RST, ICMP port
 * unreachable for UDP) — the server is not running, crashed, or listens on another port or address.
 * Only where the endpoint's namespace was collected with its listening sockets, all of them (a
 * list cut short proves nothing), and never on an interface that passes every frame on (a peer
 * pod's eth0 on the worker: its server runs on the pod VM). A socket bound to a device counts as
 * listening: which device the connection arrives on is the trace's to say.
 */
export const serviceEndpointNoListener: Rule = {
  id: 'service-endpoint-no-listener',
  run(index) {
    const byTarget = new Map<string, { ns: NetnsEntry; endpoints: KubeEndpoint[] }>();
    const through = passThrough(index);
    for (const e of kubeEndpoints(index)) {
      const dst = parseIp(e.ip);
      if (!dst) continue;
      for (const le of index.withIp(e.ip)) {
        // A peer pod's eth0 on the worker holds its IP but hands every frame to the tunnel: the
        // server listens on the pod VM, never there.
        if (through.has(le)) continue;
        const listening = le.netns.ns.listening;
        if (!listening || listening.truncated) continue;
        if (listening.sockets.some((s) => s.proto === e.proto && s.port === e.port && takes(s, dst, undefined)))
          continue;
        const key = `${le.netns.id} ${e.ip} ${e.port} ${e.proto}`;
        const seen = byTarget.get(key);
        if (seen) seen.endpoints.push(e);
        else byTarget.set(key, { ns: le.netns, endpoints: [e] });
      }
    }
    const findings: Finding[] = [];
    for (const { ns, endpoints } of byTarget.values()) {
      const { ip, port, proto } = endpoints[0]!;
      const services = [...new Set(endpoints.map((e) => e.service))];
      const target = `${ip.includes(':') ? `[${ip}]` : ip}:${port}/${proto}`;
      const answer = proto === 'tcp' ? 'refuses each connection (TCP RST)' : 'answers ICMP port unreachable';
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [netnsId(ns.ref)],
        message: `nothing listens on ${target} in ${netnsPath(ns.ref)}, an endpoint of Service ${services.join(', ')}: kube-proxy sends it connections and its kernel ${answer} — start the server, or make it listen on port ${port}`,
        evidence: {
          netns: netnsPath(ns.ref),
          endpoint: target,
          services: services.join(', '),
          listening: String(ns.ns.listening!.sockets.length),
        },
      });
    }
    return findings;
  },
};
