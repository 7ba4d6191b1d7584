import { progress, runWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { ms } from '../stats.ts';

interface ServiceRun {
  readonly mode: 'iptables' | 'nftables';
  readonly services: number;
  readonly rules: number;
  readonly branches: number;
  readonly firstMs: number;
  /** Each trace to another Service: none finds its hooks already evaluated. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU time per trace (user + system, every thread of the process: GC included). */
  readonly cpuP50Ms: number;
  readonly cpuP99Ms: number;
  /** The same Service again and again: the snapshot's evaluations are reused. */
  readonly sameP50Ms: number;
  readonly sameP99Ms: number;
}

const MODES = ['iptables', 'nftables'] as const;

/**
 * A TCP trace to a Service on a node with kube-proxy's rules for `services` Services, in both of
 * kube-proxy's modes (iptables: KUBE-SERVICES' thousands of rules; nftables: the service-ips
 * verdict map): every endpoint traced as its own branch, each trace to another Service.
 */
export async function serviceSuite(services: number, traces: number): Promise<SuiteResult> {
  const runs: ServiceRun[] = [];
  for (const mode of MODES) {
    progress(`service: ${services} Services (${mode}), ${traces} traces`);
    runs.push(
      await runWorker<ServiceRun>('serviceWorker.ts', [
        '--services',
        String(services),
        '--traces',
        String(traces),
        '--mode',
        mode,
      ]),
    );
  }
  const figures: Figure[] = runs.map((r) => ({
    id: r.mode === 'iptables' ? 'service.trace.p99' : 'service.trace.nft.p99',
    group: 'service',
    label: `trace to a Service (${r.branches} endpoints) on a node with ${r.services} Services, kube-proxy ${r.mode} mode (${r.rules} rules), another Service each trace: p99`,
    value: ms(r.p99Ms),
    unit: 'ms',
    goal: { op: '<', value: 20 },
    note:
      `p50 ${ms(r.p50Ms)} ms, max ${ms(r.maxMs)} ms; CPU per trace p50 ${ms(r.cpuP50Ms)} ms, p99 ${ms(r.cpuP99Ms)} ms; ` +
      `the same Service again: p50 ${ms(r.sameP50Ms)} ms, ` +
      `p99 ${ms(r.sameP99Ms)} ms; the first (compiling the rules) ${ms(r.firstMs)} ms`,
  }));
  return { figures, details: { service: runs } };
}
