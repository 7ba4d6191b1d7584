import { importSuite } from './suites/importSuite.ts';
const r = await importSuite(Number(process.argv[2] ?? 1000));
for (const f of r.figures) console.log(f.label, f.value, f.unit, f.note ?? '');
console.log(JSON.stringify(r.details).slice(0, 500));
