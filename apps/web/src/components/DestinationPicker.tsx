import { useState } from 'react';
import { podKey, type Pod } from '@hoplens/model';

interface Props {
  readonly pod: string;
  readonly to: string;
  readonly pods: readonly Pod[];
  readonly onChange: (to: string) => void;
}

const looksLikeIp = (s: string): boolean => /^[0-9a-fA-F:.]+$/.test(s) && (s.includes('.') || s.includes(':'));

/** Where the path goes: the pod's own node (both ways), another pod, or any IP. */
export function DestinationPicker({ pod, to, pods, onChange }: Props) {
  const others = pods.filter((p) => podKey(p) !== pod && p.ips.length > 0);
  const known = to === 'node' || others.some((p) => p.ips[0] === to);
  const [ip, setIp] = useState(known ? '' : to);
  return (
    <div className="destination">
      <label>
        to{' '}
        <select
          data-testid="destination"
          value={known ? to : 'ip'}
          onChange={(e) => {
            if (e.target.value !== 'ip') onChange(e.target.value);
          }}
        >
          <option value="node">its node, and back</option>
          {others.slice(0, 500).map((p) => (
            <option key={podKey(p)} value={p.ips[0]}>
              pod {podKey(p)} ({p.ips[0]})
            </option>
          ))}
          <option value="ip">an IP…</option>
        </select>
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (looksLikeIp(ip.trim())) onChange(ip.trim());
        }}
      >
        <input
          aria-label="destination IP"
          data-testid="destination-ip"
          placeholder="10.0.0.1"
          value={ip}
          onChange={(e) => setIp(e.target.value)}
          aria-invalid={ip !== '' && !looksLikeIp(ip.trim())}
        />
        <button type="submit" disabled={!looksLikeIp(ip.trim())}>
          trace
        </button>
      </form>
    </div>
  );
}
