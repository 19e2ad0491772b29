import { describe, expect, it } from 'vitest';
import { keepLedgerPassword, LEDGER_PASSWORD_MASK as M, maskLedgerUrl } from '../../../core/ledger/url';

describe('the ledger connection string\'s password', () => {
  it('is masked in the user info and in the query, and a string without one is unchanged', () => {
    expect(maskLedgerUrl('postgres://till:p%40ss:w0rd@db.local:5432/store')).toBe(`postgres://till:${M}@db.local:5432/store`);
    expect(maskLedgerUrl('postgresql://till@db/store?sslmode=require&password=xyz')).toBe(`postgresql://till@db/store?sslmode=require&password=${M}`);
    expect(maskLedgerUrl('postgres://till@db:5432/store')).toBe('postgres://till@db:5432/store');
    expect(maskLedgerUrl('postgres://till:@db/store')).toBe('postgres://till:@db/store');
  });

  it('is kept from the stored string while the mask is unchanged, replaced when a new one is typed', () => {
    const stored = 'postgres://till:old-pw@db:5432/store';
    expect(keepLedgerPassword(`postgres://till:${M}@db2:5432/store`, stored)).toBe('postgres://till:old-pw@db2:5432/store');
    expect(keepLedgerPassword('postgres://till:new-pw@db:5432/store', stored)).toBe('postgres://till:new-pw@db:5432/store');
    expect(keepLedgerPassword(`postgres://till@db/store?password=${M}`, 'postgres://till@db/store?password=q')).toBe('postgres://till@db/store?password=q');
    expect(keepLedgerPassword(null, stored)).toBeNull();
    expect(() => keepLedgerPassword(`postgres://till:${M}@db/store`, null)).toThrow(/ledgerUrl/);
    expect(() => keepLedgerPassword(`postgres://till:${M}@db/store`, 'postgres://till@db/store')).toThrow(/ledgerUrl/);
  });
});
