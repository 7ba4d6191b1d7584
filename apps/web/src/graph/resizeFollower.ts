/** What the follower asks of Cytoscape's Core. */
export interface FollowedCore {
  resize(): unknown;
  width(): number;
  height(): number;
  pan(): { x: number; y: number };
  panBy(by: { x: number; y: number }): unknown;
  zoom(): number;
}

/** A view as hoplens last set it: the fit it opened with, kept while the user has not moved. */
export interface FittedRef {
  current: { zoom: number; x: number; y: number } | undefined;
}

/**
 * Keeps the middle of the view in the middle when the graph's container changes size (a panel, a
 * notice or a chip's new line appears): a permalink names the graph point there, and the page
 * settling after it was restored must not move it.
 *
 * The size the pan was last set against is kept here, not read from Cytoscape: Cytoscape also
 * drops its cached size by itself (100 ms after its own resize and attribute observers fire), and
 * whatever reads it next caches the new one — a follower that compared against Cytoscape's cache
 * then saw no change and left the view half a change off (the flake of the permalink spec: 4 px
 * for a line of 8).
 */
export class ResizeFollower {
  private size: { readonly width: number; readonly height: number };

  constructor(
    private readonly cy: FollowedCore,
    private readonly fittedAt: FittedRef,
  ) {
    cy.resize();
    this.size = { width: cy.width(), height: cy.height() };
  }

  /** The container's size the current pan is relative to (as of the last `follow`). */
  get width(): number {
    return this.size.width;
  }

  get height(): number {
    return this.size.height;
  }

  /**
   * Reads the container's size now and pans by half of its change since the last call, so the
   * same graph point stays in the middle; a fit on opening that nobody moved stays counted as one.
   * Afterwards Cytoscape's own size is the container's.
   */
  follow(): void {
    const cy = this.cy;
    cy.resize();
    const now = { width: cy.width(), height: cy.height() };
    const [dw, dh] = [now.width - this.size.width, now.height - this.size.height];
    this.size = now;
    if (dw === 0 && dh === 0) return;
    const fitted = this.fittedAt.current;
    const pan = cy.pan();
    const stillFitted = fitted && fitted.zoom === cy.zoom() && fitted.x === pan.x && fitted.y === pan.y;
    cy.panBy({ x: dw / 2, y: dh / 2 });
    if (stillFitted) this.fittedAt.current = { zoom: cy.zoom(), ...cy.pan() };
  }
}
