/**
 * What a host map may name a namespace by, as plain patterns: the host map's schema checks them, and
 * the CLI's early start of the netlink helper (before the schema library is loaded) checks the same.
 */
export const NETNS_NAME = { minLength: 1, maxLength: 255, pattern: '^[^/\\u0000]+$' } as const;

/** An absolute path without `..`: /proc/PID/ns/net, or a runtime's bind mount. */
export const NETNS_PATH = { maxLength: 4096, pattern: '^/(?!(.*/)?\\.\\.(/|$))[^\\u0000]+$' } as const;

const NAME = new RegExp(NETNS_NAME.pattern, 'u');
const PATH = new RegExp(NETNS_PATH.pattern, 'u');

/** A string's length in code points, as the schema counts it. */
const codePoints = (s: string): number => Array.from(s).length;

/** Is this a netns name the host map's schema accepts? (The same check, without the schema library.) */
export function isNetnsName(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const n = codePoints(s);
  return n >= NETNS_NAME.minLength && n <= NETNS_NAME.maxLength && NAME.test(s);
}

/** Is this a namespace file path the host map's schema accepts? (The same check, without the schema library.) */
export const isNetnsPath = (s: unknown): s is string =>
  typeof s === 'string' && codePoints(s) <= NETNS_PATH.maxLength && PATH.test(s);
