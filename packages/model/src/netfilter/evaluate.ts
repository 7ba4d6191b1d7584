import { nextRule } from './chainIndex.ts';
import { combine } from './combine.ts';
import { natWords } from './natWords.ts';
import type { BaseChain, Chain, Rule, RuleRef, Step, Tri, Verdict } from './ir.ts';
import type { NfCtState, NfEnv, NfPacket, NfState } from './nfPacket.ts';

/** Conntrack's own hook priority (NF_IP_PRI_CONNTRACK): chains before it see no connection yet. */
export const CONNTRACK_PRIORITY = -200;
/** The kernel refuses deeper jump stacks (NFT_JUMP_STACK_SIZE is 16); deeper here is a loop. */
const MAX_DEPTH = 64;
/** Unknown matches split the evaluation; past this many open branches it gives up, unknown. */
const MAX_BRANCHES = 64;
/** Random choices split it too (one way per Service endpoint): past this many ways, unknown. */
const MAX_CHANCES = 1024;
/** Rules evaluated per hook before giving up (a hostile ruleset must not hang a trace). */
const MAX_STEPS = 2_000_000;

/** Something the evaluation did to the packet or decided, worth a line on the hop. */
export interface HookEvent {
  readonly ref: RuleRef;
  readonly what: string;
}

/** One random choice a way through the rules took: the rule, its probability, taken or not. */
export interface ChanceTaken {
  readonly ref: RuleRef;
  readonly probability: number;
  readonly taken: boolean;
}

/** What a hook decides about a packet. */
export type HookResult =
  | { readonly verdict: 'accept'; readonly state: NfState; readonly events: readonly HookEvent[] }
  | {
      readonly verdict: 'drop' | 'reject';
      readonly ref: RuleRef;
      /** The ICMP error (or TCP reset) a REJECT answers with. */
      readonly reject?: string;
      readonly events: readonly HookEvent[];
    }
  | {
      readonly verdict: 'unknown';
      readonly ref: RuleRef | undefined;
      readonly why: string;
      /**
       * Where the evaluation split on a match it cannot evaluate and the ways ended differently:
       * each different end (accepted, or the rule that drops or rejects), for the words of the hop.
       */
      readonly ways?: readonly UnknownWay[];
    }
  /**
   * Random choices (kube-proxy's endpoint pick) lead to different ends: one outcome per way, with
   * its probability (the product of its choices'). Each outcome is itself never a `chance`.
   */
  | { readonly verdict: 'chance'; readonly outcomes: readonly ChanceOutcome[] };

/** One end a hook could come to, where which one depends on what hoplens cannot evaluate. */
export type UnknownWay =
  | { readonly verdict: 'accept' }
  | { readonly verdict: 'drop' | 'reject'; readonly ref: RuleRef; readonly reject?: string };

/** One way through a hook's random choices: how likely, and the first choice on it (to name the rule). */
export interface ChanceOutcome {
  readonly probability: number;
  readonly first: ChanceTaken | undefined;
  readonly result: Exclude<HookResult, { verdict: 'chance' }>;
}

export interface HookInput {
  readonly chains: readonly BaseChain[];
  readonly packet: NfPacket;
  readonly state: NfState;
  readonly env: NfEnv;
  /**
   * At prerouting and output, the state conntrack gives the packet when it runs (between the chains
   * below priority -200 and the rest); elsewhere the state is already the packet's.
   */
  readonly conntrack?: NfCtState;
}

/** One path through the rules: the state it carries, what it assumed of unknown matches, the chances it took. */
export interface Branch {
  readonly state: NfState;
  readonly events: HookEvent[];
  readonly assumed: { readonly ref: RuleRef; readonly why: string }[];
  /**
   * The way through random choices: an id (ends with the same id took the same choices), its
   * probability and first choice. Kept flat: a Service's N endpoints make N ways, not N² records.
   */
  readonly way: { readonly id: number; readonly probability: number; readonly first: ChanceTaken | undefined };
}

export type Flow =
  | {
      readonly kind: 'verdict';
      readonly verdict: 'accept' | 'drop' | 'reject';
      readonly ref: RuleRef;
      readonly with?: string;
    }
  | { readonly kind: 'return' }
  | { readonly kind: 'unknown'; readonly ref: RuleRef | undefined; readonly why: string };

export interface Ended {
  readonly branch: Branch;
  readonly flow: Flow;
}

class Budget {
  steps = 0;
  branches = 1;
  chances = 1;
  ways = 0;
}

/**
 * Runs a packet through one hook: every base chain by priority (conntrack between them at
 * prerouting and output), jumps, gotos and returns, policies. A match the tracer cannot evaluate
 * splits the walk; if every half ends the same, that is the verdict, else it is unknown and names
 * the rule. Targets it does not evaluate (NAT, queues) make the verdict unknown, never a pass.
 */
