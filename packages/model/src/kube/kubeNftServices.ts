import type { JsonValue, NftTable } from '../schema/firewall.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { KubeServicePort } from './kubeServices.ts';

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `service-HASH-ns/name/proto/port` or `local-…` (a ClusterIP's policy chains): the Service port's parts. */
const POLICY_CHAIN = /^(?:service|local)-[A-Z2-7]{8}-([^/\s]+)\/([^/\s]+)\/(tcp|udp)\/(\S*)$/;
/** An element comment kube-proxy gives a Service port without endpoints: `ns/name:port` (no `:port` when unnamed). */
const PORT_NAME = /^([^/\s]+)\/([^:\s]+)(?::(\S+))?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** An element's key `ip . proto . port`, whether nft printed it bare or wrapped with its comment. */
function keyOf(el: JsonValue | undefined): { ip: string; proto: string; port: number; comment?: string } | undefined {
  let key = el;
  let comment: string | undefined;
  if (isObj(key) && isObj(key.elem)) {
    comment = typeof key.elem.comment === 'string' ? key.elem.comment : undefined;
    key = key.elem.val;
  }
  const parts = isObj(key) && Array.isArray(key.concat) ? key.concat : undefined;
  if (parts?.length !== 3) return undefined;
  const [ip, proto, port] = parts;
  if (typeof ip !== 'string' || !IPV4.test(ip) || typeof proto !== 'string' || typeof port !== 'number')
    return undefined;
  return { ip, proto, port, ...(comment === undefined ? {} : { comment }) };
}

/** The chain a verdict element goes (or jumps) to. */
function targetOf(v: JsonValue | undefined): string | undefined {
  if (!isObj(v)) return undefined;
  const to = isObj(v.goto) ? v.goto : isObj(v.jump) ? v.jump : undefined;
  return typeof to?.target === 'string' ? to.target : undefined;
}

/**
 * The Service ports kube-proxy's nftables mode programs in `table ip kube-proxy`: each
 * `service-ips` element whose verdict goes to a ClusterIP policy chain (its name carries
 * `ns/name/proto/port`; an ExternalIP's goes to `external-…` and is left out), and each
 * `no-endpoint-services` element, whose comment names the port (kube-proxy rejects those).
 */
export function nftServicePorts(table: NftTable, where: NetnsRef): KubeServicePort[] {
  if (table.family !== 'ip' || table.name !== 'kube-proxy') return [];
  const out: KubeServicePort[] = [];
  const valid = (proto: string, port: number): proto is 'tcp' | 'udp' =>
    (proto === 'tcp' || proto === 'udp') && Number.isInteger(port) && port >= 1 && port <= 65535;
  for (const set of table.sets) {
    if (set.name !== 'service-ips' && set.name !== 'no-endpoint-services') continue;
    for (const el of set.elem) {
      if (!Array.isArray(el)) continue;
      const k = keyOf(el[0]);
      if (!k || !valid(k.proto, k.port)) continue;
      let parts: { namespace: string; name: string; portName: string } | undefined;
      if (set.name === 'service-ips') {
        const m = POLICY_CHAIN.exec(targetOf(el[1]) ?? '');
        if (m && m[3] === k.proto) parts = { namespace: m[1]!, name: m[2]!, portName: m[4]! };
      } else {
        const m = PORT_NAME.exec(k.comment ?? '');
        if (m) parts = { namespace: m[1]!, name: m[2]!, portName: m[3] ?? '' };
      }
      if (!parts) continue;
      const key = `${parts.namespace}/${parts.name}${parts.portName === '' ? '' : `:${parts.portName}`}`;
      out.push({ key, ...parts, clusterIp: k.ip, proto: k.proto, port: k.port, where });
    }
  }
  return out;
}
