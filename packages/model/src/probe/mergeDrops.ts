import type { DropSite, FreeEvent, KernelDrop } from '../schema/probe.ts';

/**
 * Two trace instances stamp one tracepoint hit each for itself: a microsecond apart on the lab, more
 * when an interrupt comes between. Frees of one address at one place are paired nearest first, so a
 * buffer reused for the next piece of a fragmented echo microseconds later is not taken for it.
 */
const SAME_FREE_NS = 1_000_000n;
/** Within this, two parts' last device events of one buffer, of one device name and direction, are one event. */
const SAME_DEVICE_EVENT_NS = 3_000n;

/**
 * The drops of several parts of one probe as one list, each free counted once. Parts that traced
 * the same kernel (two hosts of one machine reached separately) see every free there, but each
 * follows a buffer only through its own devices: one part places the seed's OTHERHOST free "after
 * the worker ens3 sent it", the part watching the pod VM at vxlan0, where the kernel freed it. Of a
 * free several parts attributed, the drop whose site rests on the buffer's latest device event wins
 * (on one event, the part whose capture vouched for it); where nothing ranks the places, the drop
 * keeps one and names the others in `alsoPossible`. Drops of one part are never merged together.
 */
export function mergeDrops(parts: readonly (readonly KernelDrop[])[]): KernelDrop[] {
  const merged: { drop: KernelDrop; parts: Set<number> }[] = [];
  parts.forEach((drops, part) => {
    const pairs: { mine: number; theirs: number; gap: bigint }[] = [];
    drops.forEach((d, mine) => {
      merged.forEach((m, theirs) => {
        const gap = sameFreeGap(d.free, m.drop.free);
        if (gap !== null && !m.parts.has(part)) pairs.push({ mine, theirs, gap });
      });
    });
    pairs.sort((a, b) => (a.gap < b.gap ? -1 : a.gap > b.gap ? 1 : 0));
    const paired = new Map<number, number>();
    const taken = new Set<number>();
    for (const p of pairs) {
      if (paired.has(p.mine) || taken.has(p.theirs)) continue;
      paired.set(p.mine, p.theirs);
      taken.add(p.theirs);
    }
    drops.forEach((d, mine) => {
      const theirs = paired.get(mine);
      if (theirs === undefined) {
        merged.push({ drop: d, parts: new Set([part]) });
        return;
      }
      const m = merged[theirs]!;
      m.drop = oneDrop(m.drop, d);
      m.parts.add(part);
    });
  });
  return merged.map((m) => m.drop);
}

/** How far apart two parts stamped one free, or null when they are not the same free. */
function sameFreeGap(a: FreeEvent | undefined, b: FreeEvent | undefined): bigint | null {
  if (!a || !b || a.key !== b.key) return null;
  const gap = BigInt(a.atNs) - BigInt(b.atNs);
  const abs = gap < 0n ? -gap : gap;
  return abs <= SAME_FREE_NS ? abs : null;
}

/** One free as two parts placed it: the better evidenced site, or the first with the other as possible. */
function oneDrop(a: KernelDrop, b: KernelDrop): KernelDrop {
  if (sameSite(a.site, b.site)) return a;
  const order = compareEvidence(a.free!, b.free!);
  if (order > 0) return a;
  if (order < 0) return b;
  const others = [...(a.alsoPossible ?? []), b.site, ...(b.alsoPossible ?? [])].filter(
    (s, i, all) => !sameSite(s, a.site) && all.findIndex((o) => sameSite(o, s)) === i,
  );
  return { ...a, alsoPossible: others };
}

/**
 * Positive when `a`'s site rests on better evidence: a later device event of the buffer's life (the
 * other part did not trace that device), or the same event vouched for by its capture.
 */
function compareEvidence(a: FreeEvent, b: FreeEvent): number {
  if (!a.last || !b.last) return a.last ? 1 : b.last ? -1 : 0;
  const gap = BigInt(a.last.atNs) - BigInt(b.last.atNs);
  const oneEvent =
    a.last.device === b.last.device &&
    a.last.direction === b.last.direction &&
    (gap < 0n ? -gap : gap) <= SAME_DEVICE_EVENT_NS;
  if (!oneEvent && gap !== 0n) return gap > 0n ? 1 : -1;
  return Number(a.vouched) - Number(b.vouched);
}

const sameSite = (a: DropSite, b: DropSite): boolean =>
  a.host === b.host && a.netns === b.netns && a.interface === b.interface && a.stage === b.stage;
