/**
 * A lab's commands grouped into batches, so that building one takes hundreds of processes instead of
 * thousands, with the same commands in the same order: only neighbours in the plan that the same tool
 * would run in the same namespace with the same options share a process (`ip -n NS -batch -`,
 * `tc -n NS -batch -`, `bridge -n NS -batch -`, `nft -f -` in a namespace, one `sysctl -w` with
 * several settings). Every other command runs alone, as planned.
 */

/** One process: its argv, what it reads on stdin, and the planned commands it runs, line by line. */
export interface CommandBatch {
  readonly argv: readonly string[];
  readonly stdin?: string;
  /** The planned commands this process runs, in order (its stdin's lines, or the settings of a sysctl). */
  readonly commands: readonly (readonly string[])[];
  readonly kind: 'single' | 'iproute2' | 'nft' | 'sysctl';
}

/**
 * A word a batch line carries exactly as the argv did: iproute2's batch reader splits on blanks and
 * reads quotes, backslashes and `#` comments; nft's reader too. Anything else runs alone.
 */
const plainWord = (w: string): boolean => /^[^\s"'\\#]+$/.test(w);

/** nft's own words: it joins its argv with blanks and parses that, so `{` and `;` are plain too. */
const plainNftWord = (w: string): boolean => w.length > 0 && !/[\n\r"'\\#]/.test(w);

const IPROUTE2 = new Set(['ip', 'tc', 'bridge']);

/** Options of iproute2 that take a value (`-n NS`); the others are flags (`-6`, `-d`). */
const WITH_VALUE = new Set(['-n', '-netns']);

/** What makes two commands share a process, and the line each contributes; undefined runs alone. */
function batchKey(
  argv: readonly string[],
): { key: string; head: readonly string[]; line: string; kind: CommandBatch['kind'] } | undefined {
  const [tool] = argv;
  if (tool === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv.length > 5) {
    const ns = argv[3]!;
    if (argv[4] === 'nft' && argv.slice(5).every(plainNftWord) && !argv[5]!.startsWith('-')) {
      return {
        key: `nft ${ns}`,
        head: ['ip', 'netns', 'exec', ns, 'nft', '-f', '-'],
        line: argv.slice(5).join(' '),
        kind: 'nft',
      };
    }
    if (argv[4] === 'sysctl' && argv[5] === '-q' && argv[6] === '-w' && argv.length === 8 && argv[7]!.includes('=')) {
      return {
        key: `sysctl ${ns}`,
        head: ['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w'],
        line: argv[7]!,
        kind: 'sysctl',
      };
    }
    return undefined;
  }
  if (tool === undefined || !IPROUTE2.has(tool)) return undefined;
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i += WITH_VALUE.has(argv[i]!) ? 2 : 1;
  const head = argv.slice(0, i);
  const rest = argv.slice(i);
  // `ip netns …` changes the process's own namespace; `-batch`/`-force` are ours to give.
  if (rest.length === 0 || rest[0] === 'netns' || head.some((o) => /^-(b|batch|force)$/.test(o))) return undefined;
  if (!rest.every(plainWord)) return undefined;
  return { key: head.join(' '), head: [...head, '-batch', '-'], line: rest.join(' '), kind: 'iproute2' };
}

/** The plan's commands as processes, in the plan's order. */
export function commandBatches(commands: readonly (readonly string[])[]): CommandBatch[] {
  const out: CommandBatch[] = [];
  let open:
    | {
        key: string;
        head: readonly string[];
        lines: string[];
        commands: (readonly string[])[];
        kind: CommandBatch['kind'];
      }
    | undefined;
  const close = (): void => {
    if (open === undefined) return;
    const { head, lines, commands: cmds, kind } = open;
    if (cmds.length === 1) out.push({ argv: cmds[0]!, commands: cmds, kind: 'single' });
    else if (kind === 'sysctl') out.push({ argv: [...head, ...lines], commands: cmds, kind });
    else out.push({ argv: head, stdin: `${lines.join('\n')}\n`, commands: cmds, kind });
    open = undefined;
  };
  for (const argv of commands) {
    const k = batchKey(argv);
    if (k === undefined) {
      close();
      out.push({ argv, commands: [argv], kind: 'single' });
      continue;
    }
    if (open?.key !== k.key) {
      close();
      open = { key: k.key, head: k.head, lines: [], commands: [], kind: k.kind };
    }
    open.lines.push(k.line);
    open.commands.push(argv);
  }
  close();
  return out;
}

/** `ip netns add` for each namespace, as one `ip -batch` (iproute2 restores its own namespace after each). */
export function netnsAddBatch(namespaces: readonly string[]): CommandBatch[] {
  const commands = namespaces.map((ns) => ['ip', 'netns', 'add', ns]);
  if (commands.length < 2 || !namespaces.every(plainWord)) {
    return commands.map((argv) => ({ argv, commands: [argv], kind: 'single' as const }));
  }
  return [
    {
      argv: ['ip', '-batch', '-'],
      stdin: `${namespaces.map((ns) => `netns add ${ns}`).join('\n')}\n`,
      commands,
      kind: 'iproute2',
    },
  ];
}

/**
 * The planned command a failed batch stopped at, from what the tool said: iproute2 ends with
 * `Command failed -:N`, nft names `-:N:` (or `/dev/stdin:N:`), sysctl the setting's key or path.
 */
export function failedCommand(batch: CommandBatch, stderr: string): readonly string[] | undefined {
  if (batch.commands.length === 1) return batch.commands[0];
  if (batch.kind === 'iproute2') {
    const m = /Command failed -:(\d+)/.exec(stderr);
    return m ? batch.commands[Number(m[1]) - 1] : undefined;
  }
  if (batch.kind === 'nft') {
    const m = /(?:^|\n)(?:-|\/dev\/stdin):(\d+):/.exec(stderr);
    return m ? batch.commands[Number(m[1]) - 1] : undefined;
  }
  if (batch.kind === 'sysctl') {
    return batch.commands.find((c) => {
      const key = c[7]!.slice(0, c[7]!.indexOf('='));
      return stderr.includes(key) || stderr.includes(key.replaceAll('.', '/'));
    });
  }
  return undefined;
}
