import type { Chain } from './ir.ts';

/**
 * Chains that reach themselves again through jumps and gotos (the kernel refuses such a ruleset,
 * but a hostile agent can send one), each with the cycle as text (`A → B → A`). Iterative, so a
 * chain of 100,000 jumps cannot overflow the stack.
 */
export function findLoops(chains: ReadonlyMap<string, Chain>): Map<string, string> {
  const edges = new Map<string, string[]>();
  for (const [name, c] of chains) {
    const to: string[] = [];
    for (const r of c.rules) {
      for (const s of r.steps) {
        if (s.kind === 'verdict' && (s.verdict.kind === 'jump' || s.verdict.kind === 'goto')) to.push(s.verdict.chain);
        else if (s.kind === 'vmap') to.push(...s.targets);
        else if (s.kind === 'random')
          for (const w of s.ways) if (w.verdict.kind === 'jump' || w.verdict.kind === 'goto') to.push(w.verdict.chain);
      }
    }
    edges.set(name, to);
  }
  const loops = new Map<string, string>();
  const state = new Map<string, 'open' | 'done'>();
  for (const root of chains.keys()) {
    if (state.has(root)) continue;
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const to = edges.get(top.name) ?? [];
      if (top.next >= to.length) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      const n = to[top.next++]!;
      const s = state.get(n);
      if (s === 'open') {
        const from = stack.findIndex((f) => f.name === n);
        const cycle = [...stack.slice(from).map((f) => f.name), n].join(' → ');
        for (const f of stack.slice(from)) if (!loops.has(f.name)) loops.set(f.name, cycle);
      } else if (s === undefined && chains.has(n)) {
        state.set(n, 'open');
        stack.push({ name: n, next: 0 });
      }
    }
  }
  return loops;
}
