import { existsSync } from 'node:fs';
import {
  agentProbeInfo,
  assertProbeRoot,
  finishProbe,
  netnsFileOf,
  newProbeMark,
  observeProbe,
  probeAgent,
  ProbeInputError,
  sourceLabel,
  DEFAULT_AGENT_TIMEOUT_MS,
} from '@hoplens/collector';
import {
  mergeObservations,
  offPathTargets,
  requestEndpoints,
  SnapshotIndex,
  trace,
  TraceInputError,
  watchList,
  type HostMap,
  type ProbeMark,
  type ProbeObservation,
  type ProbeQuery,
  type ProbeResult,
  type ProbeSend,
  type ProbeSummary,
  type ProbeTarget,
  type Source,
  type SourcesConfig,
} from '@hoplens/model';
import type { ProbeStore } from '../store/probeStore.ts';
import { ServiceError } from './serviceError.ts';
import type { SnapshotService } from './snapshotService.ts';

type AgentSource = Extract<Source, { kind: 'agent' }>;

/** Where a host of the path is probed from: this machine (a local source's host map) or an agent. */
type Reach = { kind: 'local'; map: HostMap } | { kind: 'agent'; source: AgentSource; label: string };

/** ping's longest wait (count × 0.2 s + 1 s) plus the kernel's (a neighbour giving up) and some slack. */
const windowMs = (count: number): number => count * 200 + 1000 + 3500 + 1500;
const ARM_TIMEOUT_MS = 15_000;

/**
 * Real pings checked against a snapshot's prediction (`POST /api/snapshots/:id/probe`): traces the
 * path, finds for every host on it the source that reaches it now (this machine for local
 * sources, its agent otherwise), refuses while any is unreachable, has the watchers arm first and
 * the origin ping last, and stores the result and its pcap beside the snapshot. One at a time.
 */
export class ProbeService {
  private running = false;

  constructor(
    private readonly snapshots: SnapshotService,
    private readonly store: ProbeStore | undefined,
    private readonly sources: SourcesConfig | undefined,
  ) {
    // A deleted snapshot takes its probes with it, whether a user or retention deleted it.
    snapshots.onForget(async (ids) => this.store?.deleteFor(ids));
  }

  async list(snapshotId: string): Promise<ProbeSummary[]> {
    await this.snapshots.snapshot(snapshotId); // 404 for an unknown snapshot
    return (await this.store?.list(snapshotId)) ?? [];
  }

  async get(snapshotId: string, probeId: string): Promise<ProbeResult> {
    const r = await this.store?.get(snapshotId, probeId);
    if (!r) throw new ServiceError(404, `no probe ${probeId} of snapshot ${snapshotId}`);
    return r;
  }

  async pcap(snapshotId: string, probeId: string): Promise<Buffer> {
    const p = await this.store?.pcap(snapshotId, probeId);
    if (!p) throw new ServiceError(404, `no probe ${probeId} of snapshot ${snapshotId}`);
    return p;
  }

  async probe(snapshotId: string, q: ProbeQuery): Promise<ProbeResult> {
    // The analysis lives in a worker thread; a probe (rare, seconds long) indexes its snapshot here.
    const index = new SnapshotIndex(await this.snapshots.snapshot(snapshotId));
    if (!this.store || !this.sources)
      throw new ServiceError(409, 'this server has no sources: probes run on the hosts it collects from');
    let send: ProbeSend;
    let predicted;
    try {
      const ends = requestEndpoints(index, q);
      send = { from: ends.from, to: ends.to, count: q.count ?? 3, size: q.size ?? 56, df: q.df ?? false };
      predicted = trace(index, ends.from, ends.to, { size: send.size, df: send.df });
    } catch (e) {
      if (e instanceof TraceInputError) throw new ServiceError(400, e.message);
      throw e;
    }
    if (this.running) throw new ServiceError(409, 'a probe is running; try again when it ends');
    this.running = true;
    try {
      const offPath = offPathTargets(predicted, index);
      const watch = watchList(predicted, offPath);
      const reach = await this.reach([send.from.host, ...watch.map((t) => t.host)], [send.from, ...watch]);
      const mark = newProbeMark();
      const createdAt = new Date().toISOString();
      const observation = mergeObservations(await this.observe(reach, send, watch, mark));
      const { result, pcap } = finishProbe({ snapshotId, createdAt, send, mark, predicted, offPath, observation });
      await this.store.put(result, pcap);
      return result;
    } finally {
      this.running = false;
    }
  }

