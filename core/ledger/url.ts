// The ledger connection string's password is a secret: GET /api/centre/settings returns the string
// with the password masked, logs and messages never show it, and a technician who saves the
// settings with the mask still in place keeps the stored password (like the gateway secrets, which
// are never returned once stored). Pure string handling: the password may sit in the user info
// (postgres://user:pw@host/db) or in the query (…?password=pw).

/** What the technician sees instead of the ledger's password. */
export const LEDGER_PASSWORD_MASK = '******';

const USERINFO = /^(postgres(?:ql)?:\/\/)([^:@/]*):([^@]*)@([^@]*)$/;
const QUERY_PASSWORD = /([?&]password=)([^&]*)/;

function passwordOf(url: string): string | null {
  const user = USERINFO.exec(url);
  if (user && user[3]) return user[3];
  const query = QUERY_PASSWORD.exec(url);
  return query && query[2] ? query[2] : null;
}

function withPassword(url: string, password: string): string {
  const user = USERINFO.exec(url);
  let out = user && user[3] ? `${user[1]}${user[2]}:${password}@${user[4]}` : url;
  if (QUERY_PASSWORD.test(out)) out = out.replace(QUERY_PASSWORD, (_m, key: string, value: string) => (value ? `${key}${password}` : `${key}${value}`));
  return out;
}

/** The connection string with its password (if any) replaced by the mask. */
export function maskLedgerUrl(url: string): string {
  return passwordOf(url) === null ? url : withPassword(url, LEDGER_PASSWORD_MASK);
}

export class LedgerPasswordError extends Error {}

/**
 * The connection string to store when the technician saves `submitted`: a password equal to the
 * mask means "keep the stored one" (refused when there is none to keep); any other is a new one.
 */
export function keepLedgerPassword(submitted: string | null, stored: string | null): string | null {
  if (submitted === null || passwordOf(submitted) !== LEDGER_PASSWORD_MASK) return submitted;
  const kept = stored === null ? null : passwordOf(stored);
  if (kept === null) throw new LedgerPasswordError(`ledgerUrl: 连接串中的密码 ${LEDGER_PASSWORD_MASK} 是遮盖后的显示，没有已保存的密码可沿用：请填写实际密码`);
  return withPassword(submitted, kept);
}
