import { expect, it } from 'vitest';
import { ResizeFollower, type FittedRef, type FollowedCore } from './resizeFollower.ts';

/**
 * Cytoscape's size as it behaves: read from the container once and cached until `resize()` drops
 * the cache (which Cytoscape itself also does, debounced, from its own observers).
 */
class CachingCore implements FollowedCore {
  box = { width: 1000, height: 600 };
  private cached: { width: number; height: number } | undefined;
  private p = { x: 0, y: 0 };
  private z = 1;

  private size(): { width: number; height: number } {
    return (this.cached ??= { ...this.box });
  }
  resize(): this {
    this.cached = undefined;
    return this;
  }
  width(): number {
    return this.size().width;
  }
  height(): number {
    return this.size().height;
  }
  pan(): { x: number; y: number };
  pan(to: { x: number; y: number }): this;
  pan(to?: { x: number; y: number }): this | { x: number; y: number } {
    if (to === undefined) return { ...this.p };
    this.p = { ...to };
    return this;
  }
  panBy(by: { x: number; y: number }): this {
    this.p = { x: this.p.x + by.x, y: this.p.y + by.y };
    return this;
  }
  zoom(): number;
  zoom(level: number): this;
  zoom(level?: number): this | number {
    if (level === undefined) return this.z;
    this.z = level;
    return this;
  }
  /** The graph point drawn in the middle of the container as it is in the DOM. */
  middle(): { x: number; y: number } {
    return { x: (this.box.width / 2 - this.p.x) / this.z, y: (this.box.height / 2 - this.p.y) / this.z };
  }
}

const setup = () => {
  const cy = new CachingCore();
  const fitted: FittedRef = { current: undefined };
  const follower = new ResizeFollower(cy, fitted);
  cy.zoom(0.9);
  cy.pan({ x: -270.5, y: -120 });
  return { cy, fitted, follower };
};

it('keeps the graph point in the middle when the container loses a line of text', () => {
  const { cy, follower } = setup();
  const was = cy.middle();
  cy.box = { width: 1000, height: 592 };
  follower.follow();
  expect(cy.middle()).toEqual(was);
  expect([follower.width, follower.height]).toEqual([1000, 592]);
});

it("keeps it when Cytoscape dropped and refilled its cached size before the follower's turn", () => {
  const { cy, follower } = setup();
  const was = cy.middle();
  cy.box = { width: 1000, height: 608 };
  // Cytoscape's own debounced resize, then a render that reads the size again: its cache already
  // holds the new height, so it cannot tell what changed.
  cy.resize();
  expect(cy.height()).toBe(608);
  follower.follow();
  expect(cy.middle()).toEqual(was);
});

it('answers, between changes, the size the current pan was set against', () => {
  const { cy, follower } = setup();
  cy.box = { width: 1000, height: 608 };
  cy.resize();
  // Not followed yet: the pan is still relative to the old box.
  expect(follower.height).toBe(600);
  follower.follow();
  follower.follow();
  expect(follower.height).toBe(608);
});

it('counts a fit nobody moved as a fit after following, and a moved view not', () => {
  const { cy, fitted, follower } = setup();
  fitted.current = { zoom: cy.zoom(), ...cy.pan() };
  cy.box = { width: 1008, height: 600 };
  follower.follow();
  expect(fitted.current).toEqual({ zoom: 0.9, x: -266.5, y: -120 });

  cy.panBy({ x: 10, y: 0 });
  cy.box = { width: 1000, height: 600 };
  follower.follow();
  expect(fitted.current).toEqual({ zoom: 0.9, x: -266.5, y: -120 });
  expect(cy.pan()).toEqual({ x: -260.5, y: -120 });
});
