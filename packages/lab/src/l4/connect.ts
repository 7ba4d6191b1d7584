import { spawn } from 'node:child_process';
import type { Connect } from '../scenario.ts';

/** What one connection got: the server's answer, or nothing (refused, dropped, timed out). */
export type Answer = string | undefined;

/** Seconds a connection may take to connect and answer. */
const TIMEOUT_S = 2;

/**
 * Connections in flight at most, over every flow at once: each is a process (`ip netns exec socat`),
 * and on a small busy machine a burst of them could keep a server from answering within the timeout.
 */
const MAX_IN_FLIGHT = 40;
let inFlight = 0;
const waiting: (() => void)[] = [];

/** Waits for a free slot; the function it returns frees it (or hands it to the next in line). */
async function slot(): Promise<() => void> {
  if (inFlight < MAX_IN_FLIGHT) inFlight++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  return () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
}

/**
 * One real connection from inside a namespace, reading the one line the lab's server answers (its
 * pod IP): a TCP connect to `ip:port` that sends nothing (data left unread at the server's close
 * would make it reset the connection), or a UDP datagram and its reply. It ends as soon as that
 * line is in; nothing else is cut short: no answer is still given the whole timeout.
 */
export async function connectOnce(netns: string, ip: string, c: Connect): Promise<Answer> {
  const free = await slot();
  try {
    return await connectNow(netns, ip, c);
  } finally {
    free();
  }
}

function connectNow(netns: string, ip: string, c: Connect): Promise<Answer> {
  const t = String(TIMEOUT_S);
  const argv = ['netns', 'exec', netns, 'socat', '-t', t, '-T', t];
  if (c.proto === 'tcp') argv.push('-u', `TCP4:${ip}:${c.port},connect-timeout=${t}`, 'STDOUT');
  else argv.push('STDIO', `UDP4:${ip}:${c.port}`);
  return new Promise((resolve) => {
    const child = spawn('ip', argv, { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), (TIMEOUT_S + 3) * 1000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < 256) out += d;
      // The server's whole answer is in: the connection's fate is known. socat would otherwise wait
      // out -t after its stdin's end (every UDP request, answered or not, took the full 2 s).
      if (out.includes('\n')) child.kill('SIGTERM');
    });
    child.on('error', () => undefined);
    child.on('close', () => {
      clearTimeout(killer);
      const line = out.split('\n')[0]?.trim() ?? '';
      resolve(line === '' ? undefined : line);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end('hoplens\n');
  });
}

/**
 * `n` connections at once, as far as MAX_IN_FLIGHT allows (each from its own source port, so a
 * Service's random pick is made afresh for each): what the kernel really does with the flow,
 * endpoint by endpoint.
 */
export function connectMany(netns: string, ip: string, c: Connect, n: number): Promise<Answer[]> {
  return Promise.all(Array.from({ length: n }, () => connectOnce(netns, ip, c)));
}
