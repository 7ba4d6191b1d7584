/** Everything the URL restores: `/s/<snapshotId>?pod=<ns/name>&to=<node|IP>`. */
export interface UrlState {
  readonly snapshot: string | undefined;
  readonly pod: string | undefined;
  readonly to: string;
}

export function parseUrl(pathname: string, search: string): UrlState {
  const m = /^\/s\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  const q = new URLSearchParams(search);
  return { snapshot: m?.[1], pod: q.get('pod') ?? undefined, to: q.get('to') ?? 'node' };
}

export function formatUrl(state: UrlState): string {
  if (!state.snapshot) return '/';
  const q = new URLSearchParams();
  if (state.pod) {
    q.set('pod', state.pod);
    q.set('to', state.to);
  }
  const qs = q.toString();
  return `/s/${state.snapshot}${qs ? `?${qs}` : ''}`;
}
