/** What a key pressed on the focused graph does to the camera. */
export type GraphKeyAction =
  | { readonly kind: 'pan'; readonly dx: number; readonly dy: number }
  | { readonly kind: 'zoom'; readonly factor: number }
  | { readonly kind: 'fit' };

/** Screen pixels an arrow key moves the view (Shift: four times as far). */
export const PAN_STEP = 60;
/** How much one + or − zooms, about the middle of the view. */
export const ZOOM_STEP = 1.25;

/** The keys, as the graph's accessible description says them. */
export const GRAPH_KEYS = 'arrow keys pan, + and − zoom, 0 fits the whole graph';

/**
 * The camera move for a key, or undefined for a key the graph leaves alone (Tab, Enter, shortcuts
 * with Ctrl or ⌘). Arrows move the view the way the arrow points, like scrolling a page.
 */
export function graphKeyAction(e: {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}): GraphKeyAction | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const step = e.shiftKey ? PAN_STEP * 4 : PAN_STEP;
  switch (e.key) {
    case 'ArrowLeft':
      return { kind: 'pan', dx: step, dy: 0 };
    case 'ArrowRight':
      return { kind: 'pan', dx: -step, dy: 0 };
    case 'ArrowUp':
      return { kind: 'pan', dx: 0, dy: step };
    case 'ArrowDown':
      return { kind: 'pan', dx: 0, dy: -step };
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_STEP };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 1 / ZOOM_STEP };
    case '0':
    case 'f':
      return { kind: 'fit' };
    default:
      return undefined;
  }
}
