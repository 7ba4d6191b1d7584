import { spawn } from 'node:child_process';
import type { Connect } from '../scenario.ts';

/** What one connection got: the server's answer, or nothing (refused, dropped, timed out). */
export type Answer = string | undefined;

/** Seconds a connection may take to connect, and then to answer. */
const TIMEOUT_S = 2;

/**
 * The client, run inside the namespace by one Node process for a whole batch (a process per
 * connection cost more than the connections on a busy machine): `n` connections at once, each its
 * own socket and source port. A TCP connect that sends nothing (data left unread at the server's
 * close would make it reset the connection), or a UDP datagram from a connected socket (which
 * hears the ICMP error of a refusal); each gets the whole timeout to connect and again to answer
 * (as socat's connect-timeout and -T gave it), and ends as soon as the server's line is in, or the
 * kernel refuses it. Prints the answers (null for none) as one JSON array.
 */
const CLIENT_SCRIPT = `'use strict';
const [proto, ip, port, n, timeoutS] = process.argv.slice(1);
const ms = Number(timeoutS) * 1000;
const one = () => new Promise((resolve) => {
  let out = '';
  let done = false;
  let timer;
  const end = (s) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    s.close ? s.close() : s.destroy();
    const line = out.split('\\n')[0].trim();
    resolve(line === '' ? null : line);
  };
  const take = (s, d) => {
    if (out.length < 256) out += d;
    if (out.includes('\\n')) end(s);
  };
  if (proto === 'tcp') {
    const s = require('node:net').connect(Number(port), ip);
    timer = setTimeout(() => end(s), ms);
    s.on('connect', () => { clearTimeout(timer); s.setTimeout(ms, () => end(s)); });
    s.setEncoding('utf8');
    s.on('data', (d) => take(s, d));
    s.on('end', () => end(s));
    s.on('error', () => end(s));
    s.on('close', () => end(s));
  } else {
    const s = require('node:dgram').createSocket('udp4');
    timer = setTimeout(() => end(s), ms);
    s.on('message', (m) => take(s, m.toString('utf8')));
    s.on('error', () => end(s));
    s.connect(Number(port), ip, () => s.send('hoplens\\n'));
  }
});
Promise.all(Array.from({ length: Number(n) }, one)).then((a) => process.stdout.write(JSON.stringify(a) + '\\n'));
`;

/**
 * Batches of connections running at most at once: each is a Node process making up to MIN_TRIES
 * connections, and on a small busy machine a burst of them could keep a server from answering
 * within the timeout.
 */
const MAX_BATCHES = 3;
let running = 0;
const waiting: (() => void)[] = [];

/** Waits for a free slot; the function it returns frees it (or hands it to the next in line). */
async function slot(): Promise<() => void> {
  if (running < MAX_BATCHES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/**
 * `n` real connections at once from inside a namespace (each from its own source port, so a
 * Service's random pick is made afresh for each), each reading the one line the lab's server
 * answers (its pod IP, and the source it saw): what the kernel really does with the flow, endpoint
 * by endpoint. A client that does not report (killed, or it failed) throws: no answer is then
 * known, and none is taken for a failed connection.
 */
export async function connectMany(netns: string, ip: string, c: Connect, n: number): Promise<Answer[]> {
  const free = await slot();
  try {
    return await runClient(netns, ip, c, n);
  } finally {
    free();
  }
}

/** Generous: the client's own timers decide every connection; this only ends a client that hangs. */
const CLIENT_KILL_MS = 60_000;

function runClient(netns: string, ip: string, c: Connect, n: number): Promise<Answer[]> {
  const argv = ['netns', 'exec', netns, process.execPath, '-e', CLIENT_SCRIPT];
  argv.push(c.proto, ip, String(c.port), String(n), String(TIMEOUT_S));
  return new Promise((resolve, reject) => {
    const child = spawn('ip', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), CLIENT_KILL_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d.slice(0, 2000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const fail = (): void =>
        reject(new Error(`the connection client in ${netns} to ${ip} ended ${signal ?? `with ${code}`}: ${err}`));
      if (code !== 0) return fail();
      let answers: unknown;
      try {
        answers = JSON.parse(out);
      } catch {
        return fail();
      }
      if (!Array.isArray(answers) || answers.length !== n || answers.some((a) => a !== null && typeof a !== 'string'))
        return fail();
      resolve(answers.map((a: string | null) => a ?? undefined));
    });
  });
}
