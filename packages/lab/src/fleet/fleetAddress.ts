/** Most agents a fleet serves: 127.0.1.1 … 127.0.65.254 is room enough, and the count stays bounded. */
export const MAX_FLEET_AGENTS = 16_384;

/**
 * The loopback address of agent `i`: 127.0.x.y with x from 1 and y in 1–254, so 5,000 agents fill
 * 127.0.1.1 … 127.0.20.174. 127.0.0.0/24 is left alone: 127.0.0.1 is everyone's, and a real agent
 * there on port 7081 would collide. (Linux answers for the whole 127.0.0.0/8 on lo.)
 */
export function fleetAddress(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_FLEET_AGENTS) throw new RangeError(`no fleet address for agent ${i}`);
  return `127.0.${1 + Math.floor(i / 254)}.${1 + (i % 254)}`;
}
