// The seams for transport variants besides plain JSON (nhsa-interface.md §1.1):
//   RequestSigner  gateway headers (security/tif.ts: the x-tif scheme).
//   PayloadCipher  SM4-encrypted input/output with an SM2-with-SM3 cainfo (security/sm.ts).
// Which one a terminal uses follows from its interface edition (core/centre/editions) and the keys
// the technician stored (security/keys.ts); native/centre/transport.ts composes them.
import { type RequestEnvelope } from '../../core/centre/envelope';

export interface RequestSigner {
  /** Headers to add to a request whose exact body text is `body`. */
  headers(body: string, now: Date): Record<string, string>;
}

export interface PayloadCipher {
  /** The object actually sent (e.g. input replaced by base64 ciphertext, enc_type "SM4", cainfo, signtype "SM2"). */
  protect(envelope: RequestEnvelope): Record<string, unknown>;
  /** The reply with `output` decrypted; throws when it cannot be. */
  reveal(reply: unknown): unknown;
}

export { tifGatewaySigner, verifyTifHeaders, type TifGatewayOptions } from './security/tif';
