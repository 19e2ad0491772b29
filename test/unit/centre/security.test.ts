// The 国密 primitives the SM4/SM2 transport uses come from sm-crypto-v2; here they are held to the
// published GM/T test vectors and to Node's own OpenSSL implementation, so a broken or swapped
// package shows up as a failing test rather than as a province refusing every message.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { sm2, sm3, sm4 } from 'sm-crypto-v2';
import { describe, expect, test } from 'vitest';
import { SmPayloadError, sm2SignBase64, sm2VerifyBase64, sm4DecryptText, sm4EncryptText, smPayloadCipher } from '../../../native/centre/security/sm';
import { type RequestEnvelope } from '../../../core/centre/envelope';

const GMT_KEY = '0123456789abcdeffedcba9876543210';

describe('GM/T test vectors', () => {
  test('SM4 (GM/T 0002-2012, example 1): one block, both ways', () => {
    const key = Buffer.from(GMT_KEY, 'hex');
    expect(sm4.encrypt(new Uint8Array(key), GMT_KEY, { mode: 'ecb', padding: 'none' })).toBe('681edf34d206965e86b3e94f536e4246');
    expect(sm4.decrypt(new Uint8Array(Buffer.from('681edf34d206965e86b3e94f536e4246', 'hex')), GMT_KEY, { mode: 'ecb', padding: 'none', output: 'array' })).toEqual(new Uint8Array(key));
  });

  test('SM3 (GM/T 0004-2012, examples 1 and 2)', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  test('SM4-ECB with PKCS#7 and SM3 agree with the OpenSSL built into Node on sample texts', () => {
    for (const text of ['', '{"a":"中文"}', 'x'.repeat(16), JSON.stringify({ data: { psn_no: 'P'.repeat(300) } })]) {
      const ours = Buffer.from(sm4EncryptText(text, new Uint8Array(Buffer.from(GMT_KEY, 'hex'))), 'base64');
      const openssl = createCipheriv('sm4-ecb', Buffer.from(GMT_KEY, 'hex'), null);
      expect(ours.equals(Buffer.concat([openssl.update(text, 'utf8'), openssl.final()]))).toBe(true);
      const back = createDecipheriv('sm4-ecb', Buffer.from(GMT_KEY, 'hex'), null);
      expect(Buffer.concat([back.update(ours), back.final()]).toString('utf8')).toBe(text);
      expect(sm3(text)).toBe(createHash('sm3').update(text, 'utf8').digest('hex'));
    }
  });

  test('SM2 with SM3: r||s signatures verify with the public key only, and not after any change', () => {
    const pair = sm2.generateKeyPairHex();
    const other = sm2.generateKeyPairHex();
    const sig = sm2SignBase64('{"signIn":{"opter_no":"1"}}', pair.privateKey);
    expect(Buffer.from(sig, 'base64')).toHaveLength(64);
    expect(sm2VerifyBase64('{"signIn":{"opter_no":"1"}}', sig, pair.publicKey)).toBe(true);
    expect(sm2VerifyBase64('{"signIn":{"opter_no":"2"}}', sig, pair.publicKey)).toBe(false);
    expect(sm2VerifyBase64('{"signIn":{"opter_no":"1"}}', sig, other.publicKey)).toBe(false);
    expect(sm2VerifyBase64('{"signIn":{"opter_no":"1"}}', 'AAAA', pair.publicKey)).toBe(false);
  });
});

describe('the payload cipher', () => {
  const pair = sm2.generateKeyPairHex();
  const key = new Uint8Array(Buffer.from(GMT_KEY, 'hex'));
  const envelope = { infno: '1101', cainfo: '', signtype: '', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: 'X' } } } as unknown as RequestEnvelope;

  test('encrypts input, signs the plaintext, and reads an encrypted output back', () => {
    const sent = smPayloadCipher({ sm4Key: key, sm2PrivateKey: pair.privateKey }).protect(envelope);
    expect(sent).toMatchObject({ signtype: 'SM2', enc_type: 'SM4', infno: '1101' });
    const plain = sm4DecryptText(sent.input as string, key, 'input');
    expect(JSON.parse(plain)).toEqual(envelope.input);
    expect(sm2VerifyBase64(plain, sent.cainfo as string, pair.publicKey)).toBe(true);
    const reply = { infcode: 0, output: sm4EncryptText('{"baseinfo":{"psn_no":"P1"}}', key) };
    expect(smPayloadCipher({ sm4Key: key, sm2PrivateKey: pair.privateKey }).reveal(reply)).toEqual({ infcode: 0, output: { baseinfo: { psn_no: 'P1' } } });
    expect(smPayloadCipher({ sm4Key: key, sm2PrivateKey: pair.privateKey }).reveal({ infcode: -1, output: null, err_msg: 'x' })).toEqual({ infcode: -1, output: null, err_msg: 'x' });
  });

  test('a reply under another SM4 key is a clear error, not garbage', () => {
    const reply = { infcode: 0, output: sm4EncryptText('{"baseinfo":{"psn_no":"P1"}}', new Uint8Array(16).fill(7)) };
    expect(() => smPayloadCipher({ sm4Key: key, sm2PrivateKey: pair.privateKey }).reveal(reply)).toThrow(SmPayloadError);
    expect(() => smPayloadCipher({ sm4Key: key, sm2PrivateKey: pair.privateKey }).reveal(reply)).toThrow(/SM4 (解密失败|密钥与中心不一致)/);
    expect(() => sm4DecryptText('abc', key, 'output')).toThrow('output: 不是 SM4 密文');
  });
});
