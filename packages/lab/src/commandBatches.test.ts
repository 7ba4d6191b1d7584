import { describe, expect, it } from 'vitest';
import { CommandError } from '@hoplens/collector';
import { commandBatches, failedCommand, netnsAddBatch } from './commandBatches.ts';
import { runBatch } from './runBatches.ts';
import { ip, nft, sysctl } from './scenarios/labCommands.ts';

describe('commandBatches', () => {
  it('shares a process only between neighbours of one tool, namespace and options, in plan order', () => {
    const plan = [
      ip('a', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'b'),
      ip('a', 'link', 'set', 'v0', 'up'),
      ip('b', 'link', 'set', 'eth0', 'up'),
      ip('b', '-6', 'route', 'add', 'default', 'dev', 'eth0'),
      ip('b', '-6', 'addr', 'add', 'fd00::1/64', 'dev', 'eth0'),
      sysctl('a', 'net.ipv4.ip_forward=1'),
      sysctl('a', 'net.ipv4.conf.v0.proxy_arp=1'),
      ip('a', 'route', 'add', '10.0.0.0/24', 'dev', 'v0'),
      ip('a', 'route', 'add', '10.0.1.0/24', 'dev', 'v0'),
    ];
    const batches = commandBatches(plan);
    expect(batches.map((b) => [b.argv, b.stdin, b.commands.length])).toEqual([
      [['ip', '-n', 'a', '-batch', '-'], 'link add v0 type veth peer name eth0 netns b\nlink set v0 up\n', 2],
      [ip('b', 'link', 'set', 'eth0', 'up'), undefined, 1],
      [['ip', '-n', 'b', '-6', '-batch', '-'], 'route add default dev eth0\naddr add fd00::1/64 dev eth0\n', 2],
      [
        ['ip', 'netns', 'exec', 'a', 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.v0.proxy_arp=1'],
        undefined,
        2,
      ],
      [['ip', '-n', 'a', '-batch', '-'], 'route add 10.0.0.0/24 dev v0\nroute add 10.0.1.0/24 dev v0\n', 2],
    ]);
    expect(batches.flatMap((b) => b.commands)).toEqual(plan);
  });

  it('runs alone what a batch line could not carry word for word, and what is not an iproute2 command', () => {
    const plan = [
      ip('a', 'link', 'set', 'v0', 'alias', 'two words'),
      ip('a', 'link', 'set', 'v0', 'alias', "it's"),
      ['ip', 'netns', 'exec', 'a', 'iptables-nft', '-A', 'FORWARD', '-j', 'DROP'],
      ['ip', 'netns', 'exec', 'a', 'iptables-nft', '-A', 'FORWARD', '-j', 'ACCEPT'],
      ['ovs-ofctl', 'add-flow', 'br0', 'priority=1,actions=drop'],
      ['ovs-ofctl', 'add-flow', 'br0', 'priority=2,actions=drop'],
    ];
    const batches = commandBatches(plan);
    expect(batches.map((b) => b.kind)).toEqual(['single', 'single', 'single', 'single', 'single', 'single']);
    expect(batches.map((b) => b.argv)).toEqual(plan);
  });

  it('gives nft its words joined as nft joins its argv, one line each, read as one file', () => {
    const plan = [
      nft('a', 'add', 'table', 'inet', 't'),
      nft('a', 'add', 'chain', 'inet', 't', 'c', '{', 'type', 'filter', 'hook', 'input', 'priority', '0', ';', '}'),
    ];
    expect(commandBatches(plan)).toEqual([
      {
        argv: ['ip', 'netns', 'exec', 'a', 'nft', '-f', '-'],
        stdin: 'add table inet t\nadd chain inet t c { type filter hook input priority 0 ; }\n',
        commands: plan,
        kind: 'nft',
      },
    ]);
  });

  it('adds namespaces in one ip -batch', () => {
    expect(netnsAddBatch(['x', 'y'])[0]?.stdin).toBe('netns add x\nnetns add y\n');
    expect(netnsAddBatch(['x'])[0]?.argv).toEqual(['ip', 'netns', 'add', 'x']);
  });

  it('names the planned command a batch stopped at', () => {
    const [iproute, nfts, sysctls] = [
      commandBatches([ip('a', 'link', 'set', 'x', 'up'), ip('a', 'link', 'set', 'y', 'up')])[0]!,
      commandBatches([nft('a', 'add', 'table', 'inet', 't'), nft('a', 'add', 'rule', 'inet', 't', 'c', 'drop')])[0]!,
      commandBatches([sysctl('a', 'net.ipv4.ip_forward=1'), sysctl('a', 'net.ipv4.conf.v9.proxy_arp=1')])[0]!,
    ];
    expect(failedCommand(iproute, 'Cannot find device "y"\nCommand failed -:2\n')).toEqual(
      ip('a', 'link', 'set', 'y', 'up'),
    );
    expect(failedCommand(nfts, '/dev/stdin:2:1-30: Error: No such file or directory\n')).toEqual(
      nft('a', 'add', 'rule', 'inet', 't', 'c', 'drop'),
    );
    expect(
      failedCommand(sysctls, 'sysctl: cannot stat /proc/sys/net/ipv4/conf/v9/proxy_arp: No such file or directory'),
    ).toEqual(sysctl('a', 'net.ipv4.conf.v9.proxy_arp=1'));
    expect(failedCommand(iproute, 'something else')).toBeUndefined();
  });

  it('runs a real ip -batch and names the failing line, not the batch (no privilege needed to show links)', async () => {
    const batch = commandBatches([
      ['ip', 'link', 'show', 'dev', 'lo'],
      ['ip', 'link', 'show', 'dev', 'hl-nosuchdev'],
      ['ip', 'link', 'show', 'dev', 'lo'],
    ])[0]!;
    expect(batch.kind).toBe('iproute2');
    const err = await runBatch(batch).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).argv).toEqual(['ip', 'link', 'show', 'dev', 'hl-nosuchdev']);
    expect((err as CommandError).message).toContain('hl-nosuchdev');
  });
});
