import { useId, useState, type KeyboardEvent } from 'react';
import { isServiceName, podKey } from '@hoplens/model';
import { usePods } from '../hooks/usePods.ts';
import { useServices } from '../hooks/useServices.ts';
import type { PathTarget } from '../routing/urlState.ts';
import { FlowChoice } from './FlowChoice.tsx';

interface Props {
  readonly snapshot: string;
  readonly pod: string;
  readonly target: PathTarget;
  readonly onChange: (target: PathTarget) => void;
}

/** A choice in the list: where the path goes (and, for a Service, its protocol and port), and how it reads. */
interface Choice {
  readonly to: string;
  readonly flow?: Pick<PathTarget, 'proto' | 'port'>;
  readonly label: string;
}

/** Suggestions the box offers at once: enough to choose from, few enough to read. */
const SUGGESTED = 12;

const looksLikeIp = (s: string): boolean => /^[0-9a-fA-F:.]+$/.test(s) && (s.includes('.') || s.includes(':'));

const describe = (to: string): string => (to === 'node' ? 'its node, and back' : to);

/** Services the box offers beside the pods: a handful, a cluster has few beside its pods. */
const SERVICES = 5;

/**
 * Where the path goes: the pod's own node (both ways), a Service kube-proxy's rules program (its
 * protocol and port with it), another pod found by typing part of its name or IP (both searched on
 * the server), or any IP typed in full; then what the path carries. An ARIA combobox: arrows move
 * through the choices, Enter takes one, Escape closes the list.
 */
export function DestinationPicker({ snapshot, pod, target, onChange }: Props) {
  const { to } = target;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const typed = text.trim();
  const page = usePods(snapshot, typed, SUGGESTED + 1, open);
  const services = useServices(snapshot, typed, SERVICES, open);
  const choices: Choice[] = [
    ...(typed === ''
      ? [{ to: 'node', flow: { proto: 'icmp' as const, port: undefined }, label: 'its node, and back' }]
      : []),
    ...(looksLikeIp(typed) ? [{ to: typed, label: `the IP ${typed}` }] : []),
    ...(services.data?.services ?? []).map((s) => ({
      to: s.key,
      flow: { proto: s.proto, port: s.port },
      label: `Service ${s.key} (${s.clusterIp} ${s.proto}/${s.port})`,
    })),
    ...(page.data?.pods ?? [])
      .filter((p) => podKey(p) !== pod && p.ips[0] !== undefined && p.ips[0] !== typed)
      .slice(0, SUGGESTED)
      .map((p) => ({ to: p.ips[0] ?? '', label: `pod ${podKey(p)} (${p.ips[0] ?? ''})` })),
  ];
  const current = Math.min(active, choices.length - 1);
  const pick = (c: Choice | undefined) => {
    if (!c) return;
    // A Service brings its own protocol and port; a pod or an IP keeps what the path carried.
    const flow = c.flow ?? (isServiceName(to) ? { proto: 'icmp' as const, port: undefined } : target);
    onChange({ to: c.to, proto: flow.proto, port: flow.port });
    setText('');
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : choices.length - 1)) % Math.max(choices.length, 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open) pick(choices[current]);
      else if (looksLikeIp(typed)) pick({ to: typed, label: typed });
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };
  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="destination">
      <label htmlFor={`${listId}-input`}>to</label> <span data-testid="destination-current">{describe(to)}</span>
      <div className="combo">
        <input
          id={`${listId}-input`}
          role="combobox"
          aria-label="destination: a pod name, a pod IP, a Service or any IP"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          {...(open && current >= 0 ? { 'aria-activedescendant': optionId(current) } : {})}
          data-testid="destination"
          placeholder="pod, Service or IP"
          value={text}
          autoComplete="off"
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {open && (
          <ul role="listbox" id={listId} className="combo-list" data-testid="destination-options">
            {choices.map((c, i) => (
              <li
                key={c.to}
                id={optionId(i)}
                role="option"
                aria-selected={i === current}
                className={i === current ? 'active' : undefined}
                // Before the input's blur closes the list.
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(c);
                }}
              >
                {c.label}
              </li>
            ))}
            {choices.length === 0 && (
              <li className="muted">
                {page.isFetching || services.isFetching
                  ? 'searching…'
                  : (page.data?.pods ?? []).some((p) => podKey(p) === pod)
                    ? 'only this pod itself matches: no other pod or Service'
                    : 'no pod or Service matches'}
              </li>
            )}
            {page.data && page.data.total > SUGGESTED && (
              <li className="muted" aria-hidden="true">
                {(page.data.total - SUGGESTED).toLocaleString()} more: type more of the name
              </li>
            )}
          </ul>
        )}
      </div>
      <FlowChoice target={target} onChange={onChange} />
    </div>
  );
}
