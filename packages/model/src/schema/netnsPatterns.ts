/**
 * What a host map may name a namespace by, as plain patterns: the host map's schema checks them, and
 * the CLI's early start of the netlink helper (before the schema library is loaded) checks the same.
 */
export const NETNS_NAME = { minLength: 1, maxLength: 255, pattern: '^[^/\\u0000]+$' } as const;

/** An absolute path without `..`: /proc/PID/ns/net, or a runtime's bind mount. */
export const NETNS_PATH = { maxLength: 4096, pattern: '^/(?!(.*/)?\\.\\.(/|$))[^\\u0000]+$' } as const;
