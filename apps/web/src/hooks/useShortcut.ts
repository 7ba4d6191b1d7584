import { useEffect } from 'react';

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** Calls `run` on `/` (outside text fields) or Ctrl/⌘+K anywhere: the search shortcut. */
export function useSearchShortcut(run: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target);
      const ctrlK = e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey);
      if (!slash && !ctrlK) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
}

/** Calls `run` on Escape outside text fields (where Escape belongs to the field). */
export function useEscapeKey(run: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !typing(e.target)) run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
}
