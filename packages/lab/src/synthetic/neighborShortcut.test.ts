import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSnapshot, SnapshotIndex, type LinkEntry, type Snapshot } from '@hoplens/model';
import { directlyAttached, passThrough, wrongReceiver } from '@hoplens/model/testing/neighborShortcut';
import { mulberry32 } from '@hoplens/model/testing/random';
import { generateCluster } from './generateCluster.ts';

/**
 * neighbor-mac-mismatch skips the walk of an entry that `directlyAttached` says reaches its owner.
 * Held here against the walk itself, entry by entry, on every lab recording and on seeded random
 * clusters whose MACs, addresses and bridge ports were scrambled so that the shortcut meets owners
 * that are not where it looks.
 */

/** The shortcut as it was before its fast path: one pass over every interface with the MAC. */
function byMacLoop(index: SnapshotIndex, through: ReadonlySet<LinkEntry>, out: LinkEntry, ip: string, mac: string) {
  const holds = (le: LinkEntry): boolean =>
    le.netns.ns.addresses.some((a) => a.address === ip && a.ifindex === le.link.ifindex);
  const outPeer = out.link.kind === 'veth' && out.link.peer ? index.link(out.link.peer) : undefined;
  for (const owner of index.withMac(mac)) {
    if (through.has(owner) || !holds(owner)) continue;
    if (owner.link.kind === 'bridge') {
      if (outPeer?.netns === owner.netns && outPeer.link.masterIfindex === owner.link.ifindex) return true;
      continue;
    }
    const peer = owner.link.kind === 'veth' && owner.link.peer ? index.link(owner.link.peer) : undefined;
    if (!peer) continue;
    if (peer === out) return true;
    if (out.link.kind === 'bridge' && peer.netns === out.netns && peer.link.masterIfindex === out.link.ifindex)
      return true;
  }
  return false;
}

/** Scrambles a snapshot in place, by a seeded generator: wrong MACs, missing addresses, unplugged ports. */
function scramble(snapshot: Snapshot, seed: number): void {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)];
  const namespaces = snapshot.hosts.flatMap((h) => h.namespaces);
  const macs = namespaces.flatMap((ns) => ns.links.flatMap((l) => (l.mac ? [l.mac] : [])));
  for (const ns of namespaces) {
    for (const n of ns.neighbors) {
      const r = rand();
      const mac = r < 0.1 ? pick(macs) : r < 0.15 ? pick(ns.links)?.mac : r < 0.2 ? n.mac?.toUpperCase() : undefined;
      if (mac) n.mac = mac;
      if (rand() < 0.05) n.state = ['STALE'];
    }
    for (const l of ns.links) {
      const r = rand();
      if (r < 0.05) l.mac = pick(macs) ?? l.mac;
      else if (r < 0.08 && l.mac) l.mac = l.mac.toUpperCase();
      else if (r < 0.1) delete l.masterIfindex;
      else if (r < 0.12) l.adminUp = false;
    }
    if (rand() < 0.05) ns.addresses = ns.addresses.filter(() => rand() < 0.5);
  }
}

/** For every entry the rule would consider: the shortcut's answer, the loop's, and whether the walk finds it wrong. */
function check(snapshot: Snapshot): { entries: number; skipped: number } {
  const index = new SnapshotIndex(snapshot);
  const through = passThrough(index);
  let entries = 0;
  let skipped = 0;
  for (const ns of index.namespaces) {
    for (const n of ns.ns.neighbors) {
      if (!n.mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE' || s === 'NOARP')) continue;
      const out = index.linkByName(ns.ref, n.dev);
      if (!out || out.link.kind === 'loopback') continue;
      entries++;
      const fast = directlyAttached(index, through, out, n.ip, n.mac);
      const where = `${ns.id} ${n.dev} ${n.ip} ${n.mac}`;
      expect(fast, where).toBe(byMacLoop(index, through, out, n.ip, n.mac));
      if (!fast) continue;
      skipped++;
      expect(wrongReceiver(index, out, n.ip, n.mac), where).toBeUndefined();
    }
  }
  return { entries, skipped };
}

const FIXTURES = new URL('../../../model/fixtures/', import.meta.url);
const recording = (name: string): Snapshot =>
  readSnapshot(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as unknown);
const recordings = readdirSync(FIXTURES).filter((f) => f.endsWith('.snapshot.json'));

describe('neighbor-mac-mismatch shortcut', () => {
  it.each(recordings)('skips only entries whose walk finds nothing wrong in the lab recording %s', (name) => {
    const { entries } = check(recording(name));
    expect(entries).toBeGreaterThan(0);
  });

  it.each(recordings)('skips only entries whose walk finds nothing wrong in %s scrambled', (name) => {
    for (let seed = 1; seed <= 5; seed++) {
      const snapshot = recording(name);
      scramble(snapshot, seed);
      check(snapshot);
    }
  });

  it('skips only entries whose walk finds nothing wrong in seeded random clusters, and skips most', () => {
    let entries = 0;
    let skipped = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { snapshot } = generateCluster({ nodes: 3, podsPerNode: 6, peerPodShare: 0.4, faults: 1, seed });
      if (seed > 2) scramble(snapshot, seed);
      const r = check(snapshot);
      entries += r.entries;
      skipped += r.skipped;
    }
    expect(skipped).toBeGreaterThan(entries / 2);
    expect(skipped).toBeLessThan(entries);
  });
});
