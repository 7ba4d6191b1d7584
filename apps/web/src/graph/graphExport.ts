import type { Core } from 'cytoscape';

/** What the graph can be saved as: the whole graph, on white, as the user sees it styled. */
export interface GraphExport {
  readonly png: () => Blob;
  readonly svg: () => Blob;
}

/** The longest side of an exported PNG, in pixels. */
export const MAX_PNG_SIDE = 8192;

/**
 * The scale a PNG of a graph `w` × `h` is drawn at: twice its size, as a sharp picture, but no side
 * past MAX_PNG_SIDE at the renderer's `pixelRatio` (Cytoscape multiplies by it, and ignores its
 * own maxWidth and maxHeight once a scale is given). A 5,000-node overview at 2 was 24,892 × 9,030 px:
 * 225 Mpx, 17 s of a frozen page, and more than many viewers open.
 */
export const pngScale = (w: number, h: number, pixelRatio: number): number =>
  Math.min(2, MAX_PNG_SIDE / (Math.max(1, w) * pixelRatio), MAX_PNG_SIDE / (Math.max(1, h) * pixelRatio));

export function graphExport(cy: Core): GraphExport {
  return {
    png: () => {
      const { w, h } = cy.elements().boundingBox();
      // GraphView draws with pixelRatio 1, which Cytoscape multiplies a PNG's size by.
      const scale = pngScale(w, h, 1);
      return cy.png({ output: 'blob', full: true, bg: '#ffffff', scale });
    },
    svg: () => new Blob([cy.svg({ full: true, bg: '#ffffff' })], { type: 'image/svg+xml' }),
  };
}

/** Hands a blob to the browser as a download. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
