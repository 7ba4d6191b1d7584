import { progress, runWorker } from '../childRun.ts';
import type { SuiteResult } from '../figure.ts';
import { ms } from '../stats.ts';

interface ServiceRun {
  readonly services: number;
  readonly rules: number;
  readonly branches: number;
  readonly firstMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * A TCP trace to a Service on a node with kube-proxy's iptables rules for `services` Services:
 * every endpoint traced as its own branch, through KUBE-SERVICES' thousands of rules.
 */
export async function serviceSuite(services: number, traces: number): Promise<SuiteResult> {
  progress(`service: ${services} Services, ${traces} traces`);
  const r = await runWorker<ServiceRun>('serviceWorker.ts', [
    '--services',
    String(services),
    '--traces',
    String(traces),
  ]);
  return {
    figures: [
      {
        id: 'service.trace.p99',
        group: 'service',
        label: `trace to a Service (${r.branches} endpoints) on a node with ${r.services} Services, ${r.rules} rules: p99`,
        value: ms(r.p99Ms),
        unit: 'ms',
        goal: { op: '<', value: 20 },
        note: `p50 ${ms(r.p50Ms)} ms, max ${ms(r.maxMs)} ms; the first (compiling the rules) ${ms(r.firstMs)} ms`,
      },
    ],
    details: { service: r },
  };
}
