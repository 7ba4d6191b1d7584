import { addressKey } from '../chainIndex.ts';
import type { Match, Step, Verdict } from '../ir.ts';
import { addressMatch, interfaceMatch, negated, parseMasked, protocolMatch, protocolNumber } from '../matchers.ts';
import { compileModule, OPTION_ARITY, parseMark, type ModuleOption } from './iptablesModules.ts';
import { natTarget, randomChance } from './iptablesNat.ts';

/** A rule's words compiled: its steps, and its comment for the hop that names it. */
export interface CompiledIptablesRule {
  readonly steps: Step[];
  readonly comment?: string;
  /** The exact destination (`-d A/32`, not negated) the rule needs before its target can act. */
  readonly onlyTo?: string;
}

/** Targets that neither decide nor change what the tracer follows: logging, accounting, QoS marks. */
const PASSIVE = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'TRACE',
  'AUDIT',
  'NFACCT',
  'TCPMSS',
  'CHECKSUM',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CLASSIFY',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
]);
const NAT = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);

/**
 * Compiles the words of one `-A CHAIN …` line (as iptables-save writes them, unquoted): options
 * and `-m` modules become matches in order, the `-j`/`-g` target the last step. What hoplens does
 * not evaluate becomes an unknown step naming it — a rule that reaches it makes the hook unknown.
 * `chains` are the table's chains: a target with their name is a jump.
 */
export function compileIptablesRule(
  args: readonly string[],
  family: 4 | 6,
  chains: ReadonlySet<string>,
): CompiledIptablesRule {
  const steps: Step[] = [];
  let comment: string | undefined;
  let onlyTo: string | undefined;
  let neg = false;
  let i = 0;
  const extra = (): { comment?: string; onlyTo?: string } => ({
    ...(comment ? { comment } : {}),
    ...(onlyTo === undefined ? {} : { onlyTo }),
  });
  const fail = (why: string): CompiledIptablesRule => ({
    steps: [...steps, { kind: 'unknown', why }],
    ...extra(),
  });
  while (i < args.length) {
    const a = args[i]!;
    if (a === '!') {
      neg = true;
      i++;
      continue;
    }
    const v = args[i + 1] ?? '';
    switch (a) {
      case '-s':
      case '--source':
      case '-d':
      case '--destination': {
        const m = parseMasked(v);
        if (!m || m.family !== family) return fail(`the address \`${v}\` is not understood`);
        const which = a.startsWith('-s') || a === '--source' ? 'src' : 'dst';
        steps.push(asStep(negated(addressMatch(which, m), neg)));
        if (which === 'dst' && !neg && m.mask === fullMask(family)) onlyTo ??= addressKey(m);
        i += 2;
        break;
      }
      case '-i':
      case '--in-interface':
      case '-o':
      case '--out-interface':
        steps.push(asStep(negated(interfaceMatch(a === '-i' || a === '--in-interface' ? 'iif' : 'oif', v), neg)));
        i += 2;
        break;
      case '-p':
      case '--protocol': {
        if (v === 'all' || v === '0') {
          if (neg) steps.push(asStep(() => false));
        } else {
          const proto = protocolNumber(v);
          if (proto === undefined) return fail(`the protocol \`${v}\` is not understood`);
          steps.push(asStep(negated(protocolMatch(proto), neg)));
        }
        i += 2;
        break;
      }
      case '-f':
      case '--fragment':
        // A later fragment: the tracer follows a packet's first (or only) fragment.
        steps.push(asStep(() => neg));
        i += 1;
        break;
      case '-m':
      case '--match': {
        const { options, next } = readOptions(args, i + 2);
        if (v === 'comment') comment = options.find((o) => o.name === '--comment')?.values[0];
        const chance = v === 'statistic' ? randomChance(options) : undefined;
        if (chance !== undefined) {
          steps.push({ kind: 'chance', probability: chance });
          i = next;
          break;
        }
        const r = compileModule(v, options);
        if ('unknown' in r) return fail(r.unknown);
        steps.push(...r.matches.map(asStep));
        i = next;
        break;
      }
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const { options, next } = readOptions(args, i + 2);
        if (next < args.length) return fail(`words after the target: \`${args.slice(next).join(' ')}\``);
        const target =
          a === '-g' || a === '--goto'
            ? { steps: [{ kind: 'verdict', verdict: { kind: 'goto', chain: v } } as const] }
            : compileTarget(v, options, family, chains);
        return { steps: [...steps, ...target.steps], ...extra() };
      }
      default:
        return fail(`the option \`${a}\` is not evaluated by hoplens`);
    }
    neg = false;
  }
  // No target: the rule only counts packets.
  return { steps, ...extra() };
}

