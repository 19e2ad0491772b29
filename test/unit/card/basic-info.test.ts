// The standard reader interface's output and return codes, the SCARD code table, and APDU trace masking.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { describeReturnCode, parseBasicInfo, returnCodeError, summariseBasicInfo } from '../../../core/card/basic-info';
import { CardError } from '../../../core/card/errors';
import { readRecord } from '../../../core/card/apdu';
import { fromHex } from '../../../core/card/bytes';
import { classifyPcscError, isContactlessName } from '../../../core/reader/pcsc-codes';
import { maskedResponseHex } from '../../../core/reader/trace-format';

const SAMPLE = '330100|330106199001011234|A00000001|330100d156000005a1b2c3d4e5f60718|张三|0081330100|3.00|20200315|20300315|000000000000|READER01|';

describe('iReadCardBas output', () => {
  test('the 11 fields become the holder; the card id is upper-cased, dates ISO, generation from the version', () => {
    expect(parseBasicInfo(SAMPLE)).toEqual({
      cardId: '330100D156000005A1B2C3D4E5F60718', region: '330100', cardType: '', version: '3.00', generation: 3, initOrg: '',
      issuedOn: '2020-03-15', expiresOn: '2030-03-15', cardNo: 'A00000001', ssn: '330106199001011234', name: '张三',
      sex: '', nation: '', birthPlace: '', birthDate: '', atr: '0081330100',
    });
  });

  test.each([
    [SAMPLE.slice(0, -1), 'does not end with'],
    ['330100|x|y|', 'fields'],
    [SAMPLE.replace('330100d156', 'zz0100d156'), '卡识别码'],
    [SAMPLE.replace('20200315', '2020-03-15'), '发卡日期'],
    [SAMPLE.replace('|A00000001|', '||'), '卡号'],
    [SAMPLE.replace(/^330100/, '33010'), '发卡地区'],
  ])('malformed output is NOT_SSCARD naming the problem (%#)', (text, words) => {
    try { parseBasicInfo(text); expect.unreachable(); } catch (error) {
      expect(error).toBeInstanceOf(CardError);
      expect((error as CardError).code).toBe('NOT_SSCARD');
      expect((error as CardError).message).toContain(words);
    }
  });

  test('any text: a holder or a NOT_SSCARD CardError, never another exception', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      try { parseBasicInfo(text); } catch (error) { expect(error).toBeInstanceOf(CardError); }
    }));
  });

  test('return codes keep the vendor code; card SWs pass through as −(SW1·256+SW2)', () => {
    expect(returnCodeError('iReadCardBas', -2)).toMatchObject({ code: 'NO_CARD', message: expect.stringContaining('厂商返回码 -2') });
    expect(describeReturnCode(-2203).outcome).toBe('PSAM_REQUIRED');
    expect(describeReturnCode(-27010)).toEqual({ meaning: 'card SW 6982: security status not satisfied', outcome: 'PSAM_REQUIRED' });
    expect(describeReturnCode(-27266).outcome).toBe('NOT_SSCARD');
    expect(describeReturnCode(-999).meaning).toBe('code not in the standard');
  });

  test('the trace summary names fields, never the holder', () => {
    const summary = summariseBasicInfo(SAMPLE);
    expect(summary).toContain('11 fields');
    expect(summary).not.toContain('330106199001011234');
    expect(summary).not.toContain('张三');
  });
});

describe('PC/SC codes and APDU masking', () => {
  test('the SCARD code is read out of the binding message', () => {
    expect(classifyPcscError('SCardTransmit error: Card was removed.(0x80100069)')).toMatchObject({ name: 'SCARD_W_REMOVED_CARD', outcome: 'CARD_REMOVED' });
    expect(classifyPcscError('SCardConnect error: No smart card inserted.(0x8010000c)').outcome).toBe('NO_CARD');
    expect(classifyPcscError('something else')).toMatchObject({ code: null, outcome: 'READER_DISCONNECTED' });
  });

  test('contactless slots are told by their name', () => {
    expect(isContactlessName('ACS ACR1281 1S Dual Reader PICC 00 00')).toBe(true);
    expect(isContactlessName('ACS ACR1281 1S Dual Reader ICC 00 00')).toBe(false);
  });

  test('an EF06 R-APDU has its value masked, tag, length and SW kept; EF05 is shown', () => {
    expect(maskedResponseHex(readRecord(0x08, 0x14), fromHex('0803 343230 9000'))).toBe('08 03 ·· ·· ·· 90 00');
    expect(maskedResponseHex(readRecord(0x07, 0x0b), fromHex('0702 5434 9000'))).toBe('07 02 54 34 90 00');
  });
});
