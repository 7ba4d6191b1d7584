import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { formatUrl, parseUrl, type UrlState } from './urlState.ts';

const subscribe = (cb: () => void): (() => void) => {
  window.addEventListener('popstate', cb);
  return () => window.removeEventListener('popstate', cb);
};
const snapshot = (): string => window.location.pathname + window.location.search;

/** The URL's state now (for a callback that outlives the render it was made in). */
export const currentUrlState = (): UrlState => parseUrl(window.location.pathname, window.location.search);

/** How a URL change is recorded: a new history entry (a step the user took) or in place (zoom, pan). */
export type UrlWrite = 'push' | 'replace';

/** The URL as state: reading re-renders on back/forward; writing pushes a history entry unless told not to. */
export function useUrlState(): [UrlState, (next: Partial<UrlState>, how?: UrlWrite) => void] {
  const href = useSyncExternalStore(subscribe, snapshot);
  const state = useMemo(() => {
    const [path, search = ''] = href.split('?');
    return parseUrl(path ?? '/', search ? `?${search}` : '');
  }, [href]);
  const set = useCallback((next: Partial<UrlState>, how: UrlWrite = 'push') => {
    const url = formatUrl({ ...currentUrlState(), ...next });
    if (url === snapshot()) return;
    if (how === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return [state, set];
}
