/** A tracepoint's `format` file: its fields in order, and the symbol tables of its print format. */
export interface EventFormat {
  readonly name: string;
  readonly id: number;
  /** Field names in record order, without the `common_` ones. */
  readonly fields: readonly string[];
  /** `__print_symbolic(REC->field, { n, "NAME" }, …)` tables, by field. */
  readonly symbols: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

/**
 * Parses a tracepoint's format file. Drop reasons are numbered differently from one kernel to the
 * next; the kernel prints its own numbering in the `print fmt` line as a `__print_symbolic` table,
 * so the names come from there and never from a table in hoplens.
 */
export function parseEventFormat(text: string): EventFormat {
  const name = /^name: (\S+)$/m.exec(text)?.[1];
  const id = Number(/^ID: (\d+)$/m.exec(text)?.[1]);
  if (!name || !Number.isInteger(id)) throw new Error('not a tracepoint format file (no name or ID)');
  const fields: string[] = [];
  for (const m of text.matchAll(/^\s*field:[^;]*?(\w+)(?:\[\d*\])?;\s*offset:/gm)) {
    const field = m[1]!;
    if (!field.startsWith('common_')) fields.push(field);
  }
  const symbols = new Map<string, Map<number, string>>();
  const fmt = /^print fmt: (.*)$/m.exec(text)?.[1] ?? '';
  for (const m of fmt.matchAll(
    /__print_symbolic\(REC->(\w+),((?:\s*\{\s*-?(?:0x)?[0-9a-fA-F]+,\s*"[^"]*"\s*\},?)*)\s*\)/g,
  )) {
    const table = new Map<number, string>();
    for (const e of m[2]!.matchAll(/\{\s*(-?(?:0x)?[0-9a-fA-F]+),\s*"([^"]*)"\s*\}/g)) table.set(Number(e[1]), e[2]!);
    symbols.set(m[1]!, table);
  }
  return { name, id, fields, symbols };
}
