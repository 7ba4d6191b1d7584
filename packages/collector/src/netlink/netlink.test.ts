import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canBuildNetns } from '../testing/index.ts';
import { decodeHelperOutput } from './collectNetlink.ts';
import { helperBinary } from './helperBinary.ts';
import { FRAME, FrameReader, splitFrames, type NetnsFrames } from './frames.ts';
import { attrs, be16, ipAddress, mac, NetlinkFormatError, s32, str, u16, u32, u8 } from './rtattr.ts';

const view = (bytes: number[]): DataView => new DataView(Uint8Array.from(bytes).buffer);

describe('ipAddress', () => {
  it('prints v4 dotted and v6 as inet_ntop does (RFC 5952)', () => {
    expect(ipAddress(view([10, 0, 0, 1]))).toBe('10.0.0.1');
    const v6 = (words: number[]): DataView => view(words.flatMap((w) => [w >> 8, w & 0xff]));
    expect(ipAddress(v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]))).toBe('2001:db8::1');
    expect(ipAddress(v6([0, 0, 0, 0, 0, 0, 0, 1]))).toBe('::1');
    expect(ipAddress(v6([0, 0, 0, 0, 0, 0, 0, 0]))).toBe('::');
    expect(ipAddress(v6([0xfe80, 0, 0, 0, 0x858, 0xaff, 0xfe60, 0xe6]))).toBe('fe80::858:aff:fe60:e6');
    // A single zero word is not shortened; of two runs the longer goes, the first on a tie.
    expect(ipAddress(v6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]))).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipAddress(v6([1, 0, 0, 2, 0, 0, 0, 3]))).toBe('1:0:0:2::3');
    expect(ipAddress(v6([1, 0, 0, 2, 3, 0, 0, 4]))).toBe('1::2:3:0:0:4');
    expect(ipAddress(v6([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]))).toBe('::ffff:1.2.3.4');
    expect(ipAddress(view([1, 2, 3]))).toBeUndefined();
  });
});

describe('attrs', () => {
  // struct rtattr: 16-bit length (header included), 16-bit type, payload padded to 4 bytes.
  const attr = (type: number, payload: number[]): number[] => {
    const len = 4 + payload.length;
    return [len & 0xff, len >> 8, type & 0xff, type >> 8, ...payload, ...Array<number>((4 - (len % 4)) % 4).fill(0)];
  };

  it('finds each type’s last attribute, its flag bits ignored, and lists each type once in first-seen order', () => {
    const a = attrs(view([...attr(3, [1]), ...attr(7, [2, 2]), ...attr(3 | 0x8000, [3]), ...attr(9, [])]));
    expect(u8(a.get(3))).toBe(3);
    expect(a.get(7)?.byteLength).toBe(2);
    expect(a.get(9)?.byteLength).toBe(0);
    expect(a.has(9)).toBe(true);
    expect(a.has(4)).toBe(false);
    expect(a.get(4)).toBeUndefined();
    // Type 3 once, where it was first seen, with its last payload.
    expect(a.entries().map(([t, v]) => [t, v.byteLength, v.byteLength > 0 ? v.getUint8(0) : null])).toEqual([
      [3, 1, 3],
      [7, 2, 2],
      [9, 0, null],
    ]);
  });

  it('reads each typed value where it lies as the function of the same name reads its payload', () => {
    const payloads: number[][] = [
      [],
      [7],
      [0x34, 0x12],
      [0x12, 0xb5, 0x00],
      [0xff, 0xff, 0xff, 0xff],
      [10, 0, 0, 1],
      [0x6c, 0x6f, 0, 0x78, 0x79],
      [0x0a, 0x58, 0x0a, 0x84, 0x02, 0x2e],
      [0xc3, 0xa9, 0x74, 0x68, 0x30, 0],
      [0xfe, 0x80, ...Array<number>(12).fill(0), 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4],
    ];
    // Types 1..n, then type 1 again (the last wins), then one absent type.
    const a = attrs(view([...payloads.flatMap((p, i) => attr(i + 1, p)), ...attr(1 | 0x4000, [9, 9, 9, 9])]));
    for (let t = 1; t <= payloads.length + 1; t++) {
      const v = a.get(t);
      expect([t, a.u8(t), a.u16(t), a.u32(t), a.s32(t), a.be16(t)]).toEqual([
        t,
        u8(v),
        u16(v),
        u32(v),
        s32(v),
        be16(v),
      ]);
      expect([t, a.str(t), a.mac(t), a.ip(t)]).toEqual([t, str(v), mac(v), ipAddress(v)]);
    }
    expect([a.u32(1), a.ip(10), a.ip(11), a.str(9), a.mac(8)]).toEqual([
      0x09090909,
      'fe80::1',
      '::ffff:1.2.3.4',
      'éth0',
      '0a:58:0a:84:02:2e',
    ]);
    expect(a.types()).toEqual(payloads.map((_, i) => i + 1));
  });

  it('refuses an attribute shorter than its header or longer than its message', () => {
    expect(() => attrs(view([2, 0, 1, 0]))).toThrow(NetlinkFormatError);
    expect(() => attrs(view([...attr(1, [0]), 12, 0, 2, 0, 0, 0]))).toThrow(/attribute of 12 bytes at 8/);
  });
});

