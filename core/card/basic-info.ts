// The standard 社保卡 reader interface (人社部统一读卡接口, SSCardDriver / its vendor builds): the
// output of the basic-information read `long iReadCardBas(int iType, char *pOutInfo)` and its return
// codes, turned into the same CardholderRecord the APDU drivers produce (sources: docs/card-reader.md
// "The standard reader interface").
//
// Output: GBK text, 11 fields each followed by '|':
//   发卡地区行政区划代码 | 社会保障号码 | 卡号 | 卡识别码 | 姓名 | 卡复位信息 | 规范版本 | 发卡日期 | 卡有效期 |
//   终端机编号 | 终端设备号 |
// The interface gives no sex, nation, birthplace or birth date: those fields stay empty.
import { buildCardholder, type CardholderRecord } from './cardholder';
import { CardError, type CardErrorCode } from './errors';

/** iType: which slot the library reads. */
export const READ_MODES = { 1: 'contact', 2: 'contactless', 3: 'auto, contact first', 4: 'auto, contactless first' } as const;
export type ReadMode = 1 | 2 | 3 | 4;

export const BASIC_INFO_FIELDS = ['发卡地区', '社会保障号码', '卡号', '卡识别码', '姓名', '卡复位信息', '规范版本', '发卡日期', '卡有效期', '终端机编号', '终端设备号'] as const;

interface CodeRow { readonly meaning: string; readonly outcome: CardErrorCode }

const CODES: Readonly<Record<number, CodeRow>> = {
  [-1]: { meaning: '卡类型不对 wrong card type', outcome: 'NOT_SSCARD' },
  [-2]: { meaning: '无卡 no card', outcome: 'NO_CARD' },
  [-3]: { meaning: '有卡未上电 card present, not powered', outcome: 'CARD_REMOVED' },
  [-4]: { meaning: '卡无应答 card does not respond', outcome: 'CARD_REMOVED' },
  [-5]: { meaning: '加载动态库错 library load error', outcome: 'PORT_UNAVAILABLE' },
  [-11]: { meaning: '读卡器连接错 reader connection error', outcome: 'PORT_UNAVAILABLE' },
  [-12]: { meaning: '未建立连接 no connection established', outcome: 'READER_DISCONNECTED' },
  [-13]: { meaning: '动态库不支持该命令 command unsupported by the library', outcome: 'PORT_UNAVAILABLE' },
  [-14]: { meaning: '命令参数错 bad command parameter', outcome: 'PORT_UNAVAILABLE' },
  [-15]: { meaning: '信息校验和出错 checksum error', outcome: 'LINK_CHECKSUM' },
  [-20]: { meaning: '卡识别码格式错 card id format error', outcome: 'NOT_SSCARD' },
  [-21]: { meaning: '内部认证失败 internal authentication failed (card not genuine)', outcome: 'NOT_SSCARD' },
  [-24]: { meaning: 'PSAM 卡密钥级别不够 PSAM key level insufficient', outcome: 'PSAM_REQUIRED' },
  [-2201]: { meaning: '无 PSAM 卡 no PSAM', outcome: 'PSAM_REQUIRED' },
  [-2202]: { meaning: 'PSAM 卡算法不支持 PSAM lacks SSF33/SM4', outcome: 'PSAM_REQUIRED' },
  [-2203]: { meaning: 'PSAM 卡内无 RKSSSE 密钥 PSAM lacks the RKSSSE key', outcome: 'PSAM_REQUIRED' },
};

/** A card status word passed through as −(SW1·256+SW2), e.g. −27010 = 6982. */
function statusWordOf(rc: number): string | null {
  const sw = -rc;
  return sw >= 0x6100 && sw <= 0x9fff ? sw.toString(16).toUpperCase().padStart(4, '0') : null;
}

export function describeReturnCode(rc: number): CodeRow {
  const row = CODES[rc];
  if (row) return row;
  const sw = statusWordOf(rc);
  if (sw === '6982') return { meaning: `card SW ${sw}: security status not satisfied`, outcome: 'PSAM_REQUIRED' };
  if (sw === '6A82') return { meaning: `card SW ${sw}: file not found`, outcome: 'NOT_SSCARD' };
  if (sw) return { meaning: `card SW ${sw}`, outcome: 'NOT_SSCARD' };
  return { meaning: 'code not in the standard', outcome: 'NOT_SSCARD' };
}

/** The failure for a non-zero return code; the message carries the vendor's code. */
export function returnCodeError(fn: string, rc: number): CardError {
  const { meaning, outcome } = describeReturnCode(rc);
  return new CardError(outcome, `${fn} returned ${rc} (${meaning}); 厂商返回码 ${rc}`);
}

const date = (field: string, value: string): string => {
  if (value === '') return '';
  if (!/^\d{8}$/.test(value)) throw new CardError('NOT_SSCARD', `library output field ${field}: "${value}" is not YYYYMMDD`);
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
};

/** Parses the decoded output text; anything malformed is NOT_SSCARD naming the field. */
export function parseBasicInfo(text: string): CardholderRecord {
  const body = text.replace(/\0.*$/s, '');
  if (!body.endsWith('|')) throw new CardError('NOT_SSCARD', `library output does not end with "|" (${body.length} characters)`);
  const fields = body.slice(0, -1).split('|');
  if (fields.length < 9) throw new CardError('NOT_SSCARD', `library output has ${fields.length} fields, the standard gives 11`);
  const [region, ssn, cardNo, cardId, name, atr, version, issuedOn, expiresOn] = fields.map((f) => f.trim()) as [string, string, string, string, string, string, string, string, string];
  if (!/^\d{6}$/.test(region)) throw new CardError('NOT_SSCARD', `library output field 发卡地区: "${region.slice(0, 12)}" is not a 6-digit region code`);
  if (!/^[0-9A-Fa-f]{32}$/.test(cardId)) throw new CardError('NOT_SSCARD', 'library output field 卡识别码: not 32 hex characters');
  if (!/^([0-9A-Fa-f]{2})*$/.test(atr)) throw new CardError('NOT_SSCARD', 'library output field 卡复位信息: not hex');
  if (cardNo === '') throw new CardError('NOT_SSCARD', 'library output field 卡号 is empty');
  if (version === '') throw new CardError('NOT_SSCARD', 'library output field 规范版本 is empty');
  const fieldsIn = { cardId: cardId.toUpperCase(), version, issuedOn: date('发卡日期', issuedOn), expiresOn: date('卡有效期', expiresOn), cardNo, ssn, name };
  try {
    return { ...buildCardholder(fieldsIn, atr.toUpperCase()), region };
  } catch (error) {
    throw new CardError('NOT_SSCARD', `library output rejected: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
  }
}

/** The output with holder fields masked, for the trace: which fields came, never their values. */
export function summariseBasicInfo(text: string): string {
  const fields = text.replace(/\0.*$/s, '').split('|');
  return `${Math.max(0, fields.length - 1)} fields: 发卡地区 ${fields[0] ?? ''}, 规范版本 ${fields[6] ?? '?'}, 社会保障号码 ${(fields[1] ?? '').length} chars (masked), 姓名 (masked)`;
}
