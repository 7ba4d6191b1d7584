import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useRef, type RefObject } from 'react';
import { registerExtensions } from '../graph/extensions.ts';
import { graphExport, type GraphExport } from '../graph/graphExport.ts';
import type { Finding, Graph } from '@hoplens/model';
import type { PathElements } from '../graph/pathElements.ts';
import { STYLESHEET } from '../graph/stylesheet.ts';
import { toElements } from '../graph/toElements.ts';
import type {} from '../testing/hoplensProbe.ts';

interface Props {
  readonly graph: Graph;
  readonly findings: readonly Finding[];
  readonly path: PathElements | undefined;
  readonly onTapPod: (podNodeId: string) => void;
  /** Filled with what the graph can be saved as, while it is shown. */
  readonly exportRef?: RefObject<GraphExport | null>;
}

registerExtensions();

/** The one long-lived owner of the Cytoscape instance. */
export function GraphView({ graph, findings, path, onTapPod, exportRef }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const tapRef = useRef(onTapPod);
  tapRef.current = onTapPod;

  useEffect(() => {
    if (!container.current) return;
    const cy = cytoscape({ container: container.current, style: STYLESHEET, minZoom: 0.05, maxZoom: 4 });
    cy.on('tap', 'node.pod', (evt) => tapRef.current((evt.target as NodeSingular).id()));
    cyRef.current = cy;
    if (exportRef) exportRef.current = graphExport(cy);
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
    };
    return () => {
      cy.destroy();
      cyRef.current = null;
      if (exportRef) exportRef.current = null;
      delete window.__hoplens;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(toElements(graph, findings));
    });
    cy.layout({ name: 'preset', fit: true, padding: 40 }).run();
    if (window.__hoplens) window.__hoplens = { ...window.__hoplens, ready: true };
  }, [graph, findings]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass('dimmed on-path drop');
      if (!path) return;
      cy.nodes().forEach((n) => {
        // Compound parents of path nodes stay readable.
        const holdsPath = n
          .descendants()
          .nodes()
          .toArray()
          .some((d) => path.nodes.has(d.id()));
        n.addClass(path.nodes.has(n.id()) ? 'on-path' : holdsPath ? '' : 'dimmed');
      });
      cy.edges().forEach((e) => {
        e.addClass(path.edges.has(e.id()) ? 'on-path' : 'dimmed');
      });
      if (path.dropAt) cy.getElementById(path.dropAt).addClass('drop');
    });
  }, [path, graph]);

  return <div ref={container} className="graph" data-testid="graph" aria-label="network topology graph" role="img" />;
}
