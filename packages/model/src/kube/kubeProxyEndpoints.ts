import type { JsonValue, NftTable } from '../schema/firewall.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';

/**
 * What kube-proxy programs for one Service port on a node: the endpoints (`ip:port`) its rules
 * DNAT to, and whether that is all of them (the cluster-policy chain, or a Service it rejects for
 * having none) or only this node's (a Local traffic policy's chain, or its "no local endpoints"
 * drop): the Service's other endpoints are then rightly absent.
 */
export interface ProgrammedPort {
  readonly endpoints: Set<string>;
  complete: boolean;
}

const after = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

const TO_ENDPOINT = /^(\S+) -> (\S+:\d+)$/;
const NO_ENDPOINTS = /^(\S+) has no (local )?endpoints$/;

/** nftables: a policy chain `service-HASH-ns/name/proto/port` (all endpoints) or `local-…` (this node's). */
const NFT_POLICY_CHAIN = /^(service|local)-[A-Z2-7]{8}-([^/\s]+)\/([^/\s]+)\/(?:tcp|udp|sctp)\/(\S*)$/;
/** nftables: an endpoint chain `endpoint-HASH-ns/name/proto/port__ip/port`. */
const NFT_ENDPOINT_CHAIN = /^endpoint-[A-Z2-7]{8}-\S+__([0-9.]+)\/(\d+)$/;
/** An element comment kube-proxy gives a Service port without (local) endpoints: `ns/name:port`. */
const PORT_NAME = /^[^/\s]+\/[^:\s]+(?::\S+)?$/;

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every chain a rule's expressions go or jump to (in a verdict map's data too). */
function targets(v: JsonValue, out: string[], depth = 0): void {
  if (depth > 32) return;
  if (Array.isArray(v)) {
    for (const x of v) targets(x, out, depth + 1);
    return;
  }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if ((k === 'goto' || k === 'jump') && isObj(x) && typeof x.target === 'string') out.push(x.target);
    else targets(x, out, depth + 1);
  }
}

/**
 * The endpoints kube-proxy programs in a namespace, by Service port key. iptables mode: KUBE-SVC-…
 * (all) and KUBE-SVL-… (this node's) rules' comments `NS/NAME:PORT -> IP:PORT`; filter
 * KUBE-SERVICES' `NS/NAME:PORT has no endpoints` (none at all) or `has no local endpoints` (none
 * here). nftables mode (`table ip kube-proxy`): the endpoint chains (`…__IP/PORT`) that a
 * `service-…` (all) or `local-…` (this node's) chain picks from; a `no-endpoint-services` /
 * `no-endpoint-nodeports` element's comment, going to reject-chain (none at all) or drop (none
 * here). Empty where the rules were not collected.
 */
export function kubeProxyEndpoints(ns: NetnsEntry): Map<string, ProgrammedPort> {
  const out = new Map<string, ProgrammedPort>();
  const of = (key: string, complete: boolean): ProgrammedPort => {
    let p = out.get(key);
    if (!p) out.set(key, (p = { endpoints: new Set(), complete }));
    p.complete ||= complete;
    return p;
  };
  for (const t of ns.ns.firewall?.iptables ?? []) {
    if (t.family !== 'ipv4') continue;
    for (const r of t.rules) {
      const comment = after(r.args, '--comment');
      if (!comment) continue;
      const all = r.chain.startsWith('KUBE-SVC-');
      if (t.name === 'nat' && (all || r.chain.startsWith('KUBE-SVL-'))) {
        const m = TO_ENDPOINT.exec(comment);
        if (m) of(m[1]!, all).endpoints.add(m[2]!);
      } else if (t.name === 'filter' && r.chain === 'KUBE-SERVICES') {
        const m = NO_ENDPOINTS.exec(comment);
        if (m) of(m[1]!, m[2] === undefined);
      }
    }
  }
  for (const t of ns.ns.firewall?.nftables ?? []) if (t.family === 'ip' && t.name === 'kube-proxy') nftEndpoints(t, of);
  return out;
}

function nftEndpoints(t: NftTable, of: (key: string, complete: boolean) => ProgrammedPort): void {
  for (const r of t.rules) {
    const chain = NFT_POLICY_CHAIN.exec(r.chain);
    if (!chain) continue;
    const key = `${chain[2]!}/${chain[3]!}${chain[4] === '' ? '' : `:${chain[4]!}`}`;
    const port = of(key, chain[1] === 'service');
    const to: string[] = [];
    targets(r.expr, to);
    for (const target of to) {
      const ep = NFT_ENDPOINT_CHAIN.exec(target);
      if (ep) port.endpoints.add(`${ep[1]!}:${ep[2]!}`);
    }
  }
  for (const set of t.sets) {
    if (set.name !== 'no-endpoint-services' && set.name !== 'no-endpoint-nodeports') continue;
    for (const el of set.elem) {
      if (!Array.isArray(el)) continue;
      const [key, verdict] = el;
      const comment = isObj(key) && isObj(key.elem) ? key.elem.comment : undefined;
      if (typeof comment !== 'string' || !PORT_NAME.test(comment)) continue;
      // reject-chain: no endpoints anywhere; drop: none on this node (a Local policy).
      const to: string[] = [];
      if (verdict !== undefined) targets(verdict, to);
      const dropped = isObj(verdict) && 'drop' in verdict;
      if (to.includes('reject-chain') || dropped) of(comment, !dropped);
    }
  }
}
