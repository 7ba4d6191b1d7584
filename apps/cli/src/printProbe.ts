import { netnsLabel, placeLabel, type ProbeResult, type Seen } from '@hoplens/model';

const mark = (s: Seen): string => (s === 'seen' ? 'seen' : s === 'not-seen' ? '-' : ' ');

/** A probe as text: predicted and observed per hop side by side, the kernel's verdict, and the agreement. */
export function printProbe(r: ProbeResult): string {
  const lines: string[] = [];
  const { send, observed } = r;
  lines.push(
    `probe ${send.from.host}/${netnsLabel(send.from.netns)} -> ${send.to}: ${send.count} echo request(s) of ${send.size} B${send.df ? ', DF' : ''}, icmp id ${r.mark.icmpId}`,
  );
  lines.push(
    `ping: ${observed.ping.received} of ${observed.ping.transmitted} answered${observed.ping.errors.length ? ` (${observed.ping.errors[0]})` : ''}`,
  );
  lines.push('dir     trace    component      where                                    req  reply  observed');
  r.predicted.hops.forEach((h, i) => {
    const o = r.hops[i]!;
    const drop = o.drops.find((d) => d.lostEcho) ?? o.drops[0];
    const note = drop
      ? `DROPPED ${drop.site.stage === 'transmit' ? 'after it' : 'here'}: ${drop.reason} (${drop.location})`
      : o.how.join(', ');
    lines.push(
      `${h.direction.padEnd(7)} ${h.verdict.padEnd(8)} ${h.component.padEnd(14)} ${placeLabel(h).padEnd(40)} ${mark(o.request).padEnd(4)} ${mark(o.reply).padEnd(6)} ${note}`,
    );
  });
  lines.push(`kernel: ${r.agreement.summary}`);
  if (r.lastSeen) lines.push(`last seen: the ${r.lastSeen.packet} on ${placeLabel(r.lastSeen)}`);
  for (const c of observed.counters) {
    const moved = [
      c.rxOtherhostDropped ? `rx_otherhost_dropped +${c.rxOtherhostDropped}` : '',
      c.rxDropped ? `rx_dropped +${c.rxDropped}` : '',
      c.txDropped ? `tx_dropped +${c.txDropped}` : '',
    ].filter(Boolean);
    if (moved.length) lines.push(`counters: ${placeLabel(c)} ${moved.join(', ')}`);
  }
  const word = { agree: 'AGREES', disagree: 'DISAGREES', unknown: 'cannot compare (the trace said unknown)' }[
    r.agreement.verdict
  ];
  const site = {
    agree: 'at the predicted hop',
    disagree: 'ELSEWHERE than predicted',
    uncertain: 'uncertain (one of the places the kernel may have dropped it is the predicted one)',
    unobserved: 'where the kernel dropped it was not observed',
    none: '',
  }[r.agreement.dropSite];
  lines.push(`the kernel ${word} with the trace${site ? `; drop site: ${site}` : ''}`);
  for (const d of r.agreement.details) lines.push(`  ${d}`);
  if (!observed.kernel.available) lines.push(`not observed: ${observed.kernel.why}`);
  for (const l of observed.limits) lines.push(`limit: ${l}`);
  return `${lines.join('\n')}\n`;
}
