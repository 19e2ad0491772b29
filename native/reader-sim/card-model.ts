// A simulated social security card: the SSSE application with EF05/EF06 TLV records, answering
// ISO 7816 APDUs the way a T=0 card does (research card-reader.md §1–§2, §6.4):
// - SELECT by DF name answers 61xx (FCI waiting) → GET RESPONSE;
// - READ RECORD with an Le other than the record's size answers 6Cxx (the right Le);
// - an absent record answers 6A83 (4E on a 1.00 card), an unknown file 6A82;
// - a 3rd-generation card answers 6982 to protected records until unlocked (the reader's PSAM).
import { bytesEqual, concatBytes, fromHex } from '../../core/card/bytes';
import { SSSE_DF_NAME } from '../../core/card/records';
import { encodeGbk } from './gbk';

/** Everything printed on and stored in a card; fixtures are obviously fictional. */
export interface CardProfile {
  /** 6-digit issuing region (first 6 chars of the card identification code). */
  readonly region: string;
  /** 16 hex chars after region + RID D156000005. */
  readonly chipSerial: string;
  readonly cardType: string;
  readonly version: '1.00' | '2.00' | '3.00';
  readonly initOrg: string;
  /** YYYY-MM-DD */
  readonly issuedOn: string;
  readonly expiresOn: string;
  readonly cardNo: string;
  readonly ssn: string;
  readonly name: string;
  readonly sex: '1' | '2';
  readonly nation: string;
  readonly birthPlace: string;
  readonly birthDate: string;
  /** Issuer quirk: the name record stored at its real length, so a standard Le gets 6Cxx. */
  readonly unpaddedName?: boolean;
}

export const RID = 'D156000005';

export function cardIdOf(profile: Pick<CardProfile, 'region' | 'chipSerial'>): string {
  return `${profile.region}${RID}${profile.chipSerial}`.toUpperCase();
}

const an = (text: string, length: number): Uint8Array => pad(Uint8Array.from([...text].map((c) => c.charCodeAt(0))), length, 0x00);
const gbk = (text: string, length: number): Uint8Array => pad(encodeGbk(text), length, 0x00);
const date = (iso: string): Uint8Array => cn(iso.replace(/-/g, ''), 4);

/** BCD digits left-aligned, right-padded with F nibbles. */
function cn(digits: string, length: number): Uint8Array {
  if (digits.length > length * 2) throw new Error(`${digits} does not fit ${length} bytes`);
  return fromHex(digits.padEnd(length * 2, 'F'));
}

function pad(bytes: Uint8Array, length: number, fill: number): Uint8Array {
  if (bytes.length > length) throw new Error(`value of ${bytes.length} bytes does not fit ${length}`);
  const out = new Uint8Array(length).fill(fill);
  out.set(bytes);
  return out;
}

/** Splits a GBK name into record 09 (30 bytes) and the 4E extension, at a character boundary. */
function splitName(name: string): [string, string] {
  let head = '';
  for (const ch of name) {
    if (encodeGbk(head + ch).length > 30) break;
    head += ch;
  }
  return [head, name.slice(head.length)];
}

type Ef = 'EF05' | 'EF06';
const PROTECTED_3RD_GEN: ReadonlySet<number> = new Set([0x05, 0x06, 0x08, 0x09, 0x4e, 0x0a, 0x0b, 0x0c, 0x0d]);

export function recordsOf(profile: CardProfile): Record<Ef, Map<number, Uint8Array>> {
  const [name, extension] = splitName(profile.name);
  if (extension && profile.version === '1.00') throw new Error(`a 1.00 card has no 4E record for the name ${profile.name}`);
  const ef05 = new Map<number, Uint8Array>([
    [0x01, fromHex(cardIdOf(profile))],
    [0x02, an(profile.cardType, 1)],
    [0x03, an(profile.version, 4)],
    [0x04, cn(profile.initOrg, 12)],
    [0x05, date(profile.issuedOn)],
    [0x06, date(profile.expiresOn)],
    [0x07, an(profile.cardNo, 9)],
  ]);
  const ef06 = new Map<number, Uint8Array>([
    [0x08, an(profile.ssn, 18)],
    [0x09, profile.unpaddedName ? encodeGbk(name) : gbk(name, 30)],
    [0x0a, an(profile.sex, 1)],
    [0x0b, cn(profile.nation, 1)],
    [0x0c, cn(profile.birthPlace, 3)],
    [0x0d, date(profile.birthDate)],
  ]);
  if (profile.version !== '1.00') ef06.set(0x4e, gbk(extension, 20));
  return { EF05: ef05, EF06: ef06 };
}

/** Behaviour every simulated CPU card shares; the reader only sees `atr()` and `process()`. */
export interface SimCard {
  readonly label: string;
  /** A card that never answers reset (a memory card, or inserted the wrong way). */
  readonly mute?: boolean;
  atr(): Uint8Array;
  /** Cold/warm reset: selection and security state are lost. */
  reset(unlocked: boolean): void;
  process(apdu: Uint8Array): Uint8Array;
}

const sw = (hex: string): Uint8Array => fromHex(hex);
const OK = sw('9000');

