import { describe, expect, it } from 'vitest';
import { commandIn, setMacCommand } from './commands.ts';

describe('setMacCommand', () => {
  it('prints the down / address / up sequence inside the pod VM namespace', () => {
    expect(setMacCommand('podns', 'vxlan0', '0a:58:0a:84:02:2e')).toBe(
      [
        'ip netns exec podns ip link set vxlan0 down',
        'ip netns exec podns ip link set dev vxlan0 address 0a:58:0a:84:02:2e',
        'ip netns exec podns ip link set vxlan0 up',
      ].join('\n'),
    );
  });

  it('quotes hostile names so the command cannot run anything else', () => {
    const cmd = setMacCommand("a;rm -rf /'$(x)", 'eth0', '0a:58:0a:84:02:2e');
    expect(cmd.split('\n')[0]).toBe(`ip netns exec 'a;rm -rf /'\\''$(x)' ip link set eth0 down`);
  });

  it('runs ip directly for the unnamed root namespace', () => {
    expect(setMacCommand(null, 'eth0', '0a:58:0a:84:02:2e').split('\n')[1]).toBe(
      'ip link set dev eth0 address 0a:58:0a:84:02:2e',
    );
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
