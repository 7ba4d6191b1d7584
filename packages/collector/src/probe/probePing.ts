import { spawn } from 'node:child_process';
import type { PingResult, ProbeMark, ProbeSend } from '@hoplens/model';
import { onExit } from './exitCleanup.ts';

/** Seconds between echo requests: ping's smallest interval for any user. */
const INTERVAL = 0.2;

/** argv that runs `argv` inside the namespace behind `file` ("-": ours), never through a shell. */
export function inNetns(file: string, argv: readonly string[]): string[] {
  return file === '-' ? [...argv] : ['nsenter', `--net=${file}`, ...argv];
}

/**
 * The `ping` command line of a probe: marked (`-e` identifier, `-p` pattern). No `-w`: with a
 * deadline ping keeps sending until it has `count` replies, and a probe sends `count` at most.
 */
export function pingArgv(send: Omit<ProbeSend, 'from'>, mark: ProbeMark): string[] {
  return [
    'ping',
    '-n',
    '-c',
    String(send.count),
    '-i',
    String(INTERVAL),
    '-W',
    '1',
    '-e',
    String(mark.icmpId),
    '-p',
    mark.pattern,
    '-s',
    String(send.size),
    ...(send.df ? ['-M', 'do'] : []),
    send.to,
  ];
}

/** Runs ping in a namespace and says what it got, and which process it was (the tracepoints name it). */
export function runPing(
  file: string,
  send: Omit<ProbeSend, 'from'>,
  mark: ProbeMark,
): Promise<{ result: PingResult; pid: number }> {
  const [cmd, ...args] = inNetns(file, pingArgv(send, mark));
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const forget = onExit(() => child.kill('SIGKILL'));
    // ping ends by itself after count × interval + 1 s; this only guards against a hung one.
    const guard = setTimeout(() => child.kill('SIGKILL'), (send.count * INTERVAL + 5) * 1000);
    let out = '';
    const take = (d: Buffer): void => {
      if (out.length < 64_000) out += d.toString();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => {
      clearTimeout(guard);
      forget();
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(guard);
      forget();
      // nsenter execs ping in place: its pid is ping's.
      resolve({ result: parsePingOutput(out, code ?? -1), pid: child.pid ?? -1 });
    });
  });
}

/** Reads iputils ping's output: the counts, each answered `icmp_seq`, and what went wrong. */
export function parsePingOutput(output: string, exitCode: number): PingResult {
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  const answered = [...output.matchAll(/bytes from .*?icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  const errors = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^From |^ping: |Unreachable|Frag needed|Time to live exceeded/i.test(l) && !/^PATTERN:/.test(l))
    .slice(0, 20)
    .map((l) => l.slice(0, 300));
  return {
    transmitted: Number(stats?.[1] ?? 0),
    received: Number(stats?.[2] ?? answered.length),
    answered: [...new Set(answered)],
    errors,
    exitCode,
    output: output.trim().slice(-4000),
  };
}
