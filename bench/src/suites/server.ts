import autocannon from 'autocannon';
import { progress, startWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { mulberry32 } from '@hoplens/lab';
import { ms } from '../stats.ts';

interface Ready {
  readonly url: string;
  readonly id: string;
  readonly findings: number;
  readonly prerenderMs: number;
  readonly hostViews: number;
  readonly hosts: string[];
  readonly pods: { from: string; ip: string }[];
}

interface Load {
  readonly requestsPerSec: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

const CONNECTIONS = 8;

/** Loads one route with autocannon for `seconds`; `path` is called per request so every request differs. */
async function load(url: string, path: () => string, seconds: number): Promise<Load> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    // As a browser asks: with gzip accepted.
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }],
  });
  return {
    requestsPerSec: r.requests.average,
    // autocannon's histogram counts whole milliseconds (its lowest discernible value is 1 ms): a
    // 0.4 ms answer is recorded as 0, so its mean of sub-millisecond routes is mostly zeros. Each
    // of the connections always has one request in flight, so the mean time a request takes is the
    // time they were open over the requests answered (Little's law), at any resolution.
    meanMs: (CONNECTIONS * r.duration * 1000) / r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/**
 * The HTTP API under load on loopback: a trivial route (/api/info, same hooks as every route) and
 * the graph (focused on one node), findings and trace routes of the 5,000-node snapshot, in one run.
 */
export async function serverSuite(nodes: number, seconds: number): Promise<SuiteResult> {
  progress(`server: starting with a ${nodes}-node snapshot`);
  const worker = await startWorker<Ready>('serverWorker.ts', ['--nodes', String(nodes)]);
  try {
    const { url, id, hosts, pods } = worker.ready;
    const rand = mulberry32(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const base = `/api/snapshots/${encodeURIComponent(id)}`;
    const routes: Record<string, () => string> = {
      trivial: () => '/api/info',
      graphFocus: () => `${base}/graph?focus=${encodeURIComponent(`host:${pick(hosts)}`)}`,
      findings: () => `${base}/findings`,
      trace: () => {
        const p = pick(pods);
        return `${base}/trace?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(pick(pods).ip)}`;
      },
    };
    const results: Record<string, Load> = {};
    // Warm-up (JIT, sockets, a GC after the background rendering), not counted.
    await load(url, routes.trivial!, 2);
    for (const [name, path] of Object.entries(routes)) {
      progress(`server: loading ${name} for ${seconds} s`);
      results[name] = await load(url, path, seconds);
    }
    const trivial = results.trivial!;
    const figures: Figure[] = [];
    for (const [name, r] of Object.entries(results)) {
      figures.push(
        {
          id: `server.${name}.rps`,
          group: 'server',
          label: `${name}: throughput`,
          value: Math.round(r.requestsPerSec),
          unit: 'req/s',
        },
        { id: `server.${name}.p99`, group: 'server', label: `${name}: p99 latency`, value: ms(r.p99Ms), unit: 'ms' },
      );
    }
    figures.push({
      id: 'server.hostViews',
      group: 'server',
      label: `every host's focused view rendered in the background after loading`,
      value: ms(worker.ready.prerenderMs / 1000),
      unit: 's',
      note: `${worker.ready.hostViews} hosts, ${ms(worker.ready.prerenderMs / worker.ready.hostViews)} ms each; a view not rendered yet is rendered on request`,
    });
    figures.push({
      id: 'server.graphFocus.ratio',
      group: 'server',
      label: 'focused graph of a random host: mean latency ÷ trivial route',
      value: ms(results.graphFocus!.meanMs / trivial.meanMs),
      unit: '×',
      goal: { op: '<=', value: 5 },
      note: `${ms(results.graphFocus!.meanMs)} ms vs ${ms(trivial.meanMs)} ms (connections × time ÷ answers), ${CONNECTIONS} connections, ${seconds} s each`,
    });
    const failed = Object.entries(results).filter(([, r]) => r.non2xx > 0 || r.errors > 0);
    if (failed.length > 0) throw new Error(`server: failed requests on ${failed.map(([n]) => n).join(', ')}`);
    return { figures, details: { nodes, findings: worker.ready.findings, results } };
  } finally {
    await worker.stop();
  }
}
