import { useEffect, useRef, useState } from 'react';
import { shiftIntoView } from '../dom/shiftIntoView.ts';
import { LEGEND, type LegendSample } from '../graph/legendEntries.ts';

const DASH = { solid: undefined, dashed: '5 3', dotted: '1 3' } as const;

/** A small drawing of a legend entry: the shape or line as the graph draws it. */
function Sample({ sample }: { readonly sample: LegendSample }) {
  if (sample.kind === 'line') {
    const w = sample.width ?? 2;
    return (
      <svg className="sample" width="30" height="14" viewBox="0 0 30 14" aria-hidden="true">
        <line
          x1="2"
          y1="7"
          x2={sample.arrow ? 22 : 28}
          y2="7"
          stroke={sample.color}
          strokeWidth={w}
          strokeDasharray={DASH[sample.style ?? 'solid']}
        />
        {sample.arrow === 'triangle' && <polygon points="21,2 29,7 21,12" fill={sample.color} />}
        {sample.arrow === 'tee' && <rect x="23" y="1" width="3" height="12" fill={sample.color} />}
        {sample.arrow === 'diamond' && <polygon points="22,7 25.5,3 29,7 25.5,11" fill={sample.color} />}
      </svg>
    );
  }
  const stroke = { stroke: sample.border, strokeWidth: sample.borderStyle === 'double' ? 3 : 2 };
  const dash = sample.borderStyle === 'dashed' ? '4 2' : undefined;
  return (
    <svg className="sample" width="30" height="18" viewBox="0 0 30 18" aria-hidden="true">
      {sample.shape === 'box' && (
        <rect x="3" y="2" width="24" height="14" rx="3" fill={sample.fill} {...stroke} strokeDasharray={dash} />
      )}
      {sample.shape === 'hexagon' && <polygon points="8,2 22,2 28,9 22,16 8,16 2,9" fill={sample.fill} {...stroke} />}
      {sample.shape === 'octagon' && (
        <polygon points="11,1 19,1 24,5 24,13 19,17 11,17 6,13 6,5" fill={sample.fill} {...stroke} />
      )}
      {sample.shape === 'diamond' && <polygon points="15,0 24,9 15,18 6,9" fill={sample.fill} {...stroke} />}
      {sample.icon && (
        <text x="15" y="13" textAnchor="middle" fontSize="10" fill={sample.shape === 'octagon' ? '#fff' : '#1d2433'}>
          {sample.icon}
        </text>
      )}
    </svg>
  );
}

/** What every shape, line and colour of the graph means. */
export function Legend() {
  const body = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  // Anchored to the button's right, the panel opens past the window's left edge when the toolbar
  // wraps the button to the start of a row: moved into view when it opens and as the window changes.
  useEffect(() => {
    const el = body.current;
    if (!open || !el) return;
    const place = (): void => {
      el.style.transform = '';
      const shift = shiftIntoView(el.getBoundingClientRect(), document.documentElement.clientWidth);
      el.style.transform = shift === 0 ? '' : `translateX(${shift}px)`;
    };
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [open]);
  return (
    <details className="legend" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Legend</summary>
      <div className="legend-body" aria-label="legend" role="group" ref={body}>
        {Object.entries(LEGEND).map(([group, entries]) => (
          <section key={group}>
            <h3>{group}</h3>
            <ul>
              {entries.map((e) => (
                <li key={e.label} data-testid="legend-entry">
                  <Sample sample={e.sample} /> {e.label}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </details>
  );
}
