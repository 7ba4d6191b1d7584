import { gzipSync } from 'node:zlib';
import type { Analysis, GraphQuery, ViewQuery } from '@hoplens/model';
import { viewsOf } from './analysisViews.ts';
import { inBackground } from './inBackground.ts';
import { RenderedCache } from './renderedCache.ts';

/** Bytes of rendered views (focused graphs, overviews) kept across snapshots. */
const RENDERED_BUDGET = 256 * 2 ** 20;

/**
 * The dashboard's views of analysed snapshots as gzipped JSON. A snapshot never changes, so a view
 * once rendered is kept (within RENDERED_BUDGET) for the next viewer, compressed: a host's view is
 * ~55 kB of JSON, ~6 kB gzipped. The whole graph (10⁶ elements at cluster scale) is rendered per
 * request, never kept.
 */
export class RenderedViews {
  private readonly rendered = new RenderedCache(RENDERED_BUDGET);
  private readonly prerenders = new WeakMap<Analysis, Promise<number>>();

  /** The whole graph, or with `focus` one element's neighbourhood. */
  graph(id: string, analysis: Analysis, q: GraphQuery): Buffer {
    if (q.focus === undefined) return gzipSync(JSON.stringify(analysis.graph), { level: 1 });
    return this.focused(id, analysis, q.focus);
  }

  /**
   * What the dashboard draws: the whole graph of a small snapshot, or the overview of host groups
   * with the listed groups expanded (an overview of 5,000 hosts is a few hundred kB of JSON).
   */
  view(id: string, analysis: Analysis, q: ViewQuery): Buffer {
    const expand = [...new Set((q.expand ?? '').split(',').filter(Boolean))].sort();
    return this.rendered.get(`${id}\0view\0${expand.join(',')}`, () =>
      gzipSync(JSON.stringify(viewsOf(analysis).disclosure.view(expand)), { level: 1 }),
    );
  }

  /**
   * Renders every host's focused view in the background, once per analysis, so the first person
   * to open any host waits for nothing; stops when `current()` says the analysis was evicted.
   * Resolves with the number of views rendered.
   */
  prerender(id: string, analysis: Analysis, current: () => boolean): Promise<number> {
    let done = this.prerenders.get(analysis);
    if (done === undefined) {
      const hosts = analysis.graph.nodes.filter((n) => n.kind === 'host');
      done = inBackground(hosts, (h) => this.focused(id, analysis, h.id), {
        // Past half the budget, views would push each other out: leave the rest to be rendered on demand.
        stop: () => this.rendered.usedBytes > RENDERED_BUDGET / 2 || !current(),
      });
      this.prerenders.set(analysis, done);
    }
    return done;
  }

  /** Any other answer about a snapshot that is worth keeping (its findings, its pods), as gzipped JSON. */
  json(id: string, name: string, make: () => unknown): Buffer {
    return this.rendered.get(`${id}\0${name}\0`, () => gzipSync(JSON.stringify(make()), { level: 1 }));
  }

  /**
   * What changed from `a` to `b`, kept under `b` like its other answers: two snapshots never change,
   * so neither does their comparison (58,000 changes between two clusters take seconds to work out).
   */
  compare(a: string, b: string, make: () => unknown): Buffer {
    return this.json(b, `compare\0${a}`, make);
  }

  /** Whether the comparison of `a` with `b` is kept: then neither analysis is needed to answer it. */
  hasCompare(a: string, b: string): boolean {
    return this.rendered.find(`${b}\0compare\0${a}\0`) !== undefined;
  }

  /** Drops a deleted snapshot's views, and every comparison it is part of. */
  forget(id: string): void {
    this.rendered.forget(`${id}\0`);
    this.rendered.forgetWhere((key) => key.endsWith(`\0compare\0${id}\0`));
  }

  private focused(id: string, analysis: Analysis, focusId: string): Buffer {
    return this.rendered.get(`${id}\0${focusId}`, () =>
      gzipSync(JSON.stringify(viewsOf(analysis).focus.focus(focusId))),
    );
  }
}