export function evaluateHook(input: HookInput): HookResult {
  const budget = new Budget();
  const way = { id: 0, probability: 1, first: undefined };
  let branches: Branch[] = [{ state: { ...input.state }, events: [], assumed: [], way }];
  const finished: Ended[] = [];
  let conntrackDone = input.conntrack === undefined;
  for (const base of input.chains) {
    if (!conntrackDone && base.priority >= CONNTRACK_PRIORITY) {
      branches = branches.map((b) => withConntrack(b, input.conntrack!));
      conntrackDone = true;
    }
    const next: Branch[] = [];
    for (const b of branches) {
      // NAT chains see only a connection's first packet (an untracked one has no connection at all).
      if (base.type === 'nat' && b.state.ct !== 'new') {
        next.push(b);
        continue;
      }
      for (const e of runChain(base, base.chain, b, input, budget, [base.chain.name])) {
        if (e.flow.kind === 'return') {
          if (base.policy.verdict === 'accept') next.push(e.branch);
          else finished.push({ branch: e.branch, flow: { kind: 'verdict', verdict: 'drop', ref: base.policy.ref } });
        } else if (e.flow.kind === 'verdict' && e.flow.verdict === 'accept') {
          const natted = e.branch.state.nat?.ref === e.flow.ref;
          next.push(
            natted ? e.branch : { ...e.branch, events: [...e.branch.events, { ref: e.flow.ref, what: 'accepts it' }] },
          );
        } else finished.push(e);
      }
    }
    branches = next;
  }
  if (!conntrackDone) branches = branches.map((b) => withConntrack(b, input.conntrack!));
  for (const b of branches) finished.push({ branch: b, flow: { kind: 'return' } });
  return combine(finished);
}

function withConntrack(b: Branch, ct: NfCtState): Branch {
  return b.state.notrack ? b : { ...b, state: { ...b.state, ct } };
}

/** Runs a chain from its first rule; each branch ends in a verdict, a return (end of chain), or unknown. */
function runChain(
  base: BaseChain,
  chain: Chain,
  start: Branch,
  input: HookInput,
  budget: Budget,
  path: readonly string[],
): Ended[] {
  const out: Ended[] = [];
  const pending: { at: number; branch: Branch }[] = [{ at: 0, branch: start }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    let branch = item.branch;
    let i = item.at;
    let fellOff = true;
    for (; (i = nextRule(chain, i, input.packet)) < chain.rules.length; i++) {
      if (++budget.steps > MAX_STEPS) {
        out.push({
          branch,
          flow: { kind: 'unknown', ref: chain.rules[i]!.ref, why: `gave up after ${MAX_STEPS} rules` },
        });
        fellOff = false;
        break;
      }
      const rule = chain.rules[i]!;
      const results = runRule(rule, branch, input, budget);
      const only = results[0];
      if (results.length === 1 && only && only.flow === 'next') {
        branch = only.branch;
        continue;
      }
      for (const r of results) {
        if (r.flow === 'next') {
          pending.push({ at: i + 1, branch: r.branch });
          continue;
        }
        const v = r.flow;
        if (v.kind === 'jump' || v.kind === 'goto') {
          const target = base.chains.get(v.chain);
          if (!target) {
            out.push({
              branch: r.branch,
              flow: { kind: 'unknown', ref: rule.ref, why: `it jumps to chain ${v.chain}, which was not collected` },
            });
            continue;
          }
          if (path.includes(v.chain) || path.length >= MAX_DEPTH) {
            const loop = base.loops.get(v.chain) ?? [...path, v.chain].join(' → ');
            const why = path.includes(v.chain) ? `the chains loop (${loop})` : `jumps nest deeper than ${MAX_DEPTH}`;
            out.push({ branch: r.branch, flow: { kind: 'unknown', ref: rule.ref, why } });
            continue;
          }
          for (const sub of runChain(base, target, r.branch, input, budget, [...path, v.chain])) {
            if (sub.flow.kind !== 'return') out.push(sub);
            // After a jump the caller goes on; after a goto, the chain that did it is done.
            else if (v.kind === 'jump') pending.push({ at: i + 1, branch: sub.branch });
            else out.push(sub);
          }
        } else out.push({ branch: r.branch, flow: v as Flow });
      }
      fellOff = false;
      break;
    }
    if (fellOff) out.push({ branch, flow: { kind: 'return' } });
  }
  return out;
}

type RuleFlow = 'next' | Flow | { readonly kind: 'jump' | 'goto'; readonly chain: string };

