// Declarative API routes: each route names its roles, its zod schemas and its handler. The same
// declarations register the Fastify routes (validation, auth, Idempotency-Key) and produce the
// OpenAPI document at /api/openapi.json, so the two cannot drift apart.
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Principal } from '../../../core/contracts/auth';
import { type Role } from '../../../core/contracts/common';
import { ApiError, validationError } from './errors';
import { asOperator } from '../operator-context';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Context<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown, R = unknown> {
  method: Method;
  /** Fastify path syntax, e.g. "/api/settlements/:id". */
  path: string;
  summary: string;
  tag: string;
  /** 'public' needs no token; otherwise any of these roles (a POS token counts as cashier). */
  roles: readonly Role[] | 'public';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  response: z.ZodType<R>;
  /** Status of a successful reply (default 200). */
  status?: number;
  /** Handler writes the reply itself (SSE, files); `response` then documents it only. */
  raw?: boolean;
  handler(ctx: Context<B, Q, P>): Promise<R>;
}

/** Helps TypeScript infer each route's types where it is declared. */
export function route<B = undefined, Q = undefined, P = undefined, R = unknown>(spec: RouteSpec<B, Q, P, R>): RouteSpec<B, Q, P, R> {
  return spec;
}

export interface IdempotencyPort {
  claim(principal: string, key: string, route: string, requestBody: string):
    { kind: 'new' } | { kind: 'replay'; statusCode: number; body: unknown } | { kind: 'in-progress' } | { kind: 'mismatch' };
  complete(principal: string, key: string, statusCode: number, body: unknown): void;
  release(principal: string, key: string): void;
}

export interface RouteDeps {
  principalFor(token: string): Principal | undefined;
  idempotency: IdempotencyPort;
}

const MUTATING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'DELETE']);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // EventSource cannot set headers; the event stream alone accepts the token as a query parameter.
  const q = request.query as Record<string, unknown> | undefined;
  return typeof q?.access_token === 'string' ? q.access_token : undefined;
}

function authorize(spec: RouteSpec<never, never, never, unknown>, request: FastifyRequest, deps: RouteDeps): Principal | undefined {
  if (spec.roles === 'public') return undefined;
  const token = bearerToken(request);
  if (!token) throw new ApiError(401, 'UNAUTHENTICATED', '需要登录：请求缺少 Authorization: Bearer 令牌');
  const principal = deps.principalFor(token);
  if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', '令牌无效或已过期，请重新登录');
  if (!spec.roles.includes(principal.role)) throw new ApiError(403, 'FORBIDDEN_ROLE', `此功能需要${spec.roles.join('/')}角色，当前为 ${principal.role}`);
  return principal;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

export function registerRoutes(app: FastifyInstance, routes: ReadonlyArray<RouteSpec<never, never, never, unknown>>, deps: RouteDeps): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.path,
      handler: async (request, reply) => {
        const principal = authorize(spec, request, deps);
        // The centre client names this principal as 经办人 for any call the handler makes.
        return asOperator(principal, () => handle(spec, request, reply, principal, deps));
      },
    });
  }
}

async function handle(spec: RouteSpec<never, never, never, unknown>, request: FastifyRequest, reply: FastifyReply, principal: Principal | undefined, deps: RouteDeps): Promise<FastifyReply> {
  const query = { ...(request.query as Record<string, unknown>) };
  delete query.access_token;
  const ctx: Context<never, never, never> = {
    body: parse(spec.body, request.body, 'body'),
    query: parse(spec.query, query, 'query'),
    params: parse(spec.params, request.params, 'params'),
    principal, request, reply,
  };
  const key = request.headers['idempotency-key'];
  if (MUTATING.has(spec.method) && typeof key === 'string' && principal) {
    return runIdempotent(spec, ctx, `${principal.kind}:${principal.id}`, key, deps.idempotency);
  }
  const result = await spec.handler(ctx);
  if (spec.raw) return reply;
  return reply.code(spec.status ?? 200).send(result);
}

async function runIdempotent(spec: RouteSpec<never, never, never, unknown>, ctx: Context<never, never, never>, principal: string, key: string, store: IdempotencyPort): Promise<FastifyReply> {
  if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'INVALID_REQUEST', 'header Idempotency-Key: 8–100 visible ASCII characters', 'Idempotency-Key');
  const routeId = `${spec.method} ${ctx.request.url.split('?')[0]}`;
  const claim = store.claim(principal, key, routeId, JSON.stringify(ctx.request.body ?? null));
  if (claim.kind === 'replay') return ctx.reply.code(claim.statusCode).header('idempotent-replay', 'true').send(claim.body);
  if (claim.kind === 'in-progress') throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', '同一 Idempotency-Key 的请求仍在处理中，请稍后重试');
  if (claim.kind === 'mismatch') throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key 已用于另一个不同的请求', 'Idempotency-Key');
  try {
    const result = await spec.handler(ctx);
    const status = spec.status ?? 200;
    store.complete(principal, key, status, result);
    return ctx.reply.code(status).send(result);
  } catch (error) {
    // A refusal (4xx) is a final answer and is replayed; anything else may be retried.
    if (error instanceof ApiError && error.statusCode < 500) store.complete(principal, key, error.statusCode, error.toBody());
    else store.release(principal, key);
    throw error;
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

export function openApiDocument(routes: ReadonlyArray<RouteSpec<never, never, never, unknown>>, info: { title: string; version: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const m of spec.path.matchAll(/:([A-Za-z]+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (spec.query) {
      const qs = jsonSchema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) parameters.push({ name, in: 'query', required: qs.required?.includes(name) ?? false, schema });
    }
    if (MUTATING.has(spec.method) && spec.roles !== 'public') parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 100 }, description: 'Retry-safe key: a repeat with the same key and body returns the first response' });
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.roles === 'public' ? [] : [{ bearer: [] }],
      ...(spec.roles !== 'public' && { description: `Roles: ${spec.roles.join(', ')}` }),
      parameters,
      ...(spec.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }),
      responses: {
        [String(spec.status ?? 200)]: { description: 'OK', content: { [spec.raw ? 'text/event-stream' : 'application/json']: { schema: jsonSchema(spec.response, 'output') } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Local API of 医保结算助手, served on 127.0.0.1 only. Amounts are strings with two decimals.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An operator session token (POST /api/session) or a POS token created by a manager' } },
      schemas: { Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } },
    },
  };
}
