import { parseArgs } from 'node:util';
import { analyze } from '@hoplens/model';
import { loadSnapshot } from '../loadSnapshot.ts';

/** `hoplens findings SNAPSHOT.json [--json]`. */
export async function findings(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const snapshot = await loadSnapshot(positionals[0]);
  const list = analyze(snapshot).findings.map(({ rule, severity, subjects, message, fix }) => ({
    rule,
    severity,
    subjects,
    message,
    ...(fix !== undefined ? { fix } : {}),
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  if (list.length === 0) process.stdout.write('no findings\n');
  for (const f of list) {
    process.stdout.write(`${f.severity.toUpperCase()} ${f.rule}: ${f.message}\n`);
    if (f.fix) process.stdout.write(`  fix:\n${f.fix.replace(/^/gm, '    ')}\n`);
  }
}
