import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { ipv6Disabled } from '../netConf.ts';
import type { Outcome } from '../outcome.ts';
import type { Walk } from '../walk.ts';

/**
 * An IPv6 packet arrives at a device (`ipv6_rcv`): a device with IPv6 disabled drops it
 * (IPV6DISABLED). A device holding an IPv6 address has it enabled, whatever was collected.
 */
export function ipv6Receive(w: Walk, le: LinkEntry): Outcome | undefined {
  const disabled = ipv6Disabled(le);
  if (disabled === false) return undefined;
  if (w.index.addressesOf(le).some((a) => a.includes(':'))) return undefined;
  const stop = (verdict: 'dropped' | 'unknown', reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: le.netns, link: le, component: 'l2-receive', verdict, reason, dropReason });
  if (disabled === undefined)
    return stop(
      'unknown',
      `disable_ipv6 of ${le.link.name} was not collected and it holds no IPv6 address to tell — disable_ipv6=1: every IPv6 packet arriving there would be dropped (IPV6DISABLED); 0: it would be received`,
    );
  return stop(
    'dropped',
    `IPv6 is disabled on ${le.link.name} (disable_ipv6=1): every IPv6 packet arriving there is dropped`,
    'IPV6DISABLED',
  );
}
