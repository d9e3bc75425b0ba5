/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself, `&` is
 * written `&-`, everything else is UTF-16 in base64 (`,` instead of `/`, no padding) between `&` and `-`.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

const isDirect = (code: number): boolean => code >= 0x20 && code <= 0x7e;

export function encodeMutf7(name: string): string {
  let out = '';
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const bytes = Buffer.alloc(pending.length * 2);
    pending.forEach((unit, i) => bytes.writeUInt16BE(unit, i * 2));
    out += '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isDirect(code)) {
      flush();
      out += code === 0x26 ? '&-' : name[i];
    } else {
      pending.push(code);
    }
  }
  flush();
  return out;
}

/** Decodes a wire mailbox name; returns null when it is not canonical modified UTF-7. */
export function decodeMutf7(wire: string): string | null {
  let out = '';
  let i = 0;
  let lastWasEncoded = false;
  while (i < wire.length) {
    const code = wire.charCodeAt(i);
    if (!isDirect(code)) return null;
    if (code !== 0x26) {
      out += wire[i];
      i++;
      lastWasEncoded = false;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) return null;
    const b64 = wire.slice(i + 1, end);
    i = end + 1;
    if (b64 === '') {
      out += '&';
      lastWasEncoded = false;
      continue;
    }
    // Two adjacent encoded runs must have been one run in canonical form.
    if (lastWasEncoded) return null;
    const decoded = decodeBase64Run(b64);
    if (decoded === null) return null;
    out += decoded;
    lastWasEncoded = true;
  }
  return out;
}

function decodeBase64Run(b64: string): string | null {
  let bits = 0;
  let acc = 0;
  const bytes: number[] = [];
  for (const ch of b64) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  // Leftover bits must be zero padding shorter than one base64 digit; the octets must form UTF-16 units.
  if (bits >= 6 || acc !== 0 || bytes.length === 0 || bytes.length % 2 !== 0) return null;
  let s = '';
  for (let k = 0; k < bytes.length; k += 2) s += String.fromCharCode((bytes[k]! << 8) | bytes[k + 1]!);
  // Printable ASCII must not be encoded, and surrogates must pair up.
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (isDirect(c)) return null;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(k + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return null;
      k++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return null;
  }
  return s;
}
