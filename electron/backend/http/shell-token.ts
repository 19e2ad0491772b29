// The desktop app's per-start secret (YBJS_SHELL_TOKEN): the shell makes it, hands it to the backend
// process and, through the preload bridge, to its own window. When the backend has one, operator
// sign-in and operator sessions work only with it (header x-ybjs-shell-token; the event stream,
// which cannot send headers, takes ?shell_token=), so another program on this computer cannot act as
// the UI even with an operator's PIN or session token. Integrated POS systems use their own bearer
// tokens (a manager creates them) and need no shell token; public endpoints need none either.
// Browser mode (`npm run serve`) has no shell token: there the Origin/Host checks and the operator's
// session are the protection (docs/desktop.md).
import { timingSafeEqual } from 'node:crypto';
import { type FastifyReply, type FastifyRequest } from 'fastify';

export const SHELL_TOKEN_HEADER = 'x-ybjs-shell-token';
const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/api/health', '/api/openapi.json']);

export function makeShellTokenCheck(options: { token: string; isPosToken: (bearer: string) => boolean }) {
  const expected = Buffer.from(options.token, 'utf8');
  const matches = (given: unknown): boolean => {
    if (typeof given !== 'string') return false;
    const actual = Buffer.from(given, 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (reply.sent) return;
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || PUBLIC_PATHS.has(path) || request.method === 'OPTIONS') return;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (bearer && options.isPosToken(bearer)) return;
    const query = request.query as Record<string, unknown> | undefined;
    if (matches(request.headers[SHELL_TOKEN_HEADER]) || (path === '/api/events' && matches(query?.shell_token))) return;
    await reply.code(403).send({ error: 'SHELL_TOKEN_REQUIRED', message: '此接口只供本机的医保结算助手窗口使用；收银系统请使用店长创建的 POS 令牌' });
  };
}
