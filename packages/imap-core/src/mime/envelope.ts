/**
 * ENVELOPE (RFC 3501 §7.4.2; IMAP.md M37):
 *   (date subject from sender reply-to to cc bcc in-reply-to message-id)
 * Values are the raw header values, unfolded and trimmed, RFC 2047 words left encoded; a missing
 * field is NIL; Sender and Reply-To default to From. Addresses are `(name adl mailbox host)`;
 * a group is `(NIL NIL "name" NIL) members… (NIL NIL NIL NIL)`. A non-group address never has a
 * NIL host (that would mean "group"): missing parts become MISSING_MAILBOX / MISSING_DOMAIN.
 */
import { type ImapValue } from '../wire/value.ts';
import { nstr, tightList } from './body-structure.ts';
import { type HeaderField, fieldValue, parseHeaderBlock } from './header.ts';
import { type ParsedMailbox, parseAddressList } from './address.ts';
import { type MimeNode } from './parse.ts';

/** Placeholders for a non-group address with no local part / no domain (as Dovecot writes them). */
export const MISSING_MAILBOX = 'MISSING_MAILBOX';
export const MISSING_DOMAIN = 'MISSING_DOMAIN';

/**
 * ENVELOPE of a message. `node` is the root from parseMime (or a message/rfc822 part's
 * `message`); without it only the top-level header block is parsed, which is cheaper.
 */
export function envelope(raw: Buffer, node?: Pick<MimeNode, 'headers'>): ImapValue {
  const all = node ? node.headers : parseHeaderBlock(raw, 0, raw.length).fields;
  // First occurrence of each field ENVELOPE reads, in one pass (no closures: this runs per message
  // for every `FETCH 1:* ENVELOPE`).
  const fields = new Map<string, HeaderField>();
  for (const f of all) if (ENVELOPE_FIELDS.has(f.lname) && !fields.has(f.lname)) fields.set(f.lname, f);
  const from = addresses(fields, raw, 'from');
  return [
    nstr(value(fields, raw, 'date', true)),
    nstr(value(fields, raw, 'subject', false)),
    from,
    addresses(fields, raw, 'sender') ?? from,
    addresses(fields, raw, 'reply-to') ?? from,
    addresses(fields, raw, 'to'),
    addresses(fields, raw, 'cc'),
    addresses(fields, raw, 'bcc'),
    nstr(value(fields, raw, 'in-reply-to', true)),
    nstr(value(fields, raw, 'message-id', true)),
  ];
}

function value(fields: Map<string, HeaderField>, raw: Buffer, name: string, emptyIsNil: boolean): string | null {
  const f = fields.get(name);
  if (!f) return null;
  const v = fieldValue(raw, f);
  return emptyIsNil && v === '' ? null : v;
}

const ENVELOPE_FIELDS = new Set([
  'date', 'subject', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'in-reply-to', 'message-id',
]);

function addresses(fields: Map<string, HeaderField>, raw: Buffer, name: string): ImapValue {
  const f = fields.get(name);
  if (!f) return null;
  const parsed = parseAddressList(fieldValue(raw, f));
  const out: ImapValue[] = [];
  for (const a of parsed) {
    if (a.kind === 'group') {
      out.push([null, null, nstr(a.name), null]);
      for (const m of a.members) out.push(address(m));
      out.push([null, null, null, null]);
    } else {
      out.push(address(a));
    }
  }
  return out.length ? tightList(out) : null;
}

function address(m: ParsedMailbox): ImapValue {
  return [nstr(m.name), nstr(m.route), nstr(m.mailbox || MISSING_MAILBOX), nstr(m.host || MISSING_DOMAIN)];
}
