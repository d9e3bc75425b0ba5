// ENVELOPE / BODYSTRUCTURE values (imap-core's ImapValue) as JSON, for the cache columns on
// `messages`.
//
// Preferred form `{ w: text }`: the value already in wire syntax, encoded once by imap-core's
// own encoder and handed back as an Atom (which the encoder writes as is), so a FETCH of 100,000
// envelopes neither rebuilds nor re-encodes 100,000 trees. It is used when the wire bytes are
// valid UTF-8 (atoms are written as UTF-8); otherwise (8-bit header bytes in another charset) the
// tree is stored: JSON has no atoms, octet strings, bigints or imap-core's "tight" list mark
// (multipart bodies and address lists are written without separators), so those become one-key
// objects; strings, numbers, null and plain lists map to themselves.
import { atom, Atom, type ImapValue } from '@letterbox/imap-core';
import { isTightList, tightList } from '@letterbox/imap-core/mime';
import { encodeValue } from '@letterbox/imap-core/wire';

export type ImapValueJson =
  | null
  | number
  | string
  | ImapValueJson[]
  | { w: string }
  | { a: string }
  | { b: string }
  | { n: string }
  | { t: ImapValueJson[] };

export function imapValueToJson(value: ImapValue): ImapValueJson {
  const chunks: (Buffer | string)[] = [];
  encodeValue(value, chunks);
  const bytes = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) return { w: text };
  return toTree(value);
}

function toTree(value: ImapValue): ImapValueJson {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { n: value.toString() };
  if (Buffer.isBuffer(value)) return { b: value.toString('base64') };
  if (value instanceof Atom) return { a: value.value };
  const items = value.map(toTree);
  return isTightList(value) ? { t: items } : items;
}

export function imapValueFromJson(json: ImapValueJson): ImapValue {
  if (json === null || typeof json === 'number' || typeof json === 'string') return json;
  if (Array.isArray(json)) return json.map(imapValueFromJson);
  if ('w' in json) return atom(json.w);
  if ('t' in json) return tightList(json.t.map(imapValueFromJson));
  if ('a' in json) return atom(json.a);
  if ('b' in json) return Buffer.from(json.b, 'base64');
  return BigInt(json.n);
}
