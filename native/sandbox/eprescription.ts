// Training e-prescriptions: the QR texts the sandbox centre understands (7201) and the prescription
// it answers for them (7203). Deterministic, so training and tests can make one at will:
//
//   RX-<fixtureId>-<issuerCode>-<n>       issued today by the sandbox clock: valid
//   RX-<fixtureId>-<issuerCode>-<n>-OLD   issued 10 days ago: expired
//
// e.g. RX-nanchang-active-TRAIN-H360102-L3-1. fixtureId is a training card's (the patient), issuerCode
// a training institution's (core/policy/training/institutions.json, the non-designated one included,
// for practice), n any number (a different n is a different prescription). The prescription number
// (hi_rxno) is derived from the whole QR text; the drugs are always TRAINING_RX_ITEMS. Anything else
// is a QR the centre does not know.
import { createHash } from 'node:crypto';

/** Training catalogue codes (core/policy/training/catalogue.json) every training prescription lists. */
export const TRAINING_RX_ITEMS: readonly string[] = ['TRAIN-D-A01', 'TRAIN-D-B01', 'TRAIN-D-B02'];
/** The centre's own validity window for a training prescription (the store applies its own as well). */
export const TRAINING_RX_VALID_DAYS = 3;
/** How long ago an -OLD prescription was issued. */
export const TRAINING_RX_OLD_DAYS = 10;
export const TRAINING_RX_PRESCRIBER = '【培训】李医生';

export interface TrainingQr {
  readonly fixtureId: string;
  readonly issuerCode: string;
  readonly old: boolean;
}

/** Splits a training QR. Fixture ids and issuer codes both contain '-', so the known ones decide. */
export function parseTrainingQr(qr: string, fixtureIds: readonly string[], issuerCodes: readonly string[]): TrainingQr | null {
  const m = /^RX-(.+)-\d{1,6}(-OLD)?$/.exec(qr);
  if (!m) return null;
  for (const fixtureId of fixtureIds) {
    const rest = m[1]!.startsWith(`${fixtureId}-`) ? m[1]!.slice(fixtureId.length + 1) : null;
    if (rest !== null && issuerCodes.includes(rest)) return { fixtureId, issuerCode: rest, old: m[2] !== undefined };
  }
  return null;
}

/** The training prescription number for a QR: the same QR always names the same prescription. */
export function trainingRxNo(qr: string): string {
  return `HRX${createHash('sha256').update(qr).digest('hex').slice(0, 20).toUpperCase()}`;
}
