import type { ListeningSocket } from '../schema/sockets.ts';
import type { HopRule } from '../schema/trace.ts';
import type { LinkEntry, NetnsEntry } from '../topology/snapshotIndex.ts';
import type { IpPacket } from './packet.ts';

/**
 * Where a walk ended. `receiver` is the interface whose L2 check the frame passed or failed last.
 * A delivered packet names the namespace that took it and its source as it arrived; an answered
 * ARP request, the MAC of the answer.
 */
export type Outcome =
  | {
      readonly verdict: 'delivered';
      readonly ns: NetnsEntry;
      readonly src: string | undefined;
      readonly receiver: LinkEntry | undefined;
      readonly mac?: string;
      /**
       * An ARP request answered where it arrived, its answer not walked back to the requester (a
       * switch's ARP responder); otherwise an ARP answer is delivered where the reply arrived.
       */
      readonly answeredInPlace?: boolean;
      /** The IP packet as its socket got it (after any NAT on the way). */
      readonly packet?: IpPacket;
      /**
       * Arrived in its namespace, but whether a socket takes it could not be told (the listening
       * sockets were not collected): the delivery hop is `unknown`, and so is the trace.
       */
      readonly untold?: boolean;
      /** The listening socket that took a TCP SYN or UDP datagram, where the sockets were collected. */
      readonly socket?: ListeningSocket;
    }
  | { readonly verdict: 'dropped' | 'unknown'; readonly receiver: LinkEntry | undefined; readonly rule?: HopRule };
