import type { KernelDrop, PingResult, ProbeSend } from '../schema/probe.ts';

/** strerror(3) texts of the errors a kernel gives a ping it will not send, by errno name. */
const ERRNO: readonly (readonly [RegExp, string])[] = [
  [/network is unreachable/i, 'ENETUNREACH'],
  [/no route to host/i, 'EHOSTUNREACH'],
  [/message too long/i, 'EMSGSIZE'],
  [/operation not permitted/i, 'EPERM'],
  [/invalid argument/i, 'EINVAL'],
];

/**
 * When the kernel refused ping's send (`ping: connect: Network is unreachable`, `ping: local error:
 * message too long, mtu=1400`), no packet ever existed, so no tracepoint can see it: ping's error is
 * the observation, at the namespace ping ran in. Returns null when ping sent its echoes.
 */
export function sendRefusal(ping: PingResult, send: ProbeSend): KernelDrop | null {
  const line = ping.errors.find((e) => /^ping: /.test(e) && ERRNO.some(([re]) => re.test(e)));
  if (!line || ping.received > 0) return null;
  const errno = ERRNO.find(([re]) => re.test(line))![1];
  return {
    reason: errno,
    reasonCode: -1,
    location: line.slice(0, 200),
    packet: 'request',
    seq: null,
    site: { host: send.from.host, netns: send.from.netns, interface: null, stage: 'origin' },
    attribution: 'send-error',
    lostEcho: true,
  };
}
