import { attrs, messagesOfType, type Attrs } from './rtattr.ts';

const RTM_NEWLINK = 16;

/** One RTM_NEWLINK message: its body (struct ifinfomsg first) and its attributes. */
export interface LinkMessage {
  readonly body: DataView;
  readonly attrs: Attrs;
}

/**
 * The link dump's messages, each with its attributes indexed once: the links and the devices'
 * sysctls are both read from them, and a link message carries dozens of attributes (~1.2 KB each
 * on a 250-pod node, half the helper's output).
 */
export function linkMessages(buffers: readonly DataView[]): LinkMessage[] {
  const out: LinkMessage[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWLINK);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    out.push({ body: m.body, attrs: attrs(m.body, 16) });
  }
  return out;
}
