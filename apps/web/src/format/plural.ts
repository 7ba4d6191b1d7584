/**
 * "1 pod", "2 pods", "0 pods", "12,500 pods": a count with its noun, plural unless one (`many` for
 * irregular nouns).
 */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
