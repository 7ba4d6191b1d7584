import { labDown, labUp } from '@hoplens/lab';
import { PREFIX } from './e2eEnv.ts';

/** Builds the broken seed lab in real namespaces; the returned function always tears it down. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) throw new Error('the e2e tests build network namespaces: run them as root');
  await labDown(PREFIX).catch(() => undefined);
  await labUp({ scenario: 'seed', variant: 'broken', prefix: PREFIX });
  return async () => {
    await labDown(PREFIX);
  };
}