/** A rule's steps in order; an unknown match splits the branch. */
function runRule(rule: Rule, start: Branch, input: HookInput, budget: Budget): { branch: Branch; flow: RuleFlow }[] {
  const out: { branch: Branch; flow: RuleFlow }[] = [];
  const pending: { at: number; branch: Branch }[] = [{ at: 0, branch: start }];
  const effectless = !rule.steps.some(changesSomething);
  while (pending.length > 0) {
    const item = pending.pop()!;
    let branch = item.branch;
    let done = false;
    for (let k = item.at; k < rule.steps.length && !done; k++) {
      const step: Step = rule.steps[k]!;
      switch (step.kind) {
        case 'match': {
          const t: Tri = step.test(input.packet, branch.state, input.env);
          if (t === true) break;
          if (t === false) {
            out.push({ branch, flow: 'next' });
            done = true;
            break;
          }
          // The rule neither decides nor changes anything: whether it matches does not matter.
          if (effectless) {
            out.push({ branch, flow: 'next' });
            done = true;
            break;
          }
          if (++budget.branches > MAX_BRANCHES) {
            out.push({ branch, flow: { kind: 'unknown', ref: rule.ref, why: t.unknown } });
            done = true;
            break;
          }
          const assumed = { ref: rule.ref, why: t.unknown };
          out.push({ branch: { ...branch, assumed: [...branch.assumed, assumed] }, flow: 'next' });
          branch = { ...branch, assumed: [...branch.assumed, assumed] };
          break;
        }
        case 'mark': {
          const mark = step.apply(branch.state.mark) >>> 0;
          if (mark !== branch.state.mark) {
            branch = {
              ...branch,
              state: { ...branch.state, mark },
              events: [...branch.events, { ref: rule.ref, what: `sets mark 0x${mark.toString(16)}` }],
            };
          }
          break;
        }
        case 'chance': {
          if (step.probability >= 1) break;
          if (step.probability <= 0) {
            out.push({ branch, flow: 'next' });
            done = true;
            break;
          }
          if (++budget.chances > MAX_CHANCES) {
            const why = `more than ${MAX_CHANCES} random choices`;
            out.push({ branch, flow: { kind: 'unknown', ref: rule.ref, why } });
            done = true;
            break;
          }
          const from = branch.way;
          const took = (taken: boolean): Branch['way'] => ({
            id: ++budget.ways,
            probability: from.probability * (taken ? step.probability : 1 - step.probability),
            first: from.first ?? { ref: rule.ref, probability: step.probability, taken },
          });
          out.push({ branch: { ...branch, way: took(false) }, flow: 'next' });
          branch = { ...branch, way: took(true) };
          break;
        }
        case 'random': {
          const from = branch.way;
          const p = 1 / step.mod;
          const deciding = step.ways.flatMap((w) => (w.verdict.kind === 'continue' ? [] : [w.verdict]));
          const missing = step.mod - deciding.length;
          if ((budget.chances += step.ways.length) > MAX_CHANCES) {
            const why = `more than ${MAX_CHANCES} random choices`;
            out.push({ branch, flow: { kind: 'unknown', ref: rule.ref, why } });
            done = true;
            break;
          }
          const way = (probability: number): Branch['way'] => ({
            id: ++budget.ways,
            probability: from.probability * probability,
            first: from.first ?? { ref: rule.ref, probability, taken: true },
          });
          for (const v of deciding) out.push({ branch: { ...branch, way: way(p) }, flow: flowOf(v, rule.ref) });
          // Values without an element (or with `continue`) pick no verdict: the rule goes on.
          if (missing === 0) done = true;
          else branch = { ...branch, way: way(missing * p) };
          break;
        }
        case 'nat':
          branch = {
            ...branch,
            state: { ...branch.state, nat: { target: step.nat, ref: rule.ref } },
            events: [...branch.events, { ref: rule.ref, what: natWords(step.nat) }],
          };
          out.push({ branch, flow: { kind: 'verdict', verdict: 'accept', ref: rule.ref } });
          done = true;
          break;
        case 'notrack':
          branch = {
            ...branch,
            state: { ...branch.state, notrack: true, ct: 'untracked' },
            events: [...branch.events, { ref: rule.ref, what: 'exempts it from connection tracking (untracked)' }],
          };
          break;
        case 'unknown':
          out.push({ branch, flow: { kind: 'unknown', ref: rule.ref, why: step.why } });
          done = true;
          break;
        case 'verdict':
        case 'vmap': {
          const v = step.kind === 'verdict' ? step.verdict : step.pick(input.packet, branch.state, input.env);
          if (v === undefined || ('kind' in v && v.kind === 'continue')) break;
          if ('unknown' in v) {
            out.push({ branch, flow: { kind: 'unknown', ref: rule.ref, why: v.unknown } });
          } else out.push({ branch, flow: flowOf(v, rule.ref) });
          done = true;
          break;
        }
      }
    }
    if (!done) out.push({ branch, flow: 'next' });
  }
  return out;
}

function flowOf(v: Exclude<Verdict, { kind: 'continue' }>, ref: RuleRef): RuleFlow {
  switch (v.kind) {
    case 'accept':
    case 'drop':
      return { kind: 'verdict', verdict: v.kind, ref };
    case 'reject':
      return { kind: 'verdict', verdict: 'reject', ref, with: v.with };
    case 'return':
      return { kind: 'return' };
    case 'jump':
    case 'goto':
      return { kind: v.kind, chain: v.chain };
  }
}

const changesSomething = (s: Step): boolean => s.kind !== 'match';
