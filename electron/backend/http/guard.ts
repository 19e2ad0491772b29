// Only the pharmacy's own programs on this computer may use the API:
// - Host must name this loopback server (stops DNS rebinding: a foreign site resolving to 127.0.0.1
//   still sends its own host name);
// - Origin, when a browser sends one, must be ours (our UI in browser mode, or the Electron app://
//   origin), so other local pages cannot drive the API with a user's browser;
// - CORS is answered only for those origins.
import { type FastifyReply, type FastifyRequest } from 'fastify';

export interface GuardOptions {
  port: () => number;
  extraOrigins: readonly string[];
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number, extra: readonly string[]): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...extra]);
}

const CORS_HEADERS = 'authorization, content-type, idempotency-key, x-ybjs-shell-token';

export function makeGuard(options: GuardOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const port = options.port();
    const host = request.headers.host ?? '';
    if (!allowedHosts(port).has(host.toLowerCase())) {
      await reply.code(403).send({ error: 'FORBIDDEN_HOST', message: `Host ${JSON.stringify(host)} is not this local server` });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!allowedOrigins(port, options.extraOrigins).has(origin)) {
        await reply.code(403).send({ error: 'FORBIDDEN_ORIGIN', message: `requests from ${origin} are not allowed` });
        return;
      }
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        await reply.code(204)
          .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
          .header('access-control-allow-headers', CORS_HEADERS)
          .header('access-control-max-age', '600')
          .send();
      }
    }
  };
}
