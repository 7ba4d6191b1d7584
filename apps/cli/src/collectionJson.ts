/**
 * A snapshot or dump as the text `collect` and `dump` print: one line for a pipe, which a program
 * reads (a 250-pod node's snapshot is 1.6 MB so, 3.6 MB indented, and serializing and writing both
 * grow with it: ~30% of that step's CPU), indented for a terminal, where a person does. A file
 * (`--out`) is written in pieces instead: writeJsonFile.ts.
 */
export function collectionJson(value: unknown, toTerminal: boolean): string {
  return `${toTerminal ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
}
