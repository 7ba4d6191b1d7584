import type { Position } from './layoutPositions.ts';

const KEY = (snapshot: string): string => `hoplens.positions.${snapshot}`;
/** Bounds what one snapshot keeps in localStorage (a few hundred kB at most). */
const MAX = 5000;

/** Positions the user dragged nodes to in this snapshot: kept in this browser, per snapshot. */
export function loadPositions(snapshot: string): Map<string, Position> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY(snapshot)) ?? '{}');
    const out = new Map<string, Position>();
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [id, p] of Object.entries(raw as Record<string, unknown>)) {
      const { x, y } = (p ?? {}) as { x?: unknown; y?: unknown };
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y))
        out.set(id, { x, y });
    }
    return out;
  } catch {
    return new Map();
  }
}

/** Adds dragged positions to what the snapshot keeps; the oldest go past MAX. */
export function savePositions(snapshot: string, moved: ReadonlyMap<string, Position>): Map<string, Position> {
  const all = loadPositions(snapshot);
  for (const [id, p] of moved) {
    all.delete(id);
    all.set(id, p);
  }
  const kept = [...all].slice(-MAX);
  try {
    localStorage.setItem(KEY(snapshot), JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Storage full or disabled: the positions last for this page only.
  }
  return new Map(kept);
}

export function clearPositions(snapshot: string): void {
  localStorage.removeItem(KEY(snapshot));
}
