// Command APDUs of the SSSE read (ISO 7816-4, research card-reader.md §2.2).
import { concatBytes } from './bytes';
import { FILE_IDS, SSSE_DF_NAME } from './records';

export const INS = { SELECT: 0xa4, READ_BINARY: 0xb0, READ_RECORD: 0xb2, GET_RESPONSE: 0xc0, GET_DATA: 0xca, GET_CHALLENGE: 0x84 } as const;

/** SELECT by DF name (P1=04), the SSSE application. */
export function selectSsse(): Uint8Array {
  return concatBytes(Uint8Array.from([0x00, INS.SELECT, 0x04, 0x00, SSSE_DF_NAME.length]), SSSE_DF_NAME);
}

/** SELECT an EF under the current DF (P1=02). */
export function selectEf(file: keyof typeof FILE_IDS): Uint8Array {
  return Uint8Array.from([0x00, INS.SELECT, 0x02, 0x00, 0x02, ...FILE_IDS[file]]);
}

/** READ RECORD number `record` of the current EF (P2=04); Le = value length + tag + length byte. */
export function readRecord(record: number, le: number): Uint8Array {
  return Uint8Array.from([0x00, INS.READ_RECORD, record, 0x04, le & 0xff]);
}

export function getResponse(le: number): Uint8Array {
  return Uint8Array.from([0x00, INS.GET_RESPONSE, 0x00, 0x00, le & 0xff]);
}

/** The same command with its Le byte replaced (for a 6Cxx answer). Assumes a case-2/4 APDU. */
export function withLe(command: Uint8Array, le: number): Uint8Array {
  const copy = Uint8Array.from(command);
  copy[copy.length - 1] = le & 0xff;
  return copy;
}

export function describeApdu(command: Uint8Array): string {
  const ins = command[1];
  if (ins === INS.SELECT) {
    if (command[2] === 0x04) return 'SELECT SSSE by name';
    const fid = command.length >= 7 ? `${command[5]!.toString(16)}${command[6]!.toString(16).padStart(2, '0')}`.toUpperCase() : '?';
    return `SELECT ${fid}`;
  }
  if (ins === INS.READ_RECORD) return `READ RECORD ${command[2]!.toString(16).padStart(2, '0').toUpperCase()}`;
  if (ins === INS.GET_RESPONSE) return `GET RESPONSE ${command[4]}`;
  return `INS ${(ins ?? 0).toString(16).toUpperCase()}`;
}
