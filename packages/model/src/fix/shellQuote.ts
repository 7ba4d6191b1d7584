/** Quotes one argument for a POSIX shell; names from hosts may hold `;`, `$`, quotes or newlines. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
