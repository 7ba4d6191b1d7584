import type { FastifyInstance } from 'fastify';
import { serviceErrorOf } from '../services/serviceError.ts';

const HTTP_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
  500: 'Internal Server Error',
};

/** The reason phrase of a status, as error bodies carry it. */
export const httpName = (status: number): string => HTTP_NAMES[status] ?? 'Error';

/** Every failure as `{statusCode, error, message}`: the service's with their status, bugs as 500. */
export function addErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const known = serviceErrorOf(err);
    if (known) {
      return reply
        .code(known.statusCode)
        .send({ statusCode: known.statusCode, error: httpName(known.statusCode), message: known.message });
    }
    // Body parsing errors (malformed JSON, too large, wrong type) are the client's, with Fastify's message.
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error(err);
    return reply
      .code(status)
      .send({ statusCode: status, error: httpName(status), message: status === 500 ? 'internal error' : err.message });
  });
}
