// Byte helpers shared by the card application and the reader protocol (pure: no Buffer in core/).

/** Upper-case hex without separators: [0x3b, 0x6d] → "3B6D". */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out.toUpperCase();
}

/** Spaced hex for traces: [0xf2, 0x00] → "F2 00". */
export function toSpacedHex(bytes: Uint8Array): string {
  return toHex(bytes).replace(/(..)(?!$)/g, '$1 ');
}

/** Parses hex with optional spaces ("F2 00 03" or "F20003"); throws on anything else. */
export function fromHex(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(compact)) throw new Error(`not hex bytes: ${JSON.stringify(text)}`);
  const out = new Uint8Array(compact.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** ASCII text → bytes (throws on a non-ASCII character, so nothing is silently mangled). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new Error(`not ASCII: ${JSON.stringify(text)}`);
    out[i] = c;
  }
  return out;
}

export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0').toUpperCase();
}
