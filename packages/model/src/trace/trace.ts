import { netnsLabel } from '../ids.ts';
import { usableRange } from '../net/portRange.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { TraceBranch, TraceProto, TraceResult } from '../schema/trace.ts';
import { parseIp } from '../net/ip.ts';
import type { OvsAnswers } from '../ovs/ovsAnswers.ts';
import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { branchSummary, overallVerdict } from './branches.ts';
import { Chooser } from './chooser.ts';
import { Conntrack } from './conntrack.ts';
import { hookMemoOf, type HookMemo } from './hookMemo.ts';
import { replyPacket, requestPacket, type FlowSpec } from './flow.ts';
import { LearntFdb } from './learntFdb.ts';
import { LearntNeighbors } from './learntNeighbors.ts';
import { serviceTarget } from './serviceTarget.ts';
import { udpReplySource } from './udpReplySource.ts';
import { Walk } from './walk.ts';

/** Thrown for a trace request that names something the snapshot does not have. */
export class TraceInputError extends Error {
  override readonly name = 'TraceInputError';
}

/**
 * What the trace sends: `ping -s SIZE [-M do]` (`size` bytes of ICMP payload, default 56, DF set or
 * not), or with `proto` tcp/udp a connection to `port` (a SYN; a datagram of `size` bytes); and
 * ofproto/trace answers beyond the snapshot's, where the questions no answer met are noted.
 */
export interface TraceOptions {
  readonly size?: number | undefined;
  readonly df?: boolean | undefined;
  readonly proto?: TraceProto | undefined;
  readonly port?: number | undefined;
  readonly ovsAnswers?: OvsAnswers | undefined;
}

/** The largest ICMP payload ping can send in one IP packet (65535 − 8 − 20). */
export const MAX_PING_PAYLOAD = 65507;
/** Branches traced at most (every combination of the random choices met, one per endpoint). */
export const MAX_BRANCHES = 256;

/**
 * Traces a flow from a namespace to an IP and, if it arrives, the answer back: the verdict is
 * `delivered` only when both directions are, which is what `ping` or a TCP handshake needs. Where
 * the path meets a random choice (kube-proxy picking one of a Service's endpoints), every way is
 * traced as its own branch, each with its own verdict.
 */
export function trace(index: SnapshotIndex, from: NetnsRef, dest: string, asked: TraceOptions = {}): TraceResult {
  const origin = index.netns(from);
  if (!origin)
    throw new TraceInputError(`no namespace ${netnsLabel(from.netns)} on host ${from.host} in this snapshot`);
  const target = serviceTarget(index, from.host, dest, asked);
  if ('error' in target) throw new TraceInputError(target.error);
  const { to, opts } = target;
  if (!parseIp(to)) throw new TraceInputError(`not an IP address or namespace/service:port: ${to}`);
  const flow = flowOf(opts);
  const result = {
    from: { host: from.host, netns: from.netns },
    to,
    ...(target.service === undefined ? {} : { service: target.service }),
    ...(flow.proto === 'icmp' || flow.port === undefined ? {} : { proto: flow.proto, port: flow.port }),
  };
  const t: Tracing = { index, origin, to, flow, memo: hookMemoOf(index), ovsAnswers: opts.ovsAnswers };
  const first = runOnce(t, []);
  if (first.chooser.met.length === 0) return { ...result, verdict: first.verdict, hops: first.hops };
  const branches = allBranches(t, first);
  const complete = branches.length < MAX_BRANCHES;
  const verdict = complete ? overallVerdict(branches) : 'unknown';
  const shown = branches.find((b) => b.verdict === verdict) ?? branches[0]!;
  const summary = `${branchSummary(branches)}${complete ? '' : `; only the first ${MAX_BRANCHES} branches were traced`}`;
  return { ...result, verdict, hops: shown.hops, branches, summary };
}