describe.skipIf(!canBuildNetns())('the netlink helper on this namespace', () => {
  const jobs = [{ name: null, root: true }];
  const output = async (): Promise<Buffer> => execFileSync(await helperBinary(), ['-']);

  it('dumps and decodes the collector’s own namespace', async () => {
    const [ns] = decodeHelperOutput(await output(), jobs);
    if (!ns || 'error' in ns) throw new Error(`no inventory: ${JSON.stringify(ns)}`);
    expect(ns.links.find((l) => l.link.name === 'lo')?.link).toMatchObject({ kind: 'loopback', ifindex: 1 });
    expect(ns.addresses).toContainEqual({
      ifindex: 1,
      family: 'inet',
      address: '127.0.0.1',
      prefixlen: 8,
      scope: 'host',
    });
    expect(ns.routes.some((r) => r.table === 'local' && r.type === 'local' && r.dst === '127.0.0.1')).toBe(true);
    expect(typeof ns.ipForward).toBe('boolean');
  });

  /** Truncated and corrupted answers: a clear error on the namespace or on the framing, never a crash or junk. */
  it('turns truncated and corrupted output into clear errors', async () => {
    const good = await output();
    let seed = 1;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const bad = Buffer.from(good.subarray(0, round < 100 ? rand(good.length) : good.length));
      if (round >= 100) for (let k = 0; k < 1 + rand(8); k++) bad[rand(bad.length)] = rand(256);
      let results;
      try {
        results = decodeHelperOutput(bad, jobs);
      } catch (e) {
        expect(e).toBeInstanceOf(NetlinkFormatError);
        expect((e as Error).message).toMatch(/frame|truncated|namespace/);
        continue;
      }
      expect(results).toHaveLength(1);
      const r = results[0]!;
      if ('error' in r) expect(r.error.message.length).toBeGreaterThan(5);
      else for (const l of r.links) expect(Number.isInteger(l.link.ifindex)).toBe(true);
    }
  });
});

/** The helper's frames (namespace, kind, length, data) with `drop`'s left out and `add` appended. */
function edited(out: Buffer, drop: number, add: { kind: number; text: string }[] = []): Buffer {
  const parts: Buffer[] = [];
  for (let off = 0; off < out.length;) {
    const len = out.readUInt32LE(off + 8);
    if (out.readUInt32LE(off + 4) !== drop) parts.push(out.subarray(off, off + 12 + len));
    off += 12 + len;
  }
  for (const a of add) {
    const head = Buffer.alloc(12);
    head.writeUInt32LE(0, 0);
    head.writeUInt32LE(a.kind, 4);
    head.writeUInt32LE(Buffer.byteLength(a.text), 8);
    parts.push(head, Buffer.from(a.text));
  }
  return Buffer.concat(parts);
}

