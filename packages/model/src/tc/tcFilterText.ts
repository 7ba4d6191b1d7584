import type { TcAction, TcFilter } from '../schema/inventory.ts';

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** A tc filter as `tc filter show` would describe it: classifier, its keys, its actions. */
export function tcFilterText(f: TcFilter): string {
  const c = f.classifier;
  let cls: string = f.kind;
  if (c?.kind === 'u32') {
    const keys = c.keys.map((k) => `match ${hex8(k.value)}/${hex8(k.mask)} at ${k.nexthdr ? 'nexthdr+' : ''}${k.off}`);
    const link =
      c.link === undefined
        ? []
        : [`link ${c.link.toString(16)}:`, `hashkey mask ${hex8(c.hashMask ?? 0)} at ${c.hashOff ?? 0}`];
    cls = ['u32', `ht ${c.handle}`, ...keys, ...link].join(' ');
  } else if (c?.kind === 'bpf') {
    cls = c.ops
      ? `bpf bytecode '${c.ops.length},${c.ops.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`).join(',')}'`
      : `bpf ${c.directAction ? 'da ' : ''}${c.name ?? ''} id ${c.progId ?? '?'} tag ${c.tag ?? '?'}`.replace(
          /\s+/g,
          ' ',
        );
  } else if (c?.kind === 'flower') {
    const keys = Object.entries(c)
      .filter(([k]) => k !== 'kind' && k !== 'unsupported')
      .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    cls = ['flower', ...keys, ...c.unsupported].join(' ');
  }
  const actions = f.actions.map(actionText).join(' ');
  return `${cls}${actions ? ` action ${actions}` : ''}`;
}

function actionText(a: TcAction): string {
  if (a.kind === 'mirred' && 'targetDev' in a) return `mirred ${a.direction} ${a.action} dev ${a.targetDev}`;
  if (a.kind === 'gact' && 'control' in a) return `gact ${a.control}`;
  return a.kind;
}
