import { spawn } from 'node:child_process';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { validate } from '@hoplens/model';
import { LabError } from '../labError.ts';
import { labFilesDir } from '../prefix.ts';
import { CniCacheSchema, CniErrorSchema, CniResultSchema, type CniAttachment, type CniResult } from './cniSchema.ts';

/** Where Debian's containernetworking-plugins puts the plugins. */
export const CNI_PATH = '/usr/lib/cni';
const TIMEOUT_MS = 20_000;

/** The attachments' cache of one lab run, which `lab down` reads to DEL them. */
export const cniCacheDir = (prefix: string): string => `${labFilesDir(prefix)}/cni/cache`;
/** host-local's data directory of one lab run: the addresses it handed out. */
export const cniIpamDir = (prefix: string): string => `${labFilesDir(prefix)}/cni/ipam`;

/**
 * Runs one plugin as a container runtime does: its binary, from inside the node's namespace (`ip
 * netns exec`, no shell), with the CNI_* variables and its configuration on stdin. Returns what it
 * printed on success; a plugin's error becomes a LabError carrying its message.
 */
function runPlugin(a: CniAttachment, command: 'ADD' | 'DEL', config: object): Promise<string> {
  const type = (config as { type: string }).type;
  if (!/^[a-z0-9-]+$/.test(type)) return Promise.reject(new LabError(`not a CNI plugin name: ${type}`));
  const env = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: a.containerId,
    CNI_NETNS: `/run/netns/${a.podNetns}`,
    CNI_IFNAME: a.ifname,
    CNI_PATH,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', a.nodeNetns, `${CNI_PATH}/${type}`], { env, timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => reject(new LabError(`${type} ${command}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      let why = stderr.trim() || `exit ${code}`;
      try {
        const err = validate(CniErrorSchema, JSON.parse(stdout), `${type} error`);
        why = `${err.msg}${err.details ? `: ${err.details}` : ''}`;
      } catch {
        // Not the spec's error object: keep what stderr said.
      }
      reject(new LabError(`CNI plugin ${type} ${command} for ${a.podNetns}/${a.ifname} failed: ${why}`));
    });
    child.stdin.end(JSON.stringify(config));
  });
}

/** A plugin's configuration as the runtime hands it over: the network's name and version, the previous result, capabilities. */
function pluginConfig(
  a: CniAttachment,
  plugin: CniAttachment['network']['plugins'][number],
  prevResult: unknown,
): object {
  const caps = (plugin.capabilities ?? {}) as Record<string, boolean>;
  const runtimeConfig = Object.fromEntries(Object.entries(a.runtimeConfig ?? {}).filter(([k]) => caps[k]));
  return {
    ...plugin,
    cniVersion: a.network.cniVersion,
    name: a.network.name,
    ...(prevResult === undefined ? {} : { prevResult }),
    ...(Object.keys(runtimeConfig).length > 0 ? { runtimeConfig } : {}),
  };
}

/**
 * ADD: the network's plugins in order, each given the previous one's result, as libcni's AddNetworkList
 * does. The attachment is cached first, so `cniDelAll` undoes even a half-done ADD.
 */
export async function cniAdd(prefix: string, a: CniAttachment): Promise<CniResult> {
  await access(`${CNI_PATH}/${a.network.plugins[0]?.type ?? 'bridge'}`).catch(() => {
    throw new LabError(`no CNI plugins in ${CNI_PATH}: apt-get install containernetworking-plugins`);
  });
  const dir = cniCacheDir(prefix);
  await mkdir(dir, { recursive: true });
  const file = `${dir}/${a.containerId}-${a.ifname}.json`;
  await writeFile(file, JSON.stringify(a), { mode: 0o600 });
  let result: unknown;
  for (const plugin of a.network.plugins) {
    result = JSON.parse(await runPlugin(a, 'ADD', pluginConfig(a, plugin, result)));
  }
  const checked = validate(CniResultSchema, result, `CNI result of ${a.network.name}`);
  await writeFile(file, JSON.stringify({ ...a, result: checked }), { mode: 0o600 });
  return checked;
}

/** DEL: the network's plugins in reverse order, each given the cached result, as libcni's DelNetworkList does. */
export async function cniDel(a: CniAttachment & { readonly result?: unknown }): Promise<void> {
  for (const plugin of [...a.network.plugins].reverse()) {
    await runPlugin(a, 'DEL', pluginConfig(a, plugin, a.result));
  }
}

/**
 * DELs every attachment a lab run made (`lab down --prefix`), newest first, while the namespaces
 * still exist; returns what failed, and forgets them all.
 */
export async function cniDelAll(prefix: string): Promise<string[]> {
  const dir = cniCacheDir(prefix);
  const files = await readdir(dir).catch(() => [] as string[]);
  const failed: string[] = [];
  for (const f of files.sort().reverse()) {
    try {
      const cached = validate(CniCacheSchema, JSON.parse(await readFile(`${dir}/${f}`, 'utf8')), `CNI cache ${f}`);
      await cniDel(cached);
    } catch (e) {
      failed.push(`${f}: ${(e as Error).message}`);
    }
  }
  await rm(dir, { recursive: true, force: true });
  return failed;
}
