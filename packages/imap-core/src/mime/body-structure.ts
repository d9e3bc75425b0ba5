/**
 * BODY and BODYSTRUCTURE (RFC 3501 §7.4.2, RFC 9051 §7.5.2 for message/global; IMAP.md M36).
 *
 *   leaf       (type subtype (params)|NIL id desc enc octets [lines] md5 dsp lang loc)
 *   text leaf  … octets lines …
 *   message    … octets envelope body lines …            (message/rfc822, message/global)
 *   multipart  (body)(body)… subtype (params) dsp lang loc
 *
 * Extension data (md5 dsp lang loc; multipart params dsp lang loc) only when `extended`.
 * Every position is kept, with NIL placeholders (K-9 reads dsp at a fixed index). Types and
 * subtypes are upper-cased; parameter names are upper-cased, values pass through undecoded.
 *
 * Multipart bodies: RFC 3501 writes `1*body` with no space between the part lists. An ImapValue
 * list is written with one space between items, so the list of a multipart is marked with
 * `TIGHT_LISTS` (see below): the encoder must write its *leading run of list items* without
 * separators. Address lists are all-list lists and carry the same mark (envelope.ts).
 */
import { type ImapValue } from '../wire/value.ts';
import { envelope } from './envelope.ts';
import { type MimeNode, countLines } from './parse.ts';

/**
 * Marker property (a registered symbol, so the encoder needs no import from here) set to `true` on
 * an `ImapValue[]` whose leading run of list elements must be written with no space between them:
 * `((a)(b) "MIXED" …)`, `((addr1)(addr2))`. All other separators stay one space.
 */
export const TIGHT_LISTS: unique symbol = Symbol.for('letterbox.imap.tightLists') as never;

/** Marks `list` as a tight list (see TIGHT_LISTS) and returns it. */
export function tightList<T extends ImapValue[]>(list: T): T {
  // A symbol-keyed property: invisible to JSON, for…in and Object.keys; cheaper than defineProperty.
  (list as unknown as Record<symbol, boolean>)[TIGHT_LISTS] = true;
  return list;
}

/** True when `list` carries the TIGHT_LISTS mark. */
export function isTightList(list: ImapValue[]): boolean {
  return (list as unknown as Record<symbol, unknown>)[TIGHT_LISTS] === true;
}

/** A binary string as an nstring value: a Buffer when it holds 8-bit octets, else the string. */
export function nstr(s: string | null | undefined): string | Buffer | null {
  if (s === null || s === undefined) return null;
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1') : s;
}

function paramList(params: [string, string][]): ImapValue {
  if (params.length === 0) return null;
  const out: ImapValue[] = [];
  for (const [k, v] of params) out.push(nstr(k.toUpperCase()), nstr(v));
  return out;
}

function dispositionValue(node: MimeNode): ImapValue {
  const d = node.disposition;
  if (!d) return null;
  return [nstr(d.value.toUpperCase()), paramList(d.params)];
}

function languageValue(node: MimeNode): ImapValue {
  const l = node.language;
  if (!l) return null;
  return l.length === 1 ? nstr(l[0]) : l.map((x) => nstr(x));
}

/**
 * BODYSTRUCTURE (`extended = true`) or BODY (`false`) of `node` (normally the root from
 * parseMime(raw)). Never throws on a tree parseMime built.
 */
export function bodyStructure(raw: Buffer, node: MimeNode, extended: boolean): ImapValue {
  if (node.children.length > 0) {
    const out: ImapValue[] = node.children.map((c) => bodyStructure(raw, c, extended));
    out.push(nstr(node.contentType.subtype.toUpperCase()));
    if (extended) {
      out.push(paramList(node.contentType.params), dispositionValue(node), languageValue(node), nstr(node.location));
    }
    return tightList(out);
  }

  const ct = node.contentType;
  let params = ct.params;
  if (ct.type === 'text' && params.length === 0) params = [['CHARSET', 'US-ASCII']];
  const out: ImapValue[] = [
    nstr(ct.type.toUpperCase()),
    nstr(ct.subtype.toUpperCase()),
    paramList(params),
    nstr(node.contentId),
    nstr(node.description),
    nstr((node.encoding ?? '7BIT').toUpperCase()),
    node.bodyEnd - node.bodyStart,
  ];
  if (node.message) {
    out.push(envelope(raw, node.message), bodyStructure(raw, node.message, extended), countLines(raw, node));
  } else if (ct.type === 'text') {
    out.push(countLines(raw, node));
  }
  if (extended) {
    out.push(nstr(node.md5), dispositionValue(node), languageValue(node), nstr(node.location));
  }
  return out;
}
