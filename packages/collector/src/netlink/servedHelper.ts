import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { StartedHelper } from './startHelper.ts';

/** One run of the netlink helper, however it was started: its output, how it ended, a way to stop it. */
export interface HelperRun {
  /** Its output: what came before the call first, then each chunk as it comes. */
  listen(onStdout: (chunk: Buffer) => void, onStderr: (text: string) => void): void;
  /** Called once when it ends: its exit code (or the signal that stopped it), after any `onError`. */
  onClose(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  onError(cb: (e: Error) => void): void;
  kill(): void;
}

/** A helper process started for this run alone (startHelper, or the CLI's early start). */
export function runOfStarted(started: StartedHelper): HelperRun {
  return {
    listen: started.listen,
    onClose: (cb) => {
      if (started.closed) cb(started.closed.code, started.closed.signal);
      else started.child.on('close', cb);
    },
    onError: (cb) => {
      if (started.error) cb(started.error);
      started.child.on('error', cb);
    },
    kill: () => started.child.kill(),
  };
}

/** The end of a run in --serve mode (native/nldump.c: kind 28, for no namespace). */
const END_NS = 0xffffffff;
const END_KIND = 28;

/**
 * A run of the helper's long-lived --serve process, when one is idle (undefined while another run
 * has it: that collection's caller starts a helper of its own). A collector that collects again
 * and again (a server's schedule, an agent, the benchmark) then forks itself once, not once per
 * collection: after a fork every page of a large process is write-protected, and each page it
 * writes next (the helper's whole output as it is read, the decoders' heap) takes a fault, which
 * on a 250-pod node cost more of the main thread than decoding its 10,000 firewall rules.
 */
export function servedRun(binary: string, args: readonly string[], timeoutMs: number): HelperRun | undefined {
  let server = servers.get(binary);
  if (server?.busy) return undefined;
  if (!server) servers.set(binary, (server = new HelperServer(binary)));
  return server.run(args, timeoutMs);
}

const servers = new Map<string, HelperServer>();

class HelperServer {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private current: ServedRun | undefined;
  private dead = false;

  constructor(private readonly binary: string) {
    this.child = spawn(binary, ['--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.on('error', (e) => this.die(e));
    this.child.on('close', (code, signal) => this.die(new Error(`exited ${code ?? signal}`)));
    this.child.stdin.on('error', (e) => this.die(e));
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (this.current) this.current.data(chunk);
      else this.die(new Error('output outside a run'));
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => this.current?.stderr(d));
    this.hold(false);
  }

  get busy(): boolean {
    return this.current !== undefined || this.dead;
  }

  run(args: readonly string[], timeoutMs: number): ServedRun {
    const run = new ServedRun(this, timeoutMs);
    this.current = run;
    this.hold(true);
    this.child.stdin.write(request(args));
    return run;
  }

  /** The current run has ended; the server waits for the next. */
  ended(run: ServedRun): void {
    if (this.current !== run) return;
    this.current = undefined;
    this.hold(false);
  }

  /** Stops the server (its run's process dies with it); the next run starts another. */
  die(e: Error): void {
    if (this.dead) return;
    this.dead = true;
    if (servers.get(this.binary) === this) servers.delete(this.binary);
    this.child.kill('SIGKILL');
    this.hold(false);
    const run = this.current;
    this.current = undefined;
    run?.fail(e);
  }

  /** Keeps the event loop alive while a run is asked for, and lets the process exit while idle. */
  private hold(on: boolean): void {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr])
      if (!refable(h)) continue;
      else if (on) h.ref();
      else h.unref();
  }
}

/** Child processes and their stdio sockets (streams in their types) can be unreferenced. */
const refable = (h: object): h is Pick<Socket, 'ref' | 'unref'> => 'ref' in h && 'unref' in h;

/** [u32 count][count NUL-terminated paths], as the --serve loop reads it. */
function request(args: readonly string[]): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(args.length);
  return Buffer.concat([count, ...args.map((a) => Buffer.from(`${a}\0`))]);
}

/**
 * One run's output, passed on up to its end frame. Frames are followed by their headers only (their
 * bodies are not looked at); a header split across chunks is held back until it is whole, since it
 * may be the end's.
 */