describe.skipIf(!canBuildNetns())('a part the helper could not read', () => {
  const jobs = [{ name: null, root: true }];
  const refusal = (kind: number): { kind: number; text: string } => ({
    kind: FRAME.error,
    text: `dump ${kind} refused: Operation not permitted`,
  });

  it('leaves the namespace out where a list part (addresses, routes, neighbours, qdiscs, tc filters) has no answer', async () => {
    const out = execFileSync(await helperBinary(), ['-']);
    const [whole] = decodeHelperOutput(out, jobs);
    expect(whole && 'error' in whole).toBe(false);
    for (const [kind, what] of [
      [FRAME.addr, 'its addresses'],
      [FRAME.route4, 'its IPv4 routes'],
      [FRAME.route6, 'its IPv6 routes'],
      [FRAME.neigh, 'its neighbour table'],
      [FRAME.qdisc, 'its qdiscs'],
    ] as const) {
      // Unanswered (the socket failed before it), and answered but refused.
      for (const bad of [edited(out, kind), edited(out, -1, [refusal(kind)])]) {
        const [r] = decodeHelperOutput(bad, jobs);
        if (!r || !('error' in r)) throw new Error(`kind ${kind}: the namespace was kept`);
        expect(r.error.message).toContain(`${what} `);
        expect(r.error.message).toContain('could not be read, so this namespace is left out');
      }
    }
    // tc filters are asked per device: none asked is no failure, one refused is.
    const [noFilters] = decodeHelperOutput(edited(out, FRAME.filterIngress), jobs);
    expect(noFilters && 'error' in noFilters).toBe(false);
    const [refusedFilters] = decodeHelperOutput(edited(out, -1, [refusal(FRAME.filterEgress)]), jobs);
    expect(refusedFilters && 'error' in refusedFilters && refusedFilters.error.message).toMatch(/tc egress filters/);
  });

  it('keeps the namespace without policy rules or fdb where those were not read, never as empty lists', async () => {
    const out = execFileSync(await helperBinary(), ['-']);
    const [whole] = decodeHelperOutput(out, jobs);
    if (!whole || 'error' in whole) throw new Error('no inventory');
    expect(whole.rules?.length).toBeGreaterThan(0);
    expect(Array.isArray(whole.fdb)).toBe(true);
    for (const kind of [FRAME.rule4, FRAME.rule6]) {
      for (const bad of [edited(out, kind), edited(out, -1, [refusal(kind)])]) {
        const [r] = decodeHelperOutput(bad, jobs);
        if (!r || 'error' in r) throw new Error('the namespace was left out');
        expect(r.rules).toBeUndefined();
        expect(r.routes).toEqual(whole.routes);
      }
    }
    // A kernel without IPv6 refuses the family's rules: none, not unread.
    const [noIpv6] = decodeHelperOutput(
      edited(out, FRAME.rule6, [
        { kind: FRAME.error, text: `dump ${FRAME.rule6} refused: Address family not supported by protocol` },
      ]),
      jobs,
    );
    if (!noIpv6 || 'error' in noIpv6) throw new Error('the namespace was left out');
    expect(noIpv6.rules).toEqual(whole.rules!.filter((x) => x.family === 'inet'));
    // Nothing failed: no error on the namespace (the collection-incomplete rule would report one).
    expect(noIpv6.errors).toEqual(whole.errors);
    for (const bad of [edited(out, FRAME.fdb), edited(out, -1, [refusal(FRAME.fdb)])]) {
      const [r] = decodeHelperOutput(bad, jobs);
      if (!r || 'error' in r) throw new Error('the namespace was left out');
      expect(r.fdb).toBeUndefined();
      expect(r.rules).toEqual(whole.rules);
    }
  });
});

describe.skipIf(!canBuildNetns())('the helper’s output read as it streams', () => {
  it('hands over the same namespaces, in order, whatever the chunk sizes', async () => {
    const out = execFileSync(await helperBinary(), ['-', '-', '-']);
    const whole = splitFrames(out, 3);
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), 1 + (seed % n));
    for (const size of [1, 5, 13, 4096, 0]) {
      const got: [number, NetnsFrames][] = [];
      const reader = new FrameReader(3, (i, f) => got.push([i, f]));
      for (let off = 0; off < out.length;) {
        const n = size === 0 ? rand(70_000) : size;
        reader.push(out.subarray(off, off + n));
        off += n;
      }
      reader.end();
      expect(got.map(([i]) => i)).toEqual([0, 1, 2]);
      expect(got.map(([, f]) => f)).toEqual(whole);
    }
  });

  it('refuses a frame for a namespace it has already handed over', async () => {
    const out = execFileSync(await helperBinary(), ['-', '-']);
    const first = out.subarray(0, 12 + out.readUInt32LE(8));
    const reader = new FrameReader(2, () => undefined);
    reader.push(out);
    expect(() => reader.push(first)).toThrow(NetlinkFormatError);
  });
});
