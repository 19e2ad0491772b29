// The SSSE card application: the APDU sequence that reads EF05/EF06 and turns it into a typed
// CardholderRecord. Transport-free: it talks to the card through an `ApduPort`, so the same code runs
// over the serial driver, the in-process virtual reader, or a test double.
//
// Sequence (spec reader-protocol.md, research §2.2): SELECT SSSE by name → SELECT EF05 → READ RECORD
// 01..07 → SELECT EF06 → READ RECORD 08, 09, 4E, 0A, 0B, 0C, 0D. Nothing is returned until every record
// has been read and decoded, so a failure can never leak a half-read holder.
import { z } from 'zod';
import { describeApdu, getResponse, readRecord, selectEf, selectSsse, withLe } from './apdu';
import { hex2, toHex } from './bytes';
import { buildCardholder, type CardholderRecord, type DecodedFields } from './cardholder';
import { CardDecodeError, decodeRecord } from './decode';
import { CardError } from './errors';
import { type RecordSpec, SSSE_RECORDS } from './records';
import { classifyStatusWord, describeStatusWord, statusWord, type StatusWord } from './status-words';

/**
 * Sends one command APDU to the card and resolves with the response APDU (data + SW1 SW2).
 * Transport failures reject with a CardError (NO_CARD, CARD_REMOVED, RESPONSE_TIMEOUT, …).
 */
export type ApduPort = (command: Uint8Array) => Promise<Uint8Array>;

export interface CardResponse { readonly data: Uint8Array; readonly sw: StatusWord }

/** At most this many chained 61xx GET RESPONSEs: a card asking for more is broken. */
const MAX_GET_RESPONSE = 8;

/**
 * Transmits with the T=0 conveniences: 61xx → GET RESPONSE (accumulating), 6Cxx → resend once with
 * the offered Le. Other status words are returned for the caller to judge.
 */
export async function transmit(apdu: ApduPort, command: Uint8Array): Promise<CardResponse> {
  let response = split(await apdu(command), command);
  if (response.sw.sw1 === 0x6c) response = split(await apdu(withLe(command, response.sw.sw2)), command);
  let data = response.data;
  for (let i = 0; response.sw.sw1 === 0x61; i++) {
    if (i >= MAX_GET_RESPONSE) throw new CardError('NOT_SSCARD', `${describeApdu(command)}: card kept answering 61xx`);
    response = split(await apdu(getResponse(response.sw.sw2)), command);
    data = concat(data, response.data);
  }
  return { data, sw: response.sw };
}

function split(rapdu: Uint8Array, command: Uint8Array): CardResponse {
  if (rapdu.length < 2) throw new CardError('LINK_CHECKSUM', `${describeApdu(command)}: reader returned a response of ${rapdu.length} bytes, without a status word`);
  return { data: rapdu.subarray(0, rapdu.length - 2), sw: statusWord(rapdu[rapdu.length - 2]!, rapdu[rapdu.length - 1]!) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function failForStatus(what: string, sw: StatusWord, version: string | undefined): never {
  const { action } = classifyStatusWord(sw);
  if (action === 'psam-required') {
    const gen = version?.startsWith('3') ? `3rd-generation card (${version})` : `card${version ? ` (${version})` : ''}`;
    throw new CardError('PSAM_REQUIRED', `${what}: ${describeStatusWord(sw)}: ${gen} holder data needs PSAM/HSM (RKSSSE) authentication`);
  }
  if (action === 'not-sscard') throw new CardError('NOT_SSCARD', `${what}: ${describeStatusWord(sw)}: not a social security card`);
  throw new CardError('NOT_SSCARD', `${what}: card answered ${describeStatusWord(sw)}`);
}

async function selectFile(apdu: ApduPort, command: Uint8Array, what: string): Promise<Uint8Array> {
  const { data, sw } = await transmit(apdu, command);
  if (sw.hex !== '9000') failForStatus(what, sw, undefined);
  return data;
}

async function readOne(apdu: ApduPort, record: RecordSpec, version: string | undefined): Promise<string | undefined> {
  const what = `READ RECORD ${hex2(record.tag)} (${record.label})`;
  const { data, sw } = await transmit(apdu, readRecord(record.tag, record.length + 2));
  const { action } = classifyStatusWord(sw);
  if (action === 'absent') return undefined;
  if (action !== 'ok') failForStatus(what, sw, version);
  // Records carry their own number as tag. Another tag (or none) means the reply belongs to another
  // command: a late duplicate after a resend. That is a link fault, and the reader restarts the read.
  if (data[0] !== record.tag) {
    const got = data.length === 0 ? 'no record' : `record ${hex2(data[0]!)}`;
    throw new CardError('LINK_CHECKSUM', `${what}: reply out of step (${got}): a late duplicate reply?`);
  }
  try {
    return decodeRecord(record, data);
  } catch (error) {
    if (error instanceof CardDecodeError) throw new CardError('NOT_SSCARD', `malformed card data: ${error.message}`);
    throw error;
  }
}

export interface SsseReadResult {
  readonly holder: CardholderRecord;
  /** FCI of the SSSE application (after GET RESPONSE), hex; kept for diagnostics. */
  readonly fci: string;
}

/** Runs the whole read on a card that has just been reset; `atr` is the reader's answer-to-reset. */
export async function readSsseCard(apdu: ApduPort, atr: Uint8Array): Promise<SsseReadResult> {
  const fci = await selectFile(apdu, selectSsse(), 'SELECT SSSE application');
  const fields: DecodedFields = {};
  for (const file of ['EF05', 'EF06'] as const) {
    await selectFile(apdu, selectEf(file), `SELECT ${file}`);
    for (const record of SSSE_RECORDS.filter((r) => r.file === file)) {
      const value = await readOne(apdu, record, fields.version);
      if (value !== undefined) fields[record.key] = value;
    }
  }
  try {
    return { holder: buildCardholder(fields, toHex(atr)), fci: toHex(fci) };
  } catch (error) {
    if (error instanceof CardDecodeError) throw new CardError('NOT_SSCARD', `malformed card data: ${error.message}`);
    if (error instanceof z.ZodError) throw new CardError('NOT_SSCARD', `malformed card data: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    throw error;
  }
}
