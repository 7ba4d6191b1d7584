import type { FindingRef, SnapshotSummary, StoreInfo, Timeline } from '@hoplens/model';
import type { SnapshotStore } from '../store/snapshotStore.ts';
import { describeRetention, expiredSnapshots, type Expired, type RetentionPolicy } from './retention.ts';
import { ServiceError } from './serviceError.ts';
import type { SnapshotService } from './snapshotService.ts';
import { buildTimeline, newFindings, type SeriesEntry } from './timeline.ts';
import { UsageCache } from './usageCache.ts';

export interface HistoryOptions {
  readonly retention: RetentionPolicy;
  /** Where retention's deletions (and background failures) are written. */
  readonly log: (message: string) => void;
  readonly now?: () => number;
}

/**
 * History across snapshots: the timeline of findings, the "new finding" announcements, pins and
 * retention. Each snapshot's findings are stored with it, so none of this runs a rule again (a
 * snapshot stored before findings were kept is analysed once, the first time history needs it).
 */
export class HistoryService {
  private readonly off: (() => void)[] = [];
  private retention: Promise<Expired[]> | undefined;
  private retentionAgain = false;
  /** GET /api/info's counts: never waiting behind a snapshot being written, counted again once it is. */
  private readonly usage: UsageCache<Omit<StoreInfo, 'retention'>>;

  constructor(
    private readonly service: SnapshotService,
    private readonly store: SnapshotStore,
    private readonly opts: HistoryOptions,
  ) {
    const usage = new UsageCache(() => store.usage());
    this.usage = usage;
    service.events.subscribe((e) => {
      if (e.name === 'snapshot') usage.invalidate();
    });
    service.onForget(() => {
      usage.invalidate();
      return Promise.resolve();
    });
  }

  /** Follows new snapshots, stored here or (PostgreSQL) by another server on the same database. */
  start(): void {
    this.off.push(
      this.service.events.subscribe((e) => {
        if (e.name !== 'snapshot') return;
        void this.announce(e.data).catch((err: unknown) => this.opts.log(`findings of ${e.data.id}: ${String(err)}`));
      }),
      this.store.onForeignPut((id) => {
        void this.store.summary(id).then(
          (summary) => summary && this.service.events.emit(summary),
          (err: unknown) => this.opts.log(`snapshot ${id} from another server: ${String(err)}`),
        );
      }),
    );
  }

  stop(): void {
    for (const off of this.off.splice(0)) off();
  }

  /** Findings over time across the snapshots of `id`'s source. */
  async timeline(id: string): Promise<Timeline> {
    const summary = await this.store.summary(id);
    if (!summary) throw new ServiceError(404, `no snapshot ${id}`);
    const { series, keys } = await this.series(summary.source);
    return buildTimeline(summary.source, series, keys);
  }

  /** Pins a snapshot (a link to it was shared): retention keeps it. */
  async pin(id: string): Promise<SnapshotSummary> {
    const summary = (await this.store.pin(id)) ? await this.store.summary(id) : undefined;
    if (!summary) throw new ServiceError(404, `no snapshot ${id}`);
    return summary;
  }

  async info(): Promise<StoreInfo> {
    return { ...(await this.usage.get()), retention: describeRetention(this.opts.retention) };
  }

  /**
   * Deletes what the retention policy lets go, logging each deletion. Runs one at a time; asked
   * again meanwhile, it runs once more after.
   */
  applyRetention(): Promise<Expired[]> {
    if (this.retention) {
      this.retentionAgain = true;
      return this.retention;
    }
    this.retention = this.retain().finally(() => {
      this.retention = undefined;
      if (this.retentionAgain) {
        this.retentionAgain = false;
        void this.applyRetention();
      }
    });
    return this.retention;
  }

  private async retain(): Promise<Expired[]> {
    const policy = this.opts.retention;
    if (policy.keepMs === undefined && policy.keepLast === undefined) return [];
    await this.series();
    const { entries } = await this.store.history();
    const expired = expiredSnapshots(entries, policy, (this.opts.now ?? Date.now)());
    const gone = new Set(await this.service.forget(expired.map((e) => e.id)));
    const deleted = expired.filter((e) => gone.has(e.id));
    for (const e of deleted) {
      this.opts.log(`retention deleted snapshot ${e.id} (${e.source}, ${e.createdAt}): ${e.reason}`);
    }
    return deleted;
  }

  /** Tells open dashboards of the findings a new snapshot has that the one before it lacked. */
  private async announce(summary: SnapshotSummary): Promise<void> {
    const { series, keys } = await this.series(summary.source);
    const { before, added } = newFindings(series, summary.id);
    const refs = added.flatMap((id) => keys.get(id) ?? []);
    if (refs.length > 0) this.service.events.emitFindings({ snapshot: summary, before, added: refs });
  }

  /**
   * The snapshots of a source (or all), oldest first, each with its findings: those stored without
   * them are analysed now, once, and their findings stored.
   */
  private async series(source?: string): Promise<{ series: SeriesEntry[]; keys: ReadonlyMap<number, FindingRef> }> {
    let history = await this.store.history(source);
    const missing = history.entries.filter((e) => e.findings === null);
    if (missing.length > 0) {
      for (const e of missing) {
        const refs = await this.service.findingRefs(e.id).catch(() => undefined);
        if (refs) await this.store.recordFindings(e.id, refs);
      }
      history = await this.store.history(source);
    }
    const series = history.entries.flatMap((e) => (e.findings === null ? [] : [{ ...e, findings: e.findings }]));
    return { series, keys: history.keys };
  }
}
