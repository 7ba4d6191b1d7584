import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newLabPrefix, planLab } from '@hoplens/lab';

// The config is loaded by the runner and again by each worker; the environment carries one
// prefix to all of them, so every process of a run talks about the same namespaces.
process.env.HOPLENS_E2E_PREFIX ??= newLabPrefix();

/** Lab namespace prefix of this run. */
export const PREFIX = process.env.HOPLENS_E2E_PREFIX;
/**
 * The server's port: drawn from the run's random prefix, so that runs in two checkouts at once (or
 * two CI jobs on one machine) do not fight over one port; HOPLENS_E2E_PORT sets it.
 */
export const PORT = Number(process.env.HOPLENS_E2E_PORT ?? 20000 + (parseInt(PREFIX.slice(3, 9), 16) % 20000));
export const WORK_DIR = join(tmpdir(), `hoplens-e2e-${PREFIX}`);
export const HOST_MAP = join(WORK_DIR, 'hostmap.json');

/**
 * The host map is a pure function of the prefix, so it exists before the server starts whether
 * Playwright runs webServer or globalSetup first; the namespaces appear in globalSetup.
 */
export function writeHostMap(): void {
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(HOST_MAP, JSON.stringify(planLab({ scenario: 'seed', variant: 'broken', prefix: PREFIX }).hostMap));
}
