import { describe, expect, it } from 'vitest';
import { printable } from './printable.ts';

describe('printable', () => {
  it('escapes what a terminal would act on: a name that erases its line cannot pose as a command', () => {
    const name = 'x\r\u001b[2K    ip link del eth0 #';
    expect(printable(`netns ${name} has no route`)).toBe('netns x\\x0d\\x1b[2K    ip link del eth0 # has no route');
  });

  it('keeps the line feeds of several commands when asked, and escapes them otherwise', () => {
    expect(printable('ip link set a up\nip link set b up', { lines: true })).toBe('ip link set a up\nip link set b up');
    expect(printable('a\nb')).toBe('a\\x0ab');
  });

  it('escapes C1 controls, DEL and bidirectional overrides, and leaves other text alone', () => {
    expect(printable('a\u009bb\u007fc\u202ed')).toBe('a\\x9bb\\x7fc\\u202ed');
    expect(printable('pod-ä 10.0.0.1/24 → ok')).toBe('pod-ä 10.0.0.1/24 → ok');
  });
});
