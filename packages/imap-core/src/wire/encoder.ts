import { Atom, type ImapValue } from './value.ts';

/** Longest string sent as a quoted string; longer ones become literals so lines stay short. */
const MAX_QUOTED_BYTES = 1024;

/** True when `s` may be sent as a quoted string: 7-bit printable only, never CR, LF or NUL (IMAP.md M3). */
export function isQuotable(s: string): boolean {
  if (s.length > MAX_QUOTED_BYTES) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

export function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, (m) => '\\' + m) + '"';
}

/** Encodes one value; returns the chunks to write (literal bodies stay separate Buffers, never copied). */
export function encodeValue(value: ImapValue, out: (Buffer | string)[]): void {
  if (value === null) {
    out.push('NIL');
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    out.push(String(value));
  } else if (typeof value === 'string') {
    if (isQuotable(value)) out.push(quote(value));
    else {
      const bytes = Buffer.from(value, 'utf8');
      out.push(`{${bytes.length}}\r\n`, bytes);
    }
  } else if (Buffer.isBuffer(value)) {
    out.push(`{${value.length}}\r\n`, value);
  } else if (value instanceof Atom) {
    out.push(value.value);
  } else {
    // A tight list (multipart BODYSTRUCTURE, address lists) writes its leading run of lists
    // with no separator: `((a)(b) "MIXED")` as RFC 3501's `1*body` requires.
    const tight = (value as unknown as Record<symbol, unknown>)[TIGHT_LISTS] === true;
    let inLeadingRun = true;
    out.push('(');
    value.forEach((item, i) => {
      const isList = Array.isArray(item);
      if (!isList) inLeadingRun = false;
      if (i > 0 && !(tight && inLeadingRun)) out.push(' ');
      encodeValue(item, out);
    });
    out.push(')');
  }
}

/** Marker set by the MIME helpers on lists to be written tight (see mime/body-structure.ts). */
const TIGHT_LISTS = Symbol.for('letterbox.imap.tightLists');

/** Encodes a whole response: items separated by one space, terminated by CRLF. */
export function encodeResponse(items: ImapValue[]): Buffer {
  const out: (Buffer | string)[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(' ');
    encodeValue(item, out);
  });
  out.push('\r\n');
  // Join runs of text first: one Buffer per literal instead of one per token.
  const chunks: Buffer[] = [];
  let text = '';
  for (const c of out) {
    if (typeof c === 'string') text += c;
    else {
      chunks.push(Buffer.from(text, 'utf8'), c);
      text = '';
    }
  }
  chunks.push(Buffer.from(text, 'utf8'));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Encodes an astring argument for echoing back (header field names in a FETCH item name). */
export function encodeAstring(s: string): string {
  return /^[\x21-\x7e]+$/.test(s) && !/[(){%*"\\\]]/.test(s) ? s : quote(s);
}
