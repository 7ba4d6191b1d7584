import Type from 'typebox';
import type { PeerPodIntent } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';

/** Go's zero netip values marshal as "": treat them as absent. */
const Text = Type.Optional(Type.String());

/**
 * The parts of agent-protocol-forwarder's config (cloud-api-adaptor, /run/peerpod/apf.json) that
 * say what the pod network must be: `pod-network` is its tunneler.Config.
 */
const ApfConfigSchema = Type.Object({
  'pod-namespace': Text,
  'pod-name': Text,
  'pod-network': Type.Object({
    podip: Text,
    'pod-hw-addr': Text,
    interface: Text,
    'worker-node-ip': Text,
    'tunnel-type': Text,
    routes: Type.Optional(Type.Union([Type.Null(), Type.Array(Type.Object({ Dst: Text, GW: Text, Dev: Text }))])),
    mtu: Type.Optional(Type.Integer()),
    'vxlan-port': Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    'vxlan-id': Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});

const present = (v: string | undefined): v is string => v !== undefined && v !== '';

/** Parses apf.json into the intended pod network; throws a ParseError naming the bad field. */
export function parsePeerPodConfig(text: string, source: string): PeerPodIntent {
  const c = parseJsonOutput(ApfConfigSchema, text, source);
  const n = c['pod-network'];
  const opt = <K extends string, V>(key: K, v: V | undefined): { [k in K]?: V } =>
    (v === undefined || v === '' ? {} : { [key]: v }) as { [k in K]?: V };
  return {
    source,
    ...opt('podNamespace', c['pod-namespace']),
    ...opt('podName', c['pod-name']),
    ...opt('interface', n.interface),
    ...opt('podIp', n.podip),
    ...opt('podMac', n['pod-hw-addr']?.toLowerCase()),
    ...opt('workerNodeIp', n['worker-node-ip']),
    ...opt('tunnelType', n['tunnel-type']),
    ...opt('vxlanPort', n['vxlan-port']),
    ...opt('vxlanId', n['vxlan-id']),
    ...opt('mtu', n.mtu),
    routes: (n.routes ?? []).flatMap((r) =>
      present(r.Dst) ? [{ dst: r.Dst, ...opt('gateway', r.GW), ...opt('dev', r.Dev) }] : [],
    ),
  };
}
