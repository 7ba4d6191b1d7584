import { access, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { cniAdd, cniDelAll, cniIpamDir, CNI_PATH } from '../src/cni/runCni.ts';
import type { CniNetwork } from '../src/cni/cniSchema.ts';
import { labDown } from '../src/labDown.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefix = newLabPrefix();
const node = `${prefix}node`;
const pod = `${prefix}pod`;
const hasPlugins = await access(`${CNI_PATH}/bridge`).then(
  () => true,
  () => false,
);

const links = async (ns: string): Promise<{ ifname: string; linkinfo?: { info_kind?: string } }[]> =>
  JSON.parse(await runCommand(['ip', '-n', ns, '-d', '-j', 'link', 'show'])) as never;
const attachment = (network: CniNetwork, containerId = 'hltest') => ({
  nodeNetns: node,
  podNetns: pod,
  containerId,
  ifname: 'eth0',
  network,
});

/**
 * The lab's CNI runtime against the real plugins: ADD as a container runtime runs it (from inside
 * the node's namespace, CNI_* variables, configuration on stdin), DEL from the cache on `lab down`.
 */
describe.skipIf(!canBuildNetns() || !hasPlugins)('CNI plugins run as a container runtime runs them', () => {
  beforeAll(async () => {
    for (const ns of [node, pod]) await runCommand(['ip', 'netns', 'add', ns]);
    await runCommand(['ip', '-n', node, 'link', 'add', 'ens4', 'type', 'veth', 'peer', 'name', 'ens4-peer']);
    await runCommand(['ip', '-n', node, 'link', 'set', 'ens4', 'up']);
  });
  afterAll(async () => {
    await labDown(prefix).catch(() => undefined);
  });

  it('plumbs a pod with the bridge plugin and host-local IPAM in the run’s own directory, and DEL undoes it', async () => {
    const network: CniNetwork = {
      cniVersion: '1.0.0',
      name: 'podnet',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipam: { type: 'host-local', dataDir: cniIpamDir(prefix), ranges: [[{ subnet: '10.77.0.0/24' }]] },
        },
      ],
    };
    const result = await cniAdd(prefix, attachment(network));
    expect(result.ips?.[0]).toMatchObject({ address: '10.77.0.2/24', gateway: '10.77.0.1' });
    expect((await links(pod)).map((l) => l.ifname)).toContain('eth0');
    expect(await readdir(`${cniIpamDir(prefix)}/podnet`)).toContain('10.77.0.2');
    expect(await cniDelAll(prefix)).toEqual([]);
    expect((await links(pod)).map((l) => l.ifname)).not.toContain('eth0');
    expect(await readdir(`${cniIpamDir(prefix)}/podnet`)).not.toContain('10.77.0.2');
  });

  it.each(['ipvlan', 'vlan'])('runs the %s plugin where the kernel can, and says so where it cannot', async (type) => {
    const network: CniNetwork = {
      cniVersion: '1.0.0',
      name: `net-${type}`,
      plugins: [
        {
          type,
          master: 'ens4',
          ...(type === 'vlan' ? { vlanId: 42 } : { mode: 'l2' }),
          ipam: { type: 'host-local', dataDir: cniIpamDir(prefix), ranges: [[{ subnet: '10.78.0.0/24' }]] },
        },
      ],
    };
    const added = await cniAdd(prefix, attachment(network, `hl${type}`)).then(
      () => undefined,
      (e: Error) => e.message,
    );
    if (added === undefined) {
      expect((await links(pod)).find((l) => l.ifname === 'eth0')?.linkinfo?.info_kind).toBe(type);
    } else {
      // This kernel has no such module: the plugin says the kind is not supported.
      expect(added).toMatch(/not supported|unknown|no such/i);
      console.log(`CNI ${type} plugin on this kernel: ${added}`);
    }
    expect(await cniDelAll(prefix)).toEqual([]);
  });
});
