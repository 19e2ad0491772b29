// Sign-in, operators and POS tokens.
import { z } from 'zod';
import { ChangePinRequest, CreateOperatorRequest, CreatePosTokenRequest, LoginRequest, OperatorId, OperatorInfo, Principal, PosTokenCreated, PosTokenInfo, SessionInfo } from '../../../core/contracts/auth';
import { type AccessStore, LoginError, PinChangeError } from '../../../native/store/access-store';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const OperatorParam = z.object({ id: OperatorId });

const ANY_OPERATOR = ['cashier', 'manager', 'technician', 'headoffice'] as const;

/**
 * `pinChangeEnforced`: outside training mode, an operator whose PIN someone else set signs in to a
 * session that can only change that PIN (403 PIN_CHANGE_REQUIRED elsewhere; see server.ts).
 * `onSignOut` runs after a session ends (the centre's 9002 for that operator); its failure never blocks the sign-out.
 */
export function accessRoutes(access: AccessStore, pinChangeEnforced: () => boolean, onSignOut: (principal: Principal) => Promise<void> = async () => {}) {
  return [
    route({
      method: 'POST', path: '/api/session', tag: 'access', summary: 'Sign in an operator with id and PIN', roles: 'public',
      body: LoginRequest, response: SessionInfo,
      handler: async ({ body }) => {
        try {
          const session = access.login(body.operatorId, body.pin);
          return { ...session, pinChangeRequired: session.pinChangeRequired && pinChangeEnforced() };
        } catch (error) {
          if (error instanceof LoginError) throw new ApiError(error.code === 'LOCKED' ? 423 : 401, error.code, error.message);
          throw error;
        }
      },
    }),
    route({
      method: 'GET', path: '/api/session', tag: 'access', summary: 'Who the token belongs to', roles: ANY_OPERATOR, beforePinChange: true,
      response: Principal, handler: async ({ principal }) => principal!,
    }),
    route({
      method: 'POST', path: '/api/session/pin', tag: 'access', summary: 'The signed-in operator sets their own PIN (required at first sign-in outside training)', roles: ANY_OPERATOR, beforePinChange: true,
      body: ChangePinRequest, response: z.object({ ok: z.literal(true) }),
      handler: async ({ body, principal }) => {
        if (principal!.kind !== 'operator') throw new ApiError(403, 'OPERATORS_ONLY', 'POS 令牌没有密码：只有工号登录才能修改密码');
        try {
          access.changePin(principal!.id, body.currentPin, body.newPin);
        } catch (error) {
          if (error instanceof PinChangeError) throw new ApiError(422, error.field === 'currentPin' ? 'PIN_WRONG' : 'PIN_UNCHANGED', error.message, error.field);
          throw error;
        }
        return { ok: true as const };
      },
    }),
    route({
      method: 'DELETE', path: '/api/session', tag: 'access', summary: 'Sign out (ends this session token)', roles: ANY_OPERATOR, beforePinChange: true,
      response: z.object({ ok: z.literal(true) }),
      handler: async ({ request, principal }) => {
        access.logout((request.headers.authorization ?? '').slice(7).trim());
        await onSignOut(principal!).catch(() => {});
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET', path: '/api/operators', tag: 'access', summary: 'List operators', roles: ['manager'],
      response: z.array(OperatorInfo), handler: async () => access.listOperators(),
    }),
    route({
      method: 'POST', path: '/api/operators', tag: 'access', summary: 'Add an operator', roles: ['manager'], status: 201,
      body: CreateOperatorRequest, response: OperatorInfo,
      handler: async ({ body }) => {
        if (access.listOperators().some((o) => o.operatorId === body.operatorId)) throw new ApiError(409, 'OPERATOR_EXISTS', `工号 ${body.operatorId} 已存在`, 'operatorId');
        access.createOperator(body);
        return { operatorId: body.operatorId, name: body.name, role: body.role, active: true };
      },
    }),
    route({
      method: 'POST', path: '/api/operators/:id/deactivate', tag: 'access', summary: 'Deactivate an operator and end their sessions', roles: ['manager'],
      params: OperatorParam, response: z.object({ ok: z.literal(true) }),
      handler: async ({ params, principal }) => {
        if (params.id === principal!.id) throw new ApiError(409, 'CANNOT_DEACTIVATE_SELF', '不能停用当前登录的工号', 'id');
        if (!access.setOperatorActive(params.id, false)) throw new ApiError(404, 'NOT_FOUND', `没有工号 ${params.id}`, 'id');
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET', path: '/api/pos-tokens', tag: 'access', summary: 'List POS integration tokens (without the secrets)', roles: ['manager'],
      response: z.array(PosTokenInfo), handler: async () => access.listPosTokens(),
    }),
    route({
      method: 'POST', path: '/api/pos-tokens', tag: 'access', summary: 'Create a bearer token for an integrated POS (shown once)', roles: ['manager'], status: 201,
      body: CreatePosTokenRequest, response: PosTokenCreated,
      handler: async ({ body, principal }) => access.createPosToken(body.name, principal!.id),
    }),
    route({
      method: 'POST', path: '/api/pos-tokens/:id/revoke', tag: 'access', summary: 'Revoke a POS token', roles: ['manager'],
      params: IdParam, response: z.object({ ok: z.literal(true) }),
      handler: async ({ params }) => {
        if (!access.revokePosToken(params.id)) throw new ApiError(404, 'NOT_FOUND', `没有有效的 POS 令牌 ${params.id}`, 'id');
        return { ok: true as const };
      },
    }),
  ];
}
