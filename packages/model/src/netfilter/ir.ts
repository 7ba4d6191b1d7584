import type { HopRule } from '../schema/trace.ts';
import type { NfEnv, NfPacket, NfState } from './nfPacket.ts';

/**
 * What a match says about a packet: it matches, it does not, or the tracer cannot tell (the reason
 * names what it cannot read). An unknown match splits the evaluation in two; where both halves end
 * the same, the verdict stands.
 */
export type Tri = boolean | { readonly unknown: string };

/** A compiled match: pure over the packet, the hook's state and the namespace. */
export type Match = (p: NfPacket, s: NfState, env: NfEnv) => Tri;

/**
 * What a rule does when its matches hold, in order (nft rules mix both): a verdict, an effect on
 * the packet's state, or something the tracer cannot evaluate (a NAT target, a queue): the hook's
 * verdict is then unknown, naming the rule.
 */
export type Step =
  | { readonly kind: 'match'; readonly test: Match }
  | { readonly kind: 'mark'; readonly apply: (mark: number) => number }
  | { readonly kind: 'notrack' }
  /**
   * A random choice (`-m statistic --mode random`, nft `numgen random`): both ways are real — the
   * evaluation follows each, and a hook whose ways end differently answers one outcome per way.
   */
  | { readonly kind: 'chance'; readonly probability: number }
  /**
   * `numgen random mod N vmap { value : verdict }`: each of the N values equally likely; a value
   * without an element picks no verdict (the rule goes on).
   */
  | {
      readonly kind: 'random';
      readonly mod: number;
      readonly ways: readonly { readonly value: number; readonly verdict: Verdict }[];
    }
  /** A NAT target: it records the rewrite and ends the chain (NF_ACCEPT), as the kernel's nat targets do. */
  | { readonly kind: 'nat'; readonly nat: NatTarget }
  | { readonly kind: 'verdict'; readonly verdict: Verdict }
  /** A verdict map: the key picks the verdict; no element, no verdict (the rule goes on). */
  | {
      readonly kind: 'vmap';
      readonly pick: (p: NfPacket, s: NfState, env: NfEnv) => Verdict | undefined | { readonly unknown: string };
      /** The chains its verdicts jump to, for loop detection. */
      readonly targets: readonly string[];
    }
  | { readonly kind: 'unknown'; readonly why: string };

/**
 * What a NAT rule asks for: DNAT/SNAT to an address (and port), MASQUERADE (the source becomes the
 * outgoing device's address), REDIRECT (the destination becomes the host itself, at `port`).
 */
export type NatTarget =
  | { readonly kind: 'dnat' | 'snat'; readonly addr: string; readonly port?: number }
  | { readonly kind: 'masquerade' }
  | { readonly kind: 'redirect'; readonly port?: number };

export type Verdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop' }
  /** `with`: the ICMP error (or TCP reset) the kernel answers with. */
  | { readonly kind: 'reject'; readonly with: string }
  | { readonly kind: 'return' }
  | { readonly kind: 'continue' }
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'goto'; readonly chain: string };

/** A namespace a ruleset is compiled for: its host and name (and file, for one only a process holds). */
export interface RulesetPlace {
  readonly host: string;
  readonly name: string | null;
  readonly path?: string;
}

/** Where a rule comes from, for the hop that names it; `command` lists it on its host. */
export type RuleRef = HopRule;

export interface Rule {
  readonly ref: RuleRef;
  readonly steps: readonly Step[];
  /**
   * The one destination address (chainIndex's addressKey) without which the rule cannot act: its
   * steps test it before any effect. Lets a long chain skip the rules for other destinations.
   */
  readonly onlyTo?: string;
}

export interface Chain {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/**
 * A chain a hook calls (a base chain), with its table's chains for jumps. `type` nat chains see only
 * a connection's first packet; `priority` orders chains of one hook (conntrack runs at -200).
 */
export interface BaseChain {
  readonly chain: Chain;
  readonly chains: ReadonlyMap<string, Chain>;
  readonly priority: number;
  readonly type: 'filter' | 'nat' | 'route';
  /** The verdict when no rule decides: a chain's policy, as a rule-like reference for the hop. */
  readonly policy: { readonly verdict: 'accept' | 'drop'; readonly ref: RuleRef };
  /** Chains of this table that reach themselves again through jumps, with the path. */
  readonly loops: ReadonlyMap<string, string>;
}
