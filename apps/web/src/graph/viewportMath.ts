/** A box in graph coordinates, as Cytoscape's `boundingBox()` gives it. */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly w: number;
  readonly h: number;
}

/** What Cytoscape draws: zoom and pan in screen pixels of a container `width` × `height`. */
export interface ScreenView {
  readonly zoom: number;
  readonly pan: { readonly x: number; readonly y: number };
}

/**
 * The region of the graph on screen, independent of the window: the graph coordinates of the
 * view's centre, and the zoom relative to the zoom at which the whole graph fits. The same value
 * shows the same region on a phone and on a 4K screen.
 */
export interface GraphView {
  readonly x: number;
  readonly y: number;
  readonly relZoom: number;
}

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** The box the graph is fitted to. */
  readonly box: Box;
  /** The padding hoplens fits with. */
  readonly padding: number;
  readonly minZoom: number;
  readonly maxZoom: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The zoom at which the graph fits the frame (Cytoscape's `fit` does the same sum). */
export function fitZoom(f: Frame): number {
  const { box, width, height, padding } = f;
  if (!(box.w > 0 && box.h > 0 && width > 0 && height > 0)) return 1;
  return clamp(Math.min((width - 2 * padding) / box.w, (height - 2 * padding) / box.h), f.minZoom, f.maxZoom);
}

/** What a screen view shows, as a window-independent region of the graph. */
export function toGraphView(v: ScreenView, f: Frame): GraphView {
  return {
    x: (f.width / 2 - v.pan.x) / v.zoom,
    y: (f.height / 2 - v.pan.y) / v.zoom,
    relZoom: v.zoom / fitZoom(f),
  };
}

/** The screen view that shows a region of the graph in this frame. */
export function toScreenView(g: GraphView, f: Frame): ScreenView {
  const zoom = clamp(g.relZoom * fitZoom(f), f.minZoom, f.maxZoom);
  return { zoom, pan: { x: f.width / 2 - g.x * zoom, y: f.height / 2 - g.y * zoom } };
}
