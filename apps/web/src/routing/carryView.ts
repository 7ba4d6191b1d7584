import type { UrlState } from './urlState.ts';

/**
 * What the user was looking at when a new snapshot replaced the one on screen ("Collect now"): the
 * snapshot it came from and the things of that view the new one may no longer hold.
 */
export interface CarriedView {
  readonly from: string;
  readonly to: string;
  readonly pod: string | undefined;
  /** The endpoint of a Service path that was shown. */
  readonly branch: string | undefined;
  readonly sel: string | undefined;
}

/**
 * The view a newer snapshot of the same sources opens with: the pod and its path, the selection, the
 * open groups, the filters and the camera stay; what belongs to the old snapshot alone (a comparison
 * with another, a probe run on it) does not.
 */
export function carryView(from: UrlState, to: string): { readonly url: UrlState; readonly carried: CarriedView } {
  const url: UrlState = { ...from, snapshot: to, vs: undefined, probe: undefined };
  const carried = { from: from.snapshot ?? '', to, pod: from.pod, branch: from.branch, sel: from.sel };
  return { url, carried };
}

/** Whether each carried thing is in the new snapshot: undefined while it is not known (yet, or at all). */
export interface CarriedPresence {
  readonly pod: boolean | undefined;
  readonly branch: boolean | undefined;
  readonly sel: boolean | undefined;
}

/** A carried thing the new snapshot does not hold, with what the dashboard did about it. */
export type Gone =
  | { readonly kind: 'pod'; readonly key: string }
  | { readonly kind: 'branch'; readonly label: string }
  | { readonly kind: 'sel'; readonly id: string; readonly label: string };

/**
 * The carried things found missing (a carried pod that is gone takes its endpoint with it: only the
 * pod is named). Things not known stay unnamed: a view is never said to be gone on a guess.
 */
export function goneFrom(c: CarriedView, p: CarriedPresence, selLabel: string): Gone[] {
  const out: Gone[] = [];
  if (c.pod !== undefined && p.pod === false) out.push({ kind: 'pod', key: c.pod });
  else if (c.branch !== undefined && p.branch === false) out.push({ kind: 'branch', label: c.branch });
  // The pod itself selected: said once, as the pod.
  const podSelected = c.pod !== undefined && c.sel === `pod:${c.pod}` && p.pod === false;
  if (c.sel !== undefined && p.sel === false && !podSelected) out.push({ kind: 'sel', id: c.sel, label: selLabel });
  return out;
}

/** The URL change that drops what is gone (its path panel or selection would show an error or nothing). */
export function withoutGone(gone: readonly Gone[]): Partial<UrlState> {
  const next: { -readonly [K in keyof UrlState]?: UrlState[K] } = {};
  for (const g of gone) {
    if (g.kind === 'pod') Object.assign(next, { pod: undefined, branch: undefined, sel: undefined });
    if (g.kind === 'branch') next.branch = undefined;
    if (g.kind === 'sel') next.sel = undefined;
  }
  return next;
}

/** One plain sentence per gone thing: what is missing and what the dashboard shows instead. */
export function goneSentence(g: Gone): string {
  switch (g.kind) {
    case 'pod':
      return `Pod ${g.key} is not in this snapshot, so its path is closed.`;
    case 'branch':
      return `The Service endpoint ${g.label} is not in this snapshot; the path shows another endpoint.`;
    case 'sel':
      return `${g.label} is not in this snapshot, so nothing is selected.`;
  }
}
