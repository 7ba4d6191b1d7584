import { collectSources, createSnapshot, kubernetesPods, snapshotName, sourceLabel } from '@hoplens/collector';
import type { CollectStatus, HostInventory, KubePod, Snapshot, SourcesConfig } from '@hoplens/model';
import { collectInChild } from './collectInChild.ts';

const KUBERNETES = 'Kubernetes API (pod names)';

type SourceStatus = CollectStatus['sources'][number];

/**
 * Collection runs over the configured sources, one at a time: this machine's namespaces in a child
 * process (DESIGN §7), agents and dumps concurrently, each with its timeout, and pod names from the
 * Kubernetes API where configured. A source that fails is a host with its error in the snapshot,
 * so a run always yields a snapshot, partial or whole.
 */
export class Collections {
  private running: Promise<Snapshot> | undefined;
  private status_: CollectStatus = { running: false, sources: [] };

  constructor(private readonly config: SourcesConfig) {}

  /** Where the current (or last) run stands, per source. */
  status(): CollectStatus {
    return this.status_;
  }

  /** Starts a run, or joins the one in progress. */
  run(): Promise<Snapshot> {
    this.running ??= this.collect().finally(() => {
      this.running = undefined;
      this.status_ = { ...this.status_, running: false };
    });
    return this.running;
  }

  private async collect(): Promise<Snapshot> {
    const sources: SourceStatus[] = this.config.sources.map((s) => ({
      source: sourceLabel(s),
      state: 'collecting',
      hosts: 0,
    }));
    if (this.config.kubernetes) sources.push({ source: KUBERNETES, state: 'collecting', hosts: 0 });
    this.status_ = { running: true, sources };
    const [hosts, pods] = await Promise.all([this.hosts(), this.kubePods()]);
    return createSnapshot(hosts, snapshotName(this.config), pods);
  }

  private hosts(): Promise<HostInventory[]> {
    return collectSources(this.config, {
      collectLocal: async (map) => (await collectInChild(map, 'local')).hosts,
      onProgress: (p) =>
        this.update({ source: p.source, state: p.state, hosts: p.hosts, ...(p.message ? { message: p.message } : {}) }),
    });
  }

  /** Pods as Kubernetes names them, where configured; on failure the snapshot infers them, and says why here. */
  private async kubePods(): Promise<KubePod[] | undefined> {
    const k = this.config.kubernetes;
    if (!k) return undefined;
    try {
      const pods = await kubernetesPods(k.kubeconfig, k.timeoutMs);
      this.update({ source: KUBERNETES, state: 'done', hosts: 0 });
      return pods;
    } catch (e) {
      this.update({
        source: KUBERNETES,
        state: 'failed',
        hosts: 0,
        message: `${(e as Error).message}; pods are inferred`,
      });
      return undefined;
    }
  }

  private update(s: SourceStatus): void {
    this.status_ = { running: true, sources: this.status_.sources.map((o) => (o.source === s.source ? s : o)) };
  }
}
