import { collectSources, createSnapshot, kubernetesPods, snapshotName, sourceLabel } from '@hoplens/collector';
import {
  summarizeCollection,
  type CollectStatus,
  type HostInventory,
  type KubePod,
  type Snapshot,
  type SourceRun,
  type SourcesConfig,
} from '@hoplens/model';
import { collectInChild } from './collectInChild.ts';

const KUBERNETES = 'Kubernetes API (pod names)';

/**
 * Collection runs over the configured sources, one at a time: this machine's namespaces in a child
 * process (DESIGN §7), agents and dumps a bounded number at once, each with its timeout, and pod
 * names from the Kubernetes API where configured. A source that fails is a host with its error in
 * the snapshot, so a run always yields a snapshot, partial or whole. Progress is kept per source in
 * place (an update costs O(1) with 5,000 agents) and summed up only when asked.
 */
export class Collections {
  private running: Promise<Snapshot> | undefined;
  /** The current (or last) run's sources, in the sources' order; the Kubernetes API last. */
  private runs: SourceRun[] = [];

  constructor(
    private readonly config: SourcesConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where the current (or last) run stands: counts, the slowest sources and the first failures. */
  status(): CollectStatus {
    return { running: this.running !== undefined, ...summarizeCollection(this.runs, this.now()) };
  }

  /** Starts a run, or joins the one in progress. */
  run(): Promise<Snapshot> {
    this.running ??= this.collect().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async collect(): Promise<Snapshot> {
    this.runs = this.config.sources.map((s) => ({ source: sourceLabel(s), state: 'queued', hosts: 0 }));
    const [hosts, pods] = await Promise.all([this.hosts(), this.kubePods()]);
    return createSnapshot(hosts, snapshotName(this.config), pods);
  }

  private hosts(): Promise<HostInventory[]> {
    return collectSources(this.config, {
      collectLocal: async (map) => (await collectInChild(map, 'local')).hosts,
      onProgress: (p) => this.update(p.index, p.state, p.hosts, p.message),
    });
  }

  /** Pods as Kubernetes names them, where configured; on failure the snapshot infers them, and says why here. */
  private async kubePods(): Promise<KubePod[] | undefined> {
    const k = this.config.kubernetes;
    if (!k) return undefined;
    const index = this.runs.push({ source: KUBERNETES, state: 'queued', hosts: 0 }) - 1;
    this.update(index, 'collecting', 0);
    try {
      const pods = await kubernetesPods(k.kubeconfig, k.timeoutMs);
      this.update(index, 'done', 0);
      return pods;
    } catch (e) {
      this.update(index, 'failed', 0, `${(e as Error).message}; pods are inferred`);
      return undefined;
    }
  }

  private update(index: number, state: SourceRun['state'], hosts: number, message?: string): void {
    const run = this.runs[index];
    if (!run) return;
    const at = this.now();
    this.runs[index] = {
      source: run.source,
      state,
      hosts,
      ...(state === 'collecting' ? { startedAt: at } : run.startedAt === undefined ? {} : { startedAt: run.startedAt }),
      ...(state === 'done' || state === 'failed' ? { endedAt: at } : {}),
      ...(message === undefined ? {} : { message }),
    };
  }
}
