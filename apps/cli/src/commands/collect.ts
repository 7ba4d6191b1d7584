import { parseArgs } from 'node:util';
import { collectLocal, createSnapshot, discardHelper } from '@hoplens/collector';
import { MAX_SOURCE_LENGTH, printable } from '@hoplens/model';
import { collectionJson } from '../collectionJson.ts';
import { writeCollectWarnings } from '../collectWarnings.ts';
import { CommandTimes } from '../commandTimes.ts';
import { readHostMap } from '../readHostMap.ts';
import type { EarlyCollect } from '../startCollectHelper.ts';
import { tuneForOneShot } from '../shortLived.ts';
import { UsageError } from '../usageError.ts';
import { writeJsonFile } from '../writeJsonFile.ts';
import { COLLECT_OPTIONS } from './collectOptions.ts';

/**
 * `hoplens collect --hosts HOSTMAP.json [--out FILE] [--source LABEL] [--backend netlink|iproute2]
 * [--kubeconfig FILE | --kubernetes]`: one snapshot as JSON. `--backend iproute2` keeps the
 * `ip`/`tc`/`bridge` text in the snapshot; with a kubeconfig (or `--kubernetes` for the default
 * one), pods take their Kubernetes names. `early` is what the entry did first on the same arguments
 * (see startCollectHelper): its netlink helper is taken if it runs what this collection asks, else
 * stopped, and its host map text is this command's.
 */
export async function collect(args: string[], early: EarlyCollect = {}): Promise<void> {
  const times = new CommandTimes();
  times.mark('collect loaded');
  try {
    await collectWith(args, early, times);
  } finally {
    discardHelper(early.helper);
    times.helper(early.helper);
  }
}

async function collectWith(args: string[], early: EarlyCollect, times: CommandTimes): Promise<void> {
  tuneForOneShot();
  const { values } = parseArgs({ args, options: COLLECT_OPTIONS, strict: true });
  const backend = values.backend;
  if (backend !== 'netlink' && backend !== 'iproute2')
    throw new UsageError(`--backend is netlink or iproute2, not ${JSON.stringify(backend)}`);
  if (!values.hosts) throw new UsageError('collect needs --hosts HOSTMAP.json');
  if (values.source !== undefined && (values.source.length < 1 || values.source.length > MAX_SOURCE_LENGTH))
    throw new UsageError(`--source must be 1-${MAX_SOURCE_LENGTH} characters, got ${values.source.length}`);
  // The text the entry read, where it read this file: a pipe cannot be read twice.
  const map = await readHostMap(values.hosts, early.hostMap?.path === values.hosts ? early.hostMap.text : undefined);
  times.mark('host map read');
  const hosts = await collectLocal(map, {
    backend,
    ...(early.helper === undefined ? {} : { early: early.helper }),
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rcollecting namespaces ${done}/${total}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  times.mark('namespaces collected');
  let pods;
  let services;
  if (values.kubeconfig || values.kubernetes) {
    const { kubernetesPods, kubernetesServices } = await import('../kubernetesObjects.ts');
    try {
      pods = await kubernetesPods(values.kubeconfig);
    } catch (e) {
      process.stderr.write(`warning: ${printable((e as Error).message)}; pods are inferred\n`);
    }
    try {
      services = await kubernetesServices(values.kubeconfig);
      if (services.skipped > 0)
        process.stderr.write(
          `warning: ${services.skipped} Services or EndpointSlices were not valid or past the bound\n`,
        );
    } catch (e) {
      const why = printable((e as Error).message);
      process.stderr.write(`warning: ${why}; Services are read from kube-proxy's rules\n`);
    }
  }
  const snapshot = createSnapshot(hosts, values.source ?? defaultSource(values.hosts), pods, services);
  writeCollectWarnings(hosts);
  times.mark('snapshot made');
  if (values.out) writeJsonFile(values.out, snapshot);
  else {
    const json = collectionJson(snapshot, process.stdout.isTTY);
    times.mark('serialized');
    process.stdout.write(json);
  }
  times.mark('written');
}

/** `local:` and the host map's path, its end kept where the whole would be too long a label. */
function defaultSource(hosts: string): string {
  const label = `local:${hosts}`;
  return label.length <= MAX_SOURCE_LENGTH ? label : `local:…${hosts.slice(-(MAX_SOURCE_LENGTH - 7))}`;
}
