import { SearchFieldSchema, SeveritySchema, type SearchField, type Severity } from '@hoplens/model';
import Value from 'typebox/value';

/** The graph's viewport: zoom and pan, as Cytoscape reports them. */
export interface Viewport {
  readonly zoom: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Everything the URL restores:
 * `/s/<snapshot>?vs=<before>&pod=<ns/name>&to=<node|IP>&probe=<id>&sel=<id>&q=…&field=…&sev=…&expand=<ids>&v=<zoom,x,y>`.
 */
export interface UrlState {
  readonly snapshot: string | undefined;
  /** Compare: the snapshot this one is shown against (the "before"). */
  readonly vs: string | undefined;
  readonly pod: string | undefined;
  readonly to: string;
  /** A probe of the pod's path (a real ping), kept with the snapshot. */
  readonly probe: string | undefined;
  /** The selected graph element. */
  readonly sel: string | undefined;
  readonly q: string;
  readonly field: SearchField;
  readonly sev: Severity | undefined;
  /** Host groups drawn in full in the overview of a large snapshot. */
  readonly expand: readonly string[];
  readonly viewport: Viewport | undefined;
}

export const EMPTY_URL_STATE: UrlState = {
  snapshot: undefined,
  vs: undefined,
  pod: undefined,
  to: 'node',
  probe: undefined,
  sel: undefined,
  q: '',
  field: 'any',
  sev: undefined,
  expand: [],
  viewport: undefined,
};

function parseViewport(text: string | null): Viewport | undefined {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 3 || !parts.every(Number.isFinite)) return undefined;
  const [zoom = 1, x = 0, y = 0] = parts;
  return zoom > 0 ? { zoom, x, y } : undefined;
}

export function parseUrl(pathname: string, search: string): UrlState {
  const m = /^\/s\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  const q = new URLSearchParams(search);
  const field = q.get('field');
  const sev = q.get('sev');
  return {
    snapshot: m?.[1],
    vs: q.get('vs') ?? undefined,
    pod: q.get('pod') ?? undefined,
    to: q.get('to') ?? 'node',
    probe: (q.get('pod') && q.get('probe')) || undefined,
    sel: q.get('sel') ?? undefined,
    q: q.get('q') ?? '',
    field: Value.Check(SearchFieldSchema, field) ? field : 'any',
    sev: Value.Check(SeveritySchema, sev) ? sev : undefined,
    expand: (q.get('expand') ?? '').split(',').filter(Boolean),
    viewport: parseViewport(q.get('v')),
  };
}

const round = (n: number, digits: number): string => String(Number(n.toFixed(digits)));

export function formatUrl(state: UrlState): string {
  if (!state.snapshot) return '/';
  const q = new URLSearchParams();
  if (state.vs) q.set('vs', state.vs);
  if (state.pod) {
    q.set('pod', state.pod);
    q.set('to', state.to);
    if (state.probe) q.set('probe', state.probe);
  }
  if (state.sel) q.set('sel', state.sel);
  if (state.q) q.set('q', state.q);
  if (state.field !== 'any') q.set('field', state.field);
  if (state.sev) q.set('sev', state.sev);
  if (state.expand.length > 0) q.set('expand', state.expand.join(','));
  if (state.viewport) {
    const { zoom, x, y } = state.viewport;
    q.set('v', `${round(zoom, 3)},${round(x, 0)},${round(y, 0)}`);
  }
  const qs = q.toString();
  return `/s/${state.snapshot}${qs ? `?${qs}` : ''}`;
}
