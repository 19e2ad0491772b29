import { z } from 'zod';
import { Role } from './common';

export const LoginRequest = z.object({
  operatorId: z.string().regex(/^[0-9A-Za-z]{1,20}$/, 'operator id: 1–20 letters or digits'),
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
  operatorId: z.string().regex(/^[0-9A-Za-z]{1,20}$/, 'operator id: 1–20 letters or digits'),
  name: z.string().trim().min(1).max(20),
  role: Role,
  pin: z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits'),
}).strict();
export const OperatorInfo = z.object({ operatorId: z.string(), name: z.string(), role: Role, active: z.boolean() });
