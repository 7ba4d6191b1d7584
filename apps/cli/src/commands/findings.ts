import { parseArgs } from 'node:util';
import { analyze, printable } from '@hoplens/model';
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
    // Names in messages and fixes come from the hosts: shown, never acted on by the terminal.
    process.stdout.write(`${f.severity.toUpperCase()} ${f.rule}: ${printable(f.message)}\n`);
    if (f.fix) process.stdout.write(`  fix:\n${printable(f.fix, { lines: true }).replace(/^/gm, '    ')}\n`);
  }
}
