// ENVELOPE / BODYSTRUCTURE values (imap-core's ImapValue) as JSON, for the cache columns on
// `messages`. JSON has no atoms, octet strings, bigints or imap-core's "tight" list mark (lists
// whose leading run of lists is written without separators: multipart bodies, address lists), so
// those become one-key objects; strings, numbers, null and plain lists map to themselves.
import { atom, Atom, type ImapValue } from '@letterbox/imap-core';
import { isTightList, tightList } from '@letterbox/imap-core/mime';

export type ImapValueJson =
  | null
  | number
  | string
  | ImapValueJson[]
  | { a: string }
  | { b: string }
  | { n: string }
  | { t: ImapValueJson[] };

export function imapValueToJson(value: ImapValue): ImapValueJson {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { n: value.toString() };
  if (Buffer.isBuffer(value)) return { b: value.toString('base64') };
  if (value instanceof Atom) return { a: value.value };
  const items = value.map(imapValueToJson);
  return isTightList(value) ? { t: items } : items;
}

export function imapValueFromJson(json: ImapValueJson): ImapValue {
  if (json === null || typeof json === 'number' || typeof json === 'string') return json;
  if (Array.isArray(json)) return json.map(imapValueFromJson);
  if ('t' in json) return tightList(json.t.map(imapValueFromJson));
  if ('a' in json) return atom(json.a);
  if ('b' in json) return Buffer.from(json.b, 'base64');
  return BigInt(json.n);
}
