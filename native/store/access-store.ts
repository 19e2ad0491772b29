// Operators (PIN sign-in with lock-out), their sessions, and bearer tokens for integrated POS systems.
// Secrets are stored only as hashes: PINs with scrypt and a salt, tokens with SHA-256 (they are long
// random values, so a fast hash is enough).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { type Principal, type SessionInfo } from '../../core/contracts/auth';
import { type Role } from '../../core/contracts/common';
import { statement, type Db } from '../db/open';
import { sha256 } from './journal';

export const SESSION_HOURS = 12;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 5;

export class LoginError extends Error {
  constructor(readonly code: 'BAD_CREDENTIALS' | 'LOCKED', message: string) { super(message); }
}

function hashPin(pin: string, salt = randomBytes(16)): string {
  return `scrypt:${salt.toString('hex')}:${scryptSync(pin, salt, 32).toString('hex')}`;
}

function pinMatches(pin: string, stored: string): boolean {
  const [, saltHex, hashHex] = stored.split(':');
  const expected = Buffer.from(hashHex ?? '', 'hex');
  const actual = scryptSync(pin, Buffer.from(saltHex ?? '', 'hex'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const newToken = (): string => randomBytes(32).toString('base64url');

interface OperatorRow { operator_id: string; name: string; role: Role; pin_hash: string; active: number; failed_logins: number; locked_until: string | null; pin_change_required: number }

export class PinChangeError extends Error {
  constructor(readonly field: 'currentPin' | 'newPin', message: string) { super(message); }
}

export class AccessStore {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  hasOperators(): boolean {
    return statement(this.db, 'SELECT 1 FROM operator LIMIT 1').get() !== undefined;
  }

  createOperator(op: { operatorId: string; name: string; role: Role; pin: string }): void {
    statement(this.db, 'INSERT INTO operator (operator_id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(op.operatorId, op.name, op.role, hashPin(op.pin), this.now().toISOString());
  }

  listOperators(): Array<{ operatorId: string; name: string; role: Role; active: boolean }> {
    return (statement(this.db, 'SELECT * FROM operator ORDER BY operator_id').all() as OperatorRow[])
      .map((r) => ({ operatorId: r.operator_id, name: r.name, role: r.role, active: r.active === 1 }));
  }

  setOperatorActive(operatorId: string, active: boolean): boolean {
    const changed = statement(this.db, 'UPDATE operator SET active = ? WHERE operator_id = ?').run(active ? 1 : 0, operatorId).changes > 0;
    if (!active) statement(this.db, 'DELETE FROM operator_session WHERE operator_id = ?').run(operatorId);
    return changed;
  }

  /** The operator still has a PIN someone else set (created by a manager, or a training default). */
  pinChangeRequired(operatorId: string): boolean {
    const row = statement(this.db, 'SELECT pin_change_required FROM operator WHERE operator_id = ?').get(operatorId) as { pin_change_required: number } | undefined;
    return row?.pin_change_required === 1;
  }

  /** The operator sets their own PIN: the current one must match, the new one must differ. */
  changePin(operatorId: string, currentPin: string, newPin: string): void {
    const row = statement(this.db, 'SELECT * FROM operator WHERE operator_id = ?').get(operatorId) as OperatorRow | undefined;
    if (!row || !pinMatches(currentPin, row.pin_hash)) throw new PinChangeError('currentPin', '当前密码不正确');
    if (newPin === currentPin) throw new PinChangeError('newPin', '新密码不能与当前密码相同');
    statement(this.db, 'UPDATE operator SET pin_hash = ?, pin_change_required = 0 WHERE operator_id = ?').run(hashPin(newPin), operatorId);
  }

  login(operatorId: string, pin: string): SessionInfo {
    const now = this.now();
    const row = statement(this.db, 'SELECT * FROM operator WHERE operator_id = ?').get(operatorId) as OperatorRow | undefined;
    if (!row || row.active !== 1) throw new LoginError('BAD_CREDENTIALS', '工号或密码不正确');
    if (row.locked_until && new Date(row.locked_until) > now) {
      throw new LoginError('LOCKED', `密码错误次数过多，已锁定至 ${row.locked_until}，请稍后再试或请店长处理`);
    }
    if (!pinMatches(pin, row.pin_hash)) {
      const failed = row.failed_logins + 1;
      const lockedUntil = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
      statement(this.db, 'UPDATE operator SET failed_logins = ?, locked_until = ? WHERE operator_id = ?')
        .run(lockedUntil ? 0 : failed, lockedUntil, operatorId);
      throw new LoginError(lockedUntil ? 'LOCKED' : 'BAD_CREDENTIALS', lockedUntil ? `密码错误次数过多，已锁定 ${LOCKOUT_MINUTES} 分钟` : '工号或密码不正确');
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
    this.db.transaction(() => {
      statement(this.db, 'UPDATE operator SET failed_logins = 0, locked_until = NULL WHERE operator_id = ?').run(operatorId);
      statement(this.db, 'INSERT INTO operator_session (token_hash, operator_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(sha256(token), operatorId, now.toISOString(), expiresAt);
    })();
    return { token, operatorId, operatorName: row.name, role: row.role, expiresAt, pinChangeRequired: row.pin_change_required === 1 };
  }

  logout(token: string): void {
    statement(this.db, 'DELETE FROM operator_session WHERE token_hash = ?').run(sha256(token));
  }

  /** Who a bearer token belongs to, or undefined for an unknown, expired or revoked token. */
  principalFor(token: string): Principal | undefined {
    const hash = sha256(token);
    const session = statement(this.db, `SELECT o.operator_id, o.name, o.role, s.expires_at FROM operator_session s
      JOIN operator o ON o.operator_id = s.operator_id WHERE s.token_hash = ? AND o.active = 1`).get(hash) as
      { operator_id: string; name: string; role: Role; expires_at: string } | undefined;
    if (session) {
      if (new Date(session.expires_at) <= this.now()) return undefined;
      return { kind: 'operator', id: session.operator_id, name: session.name, role: session.role };
    }
    const pos = statement(this.db, 'SELECT id, name FROM pos_token WHERE token_hash = ? AND revoked_at IS NULL').get(hash) as { id: string; name: string } | undefined;
    // An integrated POS does the cashier's job and nothing else.
    return pos ? { kind: 'pos', id: pos.id, name: pos.name, role: 'cashier' } : undefined;
  }

  createPosToken(name: string, createdBy: string): { id: string; name: string; token: string; createdAt: string } {
    const token = `pos_${newToken()}`;
    const id = `pos-${randomBytes(4).toString('hex')}`;
    const createdAt = this.now().toISOString();
    statement(this.db, 'INSERT INTO pos_token (id, name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, sha256(token), createdBy, createdAt);
    return { id, name, token, createdAt };
  }

  listPosTokens(): Array<{ id: string; name: string; createdAt: string; revokedAt: string | null }> {
    return (statement(this.db, 'SELECT id, name, created_at, revoked_at FROM pos_token ORDER BY created_at').all() as
      Array<{ id: string; name: string; created_at: string; revoked_at: string | null }>)
      .map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  revokePosToken(id: string): boolean {
    return statement(this.db, 'UPDATE pos_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now().toISOString(), id).changes > 0;
  }
}
