import { SCENARIOS } from '@hoplens/lab';

/**
 * What `hoplens lab list` prints: each scenario, its variants and what it builds. The built CLI
 * gets this text generated at build (scripts/generatedLabList.ts), so that listing loads none of
 * the lab (its bundle, child_process, crypto: ~40 % of the command's time).
 */
export function labList(): string {
  return [...SCENARIOS.values()].map((s) => `${s.name} [${s.variants.join('|')}]: ${s.description}\n`).join('');
}
