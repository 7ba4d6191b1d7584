import { describe, expect, it } from 'vitest';
import { parseProxyNeighbors } from './parseNeighbors.ts';

describe('parseProxyNeighbors', () => {
  it('reads `ip -j neigh show proxy` of both families, an entry for any device without one', () => {
    // Real output after `ip neigh add proxy 10.1.2.3 dev d0` and `ip -6 neigh add proxy fd00::5 dev d0`,
    // with a wildcard entry as the kernel dumps one made without a device.
    const text =
      '[{"dst":"10.1.2.3","dev":"d0","proxy":null},{"dst":"fd00::5","dev":"d0","proxy":null},{"dst":"10.1.2.9","proxy":null}]';
    expect(parseProxyNeighbors(text)).toEqual([
      { ip: '10.1.2.3', dev: 'd0' },
      { ip: 'fd00::5', dev: 'd0' },
      { ip: '10.1.2.9' },
    ]);
  });

  it('refuses an entry whose address is not one', () => {
    expect(() => parseProxyNeighbors('[{"dst":"10.1.2.3; rm","dev":"d0","proxy":null}]')).toThrow();
  });
});
