import {
  SearchFieldSchema,
  SeveritySchema,
  TraceProtoSchema,
  type SearchField,
  type Severity,
  type TraceProto,
} from '@hoplens/model';
import Value from 'typebox/value';
import type { GraphView } from '../graph/viewportMath.ts';

/**
 * The part of the graph on screen. Links store a region of the graph (`c=<x>,<y>,<zoom>`: the graph
 * point at the view's centre and the zoom relative to the whole graph fitted), so a link opens on
 * the same region at any window size. Links made before (`v=<zoom>,<panX>,<panY>`, screen pixels of
 * the window they came from) still open as they did.
 */
export type Viewport =
  | ({ readonly kind: 'graph' } & GraphView)
  | { readonly kind: 'screen'; readonly zoom: number; readonly x: number; readonly y: number };

/**
 * Everything the URL restores:
 * `/s/<snapshot>?vs=<before>&pod=<ns/name>&to=<node|IP|ns/service:port>&proto=<tcp|udp>&port=<n>&branch=<endpoint>&probe=<id>&sel=<id>&q=…&field=…&sev=…&expand=<ids>&c=<x,y,zoom>`.
 */
export interface UrlState {
  readonly snapshot: string | undefined;
  /** Compare: the snapshot this one is shown against (the "before"). */
  readonly vs: string | undefined;
  readonly pod: string | undefined;
  readonly to: string;
  /** What the path carries: ICMP echo (the default), or a TCP or UDP flow to `port`. */
  readonly proto: TraceProto;
  readonly port: number | undefined;
  /** The branch of a trace to a Service shown (its label: the endpoint, `10.244.2.3:8080`). */
  readonly branch: string | undefined;
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
  proto: 'icmp',
  port: undefined,
  branch: undefined,
  probe: undefined,
  sel: undefined,
  q: '',
  field: 'any',
  sev: undefined,
  expand: [],
  viewport: undefined,
};

const threeNumbers = (text: string | null): [number, number, number] | undefined => {
  const parts = (text ?? '').split(',').map(Number);
  const [a = NaN, b = NaN, c = NaN] = parts;
  return parts.length === 3 && parts.every(Number.isFinite) ? [a, b, c] : undefined;
};

function parseViewport(centre: string | null, legacy: string | null): Viewport | undefined {
  const c = threeNumbers(centre);
  if (c) return c[2] > 0 ? { kind: 'graph', x: c[0], y: c[1], relZoom: c[2] } : undefined;
  const v = threeNumbers(legacy);
  return v && v[0] > 0 ? { kind: 'screen', zoom: v[0], x: v[1], y: v[2] } : undefined;
}

/** A branch label is an endpoint or a few (`a → b`); a longer one names no branch and is cut. */
const MAX_BRANCH = 300;

/** Where a pod's path goes and what it carries. */
export type PathTarget = Pick<UrlState, 'to' | 'proto' | 'port'>;

const parsePort = (text: string | null): number | undefined => {
  const n = Number(text ?? '');
  return /^[0-9]{1,5}$/.test(text ?? '') && n >= 1 && n <= 65535 ? n : undefined;
};

export function parseUrl(pathname: string, search: string): UrlState {
  const m = /^\/s\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  const q = new URLSearchParams(search);
  const field = q.get('field');
  const sev = q.get('sev');
  const proto = q.get('proto');
  return {
    snapshot: m?.[1],
    vs: q.get('vs') ?? undefined,
    pod: q.get('pod') ?? undefined,
    to: q.get('to') ?? 'node',
    proto: Value.Check(TraceProtoSchema, proto) ? proto : 'icmp',
    port: parsePort(q.get('port')),
    branch: (q.get('pod') && q.get('branch')?.slice(0, MAX_BRANCH)) || undefined,
    probe: (q.get('pod') && q.get('probe')) || undefined,
    sel: q.get('sel') ?? undefined,
    q: q.get('q') ?? '',
    field: Value.Check(SearchFieldSchema, field) ? field : 'any',
    sev: Value.Check(SeveritySchema, sev) ? sev : undefined,
    expand: (q.get('expand') ?? '').split(',').filter(Boolean),
    viewport: parseViewport(q.get('c'), q.get('v')),
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
    if (state.proto !== 'icmp') q.set('proto', state.proto);
    if (state.port !== undefined) q.set('port', String(state.port));
    if (state.branch) q.set('branch', state.branch);
    if (state.probe) q.set('probe', state.probe);
  }
  if (state.sel) q.set('sel', state.sel);
  if (state.q) q.set('q', state.q);
  if (state.field !== 'any') q.set('field', state.field);
  if (state.sev) q.set('sev', state.sev);
  if (state.expand.length > 0) q.set('expand', state.expand.join(','));
  const vp = state.viewport;
  if (vp?.kind === 'graph') q.set('c', `${round(vp.x, 1)},${round(vp.y, 1)},${round(vp.relZoom, 4)}`);
  else if (vp) q.set('v', `${round(vp.zoom, 3)},${round(vp.x, 0)},${round(vp.y, 0)}`);
  const qs = q.toString();
  return `/s/${state.snapshot}${qs ? `?${qs}` : ''}`;
}
