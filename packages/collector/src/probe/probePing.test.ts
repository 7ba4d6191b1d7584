import { describe, expect, it } from 'vitest';
import { probeFixture } from '../testing/probeFixtures.ts';
import { parsePingOutput, pingArgv } from './probePing.ts';

describe("ping's part of a probe", () => {
  it('marks its echoes and bounds them: identifier, pattern, count, size, DF', () => {
    const argv = pingArgv({ to: '10.0.0.1', count: 3, size: 1472, df: true }, { icmpId: 4242, pattern: '686c70' });
    expect(argv).toEqual([
      'ping',
      '-n',
      '-c',
      '3',
      '-i',
      '0.2',
      '-W',
      '1',
      '-e',
      '4242',
      '-p',
      '686c70',
      '-s',
      '1472',
      '-M',
      'do',
      '10.0.0.1',
    ]);
  });

  it('reads the replies ping got, by sequence', () => {
    const ping = probeFixture('seed-fixed').observation.ping!;
    expect(parsePingOutput(ping.output, 0)).toMatchObject({ transmitted: 2, received: 2, answered: [1, 2] });
  });

  it('reads a lost burst, and the kernel refusing to send at all', () => {
    expect(parsePingOutput(probeFixture('seed-broken').observation.ping!.output, 1)).toMatchObject({
      transmitted: 2,
      received: 0,
      answered: [],
    });
    expect(parsePingOutput(probeFixture('bridged-no-route').observation.ping!.output, 2)).toMatchObject({
      transmitted: 0,
      errors: ['ping: connect: Network is unreachable'],
      exitCode: 2,
    });
  });
});
