import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Asks GET /api/info every --every-ms (after each answer) from a process of its own, so what it
 * measures is the server: polled from the bench's own event loop, it counted the bench's stalls too
 * (uploading a 14 MB body beside it, the answers there took ~300 ms where another process saw
 * < 80 ms). Prints one JSON line once warm; when stdin closes, writes the slowest answer and the
 * count to --out.
 */
const { values } = parseArgs({
  options: { url: { type: 'string' }, out: { type: 'string' }, 'every-ms': { type: 'string', default: '100' } },
});
const url = `${values.url!}/api/info`;
const everyMs = Number(values['every-ms']);
const ask = async (): Promise<number> => {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET /api/info answered ${res.status}`);
  return performance.now() - t;
};
// A new client's first requests (its connection, undici's own warm-up) are not the server's doing.
for (let i = 0; i < 5; i++) await ask();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

let running = true;
let maxMs = 0;
let count = 0;
const loop = (async () => {
  while (running) {
    maxMs = Math.max(maxMs, await ask());
    count++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
})();
process.stdin.resume();
process.stdin.on('end', () => {
  running = false;
  void loop.then(() => {
    writeFileSync(values.out!, JSON.stringify({ maxMs, count }));
    process.exit(0);
  });
});
