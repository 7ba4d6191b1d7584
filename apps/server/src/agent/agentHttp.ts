import { STATUS_CODES, type ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../security/securityHeaders.ts';

/** Answers JSON with the security headers every agent answer carries (no body for HEAD). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(res.req.method === 'HEAD' ? undefined : json);
}

/** Answers `{statusCode, error, message}`, the shape the server's own errors have. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message }, headers);
}
