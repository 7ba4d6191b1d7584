/**
 * Raised for output that is not what a command prints: named by command, never a crash or silent
 * junk. A file of its own, without the schema library: the netlink backend's parsers raise it too.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}
