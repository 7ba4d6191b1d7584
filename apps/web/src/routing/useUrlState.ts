import { useCallback, useSyncExternalStore } from 'react';
import { formatUrl, parseUrl, type UrlState } from './urlState.ts';

const subscribe = (cb: () => void): (() => void) => {
  window.addEventListener('popstate', cb);
  return () => window.removeEventListener('popstate', cb);
};
const snapshot = (): string => window.location.pathname + window.location.search;

/** The URL as state: reading re-renders on back/forward; writing pushes a history entry. */
export function useUrlState(): [UrlState, (next: Partial<UrlState>) => void] {
  const href = useSyncExternalStore(subscribe, snapshot);
  const [path, search = ''] = href.split('?');
  const state = parseUrl(path ?? '/', search ? `?${search}` : '');
  const set = useCallback((next: Partial<UrlState>) => {
    const current = parseUrl(window.location.pathname, window.location.search);
    window.history.pushState(null, '', formatUrl({ ...current, ...next }));
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return [state, set];
}
