/**
 * FETCH body sections (RFC 3501 §6.4.5; IMAP.md M33–M34), resolved on the parseMime tree.
 *
 * Part numbers: the parts of a multipart are 1…n; a non-multipart message (the root, or the
 * message inside a message/rfc822 part) has one part, 1, which is its body. `n.HEADER`, `n.TEXT`,
 * `n.HEADER.FIELDS[.NOT]` need part n to be message/rfc822 (or message/global); `n.MIME` is the
 * part's own header block. A nonexistent part yields null.
 */
import { type Partial, type SectionSpec } from './section-spec.ts';
import { type MimeNode } from './parse.ts';
import { type HeaderField } from './header.ts';

/** A section as a byte range of the raw message, or as new bytes (HEADER.FIELDS[.NOT]). */
export type SectionData = { kind: 'range'; start: number; end: number } | { kind: 'bytes'; bytes: Buffer };

interface Cursor {
  node: MimeNode;
  /** True when `node` is a message whose parts are addressed (root, or an entered message/rfc822). */
  isMessage: boolean;
}

/** Finds the node a part path names, or null. */
export function resolvePart(root: MimeNode, path: readonly number[]): Cursor | null {
  let cur: Cursor = { node: root, isMessage: true };
  for (const n of path) {
    if (!Number.isInteger(n) || n < 1) return null;
    let container: MimeNode;
    let containerIsMessage: boolean;
    if (cur.isMessage) {
      container = cur.node;
      containerIsMessage = true;
    } else if (cur.node.message) {
      container = cur.node.message;
      containerIsMessage = true;
    } else {
      container = cur.node;
      containerIsMessage = false;
    }
    if (container.children.length > 0) {
      const child = container.children[n - 1];
      if (!child) return null;
      cur = { node: child, isMessage: false };
    } else if (containerIsMessage && n === 1) {
      cur = { node: container, isMessage: false };
    } else {
      return null;
    }
  }
  return cur;
}

/**
 * The byte range (or, for HEADER.FIELDS[.NOT], the bytes) of a section, or null when the part does
 * not exist or the section does not apply to it.
 */
export function sectionData(raw: Buffer, root: MimeNode, spec: SectionSpec): SectionData | null {
  const cur = resolvePart(root, spec.part);
  if (!cur) return null;
  const { node } = cur;
  const text = spec.text;
  if (text === undefined) {
    if (spec.part.length === 0) return { kind: 'range', start: 0, end: raw.length };
    return { kind: 'range', start: node.bodyStart, end: node.bodyEnd };
  }
  if (text === 'MIME') {
    if (spec.part.length === 0) return null;
    return { kind: 'range', start: node.headerStart, end: node.headerEnd };
  }
  // HEADER / TEXT / HEADER.FIELDS[.NOT] apply to a message: the root, or a message/rfc822 part.
  let msg: MimeNode | null;
  if (spec.part.length === 0) msg = root;
  else msg = node.message;
  if (!msg) return null;
  if (text === 'HEADER') return { kind: 'range', start: msg.headerStart, end: msg.headerEnd };
  if (text === 'TEXT') return { kind: 'range', start: msg.bodyStart, end: msg.bodyEnd };
  const wanted = new Set((spec.fields ?? []).map((f) => f.toLowerCase()));
  const not = text === 'HEADER.FIELDS.NOT';
  return { kind: 'bytes', bytes: headerFields(raw, msg.headers, (f) => wanted.has(f.lname) !== not) };
}

/**
 * Section bytes: a zero-copy subarray of `raw` for ranges, new bytes for HEADER.FIELDS[.NOT];
 * null for a nonexistent part.
 */
export function sectionBytes(raw: Buffer, root: MimeNode, spec: SectionSpec): Buffer | null {
  const d = sectionData(raw, root, spec);
  if (!d) return null;
  return d.kind === 'bytes' ? d.bytes : raw.subarray(d.start, d.end);
}

/** The matching field lines in original order (folding kept, each ending CRLF), plus the blank line. */
export function headerFields(raw: Buffer, fields: readonly HeaderField[], keep: (f: HeaderField) => boolean): Buffer {
  const chunks: Buffer[] = [];
  for (const f of fields) {
    if (!keep(f)) continue;
    const line = raw.subarray(f.start, f.end);
    chunks.push(line);
    if (line[line.length - 1] !== 0x0a) chunks.push(CRLF);
  }
  chunks.push(CRLF);
  return Buffer.concat(chunks);
}

const CRLF = Buffer.from('\r\n');

/**
 * The `<origin.count>` window of a section of `size` octets (IMAP.md M34): `[start, end)` with
 * `end - start = min(count, size - origin)`, empty when `origin >= size`.
 */
export function partialRange(size: number, partial: Partial): { start: number; end: number } {
  const start = Math.min(Math.max(0, partial.origin), size);
  const end = Math.min(size, start + Math.max(0, partial.count));
  return { start, end };
}

/** Applies an optional `<origin.count>` to section bytes (zero-copy). */
export function partialSlice(bytes: Buffer, partial?: Partial | null): Buffer {
  if (!partial) return bytes;
  const { start, end } = partialRange(bytes.length, partial);
  return bytes.subarray(start, end);
}
