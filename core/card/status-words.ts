// ISO 7816 status words the SSSE read can meet, and what the card application does with each
// (research note card-reader.md §2.3). 61xx and 6Cxx carry a length and are handled by the transmitter.

export type SwAction = 'ok' | 'get-response' | 'resend-with-le' | 'absent' | 'not-sscard' | 'psam-required' | 'card-fault';

interface SwRow { readonly meaning: string; readonly action: SwAction }

const EXACT: Readonly<Record<string, SwRow>> = {
  '9000': { meaning: 'OK', action: 'ok' },
  '6A82': { meaning: 'file or application not found', action: 'not-sscard' },
  '6A83': { meaning: 'record not found', action: 'absent' },
  '6982': { meaning: 'security status not satisfied', action: 'psam-required' },
  '6983': { meaning: 'authentication method blocked', action: 'card-fault' },
  '6985': { meaning: 'conditions of use not satisfied', action: 'card-fault' },
  '6986': { meaning: 'command not allowed (no current EF)', action: 'card-fault' },
  '6700': { meaning: 'wrong length', action: 'card-fault' },
  '6A81': { meaning: 'function not supported', action: 'card-fault' },
  '6A86': { meaning: 'wrong P1 P2', action: 'card-fault' },
  '6D00': { meaning: 'instruction not supported', action: 'not-sscard' },
  '6E00': { meaning: 'class not supported', action: 'not-sscard' },
  '9303': { meaning: 'application blocked', action: 'card-fault' },
};

export interface StatusWord { readonly sw1: number; readonly sw2: number; readonly hex: string }

export function statusWord(sw1: number, sw2: number): StatusWord {
  return { sw1, sw2, hex: ((sw1 << 8) | sw2).toString(16).padStart(4, '0').toUpperCase() };
}

export function classifyStatusWord(sw: StatusWord): SwRow {
  if (sw.sw1 === 0x61) return { meaning: `${sw.sw2} response bytes waiting (T=0)`, action: 'get-response' };
  if (sw.sw1 === 0x6c) return { meaning: `wrong Le, the card offers ${sw.sw2}`, action: 'resend-with-le' };
  if (sw.sw1 === 0x63 && (sw.sw2 & 0xf0) === 0xc0) return { meaning: `authentication failed, ${sw.sw2 & 0x0f} tries left`, action: 'card-fault' };
  return EXACT[sw.hex] ?? { meaning: 'unexpected status word', action: 'card-fault' };
}

export function describeStatusWord(sw: StatusWord): string {
  return `SW ${sw.hex} (${classifyStatusWord(sw).meaning})`;
}
