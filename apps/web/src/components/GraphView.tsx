import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useEffectEvent, useMemo, useRef, type KeyboardEvent, type RefObject } from 'react';
import { parseElementId, type DisclosedGraph, type Finding } from '@hoplens/model';
import { registerExtensions } from '../graph/extensions.ts';
import { graphExport, type GraphExport } from '../graph/graphExport.ts';
import { applyHighlight, type Highlight } from '../graph/highlight.ts';
import type { Position } from '../graph/layoutPositions.ts';
import { loadPositions, savePositions } from '../graph/savedPositions.ts';
import { STYLESHEET, themedStylesheet } from '../graph/stylesheet.ts';
import type { Theme } from '../theme/theme.ts';
import { syncElements } from '../graph/syncElements.ts';
import { nodeTooltip } from '../graph/nodeTooltip.ts';
import { toElements } from '../graph/toElements.ts';
import { viewPositions } from '../graph/viewPositions.ts';
import { ResizeFollower } from '../graph/resizeFollower.ts';
import { toGraphView, toScreenView, type Frame } from '../graph/viewportMath.ts';
import { GRAPH_KEYS, graphKeyAction } from '../graph/keyboardNav.ts';
import type { Viewport } from '../routing/urlState.ts';
import type {} from '../testing/hoplensProbe.ts';

/** What a tap on the graph asks for. */
export type GraphTap =
  /** A pod, by its `namespace/name` key. */
  | { readonly kind: 'pod'; readonly key: string }
  | { readonly kind: 'expand'; readonly id: string }
  | { readonly kind: 'select'; readonly id: string | undefined };

/**
 * What to bring into view: one element, centred (a box fitted); with `with`, the element and those
 * others all fitted at once (a path and its drop).
 */
export interface GraphFocus {
  readonly id: string;
  readonly with?: readonly string[];
  /** A group being expanded: wait for it to be drawn open, not fit its collapsed box. */
  readonly opening?: boolean;
}

/** The most a fit zooms in: a short path is not blown up past reading size. */
const FIT_MAX_ZOOM = 1.4;

interface Props {
  readonly snapshot: string;
  readonly view: DisclosedGraph;
  /** False while `view` stands in for one still loading: tests wait for the real one. */
  readonly settled: boolean;
  readonly findings: readonly Finding[];
  readonly highlight: Highlight;
  /** Viewport to open at (from the permalink); the graph is fitted when absent. */
  readonly initialViewport: Viewport | undefined;
  /** Element to bring to the middle of the screen, once it is drawn; a new object asks again. */
  readonly focus: GraphFocus | undefined;
  readonly onTap: (tap: GraphTap) => void;
  readonly onViewport: (v: Viewport) => void;
  /** Bumped to forget the positions the user dragged nodes to. */
  readonly layoutEpoch: number;
  /** False to hide the IP → MAC labels of ARP/ND edges, which cover interface names. */
  readonly arpLabels: boolean;
  readonly theme: Theme;
  /** Filled with what the graph can be saved as, while it is shown. */
  readonly exportRef?: RefObject<GraphExport | null>;
}

registerExtensions();

/** Performance mark set once per page, when the first graph is drawn (read by `pnpm bench`). */
export const FIRST_GRAPH_MARK = 'hoplens:first-graph';

/** How long the camera rests before the URL takes its view. */
const VIEWPORT_QUIET_MS = 250;

/** The padding the graph is fitted with, on opening and in permalinks' zoom. */
const FIT_PADDING = 40;

/**
 * The container and what fitting the graph drawn in it means, for window-independent permalinks:
 * the size is the one the pan was last set against (the follower's), not one read since.
 */
const frameOf = (cy: Core, size: ResizeFollower): Frame => ({
  width: size.width,
  height: size.height,
  box: cy.elements().boundingBox(),
  padding: FIT_PADDING,
  minZoom: cy.minZoom(),
  maxZoom: cy.maxZoom(),
});

/** Leaves of what was dragged: compounds follow their children, so the children are what is kept. */
function leavesOf(n: NodeSingular): Map<string, Position> {
  const out = new Map<string, Position>();
  const leaves = n.isChildless() ? n.union(n) : n.descendants().filter((d) => d.isChildless());
  leaves.forEach((l) => {
    const p = l.position();
    out.set(l.id(), { x: p.x, y: p.y });
  });
  return out;
}

