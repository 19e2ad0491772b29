// The typed result of a card read, its zod schema (for every boundary that carries it: CLI output,
// the checkout API), the 1101 identity input it yields, and log redaction of its personal fields.
import { z } from 'zod';
import { CardDecodeError } from './decode';
import { type RecordKey, SSSE_RECORDS } from './records';
import { isResidentIdNumber } from './resident-id';

const date = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'YYYY-MM-DD or empty');

export const CardholderRecord = z.object({
  /** 卡识别码: 32 hex chars, the 1101 `card_sn`. */
  cardId: z.string().regex(/^[0-9A-F]{32}$/),
  /** 发卡地区行政区划代码 = first 6 chars of cardId (a hint for 参保地, not authoritative). */
  region: z.string().regex(/^\d{6}$/),
  cardType: z.string(),
  /** 规范版本, e.g. "2.00"; first char "3" = 3rd generation. */
  version: z.string().min(1),
  /** 3 when the version starts with "3"; 1.00 and 2.00 cards are both 2nd generation (research §1.5). */
  generation: z.union([z.literal(2), z.literal(3)]),
  initOrg: z.string(),
  issuedOn: date,
  expiresOn: date,
  /** 卡号: the 1101 `mdtrt_cert_no` for certificate type 03. */
  cardNo: z.string().min(1),
  ssn: z.string(),
  /** Record 09 and the 4E extension joined. */
  name: z.string(),
  /** As the card codes it: "1" male, "2" female (GB/T 2261.1). */
  sex: z.string(),
  /** As the card codes it: "01" 汉 … "56" (GB 3304). */
  nation: z.string(),
  birthPlace: z.string(),
  birthDate: date,
  /** Answer-to-reset from the reader, hex. */
  atr: z.string().regex(/^([0-9A-F]{2})*$/),
});
export type CardholderRecord = z.infer<typeof CardholderRecord>;

export type DecodedFields = Partial<Record<RecordKey, string>>;

/** Builds the record from decoded fields; a missing required field is a CardDecodeError. */
export function buildCardholder(fields: DecodedFields, atrHex: string): CardholderRecord {
  for (const r of SSSE_RECORDS) {
    if (r.required && !fields[r.key]) throw new CardDecodeError(r, 'required record is absent');
  }
  const f = (key: RecordKey): string => fields[key] ?? '';
  const version = f('version');
  const first = version.charAt(0);
  return CardholderRecord.parse({
    cardId: f('cardId'),
    region: f('cardId').slice(0, 6),
    cardType: f('cardType'),
    version,
    generation: first === '3' ? 3 : 2,
    initOrg: f('initOrg'),
    issuedOn: f('issuedOn'),
    expiresOn: f('expiresOn'),
    cardNo: f('cardNo'),
    ssn: f('ssn'),
    name: (f('name') + f('nameExtension')).trim(),
    sex: f('sex'),
    nation: f('nation'),
    birthPlace: f('birthPlace'),
    birthDate: f('birthDate'),
    atr: atrHex,
  });
}

/** Transaction 1101 (人员信息获取) input for a social security card (凭证类型 03). */
export interface Identity1101Input {
  readonly mdtrt_cert_type: '03';
  /** 卡号 */
  readonly mdtrt_cert_no: string;
  /** 卡识别码, mandatory for certificate type 03. */
  readonly card_sn: string;
  /** 01 居民身份证 when the SSN is an 18-character resident ID; provinces vary, see research §3.5. */
  readonly psn_cert_type: '01' | '';
  readonly certno: string;
  readonly psn_name: string;
}

export function identityInput1101(holder: CardholderRecord): Identity1101Input {
  const residentId = isResidentIdNumber(holder.ssn);
  return {
    mdtrt_cert_type: '03',
    mdtrt_cert_no: holder.cardNo,
    card_sn: holder.cardId,
    psn_cert_type: residentId ? '01' : '',
    certno: holder.ssn,
    psn_name: holder.name,
  };
}

/** "测试甲" → "测**": keeps the surname for recognition, hides the rest. */
export function redactName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** "420302199001011234" → "420302********1234". */
export function redactIdNumber(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** The record with holder-identifying fields masked, for logs and traces. */
export function redactCardholder(holder: CardholderRecord): CardholderRecord {
  return {
    ...holder,
    ssn: redactIdNumber(holder.ssn),
    name: redactName(holder.name),
    sex: holder.sex ? '*' : '',
    nation: holder.nation ? '**' : '',
    birthPlace: holder.birthPlace ? '******' : '',
    birthDate: holder.birthDate ? `${holder.birthDate.slice(0, 4)}-**-**` : '',
  };
}
