// SM4-encrypted input/output with an SM3-with-SM2 signature in cainfo, as the Jilin gateway wants it
// (restated from newtouch-cloud/openhis-itaii openhis-server/openhis-ybapp/src/main/java/com/openhis/
// service/impl/HandlerServiceImpl.java and utils/EasyGmUtils.java):
//   input   = base64( SM4/ECB/PKCS#7( UTF-8 JSON text of the plaintext input ) )
//   cainfo  = base64( SM3withSM2 signature r||s (64 bytes) over that same JSON text, default user id )
//   signtype "SM2", enc_type "SM4"; the reply's output is base64 SM4 ciphertext of its JSON.
// The primitives are sm-crypto-v2's (checked against the GM/T test vectors and Node's OpenSSL in
// test/unit/centre/security.test.ts); nothing here is hand-rolled crypto.
import { sm2, sm4 } from 'sm-crypto-v2';
import { type RequestEnvelope } from '../../../core/centre/envelope';
import { type PayloadCipher } from '../variants';

export interface SmKeys {
  /** 16 bytes. */
  readonly sm4Key: Uint8Array;
  /** The pharmacy's SM2 private key, 64 hex digits. */
  readonly sm2PrivateKey: string;
}

export class SmPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmPayloadError';
  }
}

const SM4_OPTIONS = { mode: 'ecb', padding: 'pkcs#7' } as const;

export function sm4EncryptText(text: string, key: Uint8Array): string {
  return Buffer.from(sm4.encrypt(text, key, { ...SM4_OPTIONS, output: 'array' })).toString('base64');
}

/** Throws SmPayloadError when the key does not fit the ciphertext (wrong key, damaged message). */
export function sm4DecryptText(base64: string, key: Uint8Array, what: string): string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) throw new SmPayloadError(`${what}: 不是 SM4 密文（长度 ${bytes.length} 字节）`);
  try {
    return sm4.decrypt(new Uint8Array(bytes), key, { ...SM4_OPTIONS, output: 'string' });
  } catch {
    throw new SmPayloadError(`${what}: SM4 解密失败——SM4 密钥与对方不一致，或报文已损坏`);
  }
}

export function sm2SignBase64(text: string, privateKeyHex: string): string {
  return Buffer.from(sm2.doSignature(text, privateKeyHex, { hash: true, der: false }), 'hex').toString('base64');
}

export function sm2VerifyBase64(text: string, signatureBase64: string, publicKeyHex: string): boolean {
  const hex = Buffer.from(signatureBase64, 'base64').toString('hex');
  if (hex.length !== 128) return false;
  try {
    return sm2.doVerifySignature(text, hex, publicKeyHex, { hash: true, der: false });
  } catch {
    return false;
  }
}

export function sm2PublicKeyOf(privateKeyHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKeyHex);
}

export function smPayloadCipher(keys: SmKeys): PayloadCipher {
  return {
    protect(envelope: RequestEnvelope) {
      const text = JSON.stringify(envelope.input);
      return { ...envelope, cainfo: sm2SignBase64(text, keys.sm2PrivateKey), signtype: 'SM2', enc_type: 'SM4', input: sm4EncryptText(text, keys.sm4Key) };
    },
    reveal(reply: unknown) {
      if (typeof reply !== 'object' || reply === null) return reply;
      const output = (reply as { output?: unknown }).output;
      // Failures come back with output null; only a ciphertext is decrypted.
      if (typeof output !== 'string' || output === '') return reply;
      const text = sm4DecryptText(output, keys.sm4Key, 'output');
      try {
        return { ...reply, output: JSON.parse(text) as unknown };
      } catch {
        throw new SmPayloadError('output: 解密后不是 JSON——SM4 密钥与中心不一致');
      }
    },
  };
}
