import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '@hoplens/lab';
import { PREFIX } from './e2eEnv.ts';

const ASSETS = fileURLToPath(new URL('../apps/cli/dist/web/assets/', import.meta.url));

/**
 * The specs test what users get: a production build of the dashboard. A development build (Vite run
 * with NODE_ENV set to something else, as a test runner's child inherits) behaves otherwise —
 * React mounts every component twice — and once hid a bug from, and showed another to, these specs.
 */
function requireProductionDashboard(): void {
  const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  const dev = scripts.filter((f) => readFileSync(`${ASSETS}${f}`, 'utf8').includes('Download the React DevTools'));
  if (scripts.length === 0 || dev.length > 0)
    throw new Error(
      `the dashboard in ${ASSETS} is not a production build (${dev.join(', ') || 'no scripts'}): run pnpm build`,
    );
}

/** Builds the broken seed lab in real namespaces; the returned function always tears it down. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) throw new Error('the e2e tests build network namespaces: run them as root');
  requireProductionDashboard();
  await labDown(PREFIX).catch(() => undefined);
  await labUp({ scenario: 'seed', variant: 'broken', prefix: PREFIX });
  return async () => {
    await labDown(PREFIX);
  };
}
