import type { LinkRef, NetnsRef } from './schema/refs.ts';

/**
 * Graph ids. Host names are DNS-like and netns and interface names cannot contain '/',
 * so '/'-joined ids are unique; the unnamed (process's own) netns is the empty segment.
 */
export const hostId = (host: string): string => `host:${host}`;
export const netnsId = (ref: NetnsRef): string => `ns:${ref.host}/${ref.netns ?? ''}`;
export const interfaceId = (ref: LinkRef): string => `if:${ref.host}/${ref.netns ?? ''}/${ref.ifindex}`;
export const podId = (namespace: string, name: string): string => `pod:${namespace}/${name}`;

/**
 * The id of the host an element id names (`host:H`, `ns:H/…`, `if:H/…`); pod ids name no host.
 * Host names cannot contain '/', so the first segment is the host.
 */
export function hostIdOfElement(elementId: string): string | undefined {
  const m = /^(host|ns|if):([^/]*)/.exec(elementId);
  return m ? hostId(m[2] ?? '') : undefined;
}

/** Human label of a netns: its name, or "(root)" for the collector's own namespace. */
export const netnsLabel = (netns: string | null): string => netns ?? '(root)';

export const sameNetns = (a: NetnsRef, b: NetnsRef): boolean => a.host === b.host && a.netns === b.netns;

/** `host/netns` as people read it in messages. */
export const netnsPath = (ref: NetnsRef): string => `${ref.host}/${netnsLabel(ref.netns)}`;

/** `host/netns/interface` as people read it in messages. */
export const linkPath = (ref: NetnsRef, name: string): string => `${netnsPath(ref)}/${name}`;
