import type { Flow, LabPlan, Scenario } from '../scenario.ts';
import { kubeService } from './kubeService.ts';

const VARIANTS = ['endpoint-not-listening'] as const;

/** The endpoint whose servers are not started (pod 3 of node-b), and a pod whose ports 9999 nothing binds. */
const SILENT = '10.244.2.3';
const OTHER = '10.244.2.2';

/**
 * kube-service's fault-free Services (its `ok` variant is this scenario's fault-free twin) with one
 * endpoint whose TCP and UDP servers were never started: kube-proxy still sends it a third of the
 * connections, which its kernel refuses (RST; ICMP port unreachable). And plain TCP and UDP flows
 * to a pod port nobody listens on. The agreement suite connects for real: the trace must refuse the
 * same connections, and say that nothing listens there.
 */
export const serviceListener: Scenario = {
  name: 'service-listener',
  description:
    'a Service endpoint whose server is not running, and a pod port nobody listens on: refused, not delivered',
  variants: VARIANTS,
  plan(prefix, variant): LabPlan {
    const base = kubeService.plan(prefix, 'ok');
    const nb = `${prefix}nb`;
    const silentNs = `${nb}-p3`;
    const client = base.flows[0]!.from;
    const refused = (to: string, proto: 'tcp' | 'udp'): Flow => ({
      from: client,
      to,
      pingNetns: client.netns!,
      connect: { proto, port: 9999 },
      // tcp_v4_rcv / __udp4_lib_rcv free what no socket takes so, after answering it.
      expectDrop: 'NO_SOCKET',
    });
    return {
      ...base,
      scenario: 'service-listener',
      variant,
      servers: (base.servers ?? []).filter((s) => s.netns !== silentNs),
      flows: [
        ...base.flows.map((f) => (f.to === SILENT ? { ...f, expectDrop: 'NO_SOCKET' } : f)),
        refused(OTHER, 'tcp'),
        refused(OTHER, 'udp'),
      ],
      expected: [{ rule: 'service-endpoint-no-listener', subjects: [`node-b/${silentNs}`] }],
    };
  },
};
