import { collectSources, createSnapshot, sourceLabel } from '@hoplens/collector';
import type { CollectStatus, Snapshot, SourcesConfig } from '@hoplens/model';
import { collectInChild } from './collectInChild.ts';

/**
 * Collection runs over the configured sources, one at a time: this machine's namespaces in a child
 * process (DESIGN §7), agents and dumps concurrently, each with its timeout. A source that fails is
 * a host with its error in the snapshot, so a run always yields a snapshot, partial or whole.
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
    const sources = this.config.sources.map((s) => ({
      source: sourceLabel(s),
      state: 'collecting' as const,
      hosts: 0,
    }));
    this.status_ = { running: true, sources };
    const hosts = await collectSources(this.config, {
      collectLocal: async (map) => (await collectInChild(map, 'local')).hosts,
      onProgress: (p) => {
        this.status_ = {
          running: true,
          sources: this.status_.sources.map((s) =>
            s.source === p.source
              ? { source: p.source, state: p.state, hosts: p.hosts, ...(p.message ? { message: p.message } : {}) }
              : s,
          ),
        };
      },
    });
    const label = this.config.sources.length === 1 && this.config.sources[0]?.kind === 'local' ? 'local' : 'sources';
    return createSnapshot(hosts, label);
  }
}
