import { describe, expect, it } from 'vitest';
import { parseLinks } from './parseLinks.ts';

/** `ip -d -j link` objects for kinds this kernel cannot make (ipvlan, bond), as iproute2 prints them. */
const link = (ifindex: number, ifname: string, linkinfo: object) => ({
  ifindex,
  ifname,
  flags: ['BROADCAST', 'UP', 'LOWER_UP'],
  mtu: 1500,
  operstate: 'UP',
  link_type: 'ether',
  address: '02:00:00:00:00:0' + String(ifindex),
  linkinfo,
});

describe('kind and port data this kernel cannot produce', () => {
  it('reads an ipvlan mode with its flag, and bridge mode where none is printed', () => {
    // iproute2's ipvlan_print_opt prints the flag as one boolean key.
    const [a, b, c, d] = parseLinks(
      JSON.stringify([
        link(2, 'ipv0', { info_kind: 'ipvlan', info_data: { mode: 'l3', private: true } }),
        link(3, 'ipv1', { info_kind: 'ipvlan', info_data: { mode: 'l2', vepa: true } }),
        link(4, 'ipv2', { info_kind: 'ipvlan', info_data: { mode: 'l3s', bridge: true } }),
        link(5, 'ipv3', { info_kind: 'ipvlan', info_data: { mode: 'l2' } }),
      ]),
    );
    expect(a!.link.kindData).toEqual({ kind: 'ipvlan', mode: 'l3', flags: 'private' });
    expect(b!.link.kindData).toEqual({ kind: 'ipvlan', mode: 'l2', flags: 'vepa' });
    expect(c!.link.kindData).toEqual({ kind: 'ipvlan', mode: 'l3s', flags: 'bridge' });
    expect(d!.link.kindData).toEqual({ kind: 'ipvlan', mode: 'l2', flags: 'bridge' });
  });

  it('reads a bond slave’s state, and a bridge port’s STP state and hairpin', () => {
    const [slave, port] = parseLinks(
      JSON.stringify([
        link(4, 'ens3', { info_slave_kind: 'bond', info_slave_data: { state: 'BACKUP', mii_status: 'UP' } }),
        link(5, 'veth0', { info_slave_kind: 'bridge', info_slave_data: { state: 'blocking', hairpin: true } }),
      ]),
    );
    expect(slave!.link.slave).toEqual({ kind: 'bond', state: 'backup' });
    expect(port!.link.slave).toEqual({ kind: 'bridge', state: 'blocking', hairpin: true });
  });

  it('reads a bridge port’s flags as `bridge link set` sets them, and none where one is missing', () => {
    const data = { state: 'forwarding', hairpin: false, learning: false, flood: false, mcast_flood: true };
    const [port, old] = parseLinks(
      JSON.stringify([
        link(5, 'veth0', {
          info_slave_kind: 'bridge',
          info_slave_data: { ...data, bcast_flood: true, isolated: true },
        }),
        link(6, 'veth1', { info_slave_kind: 'bridge', info_slave_data: data }),
      ]),
    );
    expect(port!.link.slave).toEqual({
      kind: 'bridge',
      state: 'forwarding',
      hairpin: false,
      flags: { learning: false, flood: false, mcastFlood: true, bcastFlood: true, isolated: true },
    });
    expect(old!.link.slave).toEqual({ kind: 'bridge', state: 'forwarding', hairpin: false });
  });
});
