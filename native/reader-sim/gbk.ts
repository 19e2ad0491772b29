// GBK encoding for the simulator's card fixtures. Node has a GBK decoder (WHATWG TextDecoder) but no
// encoder, so the reverse table is built once by decoding every two-byte GBK code.
let table: Map<string, number> | undefined;

function encoderTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.from([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  return table;
}

export function encodeGbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) { out.push(c); continue; }
    const code = encoderTable().get(ch);
    if (code === undefined) throw new Error(`character ${JSON.stringify(ch)} has no GBK code`);
    out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}
