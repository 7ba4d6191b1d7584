import { parseIp } from '../../net/ip.ts';
import type { NatTarget, Step } from '../ir.ts';
import type { ModuleOption } from './iptablesModules.ts';

/**
 * A NAT target's step: DNAT/SNAT to one address (and port), MASQUERADE, REDIRECT to one port. A
 * range of addresses or ports (the kernel picks in it), NETMAP, or words hoplens does not know stay
 * an unknown step naming the target — never a guess at what the kernel picked.
 */
export function natTarget(target: string, opts: readonly ModuleOption[], family: 4 | 6): Step {
  const unknown = (why: string): Step => ({ kind: 'unknown', why: `${target} ${why}` });
  const known = (names: readonly string[]): string | undefined =>
    opts.find((o) => !names.includes(o.name) && !HARMLESS.has(o.name))?.name;
  const nat = (t: NatTarget): Step => ({ kind: 'nat', nat: t });
  switch (target) {
    case 'DNAT':
    case 'SNAT': {
      const name = target === 'DNAT' ? '--to-destination' : '--to-source';
      const extra = known([name]);
      if (extra) return unknown(`\`${extra}\` is not evaluated by hoplens`);
      const to = opts.filter((o) => o.name === name);
      if (to.length !== 1) return unknown(`with ${to.length} ${name} is not evaluated by hoplens`);
      const at = natAddress(to[0]!.values[0] ?? '', family);
      if (!at)
        return unknown(`to \`${to[0]!.values[0] ?? ''}\` (a range, or not understood) is not evaluated by hoplens`);
      return nat({ kind: target === 'DNAT' ? 'dnat' : 'snat', ...at });
    }
    case 'MASQUERADE': {
      const extra = known([]);
      if (extra) return unknown(`\`${extra}\` is not evaluated by hoplens`);
      return nat({ kind: 'masquerade' });
    }
    case 'REDIRECT': {
      const extra = known(['--to-ports']);
      if (extra) return unknown(`\`${extra}\` is not evaluated by hoplens`);
      const ports = opts.find((o) => o.name === '--to-ports')?.values[0];
      if (ports === undefined) return nat({ kind: 'redirect' });
      const port = /^\d{1,5}$/.test(ports) ? Number(ports) : undefined;
      if (port === undefined || port > 65535) return unknown(`to ports \`${ports}\` is not evaluated by hoplens`);
      return nat({ kind: 'redirect', port });
    }
    default:
      return unknown('is not evaluated by hoplens');
  }
}

/** Options that change only which port or hash the kernel picks, not where the packet goes. */
const HARMLESS = new Set(['--random', '--random-fully', '--persistent']);

/** `10.244.1.5`, `10.244.1.5:8080`, `[fd00::5]:8080`, `fd00::5`; a range is undefined. */
function natAddress(text: string, family: 4 | 6): { addr: string; port?: number } | undefined {
  const m =
    family === 6
      ? /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$|^([0-9a-f:.]+)$/i.exec(text)
      : /^([\d.]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const addr = m[1] ?? m[3] ?? '';
  const ip = parseIp(addr);
  if (!ip || ip.family !== family) return undefined;
  if (m[2] === undefined) return { addr };
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { addr, port } : undefined;
}

/**
 * `-m statistic --mode random --probability P` (what kube-proxy writes to pick an endpoint): the
 * probability, or undefined for another form (nth mode, negation), which stays unknown.
 */
export function randomChance(opts: readonly ModuleOption[]): number | undefined {
  if (opts.length !== 2 || opts.some((o) => o.negated)) return undefined;
  const mode = opts.find((o) => o.name === '--mode')?.values[0];
  const p = opts.find((o) => o.name === '--probability')?.values[0];
  if (mode !== 'random' || p === undefined || !/^(0|1)(\.\d+)?$/.test(p)) return undefined;
  const v = Number(p);
  return v >= 0 && v <= 1 ? v : undefined;
}
