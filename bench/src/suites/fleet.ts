import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectStatusSchema, SnapshotSummarySchema, validate } from '@hoplens/model';
import { buildRepo } from '../browser/startServer.ts';
import { progress, startWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { mib, ms, percentile } from '../stats.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** How the fleet misbehaves and how the server asks it. */
export interface FleetBench {
  readonly agents: number;
  readonly podsPerNode: number;
  /** Port of every agent: 7081 as real agents; 0 (ephemeral) where 7081 may be taken. */
  readonly port: number;
  readonly dead: number;
  readonly hung: number;
  readonly slow: number;
  readonly slowMs: number;
  readonly timeoutMs: number;
  /** The sources file's `concurrency`; undefined: the server's default. */
  readonly concurrency?: number;
}

interface Ready {
  readonly sourcesFile: string;
  readonly bytes: number;
  readonly agents: number;
}

/**
 * "Collect now" against a whole cluster's agents: a fleet of fake agents on loopback (its own
 * process) and the built `hoplens start --sources` (another), driven from here. Measures the
 * collection's wall time (POST /api/collect until its answer: the snapshot is stored), the server's peak RSS
 * (VmHWM: every thread, the analysis worker included) and the latency of GET /api/info asked every
 * 20 ms whatever the answers do (open loop: a stall counts for every request it delays), while
 * GET /api/collect is polled as the dashboard does.
 */
export async function fleetSuite(b: FleetBench): Promise<SuiteResult> {
  progress('fleet: building the CLI');
  buildRepo(repo);
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-fleet-'));
  progress(`fleet: starting ${b.agents} agents`);
  const fleet = await startWorker<Ready>('fleetWorker.ts', [
    ...['--dir', dir, '--agents', String(b.agents), '--pods', String(b.podsPerNode), '--port', String(b.port)],
    ...['--dead', String(b.dead), '--hung', String(b.hung), '--slow', String(b.slow), '--slow-ms', String(b.slowMs)],
    ...['--timeout-ms', String(b.timeoutMs)],
    ...(b.concurrency === undefined ? [] : ['--concurrency', String(b.concurrency)]),
  ]);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(fleet.ready.sourcesFile, join(dir, 'fleet.db'));
    const { url } = server;
    for (let i = 0; i < 20; i++) await fetch(`${url}/api/info`).then((r) => r.arrayBuffer());

    const info: number[] = [];
    const statusMs: number[] = [];
    let stop = false;
    const inFlight = new Set<Promise<void>>();
    const timed = (path: string, into: number[]): void => {
      const t = performance.now();
      const p = fetch(`${url}${path}`)
        .then((r) => r.arrayBuffer())
        .then(() => void into.push(performance.now() - t))
        .catch(() => void into.push(Number.POSITIVE_INFINITY))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const infoTimer = setInterval(() => !stop && timed('/api/info', info), 20);
    let answeredS: number | undefined;
    const t = performance.now();
    const statusTimer = setInterval(() => {
      if (stop) return;
      const asked = performance.now();
      void fetch(`${url}/api/collect`)
        .then(async (r) => validate(CollectStatusSchema, await r.json(), 'collect status'))
        .then((st) => {
          statusMs.push(performance.now() - asked);
          const { total, queued, collecting } = st.counts;
          if (answeredS === undefined && total > 0 && queued + collecting === 0) answeredS = (asked - t) / 1000;
        })
        .catch(() => undefined);
    }, 300);
    let rssMax = 0;
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, memOf(server!.pid).rss)), 100);

    progress(`fleet: collecting from ${b.agents} agents`);
    // The server holds the connection until the snapshot is stored, however long that takes: done
    // is its 201. (node:http, not fetch: fetch gives up waiting for an answer's headers at 300 s.)
    const answer = await post(`${url}/api/collect`);
    if (answer.status !== 201) throw new Error(`fleet: POST /api/collect answered ${answer.status}: ${answer.body}`);
    const summary = validate(SnapshotSummarySchema, JSON.parse(answer.body), 'snapshot summary');
    const wallS = (performance.now() - t) / 1000;
    stop = true;
    clearInterval(infoTimer);
    clearInterval(statusTimer);
    clearInterval(rssTimer);
    await Promise.all(inFlight);
    const status = validate(CollectStatusSchema, await (await fetch(`${url}/api/collect`)).json(), 'collect status');
    const peak = memOf(server.pid).hwm;
    await server.stop();
    server = undefined;
    await fleet.stop();
    const stats = JSON.parse(readFileSync(join(dir, 'fleet-stats.json'), 'utf8')) as {
      requests: number;
      mostInFlight: number;
    };
    const expectedFailed = b.dead + b.hung + (b.slowMs >= b.timeoutMs ? b.slow : 0);
    if (status.counts.failed !== expectedFailed || status.counts.done !== b.agents - expectedFailed)
      throw new Error(`fleet: expected ${expectedFailed} failed sources, got ${JSON.stringify(status.counts)}`);
    const p99 = percentile(info, 99);
    const setup = `${b.agents} agents × ${b.podsPerNode} pods (${mib(fleet.ready.bytes)} MiB of inventories), concurrency ${b.concurrency ?? 'default (64)'}, ${b.dead} dead + ${b.hung} hung + ${b.slow} answering after ${b.slowMs} ms, timeout ${b.timeoutMs} ms`;
    const figures: Figure[] = [
      {
        id: 'fleet.collect.wall',
        group: 'fleet',
        label: `"Collect now" from ${b.agents.toLocaleString('en-US')} agents: wall time to the stored snapshot`,
        value: ms(wallS),
        unit: 's',
        goal: { op: '<', value: 60 },
        note: `${setup}; ${status.counts.done} done, ${status.counts.failed} failed; the agents saw at most ${stats.mostInFlight} requests at once; POST /api/collect answered ${answer.status}`,
      },
      {
        id: 'fleet.collect.answered',
        group: 'fleet',
        label: 'of which: every agent answered or failed (the rest is making, analysing and storing the snapshot)',
        value: ms(answeredS ?? Number.NaN),
        unit: 's',
      },
      {
        id: 'fleet.collect.peakRss',
        group: 'fleet',
        label: 'server peak RSS (every thread), start to stored snapshot',
        value: mib(peak),
        unit: 'MiB',
        goal: { op: '<', value: 4096 },
        note: `highest RSS sampled during the collection ${mib(rssMax)} MiB`,
      },
      {
        id: 'fleet.info.p99',
        group: 'fleet',
        label: 'GET /api/info during the collection: p99 latency',
        value: ms(p99),
        unit: 'ms',
        goal: { op: '<', value: 100 },
        note: `${info.length} requests every 20 ms (open loop); p50 ${ms(percentile(info, 50))} ms, max ${ms(Math.max(...info))} ms; GET /api/collect every 300 ms: p99 ${ms(percentile(statusMs, 99))} ms`,
      },
    ];
    return {
      figures,
      details: {
        bench: b,
        bytes: fleet.ready.bytes,
        summary,
        status,
        fleet: stats,
        infoSamples: info.length,
      },
    };
  } finally {
    await server?.stop();
    await fleet.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A POST without a body, with no client-side timeout: its status and body. */
function post(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** RSS now and at its highest (VmHWM), in bytes, from /proc. */
function memOf(pid: number): { rss: number; hwm: number } {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: 0, hwm: 0 };
  }
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** The built `hoplens start --sources FILE` on an ephemeral port; resolves with its URL and pid. */
function startServer(sourcesFile: string, db: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [join(repo, 'apps/cli/dist/hoplens.js'), 'start', '--port', '0', '--no-demo', '--db', db, '--sources', sourcesFile],
    { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      const m = /hoplens dashboard: (\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], pid: child.pid!, stop });
    });
    void exited.then(() => reject(new Error(`hoplens start exited ${child.exitCode}`)));
  });
}
