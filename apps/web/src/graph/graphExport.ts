import type { Core } from 'cytoscape';

/** What the graph can be saved as: the whole graph, on white, as the user sees it styled. */
export interface GraphExport {
  readonly png: () => Blob;
  readonly svg: () => Blob;
}

export function graphExport(cy: Core): GraphExport {
  return {
    png: () => cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2 }),
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
