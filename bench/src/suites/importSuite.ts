import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { progress, startWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { ms } from '../stats.ts';
import { BUILT_CLI, buildCli } from './cli.ts';

const MiB = 2 ** 20;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

/** The built CLI's server on an ephemeral port over `db`, as a user starts it. */
async function startServer(db: string): Promise<Server> {
  const audit = join(dirname(db), 'audit.log');
  const args = ['start', '--port', '0', '--db', db, '--no-demo', '--audit-log', audit];
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /hoplens dashboard: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hoplens start exited ${code}`)));
  });
  return { url, child };
}

async function stop(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

/** The process's peak resident set so far (VmHWM), in MiB: its worker threads included. */
const peakRssMib = (pid: number): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

/** Asks /api/info every 100 ms from another process until stopped (infoPollWorker.ts); the slowest answer, in ms. */
async function pollInfo(url: string, dir: string): Promise<{ stop: () => Promise<{ maxMs: number; count: number }> }> {
  const out = join(dir, 'info-poll.json');
  const poller = await startWorker<{ ready: true }>('infoPollWorker.ts', ['--url', url, '--out', out]);
  return {
    stop: async () => {
      await poller.stop();
      return JSON.parse(readFileSync(out, 'utf8')) as { maxMs: number; count: number };
    },
  };
}

/** Counts `event: prepare` blocks on the event stream until aborted. */
function countPrepareEvents(url: string, signal: AbortSignal): { stages: string[]; done: Promise<void> } {
  const stages: string[] = [];
  const done = (async () => {
    const res = await fetch(`${url}/api/events`, { signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buffer += value;
      for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (block.startsWith('event: prepare\n'))
          stages.push((JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { stage: string }).stage);
      }
    }
  })().catch(() => undefined);
  return { stages, done };
}

/**
 * A synthetic cluster of `nodes` nodes and 30 pods a node (5,000: 150,000 pods, 368 MB of JSON)
 * imported gzip-compressed through the HTTP API of the built server: wall time, the server's peak
 * RSS, and /api/info's slowest answer meanwhile. Then the server is restarted and the dashboard's
 * first view asked for (view and findings together, as the dashboard asks): the cold open.
 */
export async function importSuite(nodes: number): Promise<SuiteResult> {
  buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-import-'));
  try {
    const json = join(dir, 'synth.json');
    progress(`import: hoplens lab synth --nodes ${nodes} --pods-per-node 30`);
    const synth = spawnSync(
      process.execPath,
      [BUILT_CLI, 'lab', 'synth', '--nodes', String(nodes), '--pods-per-node', '30', '--out', json],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (synth.status !== 0) throw new Error(`lab synth exited ${synth.status ?? synth.signal}`);
    const gz = `${json}.gz`;
    await pipeline(createReadStream(json), createGzip({ level: 6 }), createWriteStream(gz));
    const jsonBytes = statSync(json).size;
    const gzBytes = statSync(gz).size;
    const db = join(dir, 'h.db');

    progress(`import: POST ${Math.round(gzBytes / MiB)} MiB gzip (${Math.round(jsonBytes / MiB)} MiB JSON)`);
    let server = await startServer(db);
    const pid = server.child.pid!;
    const rssBefore = peakRssMib(pid);
    await (await fetch(`${server.url}/api/info`)).arrayBuffer(); // warm: the first answer of a new server is not the import's doing
    const info = await pollInfo(server.url, dir);
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: readFileSync(gz),
    }).catch((e: unknown) => {
      throw new Error(`the import failed: ${String((e as Error).cause ?? e)}`);
    });
    const body = (await res.json()) as { id?: string; message?: string };
    const importMs = performance.now() - t0;
    const during = await info.stop();
    if (res.status !== 201 || body.id === undefined) throw new Error(`import answered ${res.status}: ${body.message}`);
    const importPeak = peakRssMib(pid);
    await stop(server);

    progress('import: restarted; the first view, cold');
    server = await startServer(db);
    const abort = new AbortController();
    const events = countPrepareEvents(server.url, abort.signal);
    await new Promise((r) => setTimeout(r, 200));
    const base = `${server.url}/api/snapshots/${encodeURIComponent(body.id)}`;
    const t1 = performance.now();
    const [view, findings] = await Promise.all([fetch(`${base}/view`), fetch(`${base}/findings`)]);
    await Promise.all([view.arrayBuffer(), findings.arrayBuffer()]);
    const coldMs = performance.now() - t1;
    if (view.status !== 200 || findings.status !== 200)
      throw new Error(`cold open answered ${view.status}/${findings.status}`);
    const coldPeak = peakRssMib(server.child.pid!);
    abort.abort();
    await events.done;
    await stop(server);

    const group = `Import and cold open (${nodes} nodes, ${nodes * 30} pods, ${Math.round(jsonBytes / 1e6)} MB JSON, ${Math.round(gzBytes / 1e6)} MB gzip)`;
    const figures: Figure[] = [
      {
        id: 'import.gzipMs',
        group,
        label: 'gzip import through POST /api/snapshots (parse, validate, analyse, store)',
        value: ms(importMs),
        unit: 'ms',
        goal: { op: '<', value: 60_000 },
      },
      {
        id: 'import.peakRssMib',
        group,
        label: 'server peak RSS during the import',
        value: Math.round(importPeak),
        unit: 'MiB',
        goal: { op: '<', value: 4096 },
        note: `${Math.round(rssBefore)} MiB before`,
      },
      {
        id: 'import.infoMaxMs',
        group,
        label: '/api/info slowest answer during the import',
        value: ms(during.maxMs),
        unit: 'ms',
        goal: { op: '<', value: 100 },
        note: `${during.count} asked, every 100 ms after each answer, from another process than the upload's`,
      },
      {
        id: 'import.coldOpenMs',
        group,
        label: 'cold open after a restart: view + findings',
        value: ms(coldMs),
        unit: 'ms',
        goal: { op: '<', value: 3000 },
        note: `${events.stages.length} progress events`,
      },
      {
        id: 'import.coldPeakRssMib',
        group,
        label: 'server peak RSS during the cold open',
        value: Math.round(coldPeak),
        unit: 'MiB',
        goal: { op: '<', value: 4096 },
      },
    ];
    return { figures, details: { jsonBytes, gzBytes, prepareStages: events.stages, infoPolls: during.count } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
