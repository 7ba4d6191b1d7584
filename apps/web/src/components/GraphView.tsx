import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useEffectEvent, useMemo, useRef, type RefObject } from 'react';
import { parseElementId, type DisclosedGraph, type Finding } from '@hoplens/model';
import { registerExtensions } from '../graph/extensions.ts';
import { graphExport, type GraphExport } from '../graph/graphExport.ts';
import { applyHighlight, type Highlight } from '../graph/highlight.ts';
import type { Position } from '../graph/layoutPositions.ts';
import { loadPositions, savePositions } from '../graph/savedPositions.ts';
import { STYLESHEET } from '../graph/stylesheet.ts';
import { syncElements } from '../graph/syncElements.ts';
import { toElements } from '../graph/toElements.ts';
import { viewPositions } from '../graph/viewPositions.ts';
import type { Viewport } from '../routing/urlState.ts';
import type {} from '../testing/hoplensProbe.ts';

/** What a tap on the graph asks for. */
export type GraphTap =
  /** A pod, by its `namespace/name` key. */
  | { readonly kind: 'pod'; readonly key: string }
  | { readonly kind: 'expand'; readonly id: string }
  | { readonly kind: 'select'; readonly id: string | undefined };

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
  readonly focus: { readonly id: string } | undefined;
  readonly onTap: (tap: GraphTap) => void;
  readonly onViewport: (v: Viewport) => void;
  /** Bumped to forget the positions the user dragged nodes to. */
  readonly layoutEpoch: number;
  /** Filled with what the graph can be saved as, while it is shown. */
  readonly exportRef?: RefObject<GraphExport | null>;
}

registerExtensions();

/** Performance mark set once per page, when the first graph is drawn (read by `pnpm bench`). */
export const FIRST_GRAPH_MARK = 'hoplens:first-graph';

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
  const { snapshot, view, settled, findings, highlight, focus, onTap, onViewport, layoutEpoch, exportRef } = props;
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
  const initialViewport = useRef(props.initialViewport);
  const fittedAt = useRef<Viewport | undefined>(undefined);
  /** Focus animations started and not yet complete (Cytoscape counts one only from its next frame). */
  const moving = useRef(0);

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
    cy.on('dragfree', 'node', (evt) => {
      nodesDragged(leavesOf(evt.target as NodeSingular));
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    cy.on('viewport', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const pan = cy.pan();
        const now = { zoom: cy.zoom(), x: pan.x, y: pan.y };
        // The fit on opening is hoplens' choice, not the user's: it stays out of the URL.
        const fitted = fittedAt.current;
        if (fitted && fitted.zoom === now.zoom && fitted.x === now.x && fitted.y === now.y) return;
        viewportMoved(now);
      }, 250);
    });
    // Cytoscape caches where its container is; panels that appear above it move it without a window
    // resize, and clicks would land beside the node.
    const resize = new ResizeObserver(() => cy.resize());
    resize.observe(container.current);
    cyRef.current = cy;
    // A new instance has drawn nothing yet (React may mount twice): the next view opens as new.
    shownSnapshot.current = undefined;
    moving.current = 0;
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
      viewport: () => ({ zoom: cy.zoom(), ...cy.pan() }),
      count: () => cy.elements().length,
      still: () => moving.current === 0 && !cy.animated(),
    };
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      cy.destroy();
      cyRef.current = null;
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
    if (!cy) return;
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
      if (v) cy.viewport({ zoom: v.zoom, pan: { x: v.x, y: v.y } });
      else {
        cy.fit(undefined, 40);
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

  // Centred once per request: the element may only be drawn when the view with its group arrives, so
  // this runs again when new elements are drawn.
  const centred = useRef<{ readonly id: string } | undefined>(undefined);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focus || centred.current === focus) return;
    const el = cy.getElementById(focus.id);
    if (el.empty()) return;
    centred.current = focus;
    moving.current += 1;
    const timing = { duration: 300, complete: () => void (moving.current -= 1) };
    // A box that holds others is fitted (not past 100 %), a single element centred at a readable zoom.
    if (el.isParent()) {
      const box = el.boundingBox();
      const zoom = Math.min(1, cy.width() / (box.w + 120), cy.height() / (box.h + 120));
      cy.animate({ zoom, center: { eles: el } }, timing);
    } else cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 0.9) }, timing);
  }, [focus, elements]);

  return <div ref={container} className="graph" data-testid="graph" aria-label="network topology graph" role="img" />;
}
