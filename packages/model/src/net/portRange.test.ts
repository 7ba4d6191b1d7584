import { describe, expect, it } from 'vitest';
import { maskedIn, natSourcePorts, rangeIn, usableRange } from './portRange.ts';

describe('rangeIn', () => {
  const ephemeral = { start: 32768, end: 60999 };
  it('is false where no port of the range is matched', () => {
    expect(rangeIn(ephemeral, [[8080, 8080]])).toBe(false);
    expect(
      rangeIn(ephemeral, [
        [80, 80],
        [61000, 65535],
      ]),
    ).toBe(false);
    expect(rangeIn(ephemeral, [])).toBe(false);
  });
  it('is true where every port of the range is matched, across adjacent runs', () => {
    expect(rangeIn(ephemeral, [[1024, 65535]])).toBe(true);
    expect(
      rangeIn(ephemeral, [
        [40000, 65535],
        [32768, 39999],
      ]),
    ).toBe(true);
    expect(rangeIn(ephemeral, [[32768, 60999]])).toBe(true);
  });
  it('is undefined where the answer depends on the port', () => {
    expect(rangeIn(ephemeral, [[40000, 40000]])).toBeUndefined();
    expect(rangeIn(ephemeral, [[1, 32768]])).toBeUndefined();
    // Covered twice over but with a hole: 50000 is in no run.
    expect(
      rangeIn(ephemeral, [
        [32768, 49999],
        [50001, 65535],
      ]),
    ).toBeUndefined();
  });
  it('counts a single port range exactly', () => {
    expect(rangeIn({ start: 53, end: 53 }, [[53, 53]])).toBe(true);
    expect(rangeIn({ start: 53, end: 53 }, [[54, 60]])).toBe(false);
  });
});

describe('natSourcePorts', () => {
  it('widens an ephemeral range to every unprivileged port, and a low one to all', () => {
    expect(natSourcePorts({ start: 32768, end: 60999 })).toEqual({ start: 1024, end: 65535 });
    expect(natSourcePorts({ start: 500, end: 60999 })).toEqual({ start: 1, end: 65535 });
  });
});

describe('usableRange', () => {
  it('keeps a sane range and refuses one upside down or past 65535, as a hostile agent may send', () => {
    expect(usableRange({ start: 32768, end: 60999 })).toEqual({ start: 32768, end: 60999 });
    expect(usableRange({ start: 60000, end: 100 })).toBeUndefined();
    expect(usableRange({ start: 1, end: 70000 })).toBeUndefined();
    expect(usableRange({ start: -1, end: 5 })).toBeUndefined();
    expect(usableRange(undefined)).toBeUndefined();
  });
});

describe('maskedIn', () => {
  const ephemeral = { start: 32768, end: 60999 };
  it('tells a masked port key from the range: covering, apart, or a mask of other than leading bits', () => {
    expect(maskedIn(ephemeral, 0x8000, 0x8000)).toBe(true);
    expect(maskedIn(ephemeral, 8080, 0xffff)).toBe(false);
    expect(maskedIn(ephemeral, 0x8000, 0xf000)).toBeUndefined();
    // 0x8000/0x8001: inside its hull, but only the even ports match.
    expect(maskedIn(ephemeral, 0x8000, 0x8001)).toBeUndefined();
  });
});
