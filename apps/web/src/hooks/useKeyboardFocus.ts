import { useCallback, useEffect, useRef } from 'react';
import type { TraceResult } from '@hoplens/model';

/**
 * Where focus goes once a picked pod's path is shown: "Jump to drop" of the hop where it fails (its
 * fix is the next Tab), else the panel.
 */
const PATH_TARGETS = ['[data-testid="path-panel"] [data-testid="jump-to-stop"]', '[data-testid="path-panel"]'];
/** Where focus goes on opening a snapshot, when nothing holds it: the pods, the story's next step. */
const OPEN_TARGET = 'nav[aria-label="pods"]';

const focusFirst = (selectors: readonly string[], options?: FocusOptions): boolean => {
  for (const s of selectors) {
    const el = document.querySelector<HTMLElement>(s);
    if (el) {
      el.focus(options);
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
    // Without scrolling there: the side panel opens on the problems (groups, findings); the next Tab
    // brings the first pod into view.
    if (!pathShown) focusFirst([OPEN_TARGET], { preventScroll: true });
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
