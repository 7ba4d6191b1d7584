import { expect, it } from 'vitest';
import { hostIdOfElement, interfaceId, netnsId } from './ids.ts';

it('reads the host from host, netns and interface ids, and none from a pod', () => {
  expect(hostIdOfElement('host:node-1')).toBe('host:node-1');
  expect(hostIdOfElement(netnsId({ host: 'node-1', netns: 'hl-pod' }))).toBe('host:node-1');
  expect(hostIdOfElement(interfaceId({ host: 'node-1', netns: null, ifindex: 3 }))).toBe('host:node-1');
  expect(hostIdOfElement('pod:default/web')).toBeUndefined();
});
