// The one protocol table: unique command codes, the resend rule by INS, and the outcome of every
// negative code.
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../../core/card/bytes';
import { CARD_ERROR_CODES } from '../../../core/card/errors';
import { commandByCode, COMMANDS, isResendable, NEGATIVE_CODES, NEVER_RESEND_INS, RESENDABLE_INS } from '../../../core/reader/table';

describe('protocol table', () => {
  test('every command has its own CM PM and is found back by code', () => {
    const codes = Object.values(COMMANDS).map((c) => `${c.cm}/${c.pm}`);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, c] of Object.entries(COMMANDS)) expect(commandByCode(c.cm, c.pm ?? 0x0a)?.[0]).toBe(name);
    expect(commandByCode(0x51, 0x34)).toBeUndefined();
  });

  test('APDUs are resendable only for read/select instructions', () => {
    for (const ins of RESENDABLE_INS) expect(isResendable(COMMANDS.apdu, Uint8Array.of(0x00, ins, 0, 0))).toBe(true);
    for (const ins of NEVER_RESEND_INS) expect(isResendable(COMMANDS.apdu, Uint8Array.of(0x00, ins, 0, 0))).toBe(false);
    expect(isResendable(COMMANDS.apdu, fromHex('00'))).toBe(false);
    expect(RESENDABLE_INS.filter((i) => NEVER_RESEND_INS.includes(i))).toEqual([]);
  });

  test('negative codes map to outcome codes of the contract; 60 means NO_CARD only before a card was reset', () => {
    for (const code of Object.values(NEGATIVE_CODES)) {
      expect(Object.keys(CARD_ERROR_CODES)).toContain(code.onReset);
      expect(Object.keys(CARD_ERROR_CODES)).toContain(code.onCard);
    }
    expect(NEGATIVE_CODES['60']).toMatchObject({ onReset: 'NO_CARD', onCard: 'CARD_REMOVED' });
    expect(NEGATIVE_CODES['02']?.linkError).toBe(true);
  });
});
