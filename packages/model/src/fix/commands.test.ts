import { describe, expect, it } from 'vitest';
import { commandIn, setMacCommand } from './commands.ts';

describe('setMacCommand', () => {
  it('changes the address of the live device in one command, keeping its routes', () => {
    expect(setMacCommand('podns', 'vxlan0', '0a:58:0a:84:02:2e')).toBe(
      'ip netns exec podns ip link set dev vxlan0 address 0a:58:0a:84:02:2e',
    );
  });

  it('quotes hostile names so the command cannot run anything else', () => {
    const cmd = setMacCommand("a;rm -rf /'$(x)", 'eth0', '0a:58:0a:84:02:2e');
    expect(cmd).toBe(`ip netns exec 'a;rm -rf /'\\''$(x)' ip link set dev eth0 address 0a:58:0a:84:02:2e`);
  });

  it('runs ip directly for the unnamed root namespace', () => {
    expect(setMacCommand(null, 'eth0', '0a:58:0a:84:02:2e')).toBe('ip link set dev eth0 address 0a:58:0a:84:02:2e');
  });
});

describe('commandIn', () => {
  it('enters a namespace only a process holds by its file', () => {
    expect(commandIn({ name: 'sleep-42', path: '/proc/42/ns/net' }, ['ip', 'link', 'set', 'eth0', 'up'])).toBe(
      'nsenter --net=/proc/42/ns/net ip link set eth0 up',
    );
    expect(commandIn({ name: 'pod-a' }, ['ip', 'a'])).toBe('ip netns exec pod-a ip a');
    expect(commandIn(null, ['ip', 'a'])).toBe('ip a');
  });
});
