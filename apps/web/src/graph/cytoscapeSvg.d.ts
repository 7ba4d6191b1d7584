// cytoscape-svg ships no types: the extension and the method it adds to a Core.
declare module 'cytoscape-svg' {
  import type { Ext } from 'cytoscape';
  const ext: Ext;
  export default ext;
}

declare namespace cytoscape {
  interface Core {
    svg(options?: { full?: boolean; scale?: number; bg?: string }): string;
  }
}
