// The SSSE records read at checkout (research card-reader.md §1.2–§1.4): which file, which tag,
// how the value is encoded and how long the field is. Tags equal record numbers, so each tag is
// unique across EF05 and EF06.

/**
 * hex   – raw bytes printed as hex (card identification code).
 * an    – ASCII, left-aligned, right-padded with 00.
 * cn    – BCD digits, left-aligned, right-padded with F nibbles; digits only.
 * cnHex – like cn but hex digits allowed (initialising organisation number).
 * date  – cn YYYYMMDD, printed YYYY-MM-DD.
 * gbk   – GBK text, right-padded with 00.
 */
export type RecordFormat = 'hex' | 'an' | 'cn' | 'cnHex' | 'date' | 'gbk';

export type RecordKey =
  | 'cardId' | 'cardType' | 'version' | 'initOrg' | 'issuedOn' | 'expiresOn' | 'cardNo'
  | 'ssn' | 'name' | 'nameExtension' | 'sex' | 'nation' | 'birthPlace' | 'birthDate';

export interface RecordSpec {
  readonly file: 'EF05' | 'EF06';
  readonly tag: number;
  readonly key: RecordKey;
  readonly label: string;
  readonly format: RecordFormat;
  /** Field length in bytes; a value may be shorter (some issuers store it unpadded), never longer. */
  readonly length: number;
  /** A card without this record is not usable for checkout. */
  readonly required: boolean;
  /** Holder data (EF06): masked in traces and logs. */
  readonly personal: boolean;
}

const spec = (file: RecordSpec['file'], tag: number, key: RecordKey, label: string, format: RecordFormat, length: number, required = false): RecordSpec =>
  ({ file, tag, key, label, format, length, required, personal: file === 'EF06' });

export const SSSE_RECORDS: readonly RecordSpec[] = [
  spec('EF05', 0x01, 'cardId', '卡识别码 card identification code', 'hex', 16, true),
  spec('EF05', 0x02, 'cardType', '卡的类别 card type', 'an', 1),
  spec('EF05', 0x03, 'version', '规范版本 spec version', 'an', 4, true),
  spec('EF05', 0x04, 'initOrg', '初始化机构编号 initialising organisation', 'cnHex', 12),
  spec('EF05', 0x05, 'issuedOn', '发卡日期 issue date', 'date', 4),
  spec('EF05', 0x06, 'expiresOn', '卡有效期 expiry date', 'date', 4),
  spec('EF05', 0x07, 'cardNo', '卡号 card number', 'an', 9, true),
  spec('EF06', 0x08, 'ssn', '社会保障号码 social security number', 'an', 18),
  spec('EF06', 0x09, 'name', '姓名 name', 'gbk', 30),
  spec('EF06', 0x4e, 'nameExtension', '姓名扩展 name extension', 'gbk', 20),
  spec('EF06', 0x0a, 'sex', '性别 sex', 'an', 1),
  spec('EF06', 0x0b, 'nation', '民族 nation', 'cn', 1),
  spec('EF06', 0x0c, 'birthPlace', '出生地 birthplace', 'cn', 3),
  spec('EF06', 0x0d, 'birthDate', '出生日期 birth date', 'date', 4),
];

export function recordByTag(tag: number): RecordSpec | undefined {
  return SSSE_RECORDS.find((r) => r.tag === tag);
}

export const FILE_IDS = { EF05: [0xef, 0x05], EF06: [0xef, 0x06] } as const;

/** DF name of the SSSE application: ASCII "sx1.sh." + GBK "社会保障". */
export const SSSE_DF_NAME = Uint8Array.from([0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf]);