  /** The source that reaches each host now; 409 naming every host that none does. */
  private async reach(
    hosts: readonly string[],
    refs: readonly { host: string; netns: string | null }[],
  ): Promise<Map<string, Reach>> {
    const wanted = new Set(hosts);
    const found = new Map<string, Reach>();
    const why: string[] = [];
    for (const s of this.sources!.sources) {
      if (s.kind !== 'local') continue;
      // One reach per source, not per host: its hosts are this machine's, observed together by one
      // trace that follows a buffer through all their devices (a part per host each saw only its own).
      const local: Reach = { kind: 'local', map: { hosts: s.hosts } };
      for (const h of s.hosts) if (wanted.has(h.name)) found.set(h.name, local);
    }
    await Promise.all(
      this.sources!.sources.filter((s): s is AgentSource => s.kind === 'agent').map(async (source) => {
        const label = sourceLabel(source);
        try {
          const info = await agentProbeInfo(
            source,
            source.timeoutMs ?? this.sources!.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
          );
          for (const h of info.hosts)
            if (wanted.has(h.name) && !found.has(h.name)) found.set(h.name, { kind: 'agent', source, label });
        } catch (e) {
          why.push(`${label}: ${(e as Error).message}`);
        }
      }),
    );
    const unserved = [...wanted].filter((h) => !found.has(h));
    const missing = [...unserved];
    for (const ref of refs) {
      const r = found.get(ref.host);
      if (r?.kind !== 'local') continue;
      try {
        const file = netnsFileOf(r.map, ref);
        if (file !== '-' && !existsSync(file))
          missing.push(`${ref.host} (its namespace ${ref.netns ?? '(root)'} is gone)`);
      } catch (e) {
        missing.push(`${ref.host} (${(e as Error).message})`);
      }
    }
    if (missing.length > 0) {
      throw new ServiceError(
        409,
        `not reachable now: ${[...new Set(missing)].join(', ')}${why.length ? `; ${why.join('; ')}` : ''}` +
          // A recorded or imported snapshot (the demo's) names hosts this server has no source for
          // (said only when every agent answered: one that did not may be the one serving them).
          (unserved.length > 0 && why.length === 0
            ? `; no source of this server collects ${unserved.join(', ')}: a snapshot is probed only where a source reaches its hosts (not a recorded or imported one from elsewhere)`
            : ''),
      );
    }
    return found;
  }

  /** Watchers first, each armed before the origin pings; every part's observation. */
  private async observe(
    reach: Map<string, Reach>,
    send: ProbeSend,
    watch: readonly ProbeTarget[],
    mark: ProbeMark,
  ): Promise<ProbeObservation[]> {
    const parts = new Map<Reach, ProbeTarget[]>();
    for (const t of watch) {
      const r = reach.get(t.host)!;
      parts.set(r, [...(parts.get(r) ?? []), t]);
    }
    const origin = reach.get(send.from.host)!;
    if (!parts.has(origin)) parts.set(origin, []);
    const window = windowMs(send.count);
    const run = (r: Reach, targets: ProbeTarget[], withSend: boolean) => {
      const sending = withSend ? { send } : {};
      if (r.kind === 'agent') {
        return probeAgent(
          r.source,
          { mark, watch: targets, windowMs: window, ...sending },
          window + ARM_TIMEOUT_MS * 2,
        );
      }
      let arm: () => void = () => undefined;
      const armed = new Promise<void>((resolve) => (arm = resolve));
      try {
        assertProbeRoot();
      } catch (e) {
        throw new ServiceError(409, `this server cannot probe its local hosts: ${(e as Error).message}`);
      }
      const observation = observeProbe({
        map: r.map,
        mark,
        watch: targets,
        windowMs: window,
        onArmed: arm,
        ...sending,
      });
      void observation.then(arm, arm);
      return { armed, observation };
    };
    try {
      const watchers = [...parts].filter(([r]) => r !== origin).map(([r, t]) => run(r, t, false));
      await Promise.all(watchers.map((w) => withTimeout(w.armed, ARM_TIMEOUT_MS, 'a watching agent did not arm')));
      const sender = run(origin, parts.get(origin)!, true);
      return await Promise.all([sender.observation, ...watchers.map((w) => w.observation)]);
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      if (e instanceof ProbeInputError) throw new ServiceError(409, e.message);
      throw new ServiceError(502, `the probe failed: ${(e as Error).message}`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} in ${ms} ms`)), ms).unref()),
  ]);
}
