import { z } from 'zod';
import { Role } from './common';

/**
 * An operator's 工号: 4–8 digits (the training ids are 1001, 2001, 3001). Digits only, so `1e3`,
 * `NaN` or an 18-character resident ID number are refused by name instead of becoming an id.
 */
export const OperatorId = z.string().regex(/^\d{4,8}$/, 'operator id: 4–8 digits');

export const LoginRequest = z.object({
  operatorId: OperatorId,
  pin: z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits'),
}).strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionInfo = z.object({
  token: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  role: Role,
  expiresAt: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const Principal = z.object({
  kind: z.enum(['operator', 'pos']),
  id: z.string(),
  name: z.string(),
  role: Role,
});
export type Principal = z.infer<typeof Principal>;

export const CreatePosTokenRequest = z.object({
  name: z.string().trim().min(1, 'name: give the POS a name').max(50),
}).strict();
export const PosTokenCreated = z.object({ id: z.string(), name: z.string(), token: z.string(), createdAt: z.string() });
export const PosTokenInfo = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() });

export const CreateOperatorRequest = z.object({
  operatorId: OperatorId,
  name: z.string().trim().min(1).max(20),
  role: Role,
  pin: z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits'),
}).strict();
export const OperatorInfo = z.object({ operatorId: z.string(), name: z.string(), role: Role, active: z.boolean() });
