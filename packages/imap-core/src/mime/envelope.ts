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
import { type HeaderField, findField, fieldValue, parseHeaderBlock } from './header.ts';
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
  const fields = node ? node.headers : parseHeaderBlock(raw, 0, raw.length).fields;
  const text = (name: string): string | null => {
    const f = findField(fields, name);
    if (!f) return null;
    return fieldValue(raw, f);
  };
  const nonEmpty = (name: string): string | null => {
    const v = text(name);
    return v === null || v === '' ? null : v;
  };
  const from = addresses(fields, raw, 'from');
  const sender = addresses(fields, raw, 'sender') ?? from;
  const replyTo = addresses(fields, raw, 'reply-to') ?? from;
  return [
    nstr(nonEmpty('date')),
    nstr(text('subject')),
    from,
    sender,
    replyTo,
    addresses(fields, raw, 'to'),
    addresses(fields, raw, 'cc'),
    addresses(fields, raw, 'bcc'),
    nstr(nonEmpty('in-reply-to')),
    nstr(nonEmpty('message-id')),
  ];
}

function addresses(fields: HeaderField[], raw: Buffer, name: string): ImapValue {
  const f = findField(fields, name);
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
