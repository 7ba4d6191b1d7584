import type { NatTarget } from './ir.ts';

/** A NAT target in words, for the hop that meets it: `DNAT to 10.244.1.5:8080`. */
export function natWords(t: NatTarget): string {
  const port = (p: number | undefined): string => (p === undefined ? '' : `:${p}`);
  switch (t.kind) {
    case 'dnat':
      return `DNAT to ${t.addr.includes(':') && t.port !== undefined ? `[${t.addr}]` : t.addr}${port(t.port)}`;
    case 'snat':
      return `SNAT to ${t.addr}${port(t.port)}`;
    case 'masquerade':
      return "MASQUERADE (the source becomes the outgoing device's address)";
    case 'redirect':
      return `REDIRECT to the host itself${t.port === undefined ? '' : ` port ${t.port}`}`;
  }
}
