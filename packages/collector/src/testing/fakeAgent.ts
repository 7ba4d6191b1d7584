import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostInventory } from '@hoplens/model';
import { createDump } from '../createSnapshot.ts';

/** An HTTP server on loopback that plays an agent (or something pretending to be one). */
export interface FakeAgent {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with `handler` answering every request. */
export async function fakeAgent(handler: RequestListener): Promise<FakeAgent> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A host with nothing collected, as small as an inventory gets; `pad` bytes of command output make it bigger. */
export function minimalHost(name: string, pad = 0): HostInventory {
  return {
    name,
    kind: 'node',
    collectedAt: new Date().toISOString(),
    namespaces:
      pad === 0
        ? []
        : [
            {
              name: null,
              root: true,
              links: [],
              addresses: [],
              routes: [],
              neighbors: [],
              tcFilters: [],
              raw: [{ command: ['ip', 'link'], output: 'x'.repeat(pad) }],
            },
          ],
    errors: [],
  };
}

/** An agent that answers with these hosts' dump. */
export const dumpAgent = (hosts: HostInventory[]): Promise<FakeAgent> =>
  fakeAgent((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(createDump(hosts)));
  });