export class RunOutput {
  private readonly header = Buffer.alloc(16);
  private headerHave = 0;
  /** Bytes of the current frame's body still to come. */
  private bodyLeft = 0;
  /** Whether the header read last is the end's: then its 4-byte status follows. */
  private atEnd = false;

  /**
   * Passes on the chunk's bytes of the run's frames; returns the run's exit status once its end has
   * come (nothing may follow it), and throws where the end is malformed.
   */
  push(chunk: Buffer, pass: (part: Buffer) => void): number | undefined {
    let from = 0;
    let off = 0;
    const passed = (part: Buffer): void => {
      if (part.byteLength > 0) pass(part);
    };
    while (off < chunk.byteLength) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.byteLength - off);
        if (this.atEnd) chunk.copy(this.header, 16 - this.bodyLeft, off, off + n);
        this.bodyLeft -= n;
        off += n;
        if (!this.atEnd || this.bodyLeft > 0) continue;
        if (off < chunk.byteLength) throw new Error('output after the end of a run');
        this.atEnd = false;
        return this.header.readUInt32LE(12);
      }
      const start = off;
      const before = this.headerHave;
      const n = Math.min(12 - before, chunk.byteLength - off);
      chunk.copy(this.header, before, off, off + n);
      this.headerHave += n;
      off += n;
      if (this.headerHave < 12) {
        passed(chunk.subarray(from, start));
        return undefined;
      }
      this.headerHave = 0;
      this.atEnd = this.header.readUInt32LE(0) === END_NS && this.header.readUInt32LE(4) === END_KIND;
      if (this.atEnd) {
        if (this.header.readUInt32LE(8) !== 4) throw new Error('a malformed end of a run');
        passed(chunk.subarray(from, start));
        from = chunk.byteLength;
        this.bodyLeft = 4;
        continue;
      }
      // The held part of a header cut by the previous chunk goes first.
      if (before > 0) pass(Buffer.from(this.header.subarray(0, before)));
      this.bodyLeft = this.header.readUInt32LE(8);
    }
    // The end's status, cut by the chunk's end, is not the run's output.
    if (!this.atEnd) passed(chunk.subarray(from));
    return undefined;
  }
}

class ServedRun implements HelperRun {
  private readonly held: Buffer[] = [];
  private onStdout: ((chunk: Buffer) => void) | undefined;
  private errText = '';
  private onStderr: ((text: string) => void) | undefined;
  private closeCb: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  private errorCb: ((e: Error) => void) | undefined;
  private closed: { code: number | null; error?: Error } | undefined;
  private readonly output = new RunOutput();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly server: HelperServer,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => server.die(new Error(`no answer in ${timeoutMs} ms (timed out)`)), timeoutMs);
  }

  listen(onStdout: (chunk: Buffer) => void, onStderr: (text: string) => void): void {
    this.onStdout = onStdout;
    this.onStderr = onStderr;
    for (const c of this.held.splice(0)) onStdout(c);
    if (this.errText) onStderr(this.errText);
  }

  onClose(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.closeCb = cb;
    if (this.closed) this.deliver();
  }

  onError(cb: (e: Error) => void): void {
    this.errorCb = cb;
    if (this.closed?.error) cb(this.closed.error);
  }

  kill(): void {
    this.server.die(new Error('stopped'));
  }

  stderr(text: string): void {
    if (this.onStderr) this.onStderr(text);
    else this.errText += text;
  }

  data(chunk: Buffer): void {
    let status: number | undefined;
    try {
      status = this.output.push(chunk, this.pass);
    } catch (e) {
      return this.server.die(e as Error);
    }
    if (status !== undefined) this.end(status);
  }

  fail(e: Error): void {
    if (this.closed) return;
    this.closed = { code: null, error: e };
    clearTimeout(this.timer);
    if (this.errorCb) this.errorCb(e);
    this.deliver();
  }

  private readonly pass = (part: Buffer): void => {
    if (this.onStdout) this.onStdout(part);
    else this.held.push(part);
  };

  private end(status: number): void {
    clearTimeout(this.timer);
    this.closed = { code: status };
    this.server.ended(this);
    // A failed run's message on stderr may come just after its end on stdout.
    if (status === 0) this.deliver();
    else setTimeout(() => this.deliver(), 20);
  }

  private deliver(): void {
    const cb = this.closeCb;
    if (!cb || !this.closed) return;
    this.closeCb = undefined;
    cb(this.closed.code, null);
  }
}
