// The local HTTP API the pharmacy's POS and our renderer call, plus the renderer's static files.
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { type HealthResponse } from '../../core/contracts/health';
import { PRODUCT_VERSION } from '../../core/version';
import { type BackendConfig } from './config';

export async function buildServer(config: BackendConfig): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  app.get('/api/health', async (): Promise<HealthResponse> => ({ status: 'ok', version: PRODUCT_VERSION, mode: config.mode }));

  if (config.rendererDir && existsSync(config.rendererDir)) {
    await app.register(fastifyStatic, { root: config.rendererDir, index: 'index.html' });
    // The UI routes on the client; unknown non-API paths get the app shell.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
      return reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    });
  }
  return app;
}