/** The one long-lived owner of the Cytoscape instance. */
export function GraphView(props: Props) {
  const {
    snapshot,
    view,
    settled,
    findings,
    highlight,
    focus,
    onTap,
    onViewport,
    layoutEpoch,
    exportRef,
    arpLabels,
    theme,
  } = props;
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const dragged = useRef<Map<string, Position>>(new Map());
  // Cytoscape's handlers are bound once, with the instance; these read the latest props when called.
  const tapped = useEffectEvent((tap: GraphTap) => onTap(tap));
  const viewportMoved = useEffectEvent((vp: Viewport) => onViewport(vp));
  const nodesDragged = useEffectEvent((moved: ReadonlyMap<string, Position>) => {
    dragged.current = savePositions(snapshot, moved);
  });
  const shownSnapshot = useRef<string | undefined>(undefined);
  const syncedEpoch = useRef(layoutEpoch);
  /** The URL's view, applied at the first draw of each Cytoscape instance (then the camera is the user's). */
  const initialViewport = useRef<Viewport | undefined>(undefined);
  const urlViewport = useEffectEvent(() => props.initialViewport);
  const fittedAt = useRef<{ zoom: number; x: number; y: number } | undefined>(undefined);
  const follower = useRef<ResizeFollower | null>(null);
  /** Focus animations started and not yet complete (Cytoscape counts one only from its next frame). */
  const moving = useRef(0);
  /** The camera moved and the URL does not say so yet. */
  const unsaved = useRef(false);

  useEffect(() => {
    if (!container.current) return;
    const cy = cytoscape({
      container: container.current,
      style: STYLESHEET,
      minZoom: 0.02,
      maxZoom: 4,
      // Thousands of elements: draw a texture while panning and zooming, not every element.
      textureOnViewport: true,
      hideEdgesOnViewport: false,
      motionBlur: false,
      pixelRatio: 1,
    });
    const follow = new ResizeFollower(cy, fittedAt);
    follower.current = follow;
    cy.on('tap', (evt) => {
      if (evt.target === cy) tapped({ kind: 'select', id: undefined });
    });
    cy.on('tap', 'node', (evt) => {
      const n = evt.target as NodeSingular;
      const parsed = parseElementId(n.id());
      if (parsed?.kind === 'pod') tapped({ kind: 'pod', key: parsed.key });
      else if (n.hasClass('collapsed')) tapped({ kind: 'expand', id: n.id() });
      else tapped({ kind: 'select', id: n.id() });
    });
    // Labels are too small to draw over a fitted overview of a thousand boxes: the one under the
    // pointer says what it is, as the container's tooltip.
    const box = container.current;
    cy.on('mouseover', 'node', (evt) => {
      box.title = nodeTooltip(evt.target as NodeSingular);
    });
    cy.on('mouseout', 'node', () => box.removeAttribute('title'));
    cy.on('dragfree', 'node', (evt) => {
      nodesDragged(leavesOf(evt.target as NodeSingular));
    });
    // The URL gets the view once the camera rests: 250 ms after its last move, and never in the middle
    // of an animation — on a loaded machine or a big graph its frames can be further apart than that,
    // and a permalink copied then would name a view that was only passed through.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const writeViewport = (): void => {
      if (moving.current > 0 || cy.animated()) {
        timer = setTimeout(writeViewport, VIEWPORT_QUIET_MS);
        return;
      }
      unsaved.current = false;
      const pan = cy.pan();
      const now = { zoom: cy.zoom(), x: pan.x, y: pan.y };
      // The fit on opening is hoplens' choice, not the user's: it stays out of the URL.
      const fitted = fittedAt.current;
      if (fitted && fitted.zoom === now.zoom && fitted.x === now.x && fitted.y === now.y) return;
      viewportMoved({ kind: 'graph', ...toGraphView({ zoom: now.zoom, pan }, frameOf(cy, follow)) });
    };
    cy.on('viewport', () => {
      clearTimeout(timer);
      unsaved.current = true;
      timer = setTimeout(writeViewport, VIEWPORT_QUIET_MS);
    });
    // Cytoscape caches where its container is; panels that appear above it move it without a window
    // resize, and clicks would land beside the node. When the container changes size, the middle of
    // the view stays the middle (see ResizeFollower).
    const resize = new ResizeObserver(() => follow.follow());
    resize.observe(container.current);
    cyRef.current = cy;
    // A new instance has drawn nothing yet (React may mount twice, as StrictMode does in development):
    // the next view opens as new, where the URL says — not fitted because an instance before it
    // already took the URL's view.
    shownSnapshot.current = undefined;
    initialViewport.current = urlViewport();
    moving.current = 0;
    unsaved.current = false;
    window.__hoplens = {
      ready: false,
      classesOf: (id) => {
        const el = cy.getElementById(id);
        return el.empty() ? [] : el.classes();
      },
      ids: () => cy.elements().map((e) => e.id()),
      renderedCenter: (id) => {
        const el = cy.getElementById(id);
        if (el.empty() || !el.isNode()) return undefined;
        const p = el.renderedPosition();
        return { x: p.x, y: p.y };
      },
      position: (id) => {
        const el = cy.getElementById(id);
        if (el.empty() || !el.isNode()) return undefined;
        const p = el.position();
        return { x: p.x, y: p.y };
      },
      renderedBox: (id) => {
        const el = cy.getElementById(id);
        if (el.empty()) return undefined;
        const b = el.renderedBoundingBox({ includeLabels: false });
        return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
      },
      viewport: () => ({ zoom: cy.zoom(), ...cy.pan() }),
      count: () => cy.elements().length,
      still: () => moving.current === 0 && !cy.animated(),
      inUrl: () => moving.current === 0 && !cy.animated() && !unsaved.current,
    };
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      cy.destroy();
      cyRef.current = null;
      follower.current = null;
      delete window.__hoplens;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!exportRef || !cy) return;
    exportRef.current = graphExport(cy);
    return () => {
      exportRef.current = null;
    };
  }, [exportRef]);

  const elements = useMemo(() => toElements(view.graph, findings, viewPositions(view)), [view, findings]);

  useEffect(() => {
    const cy = cyRef.current;
    const follow = follower.current;
    if (!cy || !follow) return;
    const first = shownSnapshot.current !== snapshot;
    // A new snapshot brings its own dragged positions; "Reset layout" (a new epoch) forgets them.
    if (first) dragged.current = loadPositions(snapshot);
    else if (syncedEpoch.current !== layoutEpoch) dragged.current = new Map();
    syncedEpoch.current = layoutEpoch;
    if (window.__hoplens) window.__hoplens = { ...window.__hoplens, ready: false };
    syncElements(cy, elements, dragged.current);
    if (first) {
      shownSnapshot.current = snapshot;
      const v = initialViewport.current;
      initialViewport.current = undefined;
      // Against the container as it is now: the view set here is what later changes are followed from.
      follow.follow();
      if (v?.kind === 'graph') cy.viewport(toScreenView(v, frameOf(cy, follow)));
      else if (v) cy.viewport({ zoom: v.zoom, pan: { x: v.x, y: v.y } });
      else {
        cy.fit(undefined, FIT_PADDING);
        fittedAt.current = { zoom: cy.zoom(), ...cy.pan() };
      }
    }
    if (window.__hoplens) window.__hoplens = { ...window.__hoplens, ready: settled };
    // For the browser benchmark: when the first graph of the page was handed to the renderer.
    if (settled && performance.getEntriesByName(FIRST_GRAPH_MARK).length === 0) performance.mark(FIRST_GRAPH_MARK);
  }, [snapshot, elements, settled, layoutEpoch]);

  // Also after new elements are drawn: they arrive without the highlight's classes.
  useEffect(() => {
    const cy = cyRef.current;
    if (cy) applyHighlight(cy, highlight);
  }, [highlight, elements]);

  useEffect(() => {
    cyRef.current?.style(themedStylesheet(theme));
  }, [theme]);

  useEffect(() => {
    cyRef.current?.edges('.neighbor').toggleClass('quiet', !arpLabels);
  }, [arpLabels, elements]);

  // Centred once per request: the element may only be drawn when the view with its group arrives, so
  // this runs again when new elements are drawn.
  const centred = useRef<GraphFocus | undefined>(undefined);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focus || centred.current === focus) return;
    const el = cy.getElementById(focus.id);
    if (el.empty() || (focus.opening === true && el.hasClass('collapsed'))) return;
    const others = (focus.with ?? []).map((id) => cy.getElementById(id));
    // A path through groups still folding open is fitted again once they are drawn.
    if (others.every((o) => o.nonempty())) centred.current = focus;
    // The render that drew these elements may also have resized the container (an overview chip
    // wrapping to a new line) before the ResizeObserver said so: aim at the container as it is now,
    // or the animation ends where the old one had its middle.
    follower.current?.follow();
    moving.current += 1;
    const timing = { duration: 300, complete: () => void (moving.current -= 1) };
    if (others.length > 0) {
      const eles = others.reduce((all, o) => all.union(o), el.union(el));
      const box = eles.boundingBox();
      const pad = 40;
      const zoom = Math.min(FIT_MAX_ZOOM, (cy.width() - 2 * pad) / box.w, (cy.height() - 2 * pad) / box.h);
      cy.animate({ zoom, center: { eles } }, timing);
    } else if (el.isParent()) {
      // A box that holds others is fitted (not past 100 %), a single element centred at a readable zoom.
      const box = el.boundingBox();
      const zoom = Math.min(1, cy.width() / (box.w + 120), cy.height() / (box.h + 120));
      cy.animate({ zoom, center: { eles: el } }, timing);
    } else {
      // The node itself in the middle (Cytoscape's `center` centres its box with the label under it).
      const zoom = Math.max(cy.zoom(), 0.9);
      const p = el.position();
      cy.animate({ zoom, pan: { x: cy.width() / 2 - zoom * p.x, y: cy.height() / 2 - zoom * p.y } }, timing);
    }
  }, [focus, elements]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const cy = cyRef.current;
    const action = graphKeyAction(e);
    if (!cy || !action) return;
    e.preventDefault();
    if (action.kind === 'pan') cy.panBy({ x: action.dx, y: action.dy });
    else if (action.kind === 'zoom')
      cy.zoom({ level: cy.zoom() * action.factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else {
      // Asked for, so it goes into the URL like any other move (the fit on opening does not).
      fittedAt.current = undefined;
      cy.fit(undefined, FIT_PADDING);
    }
  };

  return (
    <div
      ref={container}
      className="graph"
      data-testid="graph"
      role="application"
      aria-roledescription="graph"
      aria-label={`network topology graph: ${GRAPH_KEYS}`}
      tabIndex={0}
      onKeyDown={onKeyDown}
    />
  );
}
