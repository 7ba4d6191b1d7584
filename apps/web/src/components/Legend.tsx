import { COLORS } from '../graph/stylesheet.ts';

const ITEMS = [
  ['VXLAN tunnel', COLORS.tunnel],
  ['tc redirect', COLORS.tc],
  ['neighbor (ARP)', COLORS.neighbor],
  ['path', COLORS.path],
  ['fatal / dropped', COLORS.fatal],
  ['critical', COLORS.critical],
] as const;

export function Legend() {
  return (
    <ul className="legend" aria-label="legend">
      {ITEMS.map(([label, color]) => (
        <li key={label}>
          <span className="swatch" style={{ background: color }} /> {label}
        </li>
      ))}
    </ul>
  );
}