const fullMask = (family: 4 | 6): bigint => (1n << (family === 4 ? 32n : 128n)) - 1n;

const asStep = (test: Match): Step => ({ kind: 'match', test });

/** `[!] --opt value…` words from `at`, up to the next `-x` option or target. */
function readOptions(args: readonly string[], at: number): { options: ModuleOption[]; next: number } {
  const options: ModuleOption[] = [];
  let i = at;
  while (i < args.length) {
    const neg = args[i] === '!' && args[i + 1]?.startsWith('--') === true;
    const name = neg ? args[i + 1]! : args[i]!;
    if (!name.startsWith('--')) break;
    const arity = OPTION_ARITY[name] ?? 1;
    const start = i + (neg ? 2 : 1);
    options.push({ name, values: args.slice(start, start + arity), negated: neg });
    i = start + arity;
  }
  return { options, next: i };
}

function compileTarget(
  target: string,
  opts: readonly ModuleOption[],
  family: 4 | 6,
  chains: ReadonlySet<string>,
): { steps: Step[] } {
  const verdict = (v: Verdict): { steps: Step[] } => ({ steps: [{ kind: 'verdict', verdict: v }] });
  const opt = (name: string): string | undefined => opts.find((o) => o.name === name)?.values[0];
  switch (target) {
    case 'ACCEPT':
      return verdict({ kind: 'accept' });
    case 'DROP':
      return verdict({ kind: 'drop' });
    case 'RETURN':
      return verdict({ kind: 'return' });
    case 'REJECT':
      return verdict({
        kind: 'reject',
        with: opt('--reject-with') ?? (family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'),
      });
    case 'NOTRACK':
      return { steps: [{ kind: 'notrack' }] };
    case 'CT':
      return opts.length === 1 && opts[0]?.name === '--notrack'
        ? { steps: [{ kind: 'notrack' }] }
        : {
            steps: [
              {
                kind: 'unknown',
                why: `the CT target's \`${opts.map((o) => o.name).join(' ')}\` is not evaluated by hoplens`,
              },
            ],
          };
    case 'MARK':
      return markTarget(opts);
    default:
      if (PASSIVE.has(target)) return { steps: [] };
      if (NAT.has(target)) return { steps: [natTarget(target, opts, family)] };
      if (chains.has(target)) return verdict({ kind: 'jump', chain: target });
      return { steps: [{ kind: 'unknown', why: `the target ${target} is not evaluated by hoplens` }] };
  }
}

/** MARK --set-xmark v/m (what iptables-save writes for every form), --set-mark, --and/--or/--xor-mark. */
function markTarget(opts: readonly ModuleOption[]): { steps: Step[] } {
  const [o] = opts;
  const m = o ? parseMark(o.values[0] ?? '') : undefined;
  if (!o || !m) return { steps: [{ kind: 'unknown', why: 'the MARK target is not understood' }] };
  const [v, mask] = m;
  const apply: Record<string, (mark: number) => number> = {
    '--set-xmark': (x) => (x & ~mask) ^ v,
    '--set-mark': (x) => (x & ~mask) | v,
    '--and-mark': (x) => x & v,
    '--or-mark': (x) => x | v,
    '--xor-mark': (x) => x ^ v,
  };
  const f = apply[o.name];
  return f
    ? { steps: [{ kind: 'mark', apply: f }] }
    : { steps: [{ kind: 'unknown', why: `MARK ${o.name} is not understood` }] };
}
