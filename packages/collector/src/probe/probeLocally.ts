import {
  offPathTargets,
  watchList,
  trace,
  type HostMap,
  type NetnsRef,
  type ProbeResult,
  type ProbeSend,
  type SnapshotIndex,
  type TraceResult,
} from '@hoplens/model';
import { observeProbe } from './observeProbe.ts';
import { finishProbe } from './finishProbe.ts';
import { newProbeMark } from './probeMark.ts';

export interface LocalProbe {
  /** This machine's hosts: every namespace of the path must be one of them. */
  readonly map: HostMap;
  /** The snapshot the prediction comes from. */
  readonly index: SnapshotIndex;
  readonly from: NetnsRef;
  readonly to: string;
  readonly count: number;
  readonly size: number;
  readonly df: boolean;
  readonly settleMs?: number;
  /** The path to hold the kernel to, when the caller traced it already (asking OVS live); else traced here. */
  readonly predicted?: TraceResult;
}

/**
 * A probe whose whole path is on this machine (the lab, or a server's local source): traces the
 * path in the snapshot, watches its interfaces while pinging, and compares. The pcap holds every
 * captured probe packet.
 */
export async function probeLocally(p: LocalProbe): Promise<{ result: ProbeResult; pcap: Uint8Array }> {
  const predicted = p.predicted ?? trace(p.index, p.from, p.to, { size: p.size, df: p.df });
  const send: ProbeSend = { from: p.from, to: p.to, count: p.count, size: p.size, df: p.df };
  const mark = newProbeMark();
  const createdAt = new Date().toISOString();
  const offPath = offPathTargets(predicted, p.index);
  const observation = await observeProbe({
    map: p.map,
    mark,
    send,
    watch: watchList(predicted, offPath),
    windowMs: 0,
    ...(p.settleMs !== undefined ? { settleMs: p.settleMs } : {}),
  });
  return finishProbe({ snapshotId: p.index.snapshot.id, createdAt, send, mark, predicted, offPath, observation });
}
