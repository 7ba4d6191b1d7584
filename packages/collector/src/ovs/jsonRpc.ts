import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

/** A JSON-RPC 1.0 session over a unix socket, as OVSDB (RFC 7047) and OVS's unixctl speak it. */
export interface JsonRpcSession {
  /** Sends one request and resolves with its `result`; rejects with the peer's `error`. */
  call(method: string, params: readonly unknown[]): Promise<unknown>;
  close(): void;
}

export interface JsonRpcOptions {
  /** Each call must be answered within this time. */
  readonly timeoutMs?: number;
  /** The largest single answer accepted: a peer that sends more is cut off. */
  readonly maxBytes?: number;
}

/** A failure of the session itself, or an error the peer answered. */
export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError';
}

/**
 * Opens a session. Messages on these sockets are JSON values sent back to back with nothing
 * between them, so answers are split by tracking string and bracket depth over the byte stream.
 */
export async function openJsonRpc(path: string, opts: JsonRpcOptions = {}): Promise<JsonRpcSession> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new JsonRpcError(`${path}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new JsonRpcError(`${path}: ${e.code ?? e.message}`));
    });
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    socket.destroy();
  };
  const splitter = new JsonSplitter(maxBytes);
  // A chunk may end inside a multi-byte character; the decoder keeps its first bytes for the next.
  const decoder = new StringDecoder('utf8');
  socket.on('data', (chunk: Buffer) => {
    let messages: string[];
    try {
      messages = splitter.push(decoder.write(chunk));
    } catch (e) {
      failAll(e as Error);
      return;
    }
    for (const text of messages) {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        failAll(new JsonRpcError(`${path} sent something that is not JSON`));
        return;
      }
      if (!isObject(msg)) continue;
      // The peer's keepalive: answered so that it keeps the session.
      if (msg.method === 'echo') {
        socket.write(JSON.stringify({ id: msg.id ?? null, result: msg.params ?? [], error: null }));
        continue;
      }
      const waiter = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
      if (!waiter) continue;
      pending.delete(msg.id as number);
      if (msg.error !== null && msg.error !== undefined) {
        const error = typeof msg.error === 'string' ? msg.error : JSON.stringify(msg.error);
        waiter.reject(new JsonRpcError(error.trim().slice(0, 500)));
      } else waiter.resolve(msg.result);
    }
  });
  socket.on('error', (e: NodeJS.ErrnoException) => failAll(new JsonRpcError(`${path}: ${e.code ?? e.message}`)));
  socket.on('close', () => failAll(new JsonRpcError(`${path} closed the connection`)));
  return {
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new JsonRpcError(`${method}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        socket.write(JSON.stringify({ method, params, id }));
      });
    },
    close() {
      pending.clear();
      socket.destroy();
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Cuts a stream of back-to-back JSON objects or arrays into one string per value. */
export class JsonSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where scanning resumes in `buffer`. */
  private scanned = 0;

  constructor(private readonly maxBytes: number) {}

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let start = 0;
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        if (--this.depth < 0) throw new JsonRpcError('unbalanced JSON from the peer');
        if (this.depth === 0) {
          if (i + 1 - start > this.maxBytes) throw new JsonRpcError(`an answer larger than ${this.maxBytes} bytes`);
          out.push(this.buffer.slice(start, i + 1).trim());
          start = i + 1;
        }
      }
    }
    this.buffer = this.buffer.slice(start);
    this.scanned = this.buffer.length;
    if (this.depth === 0 && this.buffer.trim() === '') {
      this.buffer = '';
      this.scanned = 0;
    }
    if (this.buffer.length > this.maxBytes) throw new JsonRpcError(`an answer larger than ${this.maxBytes} bytes`);
    return out;
  }
}
