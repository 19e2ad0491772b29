// PC/SC return codes (SCARD_* of WinSCard and pcsc-lite, the same numbers on every OS) and what a
// card read makes of each. Sources: pcsc-lite's pcsclite.h / Microsoft's winerror.h SCARD_* list.
import { type CardErrorCode } from '../card/errors';

interface PcscCodeRow { readonly name: string; readonly meaning: string; readonly outcome: CardErrorCode }

const ROWS: Readonly<Record<number, PcscCodeRow>> = {
  0x80100002: { name: 'SCARD_E_CANCELLED', meaning: 'the call was cancelled', outcome: 'READER_DISCONNECTED' },
  0x80100003: { name: 'SCARD_E_INVALID_HANDLE', meaning: 'invalid handle', outcome: 'READER_DISCONNECTED' },
  0x80100009: { name: 'SCARD_E_UNKNOWN_READER', meaning: 'no such reader', outcome: 'READER_DISCONNECTED' },
  0x8010000a: { name: 'SCARD_E_TIMEOUT', meaning: 'timed out', outcome: 'RESPONSE_TIMEOUT' },
  0x8010000b: { name: 'SCARD_E_SHARING_VIOLATION', meaning: 'another program holds the card', outcome: 'PORT_UNAVAILABLE' },
  0x8010000c: { name: 'SCARD_E_NO_SMARTCARD', meaning: 'no card in the reader', outcome: 'NO_CARD' },
  0x8010000f: { name: 'SCARD_E_PROTO_MISMATCH', meaning: 'the card speaks neither T=0 nor T=1', outcome: 'NOT_SSCARD' },
  0x80100016: { name: 'SCARD_E_NOT_TRANSACTED', meaning: 'the exchange with the card failed', outcome: 'CARD_REMOVED' },
  0x80100017: { name: 'SCARD_E_READER_UNAVAILABLE', meaning: 'the reader is unavailable (unplugged?)', outcome: 'READER_DISCONNECTED' },
  0x8010001d: { name: 'SCARD_E_NO_SERVICE', meaning: 'the smart-card service (pcscd / SCardSvr) is not running', outcome: 'PORT_UNAVAILABLE' },
  0x8010001e: { name: 'SCARD_E_SERVICE_STOPPED', meaning: 'the smart-card service stopped', outcome: 'READER_DISCONNECTED' },
  0x8010002e: { name: 'SCARD_E_NO_READERS_AVAILABLE', meaning: 'no reader is connected', outcome: 'PORT_UNAVAILABLE' },
  0x80100065: { name: 'SCARD_W_UNSUPPORTED_CARD', meaning: 'the reader cannot talk to this card', outcome: 'NOT_SSCARD' },
  0x80100066: { name: 'SCARD_W_UNRESPONSIVE_CARD', meaning: 'the card does not answer reset (mute, or inserted the wrong way)', outcome: 'NOT_SSCARD' },
  0x80100067: { name: 'SCARD_W_UNPOWERED_CARD', meaning: 'the card is not powered', outcome: 'CARD_REMOVED' },
  0x80100068: { name: 'SCARD_W_RESET_CARD', meaning: 'the card was reset by another program', outcome: 'CARD_REMOVED' },
  0x80100069: { name: 'SCARD_W_REMOVED_CARD', meaning: 'the card was removed', outcome: 'CARD_REMOVED' },
};

export interface PcscFailure { readonly code: number | null; readonly name: string; readonly meaning: string; readonly outcome: CardErrorCode }

/** Reads the SCARD code out of a binding's error text ("SCardTransmit error: …(0x80100069)"). */
export function classifyPcscError(message: string, fallback: CardErrorCode = 'READER_DISCONNECTED'): PcscFailure {
  const match = /\(0x([0-9a-f]{1,8})\)/i.exec(message);
  const code = match ? Number.parseInt(match[1]!, 16) : null;
  const row = code === null ? undefined : ROWS[code];
  if (row) return { code, ...row };
  return { code, name: code === null ? 'unknown' : `0x${code.toString(16).toUpperCase().padStart(8, '0')}`, meaning: message, outcome: fallback };
}

/** Reader state bits of SCardGetStatusChange (pcsclite.h). */
export const SCARD_STATE = { UNAVAILABLE: 0x8, EMPTY: 0x10, PRESENT: 0x20, EXCLUSIVE: 0x80, INUSE: 0x100, MUTE: 0x200 } as const;

/** Readers whose name says contactless (PICC, CL, "Contactless"), as dual readers present two slots. */
export function isContactlessName(name: string): boolean {
  return /\b(PICC|CL|contactless|非接)\b/i.test(name) || /PICC|contactless|非接/i.test(name);
}
