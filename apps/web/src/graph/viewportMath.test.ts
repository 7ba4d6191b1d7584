import { expect, it } from 'vitest';
import { fitZoom, toGraphView, toScreenView, type Frame } from './viewportMath.ts';

const box = { x1: -100, y1: 0, w: 2000, h: 1000 };
const frame = (width: number, height: number): Frame => ({
  width,
  height,
  box,
  padding: 40,
  minZoom: 0.02,
  maxZoom: 4,
});
/** The graph point drawn at a screen point of a view. */
const graphAt = (v: { zoom: number; pan: { x: number; y: number } }, sx: number, sy: number) => ({
  x: (sx - v.pan.x) / v.zoom,
  y: (sy - v.pan.y) / v.zoom,
});

it('fits the way Cytoscape does: the tighter side decides, inside the zoom limits', () => {
  expect(fitZoom(frame(1440, 900))).toBeCloseTo((1440 - 80) / 2000);
  expect(fitZoom(frame(800, 300))).toBeCloseTo((300 - 80) / 1000);
  expect(fitZoom({ ...frame(1440, 900), box: { x1: 0, y1: 0, w: 10, h: 10 } })).toBe(4);
});

it('puts the same graph point in the middle of a small window as of a large one, zoomed as far into the fit', () => {
  const big = frame(1440, 900);
  const small = frame(800, 600);
  const seen = { zoom: 2, pan: { x: -900, y: -300 } };
  const region = toGraphView(seen, big);
  expect(graphAt(seen, 720, 450)).toEqual({ x: region.x, y: region.y });

  const there = toScreenView(region, small);
  const centre = graphAt(there, 400, 300);
  expect(centre.x).toBeCloseTo(region.x);
  expect(centre.y).toBeCloseTo(region.y);
  expect(there.zoom / fitZoom(small)).toBeCloseTo(seen.zoom / fitZoom(big));
});

it('gives back the view it was made from in the same window', () => {
  const f = frame(1024, 768);
  const seen = { zoom: 0.7, pan: { x: 120, y: -45 } };
  const back = toScreenView(toGraphView(seen, f), f);
  expect(back.zoom).toBeCloseTo(seen.zoom);
  expect(back.pan.x).toBeCloseTo(seen.pan.x);
  expect(back.pan.y).toBeCloseTo(seen.pan.y);
});
