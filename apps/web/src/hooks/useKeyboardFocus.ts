import { useCallback, useEffect, useRef } from 'react';
import type { TraceResult } from '@hoplens/model';

/**
 * Where focus goes once a picked pod's path is shown: "Jump to drop" of the hop where it fails (its
 * fix is the next Tab), else the panel.
 */
const PATH_TARGETS = ['[data-testid="path-panel"] [data-testid="jump-to-stop"]', '[data-testid="path-panel"]'];
/**
 * Where focus goes on opening a snapshot, when nothing holds it: the pods, the story's next step;
 * where they lie below the fold of the side panel, the first group or finding in sight instead.
 */
const OPEN_TARGETS = [
  'nav[aria-label="pods"]',
  '[data-testid="group-list"] [data-testid="group-row"] button',
  '[data-testid="finding"] button',
];

/** True when the element is drawn whole in the window and in the visible part of every scrolling parent. */
function inSight(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  if (r.height === 0 || r.top < 0 || r.bottom > window.innerHeight) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (p.scrollHeight <= p.clientHeight) continue;
    const b = p.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) return false;
  }
  return true;
}

/** Focuses the first target in sight (without scrolling), else the first there is. */
const focusInSight = (selectors: readonly string[]): void => {
  const found = selectors.flatMap((s) => document.querySelector<HTMLElement>(s) ?? []);
  (found.find(inSight) ?? found[0])?.focus({ preventScroll: true });
};

const focusFirst = (selectors: readonly string[]): boolean => {
  for (const s of selectors) {
    const el = document.querySelector<HTMLElement>(s);
    if (el) {
      el.focus();
      return true;
    }
  }
  return false;
};

const lost = (): boolean => document.activeElement === null || document.activeElement === document.body;

/**
 * Keeps keyboard focus somewhere useful, never on <body>: on a snapshot that opened while nothing
 * held focus (the snapshot card that opened it is gone), on its pods, or on its path when the link
 * names a pod; after a pod is picked, on the hop where its path fails (the fix is the next Tab), or
 * on the path panel when it is delivered.
 * Returns what to call when a pod is picked.
 */
export function useKeyboardFocus(ready: boolean, trace: TraceResult | undefined, pathShown: boolean): () => void {
  const opened = useRef(false);
  const picked = useRef(false);
  useEffect(() => {
    if (!ready || opened.current) return;
    opened.current = true;
    if (!lost()) return;
    // A permalink to a path opens as if its pod had just been picked: focusing the pods at the foot
    // of the side panel would scroll its verdict and fix out of sight.
    // Without scrolling: the side panel opens on the problems (groups, findings), and focus is never
    // left below the fold (the walk-through at 1440×900 found it there).
    if (!pathShown) focusInSight(OPEN_TARGETS);
    else if (trace) requestAnimationFrame(() => void focusFirst(PATH_TARGETS));
    else picked.current = true;
  }, [ready, pathShown, trace]);

  useEffect(() => {
    if (!picked.current || !trace) return;
    picked.current = false;
    // After React has drawn the hops of this trace.
    requestAnimationFrame(() => void focusFirst(PATH_TARGETS));
  }, [trace]);
  return useCallback(() => {
    picked.current = true;
  }, []);
}
