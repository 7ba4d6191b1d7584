import type { LinkState } from '../schema/graph.ts';
import type { Link } from '../schema/inventory.ts';

/** Whether a link passes frames: up, administratively down, or up without carrier. */
export const linkState = (l: Pick<Link, 'adminUp' | 'carrier'>): LinkState =>
  !l.adminUp ? 'down' : l.carrier ? 'up' : 'no-carrier';