export class SsseCard implements SimCard {
  readonly label: string;
  private readonly files: Record<Ef, Map<number, Uint8Array>>;
  private currentDf: 'MF' | 'SSSE' = 'MF';
  private currentEf: Ef | null = null;
  private pending: Uint8Array | null = null;
  private unlocked = false;

  constructor(readonly profile: CardProfile, label = profile.cardNo) {
    this.label = label;
    this.files = recordsOf(profile);
  }

  atr(): Uint8Array {
    // TS 3B, T0 6D (TB1, TC1, 13 historical bytes), T=0 only. Historical bytes carry region and serial.
    return concatBytes(fromHex('3B6D0000'), fromHex('0081'), cn(this.profile.region, 3), fromHex(this.profile.chipSerial));
  }

  reset(unlocked: boolean): void {
    this.currentDf = 'MF';
    this.currentEf = null;
    this.pending = null;
    this.unlocked = unlocked;
  }

  process(apdu: Uint8Array): Uint8Array {
    const [cla, ins, p1, p2] = apdu;
    if (apdu.length < 4) return sw('6700');
    if (cla !== 0x00) return sw('6E00');
    const body = apdu.subarray(4);
    if (ins !== 0xc0) this.pending = null;
    switch (ins) {
      case 0xa4: return this.select(p1!, body);
      case 0xc0: return this.getResponse(body);
      case 0xb2: return this.readRecord(p1!, p2!, body);
      case 0x84: return concatBytes(Uint8Array.from({ length: 8 }, () => Math.floor(Math.random() * 256)), OK);
      default: return sw('6D00');
    }
  }

  private select(p1: number, body: Uint8Array): Uint8Array {
    const lc = body[0] ?? 0;
    const data = body.subarray(1, 1 + lc);
    if (p1 === 0x04) {
      if (!bytesEqual(data, SSSE_DF_NAME)) return sw('6A82');
      this.currentDf = 'SSSE';
      this.currentEf = null;
      this.pending = this.fci();
      return fromHex(`61${this.pending.length.toString(16).padStart(2, '0')}`);
    }
    const fid = data.length === 2 ? (data[0]! << 8) | data[1]! : -1;
    if (fid === 0x3f00) { this.currentDf = 'MF'; this.currentEf = null; return OK; }
    if (this.currentDf !== 'SSSE') return sw('6A82');
    if (fid === 0xef05) { this.currentEf = 'EF05'; return OK; }
    if (fid === 0xef06) { this.currentEf = 'EF06'; return OK; }
    return sw('6A82');
  }

  private fci(): Uint8Array {
    const proprietary = fromHex(`9F0C038601${this.profile.version.startsWith('3') ? '04' : '03'}`);
    const inner = concatBytes(Uint8Array.from([0x84, SSSE_DF_NAME.length]), SSSE_DF_NAME, Uint8Array.from([0xa5, proprietary.length]), proprietary);
    return concatBytes(Uint8Array.from([0x6f, inner.length]), inner);
  }

  private getResponse(body: Uint8Array): Uint8Array {
    if (!this.pending) return sw('6985');
    const le = body[0] ?? 0;
    if (le === 0 || le > this.pending.length) return fromHex(`6C${this.pending.length.toString(16).padStart(2, '0')}`);
    const out = this.pending.subarray(0, le);
    const rest = this.pending.subarray(le);
    this.pending = rest.length > 0 ? rest : null;
    return concatBytes(out, rest.length > 0 ? fromHex(`61${rest.length.toString(16).padStart(2, '0')}`) : OK);
  }

  private readRecord(record: number, p2: number, body: Uint8Array): Uint8Array {
    let ef: Ef | null = this.currentEf;
    if (p2 === 0x2c) ef = 'EF05';
    else if (p2 === 0x34) ef = 'EF06';
    else if (p2 !== 0x04) return sw('6A86');
    if (!ef || this.currentDf !== 'SSSE') return sw('6986');
    const value = this.files[ef].get(record);
    if (!value) return sw('6A83');
    if (this.profile.version.startsWith('3') && !this.unlocked && PROTECTED_3RD_GEN.has(record)) return sw('6982');
    const size = value.length + 2;
    const le = body[0] ?? 0;
    // T=0: a wrong Le is answered with 6Cxx carrying the right one (Le 00 means 256).
    if (le !== size) return fromHex(`6C${size.toString(16).padStart(2, '0')}`);
    return concatBytes(Uint8Array.from([record, value.length]), value, OK);
  }
}

/** A CPU card without the SSSE application (a bank or transport card): SELECT answers 6A82. */
export class ForeignCpuCard implements SimCard {
  readonly label = 'foreign CPU card';
  atr(): Uint8Array { return fromHex('3B6800000073C84013009000'); }
  reset(): void {}
  process(apdu: Uint8Array): Uint8Array {
    return apdu[1] === 0xa4 ? sw('6A82') : sw('6D00');
  }
}

/** A card that gives no ATR (memory card, or upside down): the reader answers E62 to reset. */
export class MuteCard implements SimCard {
  readonly label = 'mute card';
  readonly mute = true;
  atr(): Uint8Array { return new Uint8Array(); }
  reset(): void {}
  process(): Uint8Array { return sw('6F00'); }
}
