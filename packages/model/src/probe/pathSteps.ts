import type { DropSite, OffPathTarget, ProbePacketKind } from '../schema/probe.ts';
import type { Hop } from '../schema/trace.ts';

/**
 * A device-level step of a predicted path: the consecutive hops a direction takes at one
 * interface (routing, neighbour and veth all happen at the egress device; a routing decision that
 * finds no device belongs to the device the packet arrived on). Drop sites are compared step by
 * step: "the hop right after" is the next device, not the next decision.
 */
export interface PathStep {
  readonly first: number;
  readonly last: number;
  readonly direction: Hop['direction'];
  readonly host: string;
  readonly netns: string | null;
  readonly interface: string | null;
}

export function pathSteps(hops: readonly Hop[]): PathStep[] {
  const steps: PathStep[] = [];
  hops.forEach((h, i) => {
    const prev = steps[steps.length - 1];
    if (
      prev &&
      prev.direction === h.direction &&
      prev.host === h.host &&
      prev.netns === h.netns &&
      (prev.interface === h.interface || h.interface === null)
    ) {
      steps[steps.length - 1] = { ...prev, last: i };
    } else {
      steps.push({ first: i, last: i, direction: h.direction, host: h.host, netns: h.netns, interface: h.interface });
    }
  });
  return steps;
}

/** Where on the path something was: a step, or just past one (an off-path interface right after it). */
export interface Located {
  readonly step: number;
  readonly pastStep: boolean;
}

type Place = { readonly host: string; readonly netns: string | null; readonly interface: string | null };

const same = (a: Place, b: Place): boolean => a.host === b.host && a.netns === b.netns && a.interface === b.interface;

/**
 * Locates an interface on the path for a packet going one way: a step of that direction (the last
 * one there), else an off-path interface watched right after a step of that direction, else the
 * same in the other direction (an ICMP error, or a reply seen where only the request's path goes).
 */
export function locate(
  steps: readonly PathStep[],
  offPath: readonly OffPathTarget[],
  where: Place,
  packet: ProbePacketKind,
): Located | undefined {
  const directions: Hop['direction'][] = packet === 'reply' ? ['reply', 'request'] : ['request', 'reply'];
  const stepOfHop = (hop: number): number => steps.findIndex((s) => s.first <= hop && hop <= s.last);
  for (const direction of directions) {
    for (let i = steps.length - 1; i >= 0; i--) {
      const s = steps[i]!;
      if (s.direction === direction && same(s, where)) return { step: i, pastStep: false };
    }
    for (const t of offPath) {
      const step = stepOfHop(t.after);
      if (step >= 0 && steps[step]!.direction === direction && same(t, where)) return { step, pastStep: true };
    }
  }
  return undefined;
}

/** Locates a kernel drop site; one that never left its namespace is at the first step there. */
export function locateSite(
  steps: readonly PathStep[],
  offPath: readonly OffPathTarget[],
  site: DropSite,
  packet: ProbePacketKind,
): Located | undefined {
  if (site.stage === 'origin') {
    const step = steps.findIndex((s) => s.direction === 'request' && s.host === site.host && s.netns === site.netns);
    return step < 0 ? undefined : { step, pastStep: false };
  }
  return locate(steps, offPath, site, packet);
}
