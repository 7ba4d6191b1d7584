import type { HopObservation, KernelDrop, ProbeResult, Seen } from '@hoplens/model';

const SEEN: Record<Seen, string> = { seen: 'seen', 'not-seen': 'not seen', 'not-watched': '—' };

const where = (d: KernelDrop): string =>
  `${d.site.host}/${d.site.netns ?? '(root)'}${d.site.interface ? `/${d.site.interface}` : ''}`;

function dropText(d: KernelDrop, hop: { host: string; netns: string | null; interface: string | null }): string {
  const here = d.site.host === hop.host && d.site.netns === hop.netns && d.site.interface === hop.interface;
  const at = here
    ? d.site.stage === 'transmit'
      ? 'dropped after it sent it'
      : 'dropped here'
    : `dropped right after, at ${where(d)}`;
  // One free the evidence leaves between places: said once, here, naming the others.
  const or = d.alsoPossible?.length
    ? ` — or at ${d.alsoPossible.map((s) => where({ ...d, site: s })).join(' or at ')} (site uncertain)`
    : '';
  return `${at}${or}: ${d.reason}`;
}

/** What the probe observed at one predicted hop: the request and the reply seen or not, and the kernel's drop there. */
export function HopObserved({ result, index }: { readonly result: ProbeResult; readonly index: number }) {
  const o: HopObservation | undefined = result.hops[index];
  const hop = result.predicted.hops[index];
  if (!o || !hop) return null;
  const drops = o.drops.filter((d) => d.lostEcho);
  return (
    <div className="hop-observed" data-testid="hop-observed" data-request={o.request} data-reply={o.reply}>
      <span className={`seen seen-${o.request}`}>request {SEEN[o.request]}</span>
      <span className={`seen seen-${o.reply}`}>reply {SEEN[o.reply]}</span>
      {o.how.length > 0 && <span className="muted">{o.how.join(', ')}</span>}
      {drops.slice(0, 1).map((d, i) => (
        <div key={i} className="kernel-drop" data-testid="hop-kernel-drop" title={d.location}>
          {dropText(d, hop)} <span className="muted">({d.location})</span>
        </div>
      ))}
    </div>
  );
}
