import { expect, it } from 'vitest';
import { insideNetns } from './insideNetns.ts';

it('runs a program in a namespace by name, by file, or where the collector is', () => {
  expect(insideNetns('a;b $(c)', undefined, ['nft', '-j'])).toEqual(['ip', 'netns', 'exec', 'a;b $(c)', 'nft', '-j']);
  expect(insideNetns('held', '/proc/42/ns/net', ['nft'])).toEqual(['nsenter', '--net=/proc/42/ns/net', 'nft']);
  expect(insideNetns(null, undefined, ['nft'])).toEqual(['nft']);
});

it('refuses what the host map schema refuses: names that leave /run/netns, relative paths, paths with ..', () => {
  for (const bad of ['../etc', 'a/b', '..', '.', '', 'a\u0000b', 'x'.repeat(256)])
    expect(() => insideNetns(bad, undefined, ['nft']), JSON.stringify(bad)).toThrow(/invalid netns name/);
  expect(insideNetns('ü'.repeat(255), undefined, [])).toEqual(['ip', 'netns', 'exec', 'ü'.repeat(255)]);
  for (const bad of ['proc/1/ns/net', '/proc/../etc/x', '/a/..', '/a\u0000', `/${'x'.repeat(4096)}`])
    expect(() => insideNetns('held', bad, ['nft']), bad).toThrow(/invalid netns path/);
});
