// The local HTTP API the pharmacy's POS and our renderer call, plus the renderer's static files.
import { existsSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../core/version';
import { type BackendConfig } from './config';
import { ApiError } from './http/errors';
import { type EventBus } from './http/events';
import { makeGuard } from './http/guard';
import { makeShellTokenCheck } from './http/shell-token';
import { openApiDocument, registerRoutes, type RouteSpec } from './http/routes';
import { accessRoutes } from './routes/access';
import { checkoutRoutes } from './routes/checkout';
import { reconciliationFor } from './reconcile/compose';
import { reconciliationRoutes } from './routes/reconciliation';
import { headOfficeRoutes } from './routes/head-office';
import { storeLedgerRoutes } from './routes/store-ledger';
import { sellingOnly } from './ledger/seat-guard';
import { systemRoutes } from './routes/system';
import { catalogueRoutes } from './routes/catalogue';
import { terminalRoutes } from './routes/terminal';
import { inventoryRoutes } from './routes/inventory';
import { traceRoutes } from './routes/trace';
import { type Runtime } from './runtime';
import { centreOperatorOf } from './operator-context';

export const BODY_LIMIT_BYTES = 256 * 1024;

export interface ServerDeps {
  runtime: Runtime;
  bus: EventBus;
  extraOrigins?: readonly string[];
}

export async function buildServer(config: BackendConfig, deps: ServerDeps): Promise<FastifyInstance> {
  // No automatic HEAD twin for every GET: nothing asks this JSON API for headers only, and each
  // twin is a second route built at every start (~50 of them).
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true, exposeHeadRoutes: false });
  app.addHook('onRequest', makeGuard({ port: () => (app.server.address() as { port?: number } | null)?.port ?? config.port, extraOrigins: deps.extraOrigins ?? [] }));

  // A sale's steps are foreground: the 3505 reporter waits until none is in flight (capped, foreground.ts).
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/sales')) reply.raw.once('close', deps.runtime.foreground.enter());
  });

  // No other page may frame ours (clickjacking); a <meta> CSP cannot say this, a header can.
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', "frame-ancestors 'none'");
    void reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toBody());
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: 'BODY_TOO_LARGE', message: `request body over ${BODY_LIMIT_BYTES} bytes` });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send JSON with Content-Type: application/json' });
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: 'INVALID_REQUEST', message: `body: ${error.message}`, field: 'body' });
    }
    console.error(`API error: ${error.message}`);
    return reply.code(500).send({ error: 'INTERNAL', message: '内部错误，已记录；请重试或联系技术员' });
  });

  const routes: Array<RouteSpec<never, never, never, unknown>> = [];
  const openApi = (): unknown => openApiDocument(routes, { title: `${PRODUCT_NAME} local API`, version: PRODUCT_VERSION });
  const { store } = deps.runtime;
  if (config.shellToken) {
    const shellToken = config.shellToken;
    app.addHook('onRequest', makeShellTokenCheck({ token: shellToken, isPosToken: (t) => store.access.principalFor(t)?.kind === 'pos' }));
  }
  // Training mode (the in-process sandbox centre) keeps the documented training PINs usable.
  const pinChangeEnforced = (): boolean => deps.runtime.sandbox === null;
  // One reconciliation (store, resolver) for the per-till routes and the ledger's resolution requests.
  const reconciliation = reconciliationFor(deps.runtime);
  const groups: unknown[][] = [
    systemRoutes({ mode: config.mode, journal: store.journal, bus: deps.bus, openApi }),
    accessRoutes(store.access, pinChangeEnforced, async (principal) => { await deps.runtime.centre.signOut(centreOperatorOf(principal)); }),
    sellingOnly(checkoutRoutes(deps.runtime.checkout) as Array<RouteSpec<never, never, never, unknown>>, () => deps.runtime.ledger?.seat ?? null),
    terminalRoutes(deps.runtime, deps.bus),
    reconciliationRoutes(deps.runtime, reconciliation),
    storeLedgerRoutes(deps.runtime, undefined, reconciliation),
    headOfficeRoutes(deps.runtime),
    traceRoutes(deps.runtime),
    catalogueRoutes(deps.runtime),
    inventoryRoutes(deps.runtime),
  ];
  routes.push(...(groups.flat() as Array<RouteSpec<never, never, never, unknown>>));
  registerRoutes(app, routes, {
    principalFor: (t) => store.access.principalFor(t),
    idempotency: store.idempotency,
    restriction: (p) => (p.kind === 'operator' && pinChangeEnforced() && store.access.pinChangeRequired(p.id)
      ? new ApiError(403, 'PIN_CHANGE_REQUIRED', '首次登录须先修改密码（PIN）：请设置只有您知道的新密码后再继续', 'pin') : null),
  });

  if (config.rendererDir && existsSync(config.rendererDir)) {
    // Loaded only where the backend serves the UI (`npm run serve`): the desktop shell's renderer
    // comes over app://, and @fastify/static with its dependencies costs ~15 ms of every start.
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: config.rendererDir, index: 'index.html' });
  }
  // The UI routes on the client; unknown non-API paths get the app shell.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && config.rendererDir && existsSync(config.rendererDir)) return reply.sendFile('index.html');
    return reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
  return app;
}
