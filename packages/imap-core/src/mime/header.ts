/**
 * Header fields of a message or MIME part, kept as byte offsets into the raw message (RFC 5322 §2.2).
 *
 * Text that comes out of a header is a *binary string*: one JS char per octet (latin1), so 8-bit
 * bytes round-trip exactly with `Buffer.from(s, 'latin1')`. Nothing here decodes RFC 2047 or
 * RFC 2231; callers that need decoded text do that themselves (search/matcher.ts).
 */

/** Largest header block parsed field by field; a longer block makes its node opaque (IMAP.md §4). */
export const MAX_HEADER_BYTES = 1024 * 1024;

export interface HeaderField {
  /** Field name as written, without trailing whitespace (`Subject`). */
  name: string;
  /** Lower-cased name, for case-insensitive matching. */
  lname: string;
  /** Offset of the first octet of the field line. */
  start: number;
  /** Offset just after the colon. */
  valueStart: number;
  /** Offset just after the field's last line break (folded continuation lines included). */
  end: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset where the body starts: just after the blank line, or where the header block stopped. */
  bodyStart: number;
  /** True when the block was longer than MAX_HEADER_BYTES and fields past the limit were not parsed. */
  truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/**
 * Splits the header block that starts at `start` into fields. The block ends at the first empty line
 * (which belongs to the header), at a line that is neither a field nor a continuation (best effort:
 * that line starts the body), or at `end`.
 */
export function parseHeaderBlock(raw: Buffer, start: number, end: number): HeaderBlock {
  const fields: HeaderField[] = [];
  let pos = start;
  let truncated = false;
  let current: HeaderField | null = null;
  while (pos < end) {
    if (pos - start > MAX_HEADER_BYTES) {
      truncated = true;
      break;
    }
    let lf = raw.indexOf(LF, pos);
    const lineEnd = lf === -1 || lf >= end ? end : lf + 1;
    if (lf >= end) lf = -1;
    const first = raw[pos];
    // Empty line: end of the header block.
    if (first === LF || (first === CR && (pos + 1 === end || raw[pos + 1] === LF))) {
      return { fields, bodyStart: lineEnd, truncated: false };
    }
    if ((first === SP || first === HT) && current) {
      current.end = lineEnd;
      pos = lineEnd;
      continue;
    }
    const colon = raw.indexOf(COLON, pos);
    if (colon === -1 || colon >= lineEnd || colon === pos) {
      // Not a header field: best effort, the body starts here (no blank line).
      return { fields, bodyStart: pos, truncated: false };
    }
    let nameEnd = colon;
    while (nameEnd > pos && (raw[nameEnd - 1] === SP || raw[nameEnd - 1] === HT)) nameEnd--;
    const name = raw.toString('latin1', pos, nameEnd);
    current = { name, lname: name.toLowerCase(), start: pos, valueStart: colon + 1, end: lineEnd };
    fields.push(current);
    pos = lineEnd;
  }
  if (truncated) {
    // Find the end of the block without parsing it, so HEADER / TEXT still split correctly.
    const blank = findBlankLine(raw, pos, end);
    return { fields, bodyStart: blank, truncated: true };
  }
  return { fields, bodyStart: end, truncated: false };
}

/** Offset just after the first empty line at or after `from` (line start), or `end`. */
function findBlankLine(raw: Buffer, from: number, end: number): number {
  let pos = from;
  // Move to the start of a line.
  if (pos > 0 && raw[pos - 1] !== LF) {
    const lf = raw.indexOf(LF, pos);
    if (lf === -1 || lf >= end) return end;
    pos = lf + 1;
  }
  while (pos < end) {
    if (raw[pos] === LF) return pos + 1;
    if (raw[pos] === CR && raw[pos + 1] === LF) return Math.min(pos + 2, end);
    const lf = raw.indexOf(LF, pos);
    if (lf === -1 || lf >= end) return end;
    pos = lf + 1;
  }
  return end;
}

/** The field's value as a binary string, unfolded (CRLF before whitespace removed), trimmed. */
export function fieldValue(raw: Buffer, field: HeaderField): string {
  const s = raw.toString('latin1', field.valueStart, field.end);
  // Fast path: a single line (its only line break is the last one or two characters).
  const lf = s.indexOf('\n');
  if (lf === -1 || lf === s.length - 1) return trimWsp(s);
  return trimWsp(unfold(s));
}

/**
 * Trims ASCII whitespace (SP, HT, CR, LF) only. String.prototype.trim would also eat U+00A0, which
 * in a binary string is the octet 0xA0, e.g. the second byte of UTF-8 "à".
 */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Removes the line breaks of folded header lines (RFC 5322 §2.2.3) and the final line break. */
export function unfold(s: string): string {
  return s.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]+$/, '');
}

