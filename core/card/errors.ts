// The outcome codes of a card read, shared by the card application, the reader driver, the CLI and
// (later) the checkout API. The set is the issue-4 contract: do not add codes without changing it.

export const CARD_ERROR_CODES = {
  NO_CARD: 'no card in the reader',
  CARD_REMOVED: 'the card was removed (or went mute) during the read',
  PSAM_REQUIRED: '3rd-generation holder data needs PSAM/HSM (RKSSSE) authentication, which this reader lacks',
  NOT_SSCARD: 'the card is not a readable social security card (no SSSE application, or malformed records)',
  RESPONSE_TIMEOUT: 'the reader did not answer in time',
  LINK_CHECKSUM: 'the link to the reader garbles or rejects frames (checksum, malformed or refused frames)',
  READER_DISCONNECTED: 'the reader went away (unplugged, or the port was closed)',
  PORT_UNAVAILABLE: 'the serial port cannot be opened',
} as const;

export type CardErrorCode = keyof typeof CARD_ERROR_CODES;

export function isCardErrorCode(value: string): value is CardErrorCode {
  return Object.hasOwn(CARD_ERROR_CODES, value);
}

/** Thrown inside the read path; turned into a `{ ok: false, error, message }` outcome at the port. */
export class CardError extends Error {
  constructor(readonly code: CardErrorCode, message: string) {
    super(message);
    this.name = 'CardError';
  }
}

export interface CardFailure {
  readonly ok: false;
  readonly error: CardErrorCode;
  readonly message: string;
}

export function failure(error: CardErrorCode, message: string): CardFailure {
  return { ok: false, error, message };
}

/** Any thrown value → a failure outcome; a non-CardError is a bug and says so. */
export function toFailure(error: unknown, fallback: CardErrorCode = 'READER_DISCONNECTED'): CardFailure {
  if (error instanceof CardError) return failure(error.code, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return failure(fallback, `unexpected error: ${message}`);
}
