import { ETH_P_ALL } from '../tc/ethertypes.ts';
import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** A tc mirred redirect from one device's ingress or egress to another device in the same namespace. */
export interface TcRedirect {
  readonly from: LinkEntry;
  readonly to: LinkEntry | undefined;
  readonly targetDev: string;
  readonly hook: 'ingress' | 'egress';
  /** The filter's preference (priority) and ethertype: only frames of that type are redirected. */
  readonly pref: number;
  readonly protocol: number | undefined;
}

/** Whether the redirect takes every frame (`protocol all`; a snapshot without the protocol says so too). */
export const takesEveryFrame = (r: TcRedirect): boolean => r.protocol === undefined || r.protocol === ETH_P_ALL;

/**
 * Every mirred redirect whose classifier matches every frame of its protocol, with its target
 * resolved by name; computed once per index.
 */
export function tcRedirects(index: SnapshotIndex): readonly TcRedirect[] {
  return index.derive(collectRedirects);
}

function collectRedirects(index: SnapshotIndex): TcRedirect[] {
  const out: TcRedirect[] = [];
  for (const ns of index.filtered) {
    // The devices as `index.link` finds them (a repeated namespace resolves to its last entry), looked
    // up once per namespace, not per filter and per action.
    const devices = index.netns(ns.ref);
    if (!devices) continue;
    for (const f of ns.ns.tcFilters) {
      if (!f.matchesAll) continue;
      const from = devices.linksByIndex.get(f.ifindex);
      if (!from) continue;
      for (const a of f.actions) {
        if (a.kind !== 'mirred' || !('targetDev' in a) || a.action !== 'redirect') continue;
        out.push({
          from,
          to: devices.linksByName.get(a.targetDev),
          targetDev: a.targetDev,
          hook: f.direction,
          pref: f.pref,
          protocol: f.protocol,
        });
      }
    }
  }
  return out;
}
