import type { NetnsEntry } from '../topology/snapshotIndex.ts';

const after = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

const TO_ENDPOINT = /^(\S+) -> (\S+:\d+)$/;
const NO_ENDPOINTS = /^(\S+) has no endpoints$/;

/**
 * The endpoints kube-proxy (iptables mode) programs in a namespace, by Service port key: its
 * KUBE-SVC-… rules' comments `NS/NAME:PORT -> IP:PORT`, and an empty set for a Service its
 * KUBE-SERVICES REJECTs (`NS/NAME:PORT has no endpoints`). Empty where the rules were not collected.
 */
export function kubeProxyEndpoints(ns: NetnsEntry): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const of = (key: string): Set<string> => {
    let set = out.get(key);
    if (!set) out.set(key, (set = new Set()));
    return set;
  };
  for (const t of ns.ns.firewall?.iptables ?? []) {
    if (t.family !== 'ipv4') continue;
    for (const r of t.rules) {
      const comment = after(r.args, '--comment');
      if (!comment) continue;
      if (t.name === 'nat' && r.chain.startsWith('KUBE-SVC-')) {
        const m = TO_ENDPOINT.exec(comment);
        if (m) of(m[1]!).add(m[2]!);
      } else if (t.name === 'filter' && r.chain === 'KUBE-SERVICES') {
        const m = NO_ENDPOINTS.exec(comment);
        if (m) of(m[1]!);
      }
    }
  }
  return out;
}
