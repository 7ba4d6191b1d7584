import { chromium } from '@playwright/test';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCluster } from '@hoplens/lab';
import { analyze, readSnapshot, type Snapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { progress } from '../childRun.ts';
import { SkipSuite, type Figure, type SuiteResult } from '../figure.ts';
import { CHROMIUM_LAUNCH } from '@hoplens/e2e/chromium';
import { measurePage, type PageRun, type Tap } from '../browser/measurePage.ts';
import { buildRepo, startServer } from '../browser/startServer.ts';
import { median, ms, percentile } from '../stats.ts';
import { existsSync } from 'node:fs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PORT = 7391;

async function store(url: string, snapshot: Snapshot): Promise<string> {
  const res = await fetch(`${url}/api/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(snapshot),
  });
  if (res.status !== 201) throw new Error(`storing ${snapshot.id}: ${res.status} ${await res.text()}`);
  return snapshot.id;
}

interface Case {
  readonly key: string;
  readonly label: string;
  readonly url: string;
  readonly tap: Tap;
  readonly runs: number;
  readonly note: string;
}

/** Medians over runs; frame figures over every frame of every run. */
function summarize(runs: readonly PageRun[]) {
  const frames = runs.flatMap((r) => r.frames);
  return {
    firstGraphMs: ms(median(runs.map((r) => r.firstGraphMs))),
    interactiveMs: ms(median(runs.map((r) => r.interactiveMs))),
    tapMs: ms(median(runs.map((r) => r.tapMs))),
    frameP50Ms: ms(percentile(frames, 50)),
    frameP95Ms: ms(percentile(frames, 95)),
    frameMaxMs: ms(Math.max(...frames)),
    frames: frames.length,
    longTasks: runs.reduce((n, r) => n + r.longTasks, 0),
    elements: runs[0]?.elements ?? 0,
  };
}

/**
 * The dashboard in Debian's Chromium against a real `hoplens start`: time to first graph and to
 * interactive, a click's response, and frame times while panning with the mouse, for the recorded
 * seed and for a synthetic snapshot of `nodes` nodes with 3 pod VMs each (1,250 nodes: 5,004 hosts).
 */
export async function browserSuite(nodes: number, runs: number): Promise<SuiteResult> {
  if (!existsSync(CHROMIUM_LAUNCH.executablePath))
    throw new SkipSuite(`no Chromium at ${CHROMIUM_LAUNCH.executablePath} (apt install chromium)`);
  progress('browser: building the web app');
  buildRepo(repo);
  const server = await startServer(repo, PORT);
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const seed = readSnapshot(broken);
    const seedId = await store(server.url, seed);
    const seedIf = analyze(seed).findings[0]?.subjects[0] ?? '';
    progress(`browser: generating and storing a ${nodes}-node synthetic snapshot`);
    const { snapshot } = generateCluster({ nodes, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 5 });
    const synthId = await store(server.url, snapshot);
    const cases: Case[] = [
      {
        key: 'seed',
        label: 'seed (2 hosts)',
        url: `${server.url}/s/${seedId}`,
        tap: { id: seedIf },
        runs,
        note: 'click: select an interface',
      },
      {
        key: 'synthetic',
        label: `synthetic (${snapshot.hosts.length} hosts)`,
        url: `${server.url}/s/${encodeURIComponent(synthId)}`,
        tap: { id: 'host:node-0', opens: 'ns:node-0/' },
        runs,
        note: 'click: expand a host group (server round trip included)',
      },
    ];
    const figures: Figure[] = [];
    const details: Record<string, unknown> = { hosts: snapshot.hosts.length, pods: snapshot.pods.length };
    const summaries: Record<string, ReturnType<typeof summarize>> = {};
    for (const c of cases) {
      // One unmeasured visit: the server analyses the snapshot once, as it would for its first viewer.
      await measurePage(browser, c.url, c.tap);
      const measured: PageRun[] = [];
      for (let i = 0; i < c.runs; i++) {
        progress(`browser: ${c.key} run ${i + 1}/${c.runs}`);
        measured.push(await measurePage(browser, c.url, c.tap));
      }
      const s = summarize(measured);
      summaries[c.key] = s;
      details[c.key] = { ...s, runs: measured.map(({ frames: _f, ...r }) => ({ ...r, frames: _f.length })) };
      const big = c.key === 'synthetic';
      figures.push(
        {
          id: `browser.${c.key}.firstGraph`,
          group: 'browser',
          label: `${c.label}: time to first graph`,
          value: s.firstGraphMs,
          unit: 'ms',
          ...(big ? { goal: { op: '<' as const, value: 3000 } } : {}),
          note: `${s.elements} elements drawn; median of ${c.runs} fresh page loads`,
        },
        {
          id: `browser.${c.key}.interactive`,
          group: 'browser',
          label: `${c.label}: time to interactive`,
          value: s.interactiveMs,
          unit: 'ms',
          ...(big ? { goal: { op: '<' as const, value: 4000 } } : {}),
          note: 'graph painted and the main thread free for input',
        },
        {
          id: `browser.${c.key}.tap`,
          group: 'browser',
          label: `${c.label}: click to response drawn`,
          value: s.tapMs,
          unit: 'ms',
          note: c.note,
        },
        {
          id: `browser.${c.key}.panP95`,
          group: 'browser',
          label: `${c.label}: frame time while panning, p95`,
          value: s.frameP95Ms,
          unit: 'ms',
          ...(big ? { goal: { op: '<' as const, value: 50 } } : {}),
          note: `p50 ${s.frameP50Ms} ms, max ${s.frameMaxMs} ms over ${s.frames} frames; ${s.longTasks} long tasks`,
        },
      );
    }
    const seedS = summaries.seed;
    const synthS = summaries.synthetic;
    if (seedS && synthS)
      figures.push({
        id: 'browser.panRatio',
        group: 'browser',
        label: 'pan frame time p95, synthetic ÷ seed',
        value: Math.round((synthS.frameP95Ms / seedS.frameP95Ms) * 100) / 100,
        unit: '×',
        goal: { op: '<=', value: 3 },
        note: 'measured side by side in this run',
      });
    return { figures, details };
  } finally {
    await browser.close();
    await server.stop();
  }
}
