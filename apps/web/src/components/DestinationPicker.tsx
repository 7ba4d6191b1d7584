import { useId, useState, type KeyboardEvent } from 'react';
import { podKey } from '@hoplens/model';
import { usePods } from '../hooks/usePods.ts';

interface Props {
  readonly snapshot: string;
  readonly pod: string;
  readonly to: string;
  readonly onChange: (to: string) => void;
}

/** A choice in the list: where the path goes, and how it reads. */
interface Choice {
  readonly to: string;
  readonly label: string;
}

/** Suggestions the box offers at once: enough to choose from, few enough to read. */
const SUGGESTED = 12;

const looksLikeIp = (s: string): boolean => /^[0-9a-fA-F:.]+$/.test(s) && (s.includes('.') || s.includes(':'));

const describe = (to: string): string => (to === 'node' ? 'its node, and back' : to);

/**
 * Where the path goes: the pod's own node (both ways), another pod found by typing part of its name
 * or IP (searched on the server), or any IP typed in full. An ARIA combobox: arrows move through the
 * choices, Enter takes one, Escape closes the list.
 */
export function DestinationPicker({ snapshot, pod, to, onChange }: Props) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const typed = text.trim();
  const page = usePods(snapshot, typed, SUGGESTED + 1, open);
  const choices: Choice[] = [
    ...(typed === '' ? [{ to: 'node', label: 'its node, and back' }] : []),
    ...(looksLikeIp(typed) ? [{ to: typed, label: `the IP ${typed}` }] : []),
    ...(page.data?.pods ?? [])
      .filter((p) => podKey(p) !== pod && p.ips[0] !== undefined && p.ips[0] !== typed)
      .slice(0, SUGGESTED)
      .map((p) => ({ to: p.ips[0] ?? '', label: `pod ${podKey(p)} (${p.ips[0] ?? ''})` })),
  ];
  const current = Math.min(active, choices.length - 1);
  const pick = (c: Choice | undefined) => {
    if (!c) return;
    onChange(c.to);
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
          aria-label="destination: a pod name, a pod IP or any IP"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          {...(open && current >= 0 ? { 'aria-activedescendant': optionId(current) } : {})}
          data-testid="destination"
          placeholder="pod name or IP"
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
            {choices.length === 0 && <li className="muted">{page.isFetching ? 'searching…' : 'no pod matches'}</li>}
            {page.data && page.data.total > SUGGESTED && (
              <li className="muted" aria-hidden="true">
                {(page.data.total - SUGGESTED).toLocaleString()} more: type more of the name
              </li>
            )}
          </ul>
        )}
      </div>
    </div>
  );
}