function flowOf(opts: TraceOptions): FlowSpec {
  const proto = opts.proto ?? 'icmp';
  const payload = opts.size ?? 56;
  if (!Number.isInteger(payload) || payload < 0 || payload > MAX_PING_PAYLOAD) {
    const what = proto === 'udp' ? 'a UDP' : 'an ICMP';
    throw new TraceInputError(`size must be ${what} payload of 0 to ${MAX_PING_PAYLOAD} bytes, got ${payload}`);
  }
  if (proto === 'icmp') {
    if (opts.port !== undefined) throw new TraceInputError('a port needs proto tcp or udp');
    return { proto, payload, df: opts.df ?? false };
  }
  const port = opts.port;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TraceInputError(`proto ${proto} needs a port of 1 to 65535`);
  }
  return { proto, port, payload, df: opts.df ?? false };
}

interface Run {
  readonly verdict: TraceResult['verdict'];
  readonly hops: TraceResult['hops'];
  readonly chooser: Chooser;
}

/** What every run of one trace shares. */
interface Tracing {
  readonly index: SnapshotIndex;
  readonly origin: NetnsEntry;
  readonly to: string;
  readonly flow: FlowSpec;
  readonly memo: HookMemo;
  readonly ovsAnswers: OvsAnswers | undefined;
}

/** One run of request and reply, taking the `forced` ways at the random choices it meets. */
function runOnce(t: Tracing, forced: number[]): Run {
  // One conntrack per run: the reply finds the entries (and NAT mappings) its request made, and
  // the neighbour entries its ARP requests and solicitations left where they were answered, and
  // the bridges where its frames (those requests' too) came in.
  const conntrack = new Conntrack();
  const chooser = new Chooser(forced);
  const run = {
    chooser,
    hookMemo: t.memo,
    neighbors: new LearntNeighbors(),
    fdb: new LearntFdb(),
    redirects: new Map<string, string>(),
    origin: t.origin,
  };
  const request = new Walk(t.index, 'request', false, conntrack, t.ovsAnswers, run);
  const sent = requestPacket(t.flow, t.to, usableRange(t.origin.ns.sysctls?.localPortRange));
  const there = request.ipOutput(t.origin, sent);
  if (there.verdict !== 'delivered') return { verdict: there.verdict, hops: request.hops, chooser };
  const source = there.src;
  if (!source || !there.packet) return { verdict: 'unknown', hops: request.hops, chooser };
  const reply = new Walk(t.index, 'reply', false, conntrack, t.ovsAnswers, run);
  const answer = replyPacket(there.packet, source, sent.size);
  // A UDP server bound to every address may answer from another: said on the reply's first hop.
  const doubt = udpReplySource(there, answer, t.index);
  if (doubt)
    reply.hop({ ns: there.ns, component: 'local-delivery', action: 'forwarded', verdict: 'unknown', reason: doubt });
  const back = reply.ipOutput(there.ns, answer);
  // Arrived where no one can tell whether a socket takes it: the reply is walked all the same (what
  // the network does to an answer is known), but a round trip that may be refused is not delivered.
  const verdict = (there.untold || doubt) && back.verdict === 'delivered' ? 'unknown' : back.verdict;
  return { verdict, hops: [...request.hops, ...reply.hops], chooser };
}

/** Every combination of the random choices, depth first, each traced once (at most MAX_BRANCHES). */
function allBranches(t: Tracing, first: Run): TraceBranch[] {
  const out: TraceBranch[] = [];
  const visit = (forced: number[], run: Run): void => {
    out.push(branchOf(run));
    // Choices past the forced prefix took their first way; try the others, each as a new prefix.
    for (let i = forced.length; i < run.chooser.met.length; i++) {
      const met = run.chooser.met[i]!;
      for (let way = 1; way < met.labels.length; way++) {
        if (out.length >= MAX_BRANCHES) return;
        const prefix = [...run.chooser.met.slice(0, i).map((m) => m.taken), way];
        visit(prefix, runOnce(t, prefix));
      }
    }
  };
  visit([], first);
  return out;
}

function branchOf(run: Run): TraceBranch {
  const label = run.chooser.met.map((m) => m.labels[m.taken]).join(' → ');
  const probability = run.chooser.met.reduce((p, m) => p * (m.probabilities[m.taken] ?? 1), 1);
  return { label, probability, verdict: run.verdict, hops: run.hops };
}
