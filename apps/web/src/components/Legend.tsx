import { COLORS } from '../graph/stylesheet.ts';
import { HOST_ICONS, REMOTE_ICON } from '../graph/elementLabels.ts';

const LINES = [
  ['VXLAN tunnel', COLORS.tunnel, 'solid'],
  ['tc redirect', COLORS.tc, 'solid'],
  ['veth / bridge port', COLORS.edge, 'solid'],
  ['neighbor (ARP)', COLORS.neighbor, 'dotted'],
  ['broken', COLORS.fatal, 'dashed'],
  ['path', COLORS.path, 'solid'],
] as const;

const MARKS = [
  ['fatal / dropped', COLORS.fatal],
  ['critical', COLORS.critical],
  ['warning', COLORS.warning],
  ['added', COLORS.added],
  ['changed', COLORS.changed],
] as const;

const HOSTS = [
  ['node', 'node'],
  ['pod-vm', 'pod VM'],
  ['other', 'other host'],
] as const;

/** What the shapes, lines and colours mean, at a glance. */
export function Legend() {
  return (
    <details className="legend">
      <summary>Legend</summary>
      <ul aria-label="legend">
        {HOSTS.map(([kind, label]) => (
          <li key={kind}>
            <span className="icon">{HOST_ICONS[kind]}</span> {label}
          </li>
        ))}
        <li>
          <span className="icon">{REMOTE_ICON}</span> tunnel remote no host owns
        </li>
        {LINES.map(([label, color, style]) => (
          <li key={label}>
            <span className="line" style={{ borderTopColor: color, borderTopStyle: style }} /> {label}
          </li>
        ))}
        {MARKS.map(([label, color]) => (
          <li key={label}>
            <span className="swatch" style={{ background: color }} /> {label}
          </li>
        ))}
      </ul>
    </details>
  );
}
