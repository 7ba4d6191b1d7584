import { printable, type HostInventory } from '@hoplens/model';

/**
 * Each collection error of `hosts` as a warning line on stderr, naming the host and, where the
 * error is a namespace's, the namespace (two namespaces of one host failing were two identical
 * lines); escaped, as names and messages come from the machine.
 */
export function writeCollectWarnings(hosts: readonly HostInventory[]): void {
  for (const h of hosts)
    for (const e of h.errors) {
      const where = e.netns === undefined || e.netns === null ? h.name : `${h.name}/${e.netns}`;
      process.stderr.write(`warning: ${printable(`${where}: ${e.message}`)}\n`);
    }
}
