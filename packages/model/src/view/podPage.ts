import { podKey } from '../trace/podTrace.ts';
import type { PodPage, PodQuery } from '../schema/podPage.ts';
import type { Pod } from '../schema/snapshot.ts';

/** Pods a page holds when the query does not say. */
export const DEFAULT_POD_PAGE = 40;

/**
 * A page of pods matching `q` (case-insensitive, in `namespace/name` or any IP), in snapshot order.
 * A pod whose key is `q` exactly comes first, so a typed or linked key is always on the first page.
 */
export function podPage(pods: readonly Pod[], query: PodQuery): PodPage {
  const q = (query.q ?? '').trim().toLowerCase();
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_POD_PAGE;
  const matching =
    q === ''
      ? pods
      : pods.filter((p) => podKey(p).toLowerCase().includes(q) || p.ips.some((ip) => ip.toLowerCase().includes(q)));
  const isExact = (p: Pod): boolean => podKey(p).toLowerCase() === q;
  const ordered = [...matching.filter(isExact), ...matching.filter((p) => !isExact(p))];
  return { pods: ordered.slice(offset, offset + limit), total: matching.length };
}
