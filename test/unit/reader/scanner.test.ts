// E-voucher QR input: serial line assembly (CR, LF, CR LF; bounded; opaque text), the keyboard
// wedge burst detector, and the short life of a scanned code.
import { describe, expect, test } from 'vitest';
import { KeyboardWedgeDetector } from '../../../core/scanner/keyboard-wedge';
import { ScanLineAssembler, type ScanLineEvent } from '../../../core/scanner/scan-lines';
import { isFresh, redactVoucherCode, VOUCHER_CODE_TTL_MS } from '../../../core/scanner/voucher-code';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const codes = (events: ScanLineEvent[]): string[] => events.flatMap((e) => (e.type === 'code' ? [e.text] : []));

describe('serial scan lines', () => {
  test('CR, LF and CR LF all end a code; empty lines are ignored; text is kept as is', () => {
    const a = new ScanLineAssembler();
    expect(codes(a.push(bytes('AbC 123=/+\r\nsecond\nthird\r\r\n')))).toEqual(['AbC 123=/+', 'second', 'third']);
  });

  test('any chunking, including a UTF-8 character split across chunks', () => {
    const all = bytes('医保:XYZ\r\n');
    for (let cut = 0; cut <= all.length; cut++) {
      const a = new ScanLineAssembler();
      expect(codes([...a.push(all.subarray(0, cut)), ...a.push(all.subarray(cut))])).toEqual(['医保:XYZ']);
    }
  });

  test('too long, invalid UTF-8 and unterminated lines are rejected, never emitted truncated', () => {
    const a = new ScanLineAssembler(8);
    expect(a.push(bytes('123456789\r\nok\r\n'))).toEqual([{ type: 'rejected', reason: 'too-long', bytes: 9 }, { type: 'code', text: 'ok' }]);
    expect(a.push(Uint8Array.of(0xff, 0xfe, 0x0d))).toEqual([{ type: 'rejected', reason: 'not-utf8', bytes: 2 }]);
    a.push(bytes('half'));
    expect(a.pending).toBe(4);
    expect(a.expire()).toEqual([{ type: 'rejected', reason: 'incomplete', bytes: 4 }]);
    expect(a.expire()).toEqual([]);
  });
});

describe('keyboard wedge', () => {
  const typeAt = (d: KeyboardWedgeDetector, text: string, start: number, gap: number): Array<string | null> =>
    [...text].map((key, i) => d.feed({ key, at: start + i * gap }));

  test('a fast burst ended by Enter is a scan', () => {
    const d = new KeyboardWedgeDetector();
    typeAt(d, 'QR12345678', 0, 8);
    expect(d.feed({ key: 'Enter', at: 85 })).toBe('QR12345678');
  });

  test('a person typing, a short burst, or a pause inside are not scans', () => {
    const d = new KeyboardWedgeDetector();
    typeAt(d, 'QR12345678', 0, 120);
    expect(d.feed({ key: 'Enter', at: 1300 })).toBeNull();
    typeAt(d, 'abc', 2000, 5);
    expect(d.feed({ key: 'Enter', at: 2020 })).toBeNull();
    typeAt(d, 'QR1234', 3000, 5);
    typeAt(d, '5678', 3200, 5); // a 170 ms pause restarts the burst: only 4 characters remain
    expect(d.feed({ key: 'Enter', at: 3225 })).toBeNull();
  });

  test('Shift inside a burst neither adds text nor breaks it', () => {
    const d = new KeyboardWedgeDetector({ minLength: 4 });
    for (const [i, key] of ['Shift', 'A', 'b', 'Shift', 'C', 'd'].entries()) d.feed({ key, at: i * 5 });
    expect(d.feed({ key: 'Enter', at: 31 })).toBe('AbCd');
  });
});

describe('voucher codes', () => {
  test('fresh for a minute, redacted in logs', () => {
    const code = { text: 'ABCDEFGH12345678', scannedAt: 1000, source: 'serial' as const };
    expect(isFresh(code, 1000 + VOUCHER_CODE_TTL_MS)).toBe(true);
    expect(isFresh(code, 1001 + VOUCHER_CODE_TTL_MS)).toBe(false);
    expect(isFresh(code, 999)).toBe(false);
    expect(redactVoucherCode(code.text)).toBe('ABCD…(16 chars)');
  });
});
