import { useCallback, useEffect, useRef } from 'react';
import type { TraceResult } from '@hoplens/model';

/**
 * Where focus goes once a picked pod's path is shown: "Jump to drop" of the hop where it fails (its
 * fix is the next Tab), else the panel.
 */
const PATH_TARGETS = ['[data-testid="path-panel"] [data-testid="jump-to-stop"]', '[data-testid="path-panel"]'];
/** Where focus goes on opening a snapshot, when nothing holds it: the pods, the story's next step. */
const OPEN_TARGET = 'nav[aria-label="pods"]';

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
 * held focus (the snapshot card that opened it is gone), on its pods; after a pod is picked, on the
 * hop where its path fails (the fix is the next Tab), or on the path panel when it is delivered.
 * Returns what to call when a pod is picked.
 */
export function useKeyboardFocus(ready: boolean, trace: TraceResult | undefined): () => void {
  const opened = useRef(false);
  useEffect(() => {
    if (!ready || opened.current) return;
    opened.current = true;
    if (lost()) focusFirst([OPEN_TARGET]);
  }, [ready]);

  const picked = useRef(false);
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
