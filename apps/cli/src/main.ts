#!/usr/bin/env node
import pkg from '../package.json' with { type: 'json' };
import { printable } from '@hoplens/model/printable';
import { collectCommand, labCommand, quickCommands } from './cachedCommands.ts';
import { badInput } from './badInput.ts';
import { UsageError } from './usageError.ts';

const USAGE = `usage: hoplens <command> [options]

  --version                        the version of hoplens

  start [--host 127.0.0.1] [--port 7080] [--db FILE|postgres://…] [--hosts HOSTMAP.json | --sources FILE] [--no-demo]
        [--every 5m] [--keep 7d|all] [--keep-last N] [--import-limit MiB]
        [--token-file FILE] [--auth-reads] [--tls-cert PEM --tls-key PEM]
        [--allowed-hosts NAME[:PORT],...] [--audit-log FILE|-]
                                   the dashboard
  collect --hosts HOSTMAP.json [--out FILE] [--source LABEL] [--backend netlink|iproute2]
          [--kubeconfig FILE | --kubernetes]
                                   one snapshot as JSON (stdout without --out)
  dump [--out FILE] [--hosts HOSTMAP.json] [--backend iproute2|netlink]
                                   this machine's inventory as a file for offline analysis
  agent --token-file FILE [--listen 127.0.0.1:7081] [--hosts HOSTMAP.json] [--tls-cert PEM --tls-key PEM]
        [--allow-probe]
                                   serve this machine's inventory (and, allowed, probes) to a hoplens server
  findings SNAPSHOT.json [--json]  diagnostic findings (of a snapshot, or of a file dump wrote)
  trace SNAPSHOT.json --from HOST[/NETNS] --to IP|NAMESPACE/SERVICE[:PORT] [--proto icmp|tcp|udp --port N] [--size BYTES] [--df] [--json]
                                   walk a ping (or a TCP/UDP connection, to a Service by name) and its reply hop by hop
  probe (SNAPSHOT.json | --hosts HOSTMAP.json) --from HOST[/NETNS] --to IP [--count 3] [--size 56] [--df]
        [--json] [--pcap FILE]
                                   ping for real (root) and check the trace against what the kernel did
  lab up SCENARIO [--variant V] [--prefix hl-xxxx-]
                                   build a scenario in real namespaces (root); prints its host map
  lab down [--prefix hl-xxxx-]     remove lab namespaces
  lab list                         scenarios and variants
  lab synth [--nodes 1250] [--pods-per-node 10] [--peer-share 0.3] [--faults 3] [--seed 1] [--out FILE]
                                   a synthetic cluster snapshot (1250 nodes: 5,001 hosts) to import
`;

type Command = (args: string[]) => Promise<void>;

/**
 * Each command's module is loaded only when it runs: `findings` never pays for Fastify, SQLite or
 * the Kubernetes client, and the built CLI splits them into chunks loaded on demand. `collect`
 * starts its netlink helper first, which dumps the namespaces while Node loads the command.
 * `findings`, `trace`, `collect` and `lab` come from files whose compiled code V8 keeps between runs
 * (cachedCommands).
 */
const COMMANDS: Record<string, (args: string[]) => Promise<Command>> = {
  start: async () => (await import('./commands/start.ts')).start,
  collect: async (args) => {
    const early = (await import('./startCollectHelper.ts')).startCollectHelper(args);
    const collect = await collectCommand();
    return (a) => collect(a, early);
  },
  dump: async () => (await import('./commands/dump.ts')).dump,
  agent: async () => (await import('./commands/agent.ts')).agent,
  findings: async () => (await quickCommands()).findings,
  trace: async () => (await quickCommands()).trace,
  probe: async () => (await import('./commands/probe.ts')).probe,
  lab: labCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; see hoplens --help`);
  await (
    await command(args)
  )(args);
  return 0;
}

// `hoplens findings | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = badInput(e, process.argv.slice(2));
    const code = usage ? 2 : 1;
    // A command that failed is over, even where it had started something that would keep Node
    // running (a server's database and workers, opened before its port turned out to be taken):
    // once this line (and what was written before it) has gone out, or after 5 s at most.
    setTimeout(() => process.exit(code), 5000);
    process.stderr.write(
      `hoplens: ${usage ? '' : 'internal error: '}${printable((e as Error).message.split('\n')[0] ?? '')}\n`,
      () => process.exit(code),
    );
  },
);
