import type { BridgeVlan, CollectError, FirewallGap, ListeningSockets, Sysctls, UnrepliedUdp } from '@hoplens/model';
import type { RawNetns } from '../collectNetns.ts';
import { concurrencyLimit } from '../concurrencyLimit.ts';
import { collectFirewall } from '../netfilter/collectFirewall.ts';
import { parseLegacyTables, type NetfilterPresence } from '../netfilter/presence.ts';
import { insideNetns } from '../insideNetns.ts';
import { runCommand } from '../runCommand.ts';
import { decodeNftTables } from './decodeNftTables.ts';
import { decodeIptablesNft, decodeIptablesNftSliced, type IptablesNftDumps } from './iptablesNft/decodeIptablesNft.ts';
import { IptablesNftStream } from './iptablesNft/iptablesNftStream.ts';
import type { IptablesSave } from '../netfilter/parseIptablesSave.ts';
import { decodeAddresses } from './decodeAddresses.ts';
import { decodeDevconf } from './decodeDevconf.ts';
import { decodeBridgeVlans } from './decodeBridgeVlans.ts';
import { decodeLinks } from './decodeLinks.ts';
import { linkMessages, type LinkMessage } from './linkMessages.ts';
import { decodeNatChains } from './decodeNatChains.ts';
import { decodeFdb, decodeNeighbors, decodeProxyNeighbors } from './decodeNeighbors.ts';
import { decodeRoutes } from './decodeRoutes.ts';
import { decodeRules } from './decodeRules.ts';
import { decodeSockets } from './decodeSockets.ts';
import { decodeQdiscs, decodeTcFilters } from './decodeTc.ts';
import { FRAME, FrameReader, splitFrames, type NetnsFrames } from './frames.ts';
import { FAMILY_REFUSED } from '../familyRefused.ts';
import { refusal, refused, unreadPart } from './unreadPart.ts';
import { withBridgeVlans } from '../parse/bridgeVlan.ts';
import { NetlinkFormatError } from './rtattr.ts';
import { parseRepeatedSysctls } from './repeatedSysctls.ts';
import { parseUnreplied } from '../parse/parseUnreplied.ts';

import { netnsFile, type NetnsJob } from './netnsJob.ts';
import { runOfStarted, servedRun } from './servedHelper.ts';
import { HELPER_TIMEOUT_MS, startHelper, takeHelper, type StartedHelper } from './startHelper.ts';

const HELPER_ARGV0 = 'hoplens-nldump';

/** Bytes the helper may write before it is stopped: far beyond any node (250 pods: 2.4 MB). */
const MAX_OUTPUT = 1024 * 2 ** 20;

/**
 * Collects namespaces with the netlink helper: one process for all of them, instead of about ten
 * `ip`/`tc`/`bridge` processes per namespace. Same result as `collectNetns` for each, without raw
 * command text (there are no commands: the kernel's answers are decoded directly). Each namespace
 * is decoded as soon as the helper has moved past it, while it dumps the next ones, and its packet
 * filters are listed then too (a kube-proxy node's 10,000 rules take iptables-save ~0.3 s, which
 * runs beside the helper's dumps of the pods' namespaces instead of after them).
 */
