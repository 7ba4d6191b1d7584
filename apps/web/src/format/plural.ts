/** "1 pod", "2 pods", "0 pods": a count with its noun, plural unless one (`many` for irregular nouns). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