/** First field with this (case-insensitive) name, or undefined. */
export function findField(fields: readonly HeaderField[], name: string): HeaderField | undefined {
  const lname = name.toLowerCase();
  return fields.find((f) => f.lname === lname);
}

/** Value of the first field with this name (binary string, unfolded, trimmed), or null. */
export function headerValue(raw: Buffer, fields: readonly HeaderField[], name: string): string | null {
  const f = findField(fields, name);
  return f ? fieldValue(raw, f) : null;
}

/** A `value; attr=val; …` header (Content-Type, Content-Disposition) with its parameters kept raw. */
export interface ParamHeader {
  /** Text before the first `;`, trimmed and with comments removed (`multipart/mixed`, `attachment`). */
  value: string;
  /** Parameters in order; names as written (RFC 2231 `FILENAME*`, `NAME*0*` untouched), quotes removed. */
  params: [string, string][];
}

/**
 * Parses `value *(";" attribute "=" value)` (RFC 2045 §5.1, RFC 2183). Lenient: comments are
 * skipped, an unquoted value runs to the next `;`, a parameter without `=` is dropped. Parameter
 * values are not RFC 2231- or RFC 2047-decoded.
 */
export function parseParamHeader(s: string): ParamHeader {
  const params: [string, string][] = [];
  let i = 0;
  const n = s.length;
  const skipCfws = (): void => {
    for (;;) {
      while (i < n && isWsp(s.charCodeAt(i))) i++;
      if (s[i] !== '(') return;
      let depth = 0;
      while (i < n) {
        const c = s[i];
        if (c === '\\') i += 2;
        else {
          i++;
          if (c === '(') depth++;
          else if (c === ')' && --depth === 0) break;
        }
      }
    }
  };
  // The main value.
  skipCfws();
  let value = '';
  while (i < n && s[i] !== ';') {
    const c = s[i]!;
    if (c === '(') {
      skipCfws();
      continue;
    }
    if (c === '"') {
      const q = readQuoted(s, i);
      value += q.text;
      i = q.next;
      continue;
    }
    if (!isWsp(c.charCodeAt(0))) value += c;
    i++;
  }
  while (i < n) {
    // At a ';' (or garbage); move past it.
    i++;
    skipCfws();
    const nameStart = i;
    while (i < n && s[i] !== '=' && s[i] !== ';' && !isWsp(s.charCodeAt(i)) && s[i] !== '(') i++;
    const name = s.slice(nameStart, i);
    skipCfws();
    if (s[i] !== '=') {
      while (i < n && s[i] !== ';') i++;
      continue;
    }
    i++;
    skipCfws();
    let val: string;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      val = q.text;
      i = q.next;
      while (i < n && s[i] !== ';') i++;
    } else {
      const vStart = i;
      while (i < n && s[i] !== ';') i++;
      val = trimWsp(s.slice(vStart, i).replace(/\([^()]*\)/g, ''));
    }
    if (name) params.push([name, val]);
  }
  return { value, params };
}

function isWsp(c: number): boolean {
  return c === SP || c === HT || c === CR || c === LF;
}

/** Reads a quoted string starting at the `"` at `i`; unescapes quoted-pairs. Unterminated ⇒ to end. */
export function readQuoted(s: string, i: number): { text: string; next: number } {
  let text = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) {
      text += s[j + 1];
      j += 2;
      continue;
    }
    if (c === '"') return { text, next: j + 1 };
    if (c !== '\r' && c !== '\n') text += c;
    j++;
  }
  return { text, next: j };
}