export async function collectNetlink(
  helper: string,
  jobs: readonly NetnsJob[],
  timeoutMs = HELPER_TIMEOUT_MS,
  early?: StartedHelper,
): Promise<(RawNetns | { error: CollectError })[]> {
  // Netfilter has no rtnetlink dump: where the helper saw tables, their rules are listed by nft and
  // iptables-save inside the namespace, as the iproute2 backend does; elsewhere nothing runs.
  const limit = concurrencyLimit(8);
  const collected: Promise<RawNetns | { error: CollectError }>[] = [];
  // Each namespace's iptables-nft rules decoded as their frames come (null: not to be).
  const streams: (IptablesNftStream | null | undefined)[] = [];
  const reader = new FrameReader(
    jobs.length,
    (i, f) => {
      const decoded = decodeOne(jobs[i]!, f, jobs);
      const stream = streams[i] ?? undefined;
      streams[i] = null;
      collected[i] = limit(() => withRules(decoded, jobs[i]!, stream));
    },
    (i, kind, body, f) => {
      if (kind !== FRAME.nftRules || streams[i] === null) return;
      streams[i] ??= ruleStream(f);
      streams[i]?.push(body);
    },
  );
  const args = jobs.map(netnsFile);
  const taken = takeHelper(early, helper, args);
  const run = taken
    ? runOfStarted(taken)
    : (servedRun(helper, args, timeoutMs) ?? runOfStarted(startHelper(helper, args, timeoutMs)));
  await new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    let stderr = '';
    let bytes = 0;
    const fail = (e: Error): void => {
      if (failure) return;
      failure = e;
      run.kill();
    };
    run.listen(
      (chunk) => {
        if (failure) return;
        bytes += chunk.byteLength;
        try {
          if (bytes > MAX_OUTPUT) throw new Error(`more than ${MAX_OUTPUT} bytes of output`);
          reader.push(chunk);
        } catch (e) {
          fail(e as Error);
        }
      },
      (d) => (stderr = (stderr + d).slice(-4096)),
    );
    run.onError(fail);
    run.onClose((code, signal) => {
      if (!failure && code !== 0)
        failure = new Error(stderr.trim() || `exited ${code ?? signal}${signal === 'SIGTERM' ? ' (timed out)' : ''}`);
      if (!failure) {
        try {
          reader.end();
        } catch (e) {
          failure = e as Error;
        }
      }
      if (failure) reject(new Error(`${HELPER_ARGV0}: ${failure.message}`, { cause: failure }));
      else resolve();
    });
  });
  // The reader has had every namespace (it throws otherwise): each one's rules are being listed.
  return Promise.all(jobs.map((_, i) => collected[i]!));
}

/**
 * A stream for a namespace's rule dump, on its first buffer (its nf_tables tables have come before
 * it); null where they are malformed (decodeNetns says so, and no rules are decoded).
 */
function ruleStream(f: NetnsFrames): IptablesNftStream | null {
  try {
    return new IptablesNftStream(ipTables(decodeNftTables(f.dumps.get(FRAME.nftables) ?? [])));
  } catch {
    return null;
  }
}

/** A decoded namespace with its packet filters' rules listed where the helper saw tables (never rejects). */
async function withRules(
  r: HelperNetns | { error: CollectError },
  job: NetnsJob,
  stream?: IptablesNftStream,
): Promise<RawNetns | { error: CollectError }> {
  if ('error' in r || !r.netfilter) return r;
  const { presence, gap, ipv4NftDumps } = r.netfilter;
  const ipv4Nft =
    ipv4NftDumps && decodedOrUndefined(stream?.finish(ipv4NftDumps) ?? (await decodeIptablesNftSliced(ipv4NftDumps)));
  const fw = await collectFirewall(
    job.name,
    presence,
    async (argv, timeoutMs) => {
      const command = insideNetns(job.name, job.path, argv);
      return { command, output: await runCommand(command, timeoutMs) };
    },
    ipv4Nft ? { ipv4Nft } : {},
  );
  return {
    ...withoutPresence(r),
    firewall: gap ? { ...fw.firewall, gaps: [...fw.firewall.gaps, gap] } : fw.firewall,
    raw: [...r.raw, ...fw.raw],
    errors: [...r.errors, ...fw.errors],
  };
}

function withoutPresence(r: HelperNetns): RawNetns {
  const out = { ...r };
  delete out.netfilter;
  return out;
}

/**
 * A namespace as the helper saw it: which packet filters it has, and the dumps of its iptables-nft
 * rules (decoded later, or at once by decodeHelperOutput into `ipv4Nft`).
 */
type HelperNetns = RawNetns & {
  readonly netfilter?: {
    presence: NetfilterPresence;
    gap?: FirewallGap;
    ipv4NftDumps?: IptablesNftDumps;
    ipv4Nft?: IptablesSave;
  };
};

/**
 * Decodes the helper's output for `jobs` (in the order they were passed). Throws a
 * NetlinkFormatError when the framing itself is broken; a namespace whose answers are malformed
 * becomes an error on that namespace, and the others stand.
 */
export function decodeHelperOutput(out: Buffer, jobs: readonly NetnsJob[]): (HelperNetns | { error: CollectError })[] {
  return splitFrames(out, jobs.length).map((f, i) => {
    const r = decodeOne(jobs[i]!, f, jobs);
    if ('error' in r || !r.netfilter?.ipv4NftDumps) return r;
    const { ipv4NftDumps, ...netfilter } = r.netfilter;
    const ipv4Nft = decodedOrUndefined(decodeIptablesNft(ipv4NftDumps));
    return { ...r, netfilter: ipv4Nft ? { ...netfilter, ipv4Nft } : netfilter };
  });
}

