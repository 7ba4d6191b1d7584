import { access } from 'node:fs/promises';
import { labFilesDir } from '../prefix.ts';
import type { L4Server } from '../scenario.ts';

/**
 * The lab's TCP/UDP server, one Node process per port: it answers each TCP connection (or UDP
 * datagram, from the port it came to) with its argument, ` from ` and the address the connection
 * came from (what NAT left of the client's), and a newline. One process, no fork per
 * connection: concurrent clients never share a child that could read another's datagram.
 */
const SERVER_SCRIPT = `'use strict';
const [proto, port, answer, ready] = process.argv.slice(2);
const line = (peer) => answer + ' from ' + peer + '\\n';
const listening = () => require('node:fs').writeFileSync(ready, '');
if (proto === 'tcp') {
  require('node:net')
    .createServer((s) => {
      s.on('error', () => {});
      s.end(line(s.remoteAddress));
    })
    .listen(Number(port), '0.0.0.0', listening);
} else {
  const u = require('node:dgram').createSocket('udp4');
  u.on('message', (_m, from) => u.send(line(from.address), from.port, from.address));
  u.bind(Number(port), '0.0.0.0', listening);
}
`;

/** Where the server script is written (labUp writes it before starting servers). */
export const serverScript = (prefix: string): { path: string; content: string } => ({
  path: `${labFilesDir(prefix)}/servers/l4server.cjs`,
  content: SERVER_SCRIPT,
});

/** Where a lab server's pidfile lives; `lab down` finds it there (stopLabDaemons). */
const serverDir = (prefix: string, s: L4Server): string =>
  `${labFilesDir(prefix)}/servers/${s.netns}-${s.proto}${s.port}`;

/**
 * Commands that start one server inside its namespace, detached (start-stop-daemon), its pid
 * written where `lab down` looks for it.
 */
export function serverStartCommands(prefix: string, s: L4Server): string[][] {
  const dir = serverDir(prefix, s);
  return [
    ['mkdir', '-p', dir],
    [
      'ip',
      'netns',
      'exec',
      s.netns,
      'start-stop-daemon',
      '--start',
      '--background',
      '--make-pidfile',
      '--pidfile',
      `${dir}/node.pid`,
      '--exec',
      process.execPath,
      '--',
      serverScript(prefix).path,
      s.proto,
      String(s.port),
      s.answer,
      serverReady(prefix, s),
    ],
  ];
}

/** The command that stops one server (its connections then meet a closed port). */
export const serverStopCommand = (prefix: string, s: L4Server): string[] => [
  'start-stop-daemon',
  '--stop',
  '--quiet',
  '--retry',
  '5',
  '--pidfile',
  `${serverDir(prefix, s)}/node.pid`,
];

/** The file a server writes once it listens. */
const serverReady = (prefix: string, s: L4Server): string => `${serverDir(prefix, s)}/listening`;

/** Waits until every server listens (each writes its file), or throws after `timeoutMs`. */
export async function serversListening(
  prefix: string,
  servers: readonly L4Server[],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const s of servers) {
    while (
      !(await access(serverReady(prefix, s)).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error(`the ${s.proto} server on port ${s.port} in ${s.netns} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
