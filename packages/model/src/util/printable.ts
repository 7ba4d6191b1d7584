/**
 * Characters a terminal acts on rather than shows: C0 controls but the line feed, DEL, C1 controls,
 * the line and paragraph separators and the bidirectional overrides (which reorder what is shown).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Text from a snapshot (names, messages, fix commands) as a terminal or a log may show it: every
 * control character escaped as `\xHH`, so a name cannot move the cursor, erase a line or hide what
 * follows. Line feeds are kept when `lines` is set (a fix is several commands), escaped otherwise.
 * Display only: the commands themselves stay shell-quoted as they were.
 */
export function printable(text: string, { lines = false }: { lines?: boolean } = {}): string {
  const shown = text.replace(HIDDEN, escape);
  return lines ? shown : shown.replace(/\n/g, '\\x0a');
}