function decodeOne(job: NetnsJob, f: NetnsFrames, jobs: readonly NetnsJob[]): HelperNetns | { error: CollectError } {
  try {
    return decodeNetns(job, f, jobs);
  } catch (e) {
    const message = e instanceof NetlinkFormatError ? e.message : `malformed netlink answer: ${(e as Error).message}`;
    return { error: { netns: job.name, command: [HELPER_ARGV0, job.name ?? '-'], message } };
  }
}

function decodeNetns(job: NetnsJob, f: NetnsFrames, jobs: readonly NetnsJob[]): HelperNetns | { error: CollectError } {
  const command = [HELPER_ARGV0, job.name ?? '-'];
  const linkDumps = f.dumps.get(FRAME.link);
  if (!linkDumps) return { error: { netns: job.name, command, message: f.errors.join('; ') || 'no link dump' } };
  const netfilter = netfilterOf(f);
  // A refused nf_tables dump is said once, as the firewall gap it leaves, not again as an error.
  // A refused rule dump is no error either: iptables-nft-save reads those rules instead. Nor is the
  // IPv6 policy rules' dump refused by a kernel without IPv6: it has none (see FAMILY_REFUSED).
  const errors: CollectError[] = f.errors
    .filter(
      (message) =>
        message !== netfilter.gap?.reason &&
        !RULE_DUMP_ERROR.test(message) &&
        !(message.startsWith(`dump ${FRAME.rule6} `) && FAMILY_REFUSED.test(message)),
    )
    .map((message) => ({ netns: job.name, command, message }));
  const dump = (kind: number): DataView[] => f.dumps.get(kind) ?? [];
  const missing = unreadPart(f);
  if (missing) return { error: { netns: job.name, command, message: missing } };
  const read = (kind: number): boolean => f.dumps.has(kind) && !refused(f, kind);
  const linkMsgs = linkMessages(linkDumps);
  const links = withBridgeVlans(decodeLinks(linkMsgs), bridgeVlansOf(f), (l) => l.ifindex);
  const names = new Map(links.map((l) => [l.link.ifindex, l.link.name]));
  const nameOf = (i: number): string => names.get(i) ?? `if${i}`;
  return {
    name: job.name,
    root: job.root,
    ...(job.path !== undefined ? { path: job.path } : {}),
    ...(job.holder !== undefined ? { holder: job.holder } : {}),
    links,
    addresses: decodeAddresses(dump(FRAME.addr)),
    routes: [...decodeRoutes(dump(FRAME.route4), 'inet', nameOf), ...decodeRoutes(dump(FRAME.route6), 'inet6', nameOf)],
    rules:
      read(FRAME.rule4) && (read(FRAME.rule6) || FAMILY_REFUSED.test(refusal(f, FRAME.rule6) ?? ''))
        ? [
            ...decodeRules(dump(FRAME.rule4), 'inet'),
            ...(read(FRAME.rule6) ? decodeRules(dump(FRAME.rule6), 'inet6') : []),
          ]
        : undefined,
    neighbors: decodeNeighbors(dump(FRAME.neigh), nameOf),
    proxyNeighbors: f.dumps.has(FRAME.pneigh) ? decodeProxyNeighbors(dump(FRAME.pneigh), nameOf) : undefined,
    fdb: read(FRAME.fdb) ? decodeFdb(dump(FRAME.fdb), nameOf) : undefined,
    qdiscs: decodeQdiscs(dump(FRAME.qdisc), nameOf),
    tcFilters: [
      ...decodeTcFilters(dump(FRAME.filterIngress), 'ingress', nameOf),
      ...decodeTcFilters(dump(FRAME.filterEgress), 'egress', nameOf),
    ],
    ipForward: f.ipForward,
    sysctls: sysctlsOf(f, linkMsgs, errors, command, job.name),
    firewall: undefined,
    netfilter,
    // No nftables answer at all: the helper could not ask (no nf_tables), so nothing is known.
    natChains: f.dumps.has(FRAME.nftChains) ? decodeNatChains(dump(FRAME.nftChains)) : undefined,
    conntrackUnreplied: unrepliedOf(f, errors, command, job.name),
    listening: listeningOf(f, nameOf),
    nsids: new Map([...f.nsids].map(([nsid, index]) => [nsid, jobs[index]?.name ?? undefined])),
    raw: [],
    errors,
  };
}

