/** Read-only graph state for tests: the canvas is not DOM, so this is exposed on purpose. */
export interface HoplensProbe {
  /** True once the current view's elements are drawn. */
  readonly ready: boolean;
  classesOf(id: string): string[];
  ids(): string[];
  /** Center of an element relative to the graph container, in CSS pixels. */
  renderedCenter(id: string): { x: number; y: number } | undefined;
  /** Box an element is drawn in (without its label), relative to the graph container, in CSS pixels. */
  renderedBox(id: string): { x1: number; y1: number; x2: number; y2: number } | undefined;
  /** Position of a node in graph coordinates. */
  position(id: string): { x: number; y: number } | undefined;
  viewport(): { zoom: number; x: number; y: number };
  /** Elements drawn. */
  count(): number;
  /** True when no viewport animation (centring on a focused element) is running or about to. */
  still(): boolean;
  /** True when the camera is still and the URL (the permalink) already names the view on screen. */
  inUrl(): boolean;
}

declare global {
  interface Window {
    __hoplens?: HoplensProbe;
  }
}
