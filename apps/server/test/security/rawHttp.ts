import { connect } from 'node:net';

/** What came back on a raw connection: the status line's code and everything the server sent. */
export interface RawAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * Sends `request` as written (request line, headers and any body) over a plain TCP connection and
 * reads until the server closes it or `timeoutMs` passes: for request lines no HTTP client sends,
 * such as the absolute form (`GET http://x/api/snapshots HTTP/1.1`).
 */
export function rawHttp(port: number, request: string, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms: ${JSON.stringify(text.slice(0, 200))}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}
