/**
 * A minimal ImapValue encoder for the MIME tests (the protocol side owns src/wire/encoder.ts).
 * Strings: quoted when 7-bit printable, else a literal; Buffers: always literals; lists marked
 * TIGHT_LISTS write their leading run of list items with no space between them.
 */
import { Atom, type ImapValue } from '../../src/wire/value.ts';
import { isTightList } from '../../src/mime/index.ts';

export function encode(v: ImapValue): Buffer {
  return Buffer.concat(parts(v));
}

export function encodeString(v: ImapValue): string {
  return encode(v).toString('latin1');
}

function parts(v: ImapValue): Buffer[] {
  if (v === null) return [Buffer.from('NIL')];
  if (typeof v === 'number' || typeof v === 'bigint') return [Buffer.from(String(v))];
  if (v instanceof Atom) return [Buffer.from(v.value)];
  if (typeof v === 'string') {
    if (/^[\x20-\x7e]*$/.test(v)) return [Buffer.from('"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"')];
    const b = Buffer.from(v, 'utf8');
    return [Buffer.from(`{${b.length}}\r\n`), b];
  }
  if (Buffer.isBuffer(v)) return [Buffer.from(`{${v.length}}\r\n`), v];
  const out: Buffer[] = [Buffer.from('(')];
  const tight = isTightList(v);
  let leadingLists = true;
  v.forEach((item, i) => {
    const isList = Array.isArray(item);
    if (i > 0 && !(tight && leadingLists && isList)) out.push(Buffer.from(' '));
    if (!isList) leadingLists = false;
    out.push(...parts(item));
  });
  out.push(Buffer.from(')'));
  return out;
}
