/**
 * Splits OVS's action and match lists at the commas that separate their items, not the ones inside
 * an item's parentheses (`ct(commit,zone=5),resubmit(,10)` is two actions). Returns undefined for
 * unbalanced parentheses: text OVS would not print.
 */
export function splitTopLevel(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  const last = text.slice(start);
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}
