import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  compareProbe,
  type OffPathTarget,
  type ProbeObservation,
  type ProbeResult,
  type ProbeSend,
  type TraceResult,
} from '@hoplens/model';
import type { AttributionInput } from '../probe/attributeDrops.ts';
import type { RawCapture } from '../probe/capture.ts';
import { arpRequests, ownPackets, type ProbeRecording } from '../probe/observeProbe.ts';
import { parseEventFormat } from '../probe/tracefs/eventFormat.ts';
import { parseTrace } from '../probe/tracefs/traceInstance.ts';

/** A probe recorded on the lab (packages/lab/scripts/recordProbeFixtures.ts). */
export interface ProbeFixture {
  readonly send: ProbeSend;
  readonly predicted: TraceResult;
  readonly offPath: OffPathTarget[];
  readonly observation: ProbeObservation;
  readonly recording: ProbeRecording;
}

/** A probe recorded as a server runs it on one machine: one part per host, each tracing its own devices. */
export interface ProbePartsFixture {
  readonly send: ProbeSend;
  readonly predicted: TraceResult;
  readonly offPath: OffPathTarget[];
  readonly parts: { observation: ProbeObservation; recording: ProbeRecording }[];
}

/** The recorded probes: seed broken, fixed, no-redirect (DF), underlay-down, remote-unknown (DF), bridged stale-arp (the request flooded; its reply flooded back), gateway-failed, no-route. */
export function probeFixture(name: string): ProbeFixture {
  return readFixture(name) as ProbeFixture;
}

/** The recorded probes in parts: seed broken (the worker and the pod VM, two traces of one kernel). */
export function probePartsFixture(name: string): ProbePartsFixture {
  return readFixture(name) as ProbePartsFixture;
}

function readFixture(name: string): unknown {
  const file = fileURLToPath(new URL(`../../../model/fixtures/probe/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A recorded probe's result as a server keeps it, under `id` for the snapshot `snapshotId`. */
export function recordedProbeResult(name: string, snapshotId: string, id: string, createdAt: string): ProbeResult {
  const r = probeFixture(name);
  return compareProbe({
    id,
    snapshotId,
    createdAt,
    send: r.send,
    mark: r.recording.mark,
    predicted: r.predicted,
    offPath: r.offPath,
    observation: r.observation,
  });
}

/** The raw frames of a recording, as the capture helper delivered them. */
export function recordedCaptures(r: ProbeRecording): RawCapture[] {
  return r.captures.map((c) => ({
    target: c.target,
    monoNs: BigInt(c.monoNs),
    wireLength: c.wireLength,
    packetType: c.packetType,
    bytes: new Uint8Array(Buffer.from(c.bytes, 'base64')),
  }));
}

/** Everything attribution reads, from a recording, as the probe read it live. */
export function attributionInput(f: Pick<ProbeFixture, 'send' | 'recording'>): AttributionInput {
  const r = f.recording;
  const formats = new Map(Object.entries(r.formats).map(([k, v]) => [k, parseEventFormat(v)]));
  const targets = r.targets.map((t) => ({ target: t, file: '-' }));
  const raw = recordedCaptures(r);
  const transmitted = r.ping?.transmitted ?? 0;
  return {
    events: parseTrace(r.trace, formats).events,
    packets: ownPackets(raw, targets, r.mark),
    targets: r.targets,
    startNs: BigInt(r.startNs),
    endNs: BigInt(r.endNs),
    protocol: 0x0800,
    ...(r.ping ? { origin: { ...f.send.from, pid: r.pingPid ?? -1 } } : {}),
    ...(r.bootId ? { bootId: r.bootId } : {}),
    sent: Array.from({ length: transmitted }, (_, i) => i + 1),
    answered: r.ping?.answered ?? [],
    arpRequests: arpRequests(raw, targets),
  };
}
