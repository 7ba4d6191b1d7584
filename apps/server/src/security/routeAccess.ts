import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * What a route gives access to: `public` (the web app's files: a browser must load them to ask
 * for a token), `read` or `write`. Declared per route, so the checks follow the route the router
 * matched, however its path was spelled (percent-encoded, absolute-form request line).
 */
export type Access = 'public' | 'read' | 'write';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const byMethod = (method: string | readonly string[]): Access =>
  (typeof method === 'string' ? [method] : method).every((m) => READ_METHODS.has(m)) ? 'read' : 'write';

/** Gives every route registered from now on in this context its access: as declared, or by its methods. */
export function declareAccess(app: FastifyInstance, access?: Access): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: access ?? route.config?.access ?? byMethod(route.method) };
  });
}

/** The access of the route a request matched; a path no route has is a read or a write by its method. */
export function accessOf(req: FastifyRequest): Access {
  return (req.is404 ? undefined : req.routeOptions.config.access) ?? byMethod(req.method);
}