/** The VLANs of bridges and their ports; undefined where the helper did not ask or the kernel refused. */
function bridgeVlansOf(f: NetnsFrames): Map<number, BridgeVlan[]> | undefined {
  if (f.errors.some((e) => e.startsWith(`dump ${FRAME.bridgeVlans} `))) return undefined;
  const dumps = f.dumps.get(FRAME.bridgeVlans);
  return dumps === undefined ? undefined : decodeBridgeVlans(dumps);
}

/**
 * The namespace's listening sockets; undefined where sock_diag could not be asked or refused a
 * dump (a UDP list missing would make every datagram look refused).
 */
function listeningOf(f: NetnsFrames, nameOf: (ifindex: number) => string): ListeningSockets | undefined {
  const failed = f.errors.some((e) => e.startsWith(`dump ${FRAME.sockets} `) || e.startsWith('sock_diag '));
  const dumps = f.dumps.get(FRAME.sockets);
  return failed || dumps === undefined ? undefined : decodeSockets(dumps, nameOf);
}

/** Unreplied UDP conntrack entries by port; a malformed answer is an error on the namespace. */
function unrepliedOf(
  f: NetnsFrames,
  errors: CollectError[],
  command: string[],
  netns: string | null,
): UnrepliedUdp | undefined {
  if (f.unreplied === undefined) return undefined;
  try {
    return parseUnreplied(f.unreplied);
  } catch (e) {
    errors.push({ netns, command, message: (e as Error).message });
    return undefined;
  }
}

/** The namespace's sysctls; a malformed answer is an error on the namespace, whose other data stands. */
function sysctlsOf(
  f: NetnsFrames,
  links: readonly LinkMessage[],
  errors: CollectError[],
  command: string[],
  netns: string | null,
): Sysctls | undefined {
  if (f.sysctl === undefined) return undefined;
  try {
    return { ...parseRepeatedSysctls(f.sysctl), devices: decodeDevconf(links) };
  } catch (e) {
    errors.push({ netns, command, message: (e as Error).message });
    return undefined;
  }
}

/**
 * The namespace's packet filters as the helper found them: nf_tables tables and legacy x_tables
 * lists. A refused nf_tables dump leaves a gap: whether rules exist there is not known.
 */
function netfilterOf(f: NetnsFrames): NonNullable<HelperNetns['netfilter']> {
  const presence = {
    nft: decodeNftTables(f.dumps.get(FRAME.nftables) ?? []),
    legacy: parseLegacyTables(f.sysctl ?? ''),
  };
  const refused = f.errors.find((e) => e.startsWith(`dump ${FRAME.nftables} `) || e.startsWith('netfilter socket'));
  if (refused) return { presence, gap: { family: 'all', what: 'nftables', reason: refused } };
  const ipv4NftDumps = iptablesNftOf(f, presence);
  return ipv4NftDumps ? { presence, ipv4NftDumps } : { presence };
}

const RULE_DUMP_ERROR = new RegExp(`^dump (${FRAME.nftRules}|${FRAME.nftGen}) `);

/**
 * The helper's dumps of the ip family's iptables-nft tables, to decode; undefined where
 * iptables-nft-save must read them: no dump (an older helper, a refused one).
 */
function iptablesNftOf(f: NetnsFrames, presence: NetfilterPresence): IptablesNftDumps | undefined {
  const rules = f.dumps.get(FRAME.nftRules);
  if (!rules || f.errors.some((e) => RULE_DUMP_ERROR.test(e))) return undefined;
  return {
    tables: ipTables(presence.nft),
    chains: f.dumps.get(FRAME.nftChains) ?? [],
    rules,
    gens: f.dumps.get(FRAME.nftGen) ?? [],
  };
}

/** The names of the ip family's nf_tables tables (where iptables-nft keeps IPv4 rules). */
const ipTables = (nft: NetfilterPresence['nft']): string[] => nft.filter((t) => t.family === 'ip').map((t) => t.name);

/** Decoded rules, or undefined where anything in them was not decoded with certainty (decodeIptablesNft says why). */
const decodedOrUndefined = (d: IptablesSave | { readonly fallback: string }): IptablesSave | undefined =>
  'fallback' in d ? undefined : d;
