/**
 * Content decoding for SEARCH (IMAP.md M38, M41): transfer encodings (RFC 2045 §6.7–6.8) and
 * charsets (WHATWG labels through TextDecoder), plus RFC 2047 encoded words in header values.
 */
import { TextDecoder } from 'node:util';

/** Decodes a quoted-printable body: `=XX` octets, soft line breaks removed, anything else kept. */
export function decodeQuotedPrintable(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x3d) {
      out[o++] = c;
      continue;
    }
    // Soft line break: '=' [whitespace] CRLF / LF.
    let j = i + 1;
    while (j < src.length && (src[j] === 0x20 || src[j] === 0x09)) j++;
    if (src[j] === 0x0d && src[j + 1] === 0x0a) {
      i = j + 1;
      continue;
    }
    if (src[j] === 0x0a) {
      i = j;
      continue;
    }
    const h = hex(src[i + 1]);
    const l = hex(src[i + 2]);
    if (h >= 0 && l >= 0) {
      out[o++] = (h << 4) | l;
      i += 2;
    } else {
      out[o++] = c;
    }
  }
  return out.subarray(0, o);
}

function hex(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Undoes a Content-Transfer-Encoding (base64, quoted-printable); others pass through. */
export function decodeTransfer(body: Buffer, encoding: string | null): Buffer {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

const decoders = new Map<string, TextDecoder | null>();

/** Decodes bytes in `charset` to a JS string; unknown charsets fall back to UTF-8, then latin1. */
export function decodeCharset(bytes: Buffer, charset: string | null | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  let dec = decoders.get(label);
  if (dec === undefined) {
    try {
      dec = new TextDecoder(label === 'us-ascii' || label === 'ascii' ? 'utf-8' : label);
    } catch {
      dec = null;
    }
    if (decoders.size < 256) decoders.set(label, dec);
  }
  if (dec) {
    const text = dec.decode(bytes);
    // Node 20's windows-1252 decoder (also used for latin1 / iso-8859-1 labels) maps 0x80–0x9F
    // to C1 controls instead of the WHATWG table; fix those up.
    return dec.encoding === 'windows-1252' ? text.replace(/[\x80-\x9f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!) : text;
  }
  return decodeUnlabelled(bytes);
}

// WHATWG windows-1252 for 0x80–0x9F (unassigned octets stay as their C1 code points).
const CP1252 = [...'\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes with no declared charset: UTF-8 when valid, else latin1. */
export function decodeUnlabelled(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Decodes a raw (binary string) header value: 8-bit octets as UTF-8/latin1, then RFC 2047 words. */
export function decodeHeaderValue(binary: string): string {
  // eslint-disable-next-line no-control-regex
  const text = /[^\x00-\x7f]/.test(binary) ? decodeUnlabelled(Buffer.from(binary, 'latin1')) : binary;
  return text.includes('=?') ? decodeEncodedWords(text) : text;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words (`=?charset[*lang]?Q|B?text?=`). Whitespace between two adjacent
 * encoded words is dropped (§6.2); adjacent words in the same charset are joined as bytes first, so
 * a multi-byte character split across words survives. Malformed words are left as they are.
 */
export function decodeEncodedWords(text: string): string {
  let out = '';
  let last = 0;
  let charset: string | null = null; // charset of the run of adjacent words being collected
  let bytes: Buffer[] = [];
  const flush = (): void => {
    if (charset !== null) out += decodeCharset(Buffer.concat(bytes), charset);
    charset = null;
    bytes = [];
  };
  for (const m of text.matchAll(ENCODED_WORD)) {
    const between = text.slice(last, m.index);
    const cs = m[1]!.split('*')[0]!.toLowerCase();
    const word =
      m[2]!.toUpperCase() === 'B'
        ? Buffer.from(m[3]!, 'base64')
        : decodeQuotedPrintable(Buffer.from(m[3]!.replace(/_/g, ' '), 'latin1'));
    const adjacent = charset !== null && /^[ \t\r\n]*$/.test(between);
    if (!adjacent || charset !== cs) {
      flush();
      if (!adjacent) out += between;
      charset = cs;
    }
    bytes.push(word);
    last = m.index + m[0].length;
  }
  flush();
  return out + text.slice(last);
}
