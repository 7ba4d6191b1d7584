import { readdir, rm } from 'node:fs/promises';
import { runCommand } from '@hoplens/collector';
import { cniDelAll } from './cni/runCni.ts';
import { LabError } from './labError.ts';
import { isLabPrefix, LAB_FILES_ROOT, LAB_PREFIX_ROOT, labFilesDir, ofLab } from './prefix.ts';
import { stopLabDaemons } from './ovs/ovsDaemons.ts';

/** The prefixes of lab runs that left files (CNI caches among them): the labs up. */
export async function labRuns(): Promise<string[]> {
  return (await readdir(LAB_FILES_ROOT).catch(() => [] as string[])).filter(isLabPrefix);
}

/** Named namespaces, as iproute2 keeps them. */
export async function listNetns(): Promise<string[]> {
  try {
    return await readdir('/run/netns');
  } catch {
    return [];
  }
}

/**
 * Deletes the lab namespaces with this prefix (all `hl-` ones when none is given; not those of another
 * lab up whose longer prefix starts with this one, see ofLab), after stopping the
 * Open vSwitch daemons it started and DELeting the pods the CNI plugins plumbed in them, and the files
 * the lab wrote for them; deleting a namespace deletes the devices in it and the veth peers outside it.
 * Returns the namespaces it removed.
 */
export async function labDown(prefix?: string): Promise<string[]> {
  if (prefix !== undefined && !isLabPrefix(prefix))
    throw new LabError(`lab prefix must look like hl-xxxx-, got "${prefix}"`);
  const files = prefix === undefined ? LAB_FILES_ROOT : labFilesDir(prefix);
  // A daemon running in a namespace keeps it alive after `ip netns del`: stop the lab's switches first.
  await stopLabDaemons(files);
  const labs = await labRuns();
  const doomed = (await listNetns()).filter((n) =>
    prefix === undefined ? n.startsWith(LAB_PREFIX_ROOT) : ofLab(n, prefix, labs),
  );
  // CNI attachments first, as a runtime tears a pod down: the plugins need the namespaces.
  const prefixes = prefix === undefined ? labs : [prefix];
  for (const p of prefixes) await cniDelAll(p);
  const failed: string[] = [];
  for (const ns of doomed) {
    await runCommand(['ip', 'netns', 'del', ns]).catch(() => failed.push(ns));
  }
  // Kept where a namespace outlived its deletion: the lab is still up, and its directory keeps other
  // labs from claiming or tearing down what is left (see ofLab).
  if (failed.length > 0) throw new LabError(`could not delete namespaces: ${failed.join(', ')}`);
  // The files its hosts had (a pod VM's apf.json, a switch's database and logs): this prefix's, or every lab run's.
  await rm(files, { recursive: true, force: true });
  return doomed;
}
