import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchField, SearchHit, Severity } from '@hoplens/model';
import { useSearch } from '../hooks/useSearch.ts';
import { useSearchShortcut } from '../hooks/useShortcut.ts';

const FIELDS: readonly [SearchField, string][] = [
  ['any', 'anything'],
  ['ip', 'IP'],
  ['mac', 'MAC'],
  ['interface', 'interface'],
  ['netns', 'netns'],
  ['host', 'host'],
  ['pod', 'pod'],
  ['vni', 'VNI'],
  ['arp', 'ARP entry'],
];
const SEVERITIES: readonly [Severity | '', string][] = [
  ['', 'any severity'],
  ['warning', 'warning or worse'],
  ['critical', 'critical or worse'],
  ['fatal', 'fatal'],
];

interface Props {
  readonly snapshot: string;
  readonly q: string;
  readonly field: SearchField;
  readonly sev: Severity | undefined;
  readonly onFilters: (next: { q?: string; field?: SearchField; sev?: Severity | undefined }) => void;
  readonly onPick: (hit: SearchHit) => void;
}

/** Search by IP, MAC or name, narrowed by kind and severity; `/` or Ctrl+K to focus, arrows and Enter to pick. */
export function SearchBox({ snapshot, q, field, sev, onFilters, onPick }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(q);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // The URL follows the text after a pause; the text follows the URL only when something else changed
  // it (back, a permalink), never with a value this box sent while the user kept typing.
  const sent = useRef(q);
  useEffect(() => {
    if (q !== sent.current) setText(q);
    sent.current = q;
  }, [q]);
  useEffect(() => {
    const t = setTimeout(() => {
      if (text === q) return;
      sent.current = text;
      onFilters({ q: text });
    }, 150);
    return () => clearTimeout(t);
  }, [text, q, onFilters]);
  const result = useSearch(snapshot, text, field, sev);
  const hits = result.data?.hits ?? [];
  useSearchShortcut(
    useCallback(() => {
      input.current?.focus();
      input.current?.select();
      setOpen(true);
    }, []),
  );
  const pick = (hit: SearchHit | undefined) => {
    if (!hit) return;
    setOpen(false);
    onPick(hit);
  };
  const showList = open && (text.trim() !== '' || sev !== undefined);
  return (
    <div className="search" role="search">
      <input
        ref={input}
        type="search"
        value={text}
        placeholder="Search IP, MAC, name…  ( / )"
        aria-label="search"
        aria-expanded={showList}
        aria-controls="search-hits"
        aria-activedescendant={showList && hits[active] ? `hit-${active}` : undefined}
        role="combobox"
        data-testid="search"
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') pick(hits[active]);
          else if (e.key === 'Escape') {
            setOpen(false);
            input.current?.blur();
          } else return;
          e.preventDefault();
        }}
      />
      <select
        aria-label="search in"
        data-testid="search-field"
        value={field}
        onChange={(e) => onFilters({ field: e.target.value as SearchField })}
      >
        {FIELDS.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      <select
        aria-label="severity filter"
        data-testid="severity-filter"
        value={sev ?? ''}
        onChange={(e) => onFilters({ sev: (e.target.value || undefined) as Severity | undefined })}
      >
        {SEVERITIES.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      {showList && (
        <ul className="search-hits" id="search-hits" role="listbox" aria-label="search results">
          {result.error && <li className="error">{result.error.message}</li>}
          {result.data && hits.length === 0 && <li className="muted">Nothing matches.</li>}
          {hits.map((h, i) => (
            <li
              key={h.id}
              id={`hit-${i}`}
              role="option"
              aria-selected={i === active}
              data-testid="search-hit"
              data-id={h.id}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              <span className="hit-kind">{h.kind}</span> <strong>{h.label}</strong>{' '}
              <span className="muted">{h.where}</span>{' '}
              <span className="hit-value">
                {h.field}: {h.value}
              </span>
              {h.severity && <span className={`badge badge-${h.severity}`}>{h.severity}</span>}
            </li>
          ))}
          {result.data && result.data.total > hits.length && (
            <li className="muted">{result.data.total - hits.length} more: narrow the search</li>
          )}
        </ul>
      )}
    </div>
  );
}
